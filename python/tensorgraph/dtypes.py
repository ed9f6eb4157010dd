"""tensorgraph's dtypes as constants, TensorFlow's tf.float32 and friends.

    x = tensorgraph.placeholder(tensorgraph.float32, [None, 2])
    x.dtype == tensorgraph.float32 == np.float32 == np.dtype("float32") == "float32"   # all True
    np.zeros(3, dtype=tensorgraph.int64)                                                # numpy takes them

Wherever tensorgraph takes a dtype it takes these, numpy dtypes and types (np.float32, float,
int, bool) and names ("float32"); a node's `dtype` is one of these constants.
"""
import numpy as np

from . import _core
from ._args import ANY, STR, checked

# NOTE: `bool` is tensorgraph.bool but stays out of __all__: `from tensorgraph import *`, the
# tutorial's import, must not hide Python's bool.
__all__ = ["DType", "as_dtype", "float32", "float64", "int32", "int64", "int16", "uint8"]


_NAMES = ("float32", "float64", "int32", "int64", "bool", "int16", "uint8")


class DType:
    """One of tensorgraph's dtypes. Equal to itself, to its numpy dtype and type, and to its name."""

    __slots__ = ("_name", "_numpy")

    @checked
    def __init__(self, name: STR):
        if name not in _NAMES:  # NOTE: as_dtype(value) is the way to a DType from anything else
            raise _core.ArgumentValueError(f"DType: argument 'name' must be one of {', '.join(_NAMES)}, got {name!r}")
        self._name = name
        self._numpy = np.dtype(name)

    @property
    def name(self):
        """"float32", "float64", "int32", "int64", "bool", "int16" or "uint8"."""
        return self._name

    @property
    def as_numpy_dtype(self):
        """The numpy type (np.float32, ...), as TensorFlow's DType.as_numpy_dtype."""
        return self._numpy.type

    @property
    def dtype(self):
        """The numpy dtype: numpy reads this attribute, so np.dtype(tensorgraph.float32) works."""
        return self._numpy

    @property
    def is_floating(self):
        return self._numpy.kind == "f"

    @property
    def is_integer(self):
        return self._numpy.kind in "iu"

    @property
    def is_unsigned(self):
        return self._numpy.kind == "u"

    @property
    def is_bool(self):
        return self._numpy.kind == "b"

    @property
    def size(self):
        """Bytes per element."""
        return self._numpy.itemsize

    @property
    def min(self):
        """The smallest value (the most negative finite one for floats)."""
        return False if self.is_bool else (np.finfo if self.is_floating else np.iinfo)(self._numpy).min

    @property
    def max(self):
        return True if self.is_bool else (np.finfo if self.is_floating else np.iinfo)(self._numpy).max

    def __eq__(self, other):
        if isinstance(other, DType):
            return other._name == self._name
        try:
            return _lookup(other)._name == self._name
        except (TypeError, ValueError):
            return False

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(self._name)

    def __repr__(self):
        return "tensorgraph." + self._name

    def __str__(self):
        return self._name

    def __reduce__(self):
        return as_dtype, (self._name,)


float32 = DType("float32")
float64 = DType("float64")
int32 = DType("int32")
int64 = DType("int64")
bool = DType("bool")  # noqa: A001 (TensorFlow's name: tf.bool)
# Storage types (TensorFlow's tf.int16, tf.uint8: audio samples, image bytes): fed, fetched, saved,
# sliced, compared and cast; arithmetic on them asks for a cast first.
int16 = DType("int16")
uint8 = DType("uint8")
_ALL = {d._numpy: d for d in (float32, float64, int32, int64, bool, int16, uint8)}


# TensorFlow's dtype names where numpy reads the name otherwise: tf.placeholder("float") is float32.
_TF_NAMES = {"float": "float32", "double": "float64"}


def _lookup(value):
    """The DType of `value`, or an exception from numpy (TypeError) or for an unsupported dtype."""
    if isinstance(value, DType):
        return _ALL[value._numpy]
    if value is None:
        raise TypeError("None is not a dtype")
    if isinstance(value, str):
        value = _TF_NAMES.get(value, value)
    found = _ALL.get(np.dtype(value))
    if found is None:
        raise ValueError(f"unsupported dtype {np.dtype(value)}")
    return found


@checked
def as_dtype(value: ANY):
    """The tensorgraph DType of `value`: a DType, a numpy dtype or type, float, int, bool or a name
    (TensorFlow's tf.as_dtype). Raises tensorgraph.DTypeError (a TypeError) for anything else."""
    try:
        return _lookup(value)
    except (TypeError, ValueError) as e:
        raise _core.DTypeError(f"as_dtype: argument 'value' must be a tensorgraph dtype, got {value!r} ({e}); use "
                               f"float32, float64, int32, int64, bool, int16 or uint8") from None


def from_numpy(numpy_dtype):
    """The DType of a numpy dtype that tensorgraph supports (None for None)."""
    return None if numpy_dtype is None else _ALL[numpy_dtype]
