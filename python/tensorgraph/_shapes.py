"""TensorFlow's static shapes: TensorShape and Dimension. node.shape is a TensorShape, a tuple of
ints and None (so it compares equal to the tuple the tutorial's code expects) with TensorFlow's
methods (as_list, ndims, is_fully_defined, num_elements); node.get_shape() is the same shape whose
items are TensorFlow 1.x's Dimension objects (`x.get_shape()[1].value`, None when unknown). A node
of unknown rank has TensorShape(None): ndims None, as_list() an error (TensorFlow's)."""
from . import _core


class Dimension:
    """One dimension of a static shape (TensorFlow 1.x): .value is an int or None; it behaves as that
    int in arithmetic, comparisons and indexing; unknown dimensions propagate through arithmetic."""

    __slots__ = ("_value",)

    def __init__(self, value):
        self._value = None if value is None else int(value)

    value = property(lambda self: self._value)

    def __int__(self):
        if self._value is None:
            raise _core.ShapeError("int() of an unknown Dimension")
        return self._value

    __index__ = __int__

    def __eq__(self, other):
        other = other.value if isinstance(other, Dimension) else other
        return self._value == other

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(self._value)

    def __repr__(self):
        return f"Dimension({self._value})"

    def __str__(self):
        return "?" if self._value is None else str(self._value)

    def _op(self, other, f):
        other = other.value if isinstance(other, Dimension) else other
        return Dimension(None if self._value is None or other is None else f(self._value, int(other)))

    __add__ = __radd__ = lambda self, o: self._op(o, lambda a, b: a + b)
    __mul__ = __rmul__ = lambda self, o: self._op(o, lambda a, b: a * b)
    __sub__ = lambda self, o: self._op(o, lambda a, b: a - b)
    __rsub__ = lambda self, o: self._op(o, lambda a, b: b - a)
    __floordiv__ = lambda self, o: self._op(o, lambda a, b: a // b)


class TensorShape(tuple):
    """A static shape: a tuple of ints and None, or TensorShape(None) for an unknown rank."""

    def __new__(cls, dims, v1=False):
        known = dims is not None
        self = super().__new__(cls, () if dims is None else (None if d is None or (isinstance(d, Dimension) and
                                                                                d.value is None) else int(d)
                                                             for d in dims))
        self._known, self._v1 = known, v1
        return self

    @property
    def ndims(self):
        """The rank, or None when unknown."""
        return len(self) if self._known else None

    rank = ndims

    @property
    def dims(self):
        """The Dimensions (None for an unknown rank)."""
        return [Dimension(d) for d in tuple.__iter__(self)] if self._known else None

    def as_list(self):
        """The dimensions as a list of ints and None; an error for an unknown rank (TensorFlow's)."""
        if not self._known:
            raise _core.ShapeError("as_list() is not defined on a shape of unknown rank")
        return list(tuple.__iter__(self))

    def is_fully_defined(self):
        return self._known and all(d is not None for d in tuple.__iter__(self))

    def num_elements(self):
        """The number of elements, or None when a dimension or the rank is unknown."""
        if not self.is_fully_defined():
            return None
        n = 1
        for d in tuple.__iter__(self):
            n *= d
        return n

    def __getitem__(self, key):
        if not self._known:
            if isinstance(key, slice):
                return TensorShape(None, self._v1)
            return Dimension(None) if self._v1 else None
        item = tuple.__getitem__(self, key)
        if isinstance(key, slice):
            return TensorShape(item, self._v1)
        return Dimension(item) if self._v1 else item

    def __iter__(self):
        if self._v1:
            return (Dimension(d) for d in tuple.__iter__(self))
        return tuple.__iter__(self)

    def __eq__(self, other):
        if isinstance(other, TensorShape) and not (self._known and other._known):
            return False  # an unknown rank equals nothing, as TensorFlow's
        if other is None:
            return not self._known
        return tuple.__eq__(self, tuple(d.value if isinstance(d, Dimension) else d for d in other)) \
            if isinstance(other, (tuple, list)) else NotImplemented

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = tuple.__hash__

    def __repr__(self):
        return f"TensorShape({list(tuple.__iter__(self)) if self._known else None})"

    def __str__(self):
        if not self._known:
            return "<unknown>"
        return "(" + ", ".join("?" if d is None else str(d) for d in tuple.__iter__(self)) + \
            ("," if len(self) == 1 else "") + ")"
