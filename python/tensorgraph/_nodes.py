"""Conversions between Python values and graph nodes, and the operators on nodes."""
import numbers
import operator

import numpy as np

from . import _core
from ._args import Kind, _is_int, install


def as_node(x, like=None):
    """x as a graph node: nodes pass through, Operations give their node, values become constants
    (a number next to a node takes that node's dtype, as numpy's Python scalars do)."""
    if isinstance(x, _core.Node):
        return x
    node = getattr(x, "_node", None)
    if isinstance(node, _core.Node):
        return node
    if like is not None and isinstance(x, (numbers.Number, np.number)) and not isinstance(x, bool):
        return _core.scalar_like(like, float(x))
    dtype = like.dtype if like is not None else None
    return _core.constant(x, dtype, "")


def operands(x, y):
    """Both operands as nodes; a plain value takes its dtype from the other operand."""
    xn = x if isinstance(x, _core.Node) else getattr(x, "_node", None)
    yn = y if isinstance(y, _core.Node) else getattr(y, "_node", None)
    if xn is None:
        xn = as_node(x, yn)
    if yn is None:
        yn = as_node(y, xn)
    return _scalar_takes_the_others_float(xn, yn)


def _rank0(node):
    shape = node.shape
    return shape is not None and len(shape) == 0


def _scalar_takes_the_others_float(xn, yn):
    """A 0-d float node meeting a float node of another float dtype and of rank above 0 (or unknown)
    is cast to that dtype: numpy's rule for a 0-d array (the tutorial's library computes with numpy),
    and what TensorFlow 1.x programs expect of tf.Variable(rng.randn()) beside a float32 placeholder.
    Other dtype mixes stay an error."""
    dx, dy = xn.dtype, yn.dtype
    if dx is None or dy is None or dx == dy or not (dx.is_floating and dy.is_floating):
        return xn, yn
    if _rank0(yn) and not _rank0(xn):
        return xn, _core.cast(yn, dx.name, "")
    if _rank0(xn) and not _rank0(yn):
        return _core.cast(xn, dy.name, ""), yn
    return xn, yn


def name_arg(name):
    if name is None:
        return ""
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__}")
    return name


def _is_index(k):
    return (k is None or k is Ellipsis or _is_int(k)
            or (isinstance(k, slice) and all(v is None or _is_int(v) for v in (k.start, k.stop, k.step))))


# What x[key] takes: numpy's basic indexing
INDEX = Kind("an int, a slice of ints, ..., None or a tuple of them (numpy's basic indexing)",
             lambda key: all(_is_index(k) for k in (key if isinstance(key, tuple) else (key,))), fast=[int])


def slice_spec(key):
    """x[key] as TensorFlow's strided_slice arguments: entry i of begin/end/strides and bit i of each
    mask for the i-th item of key."""
    spec = dict(begin=[], end=[], strides=[], begin_mask=0, end_mask=0, ellipsis_mask=0, new_axis_mask=0,
                shrink_axis_mask=0)

    def entry(begin, end, stride, **bits):
        i = len(spec["begin"])
        for mask, on in bits.items():
            spec[mask] |= on << i
        spec["begin"].append(begin)
        spec["end"].append(end)
        spec["strides"].append(stride)

    for k in key if isinstance(key, tuple) else (key,):
        if k is Ellipsis:
            entry(0, 0, 1, ellipsis_mask=1)
        elif k is None:
            entry(0, 0, 1, new_axis_mask=1)
        elif isinstance(k, slice):
            start, stop, step = (None if v is None else operator.index(v) for v in (k.start, k.stop, k.step))
            if step == 0:
                raise _core.ArgumentValueError("Node.__getitem__: argument 'key': a slice step cannot be zero")
            entry(start or 0, stop or 0, 1 if step is None else step, begin_mask=start is None, end_mask=stop is None)
        else:
            i = operator.index(k)
            entry(i, i + 1, 1, shrink_axis_mask=1)
    return spec


def _install_indexing(cls, ops):
    @install(cls, "__getitem__")
    def getitem(self, key: INDEX):
        """x[key], numpy's basic indexing (ints, slices with steps, ..., None), through strided_slice;
        the gradient scatters dy back into zeros of x's shape."""
        return ops.strided_slice(self, **slice_spec(key))

    def not_iterable(self):
        # NOTE: without it, iter() would index x[0], x[1], ... without end (nodes have no length)
        raise _core.ArgumentTypeError("a tensorgraph node is not iterable (its values exist only when a Session "
                                      "runs it); index it, x[i], for one element")
    cls.__iter__ = not_iterable


def install_operators(ops):
    """Python operators on nodes and Operations build the element-wise ops."""
    for cls in (_core.Node, ops.Operation):
        cls.__add__ = lambda a, b: ops.add(a, b)
        cls.__radd__ = lambda a, b: ops.add(b, a)
        cls.__sub__ = lambda a, b: ops.subtract(a, b)
        cls.__rsub__ = lambda a, b: ops.subtract(b, a)
        cls.__mul__ = lambda a, b: ops.multiply(a, b)
        cls.__rmul__ = lambda a, b: ops.multiply(b, a)
        cls.__truediv__ = lambda a, b: ops.divide(a, b)
        cls.__rtruediv__ = lambda a, b: ops.divide(b, a)
        cls.__matmul__ = lambda a, b: ops.matmul(a, b)
        cls.__rmatmul__ = lambda a, b: ops.matmul(b, a)
        cls.__neg__ = lambda a: ops.negative(a)
        cls.__abs__ = lambda a: ops.abs(a)
        cls.__pow__ = lambda a, b: ops.pow(a, b)
        cls.__rpow__ = lambda a, b: ops.pow(b, a)
        # TensorFlow 1.x: element-wise comparisons building nodes (== and hash stay identity: nodes are dict keys)
        cls.__lt__ = lambda a, b: ops.less(a, b)
        cls.__le__ = lambda a, b: ops.less_equal(a, b)
        cls.__gt__ = lambda a, b: ops.greater(a, b)
        cls.__ge__ = lambda a, b: ops.greater_equal(a, b)
        _install_indexing(cls, ops)
        cls.__array_ufunc__ = None  # numpy defers to these operators
