"""TensorFlow 1.x's initializer objects, which get_variable and the layers take: each is called with
a shape and a dtype and returns the node a Variable is made from (so an initializer run draws
afresh). Fans as TensorFlow computes them: [in, out] for a matrix; for a convolution's
[height, width, in, out] filters, in and out times the window's size."""
import math

from . import _core
from ._args import DIMS, DTYPE, INT, NONE, REAL, TENSOR, checked
from .dtypes import as_dtype, float32


def _fans(shape):
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


class Initializer:
    """Base of the initializers: init(shape, dtype=None, partition_info=None) -> a node; each kind
    makes it in _make(shape, dtype)."""

    dtype = float32

    @checked
    def __call__(self, shape: DIMS, dtype: DTYPE | NONE = None, partition_info: NONE = None):
        return self._make(list(shape), as_dtype(self.dtype if dtype is None else dtype))


class _OfDType(Initializer):
    """An initializer whose only argument is its dtype."""

    @checked
    def __init__(self, dtype: DTYPE = float32):
        self.dtype = as_dtype(dtype)


class zeros_initializer(_OfDType):
    def _make(self, shape, dtype):
        from . import zeros
        return zeros(shape, dtype)


class ones_initializer(_OfDType):
    def _make(self, shape, dtype):
        from . import ones
        return ones(shape, dtype)


class constant_initializer(Initializer):
    """Every element `value` (a number), or the array `value` reshaped to the shape."""

    @checked
    def __init__(self, value: TENSOR = 0, dtype: DTYPE = float32, verify_shape: NONE = None):
        self.value, self.dtype = value, as_dtype(dtype)

    def _make(self, shape, dtype):
        import numpy as np
        value = np.asarray(self.value, dtype=dtype.as_numpy_dtype)
        if value.size == 1:
            value = np.full(shape, value.reshape(()))
        elif value.size == math.prod(shape):
            value = value.reshape(shape)
        else:
            raise _core.ShapeError(f"constant_initializer: {value.size} values do not fill the shape {shape}")
        return _core.constant(value, None, "Const")


class random_normal_initializer(Initializer):
    @checked
    def __init__(self, mean: REAL = 0.0, stddev: REAL = 1.0, seed: INT | NONE = None, dtype: DTYPE = float32):
        self.mean, self.stddev, self.seed, self.dtype = mean, stddev, seed, as_dtype(dtype)

    def _make(self, shape, dtype):
        from . import random_normal
        return random_normal(shape, self.mean, self.stddev, dtype, self.seed)


class truncated_normal_initializer(random_normal_initializer):
    """random_normal_initializer's arguments; a draw beyond two standard deviations is drawn again."""

    def _make(self, shape, dtype):
        from . import truncated_normal
        return truncated_normal(shape, self.mean, self.stddev, dtype, self.seed)


class random_uniform_initializer(Initializer):
    @checked
    def __init__(self, minval: REAL = 0, maxval: REAL | NONE = None, seed: INT | NONE = None,
                 dtype: DTYPE = float32):
        self.minval, self.maxval, self.seed, self.dtype = minval, maxval, seed, as_dtype(dtype)

    def _make(self, shape, dtype):
        from . import random_uniform
        return random_uniform(shape, self.minval, self.maxval, dtype, self.seed)


class glorot_uniform_initializer(Initializer):
    """U(±sqrt(6 / (fan_in + fan_out))): get_variable's default for floats (TensorFlow's)."""

    @checked
    def __init__(self, seed: INT | NONE = None, dtype: DTYPE = float32):
        self.seed, self.dtype = seed, as_dtype(dtype)

    def _make(self, shape, dtype):
        from . import random_uniform
        fan_in, fan_out = _fans(shape)
        limit = math.sqrt(6.0 / max(1, fan_in + fan_out))
        return random_uniform(shape, -limit, limit, dtype, self.seed)


class glorot_normal_initializer(glorot_uniform_initializer):
    """Truncated normal of stddev sqrt(2 / (fan_in + fan_out)) / 0.8796 (the truncation's correction,
    TensorFlow's); glorot_uniform_initializer's arguments."""

    def _make(self, shape, dtype):
        from . import truncated_normal
        fan_in, fan_out = _fans(shape)
        stddev = math.sqrt(2.0 / max(1, fan_in + fan_out)) / 0.87962566103423978
        return truncated_normal(shape, 0.0, stddev, dtype, self.seed)


__all__ = ["zeros_initializer", "ones_initializer", "constant_initializer", "random_normal_initializer",
           "truncated_normal_initializer", "random_uniform_initializer", "glorot_uniform_initializer",
           "glorot_normal_initializer"]
