"""The array functions of TensorFlow 1.x that sequence models use: joining and splitting (concat,
split, stack, unstack), slicing (slice, reverse, expand_dims), lookups (gather), choice (where),
masks (sequence_mask) and gradient clipping (clip_by_global_norm, global_norm). Re-exported as
tensorgraph.<name>; the C++ functions of the same names do the work."""
import numbers

import numpy as np

from . import _core
from ._args import AXIS, BOOL, DIMS, DTYPE, INT, NAME, NONE, REAL, TENSOR, TENSORS, Kind
from ._args import checked as _checked
from ._nodes import as_node as _as_node, name_arg as _name

SPLITS = Kind("an int or a list of ints", lambda x: isinstance(x, numbers.Integral) and not isinstance(x, bool)
              or (isinstance(x, (list, tuple, np.ndarray)) and all(isinstance(v, numbers.Integral) for v in x)))
TENSORS_OR_NONE = Kind("a list of nodes (None entries allowed)",
                       lambda x: isinstance(x, (list, tuple)) and all(v is None or TENSOR.test(v) for v in x))


def _ints(x):
    """x as a node; a plain value of integers (indices, lengths) stays integer (int64), where a
    plain constant would be float."""
    if isinstance(x, _core.Node) or hasattr(x, "_node"):
        return _as_node(x)
    a = np.asarray(x)
    return _core.constant(a.astype(np.int64) if a.dtype.kind in "iu" else a, None, "")


def _nodes(values, where):
    if len(values) == 0:
        raise _core.ArgumentValueError(f"{where}: argument 'values' is empty; it needs at least one tensor")
    first = next((v for v in values if isinstance(v, _core.Node) or hasattr(v, "_node")), None)
    like = _as_node(first) if first is not None else None
    return [_as_node(v) if like is None or isinstance(v, _core.Node) else _as_node(np.asarray(v, dtype=like.dtype))
            for v in values]


@_checked
def concat(values: TENSORS, axis: INT, name: NAME = None):
    """The tensors joined along `axis` (negative: from the end); equal ranks and dtypes, the other
    dimensions equal. The gradient hands each input its part of dy (concat_grad)."""
    return _core.concat(_nodes(values, "concat"), int(axis), _name(name))


@_checked
def concat_grad(dy: TENSOR, values: TENSORS, axis: INT, index: INT, name: NAME = None):
    """concat's adjoint for input `index`: dy's part along `axis` where that input went (the values
    give their shapes only)."""
    return _core.concat_grad(_as_node(dy), [_as_node(v) for v in values], int(axis), int(index), _name(name))


@_checked
def pack_flat(values: TENSORS, name: NAME = None):
    """Every value's elements, one value after another, in one 1-D tensor (one dtype): a fusion
    buffer, as DistributedOptimizer packs a step's gradients. Not TensorFlow's old tf.pack (tf.stack)."""
    return _core.pack_flat(_nodes(values, "pack_flat"), _name(name))


@_checked
def unpack_flat(packed: TENSOR, offset: INT, shape: DIMS, name: NAME = None):
    """packed[offset : offset + prod(shape)] in `shape`: a piece of pack_flat's buffer (packed 1-D)."""
    return _core.unpack_flat(_as_node(packed), int(offset), list(shape), _name(name))


@_checked
def split(value: TENSOR, num_or_size_splits: SPLITS, axis: INT = 0, num: INT | NONE = None, name: NAME = None):
    """value split along `axis` into num_or_size_splits equal parts (an int), or into parts of the
    listed sizes (one may be -1: the rest). The dimension must be known when the graph is built."""
    x = _as_node(value)
    if isinstance(num_or_size_splits, numbers.Integral):
        return _core.split(x, int(num_or_size_splits), int(axis), _name(name))
    sizes = [int(v) for v in num_or_size_splits]
    if num is not None and num != len(sizes):
        raise _core.ArgumentValueError(f"split: num={num} but {len(sizes)} sizes were given")
    return _core.split_sizes(x, sizes, int(axis), _name(name))


@_checked
def stack(values: TENSORS, axis: INT = 0, name: NAME = None):
    """The tensors (of one shape) stacked along a new axis `axis`."""
    return _core.stack(_nodes(values, "stack"), int(axis), _name(name))


@_checked
def unstack(value: TENSOR, num: INT | NONE = None, axis: INT = 0, name: NAME = None):
    """value's slices along `axis`, as a list, that axis removed; its dimension must be known (or
    equal to `num`)."""
    out = _core.unstack(_as_node(value), int(axis), _name(name))
    if num is not None and num != len(out):
        raise _core.ArgumentValueError(f"unstack: num={num} but axis {axis} has {len(out)} elements")
    return out


@_checked
def slice(input_: TENSOR, begin: DIMS, size: DIMS, name: NAME = None):  # noqa: A001 (TensorFlow's name)
    """input_[begin[i] : begin[i] + size[i]] along each axis i; size -1 runs to the end."""
    return _core.slice(_as_node(input_), [int(b) for b in begin], [int(s) for s in size], _name(name))


@_checked
def reverse(tensor: TENSOR, axis: AXIS, name: NAME = None):
    """tensor with its elements in reverse order along each of the axes in `axis`."""
    axes = [axis] if isinstance(axis, numbers.Integral) else list(axis or [])
    return _core.reverse(_as_node(tensor), [int(a) for a in axes], _name(name))


