"""TensorFlow 1.x names that are compositions of tensorgraph's ops, so their gradients are the ops':
casts by name (to_float, ...), add_n, squared_difference, rsqrt, reciprocal, reduce_logsumexp,
log_sigmoid, matrix_transpose and squeeze; tf.nn's relu6, elu and xw_plus_b are in nn.py on the
same terms. Each follows TensorFlow's formula and argument names."""
import numpy as np

from . import _core
from ._args import AXIS, BOOL, INT, NAME, NONE, TENSOR, TENSORS, checked, list_of
from ._nodes import as_node, name_arg
from .dtypes import float32, float64, int32, int64


def _cast_to(dtype, fn_name, default_name):
    def cast_fn(x: TENSOR, name: NAME = default_name):
        from . import cast
        return cast(x, dtype, name)
    cast_fn.__name__ = cast_fn.__qualname__ = fn_name
    cast_fn.__doc__ = f"TensorFlow 1.x's tf.{fn_name}: cast(x, {dtype}) (floats into ints truncate toward zero)."
    return checked(cast_fn)


to_float = _cast_to(float32, "to_float", "ToFloat")
to_double = _cast_to(float64, "to_double", "ToDouble")
to_int32 = _cast_to(int32, "to_int32", "ToInt32")
to_int64 = _cast_to(int64, "to_int64", "ToInt64")


def _compatible(a, b):
    """Whether two static shapes can be the same at run time."""
    if a is None or b is None:
        return True
    return len(a) == len(b) and all(x is None or y is None or x == y for x, y in zip(a, b))


@checked
def add_n(inputs: TENSORS, name: NAME = None):
    """The element-wise sum of `inputs`, which have one shape and one dtype (no broadcasting: TensorFlow's
    tf.add_n)."""
    from . import add, identity
    if not inputs:
        raise _core.ArgumentValueError("add_n: inputs must hold at least one tensor")
    nodes = [as_node(x) for x in inputs]
    first = nodes[0]
    for i, n in enumerate(nodes[1:], 1):
        if not _compatible(first.shape, n.shape):
            raise _core.ShapeError(f"add_n: inputs[{i}] has shape {n.shape}, inputs[0] {first.shape}: add_n does not "
                                   f"broadcast")
    if len(nodes) == 1:
        return identity(first, name_arg(name))
    total = nodes[0]
    for n in nodes[1:-1]:
        total = add(total, n)
    return add(total, nodes[-1], name_arg(name))


@checked
def squared_difference(x: TENSOR, y: TENSOR, name: NAME = None):
    """(x - y)², broadcasting as subtract does (TensorFlow's tf.squared_difference)."""
    from . import square, subtract
    return square(subtract(x, y), name_arg(name))


@checked
def rsqrt(x: TENSOR, name: NAME = None):
    """1 / sqrt(x) (TensorFlow's tf.rsqrt)."""
    from . import divide, sqrt
    return divide(1.0, sqrt(x), name_arg(name))


@checked
def reciprocal(x: TENSOR, name: NAME = None):
    """1 / x (TensorFlow's tf.reciprocal)."""
    from . import divide
    return divide(1.0, x, name_arg(name))


@checked
def log_sigmoid(x: TENSOR, name: NAME = None):
    """log(sigmoid(x)) = -softplus(-x), without overflow for large |x| (TensorFlow's tf.log_sigmoid)."""
    from . import negative, nn
    return negative(nn.softplus(negative(x)), name_arg(name))


@checked
def reduce_logsumexp(input_tensor: TENSOR, axis: AXIS = None, keepdims: BOOL = False, name: NAME = None,
                     reduction_indices: AXIS = None, keep_dims: BOOL | NONE = None):
    """log(Σ exp(x)) over `axis` (all axes when None), computed as m + log(Σ exp(x - m)) with m the
    maximum (held constant for the gradient, which is softmax(x)), so large values do not overflow;
    an infinite maximum is clipped to the largest finite value, so -inf rows give -inf and +inf gives
    +inf (TensorFlow's tf.reduce_logsumexp, with its older keywords)."""
    from . import _old_reduce_keywords, add, clip_by_value, exp, log, reduce_max, reduce_sum, stop_gradient, subtract
    axis, keepdims = _old_reduce_keywords("reduce_logsumexp", axis, keepdims, reduction_indices, keep_dims)
    x = as_node(input_tensor)
    limit = float(np.finfo(np.float32 if x.dtype == float32 else np.float64).max)
    m = clip_by_value(stop_gradient(reduce_max(x, axis, keepdims=True)), -limit, limit)
    kept = add(log(reduce_sum(exp(subtract(x, m)), axis, keepdims=True)), m)
    # summing over the reduced axes, each of size 1 now, drops them
    return kept if keepdims else reduce_sum(kept, axis, keepdims=False, name=name_arg(name))


@checked
def matrix_transpose(a: TENSOR, name: NAME = "matrix_transpose", conjugate: BOOL = False):
    """a with its last two dimensions swapped (a batch of matrices; its rank must be known, at least 2;
    TensorFlow's tf.matrix_transpose — conjugate means nothing for real values)."""
    from . import transpose
    x = as_node(a)
    rank = x.shape.rank if x.shape is not None else None
    if rank is None or rank < 2:
        raise _core.ShapeError(f"matrix_transpose: '{x.name}' needs a known rank of at least 2, got shape {x.shape}")
    return transpose(x, list(range(rank - 2)) + [rank - 1, rank - 2], name_arg(name))


@checked
def squeeze(input: TENSOR, axis: INT | list_of(INT) | NONE = None, name: NAME = None,
            squeeze_dims: INT | list_of(INT) | NONE = None):
    """input without dimensions of size 1: those in `axis` (each must be 1 or not known yet — a run
    with another size is a ShapeError there), or, when None, every dimension known to be 1; the kept
    dimensions may hold one that is not known (TensorFlow's tf.squeeze; squeeze_dims its older name)."""
    from . import reshape
    if squeeze_dims is not None:
        if axis is not None:
            raise _core.ArgumentValueError("squeeze: give axis or squeeze_dims, not both")
        axis = squeeze_dims
    x = as_node(input)
    if x.shape is None:
        raise _core.ShapeError(f"squeeze: the rank of '{x.name}' must be known")
    dims, rank = list(x.shape), len(x.shape)
    if axis is None:
        drop = {i for i, d in enumerate(dims) if d == 1}
    else:
        drop = set()
        for a in [axis] if isinstance(axis, int) else axis:
            if not -rank <= a < rank:
                raise _core.ShapeError(f"squeeze: axis {a} is out of range for rank {rank}")
            if dims[a % rank] not in (1, None):
                raise _core.ShapeError(f"squeeze: dimension {a % rank} of '{x.name}' is {dims[a % rank]}, not 1")
            drop.add(a % rank)
    kept = [d for i, d in enumerate(dims) if i not in drop]
    if sum(d is None for d in kept) > 1:
        raise _core.ShapeError(f"squeeze: '{x.name}' {x.shape} keeps more than one unknown dimension")
    return reshape(x, [-1 if d is None else d for d in kept], name_arg(name))


__all__ = ["to_float", "to_double", "to_int32", "to_int64", "add_n", "squared_difference", "rsqrt", "reciprocal",
           "log_sigmoid", "reduce_logsumexp", "matrix_transpose", "squeeze"]