@_checked
def expand_dims(input: TENSOR, axis: INT | NONE = None, name: NAME = None, dim: INT | NONE = None):  # noqa: A002
    """input with a dimension of 1 inserted at `axis` (-1 appends; `dim` is its old name)."""
    if (axis is None) == (dim is None):
        raise _core.ArgumentValueError("expand_dims: give exactly one of axis and dim")
    return _core.expand_dims(_as_node(input), int(axis if dim is None else dim), _name(name))


@_checked
def gather(params: TENSOR, indices: TENSOR, validate_indices: BOOL | NONE = None, name: NAME = None, axis: INT = 0):
    """params[..., indices, ...] along `axis` (an embedding lookup for axis 0); integer indices,
    checked at run time (an index out of range is a ShapeError). The gradient adds dy into a zero
    table at the indices, repeated ones accumulating."""
    return _core.gather(_as_node(params), _ints(indices), int(axis), _name(name))


@_checked
def gather_grad(params: TENSOR, indices: TENSOR, dy: TENSOR, axis: INT = 0, name: NAME = None):
    """gather's adjoint: dy added at `indices` along `axis` into zeros of params' shape."""
    return _core.gather_grad(_as_node(params), _ints(indices), _as_node(dy), int(axis), _name(name))


@_checked
def where(condition: TENSOR, x: TENSOR | NONE = None, y: TENSOR | NONE = None, name: NAME = None):
    """x where condition else y, element by element (TF1's tf.where): a bool condition, numpy
    broadcasting, and TF1's rule that a rank-1 condition against higher-rank x and y picks whole rows.
    The one-argument form (the coordinates of the true elements) is not supported."""
    if x is None or y is None:
        raise _core.ArgumentValueError("where: give both x and y; where(condition) alone (the coordinates of the "
                                       "true elements, a shape known only at run time) is not supported")
    xn = x if isinstance(x, _core.Node) else getattr(x, "_node", None)
    yn = y if isinstance(y, _core.Node) else getattr(y, "_node", None)
    xn = xn if xn is not None else _as_node(x, yn)
    yn = yn if yn is not None else _as_node(y, xn)
    return _core.where(_as_node(condition), xn, yn, _name(name))


@_checked
def sequence_mask(lengths: TENSOR, maxlen: INT | NONE = None, dtype: DTYPE = np.bool_, name: NAME = None):
    """mask[..., j] = j < lengths[...] for j < maxlen (None: the largest length, known at run time),
    as `dtype` (bool by default)."""
    return _core.sequence_mask(_ints(lengths), -1 if maxlen is None else int(maxlen), dtype, _name(name))


@_checked
def global_norm(t_list: TENSORS_OR_NONE, name: NAME = None):
    """sqrt of the sum of the squares of every element of every tensor (None entries skipped)."""
    return _core.global_norm([_as_node(t) for t in t_list if t is not None], _name(name))


@_checked
def clip_by_global_norm(t_list: TENSORS_OR_NONE, clip_norm: REAL, use_norm: NONE = None, name: NAME = None):
    """(clipped, global_norm): each t times clip_norm / max(global_norm, clip_norm), so that the list's
    norm is at most clip_norm and the directions keep; None entries stay None (TensorFlow's rule,
    NaN everywhere when the norm is NaN)."""
    nodes = [_as_node(t) for t in t_list if t is not None]
    clipped, norm = _core.clip_by_global_norm(nodes, float(clip_norm), _name(name))
    it = iter(clipped)
    return [None if t is None else next(it) for t in t_list], norm


__all__ = ["concat", "split", "stack", "unstack", "slice", "reverse", "expand_dims", "gather", "where",
           "sequence_mask", "global_norm", "clip_by_global_norm", "concat_grad", "gather_grad",
           "pack_flat", "unpack_flat"]


@_checked
def shape(input: TENSOR, name: NAME = None, out_type: DTYPE = "int32"):
    """input's dimensions at run time: a rank-1 int32 (or out_type int64) node (TensorFlow's
    tf.shape); node.shape is the static shape."""
    return _core.shape(_as_node(input), out_type, _name(name))


@_checked
def range(start: TENSOR, limit: TENSOR | NONE = None, delta: TENSOR = 1, dtype: DTYPE | NONE = None,  # noqa: A001
          name: NAME = "range"):
    """start, start + delta, ... below limit (TensorFlow's tf.range; range(n) is 0..n-1): a rank-1
    node whose length is known at run time. Any argument may be a node (tf.shape(x)[0]); numbers take
    the nodes' dtype, else int32 for ints and float32 otherwise, or `dtype`."""
    if limit is None:
        start, limit = 0, start
    values = (start, limit, delta)
    nodes = [v for v in values if isinstance(v, _core.Node) or hasattr(v, "_node")]
    if dtype is None:
        if nodes:
            dtype = _as_node(nodes[0]).dtype
        else:
            dtype = "int32" if all(isinstance(v, numbers.Integral) for v in values) else "float32"
    args = []
    for v in values:
        if isinstance(v, _core.Node) or hasattr(v, "_node"):
            n = _as_node(v)
            args.append(n if n.dtype == dtype else _core.cast(n, dtype, ""))
        else:
            args.append(_core.constant(np.asarray(v), dtype, ""))
    return _core.range(*args, _name(name) or "range")


@_checked
def size(input: TENSOR, name: NAME = None, out_type: DTYPE = "int32"):
    """The number of elements of input at run time, a scalar (TensorFlow's tf.size)."""
    return _core.reduce_prod(shape(input, out_type=out_type), None, False, _name(name))


@_checked
def rank(input: TENSOR, name: NAME = None):
    """The rank of input, an int32 scalar (TensorFlow's tf.rank)."""
    return _core.reduce_prod(shape(shape(input)), None, False, _name(name))
