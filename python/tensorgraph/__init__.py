"""tensorgraph: computational graphs with the TensorFlow 1.x programming model, on a C++ engine.

The names of the "Deep Learning From Scratch" tutorial series work unchanged:

    from tensorgraph import *
    from tensorgraph.train import *
"""
import numbers as _numbers
import sys as _sys

from . import _core
from ._core import ArgumentTypeError, ArgumentValueError, DTypeError, Error, FeedError, GraphError, IoError
from ._core import NumericsError, ShapeError
from . import dtypes
from .dtypes import DType, as_dtype, float32, float64, int32, int64, int16, uint8
from .dtypes import bool  # noqa: A004 (tensorgraph.bool, TensorFlow's tf.bool; not in __all__)
from ._args import AXIS, BOOL, DIMS, DTYPE, INT, NAME, NODE, NODES, NONE, PATH, REAL, SESSION, SHAPE, STR, TENSOR, TENSORS
from ._args import checked as _checked, forward as _forward
from . import _graph
from ._shapes import Dimension, TensorShape
from ._nodes import as_node as _as_node, install_operators as _install_operators, name_arg as _name, operands as _operands
from ._operation import Operation, RegisterGradient
from . import layers, train
from . import data
from ._array_ops import concat, split, stack, unstack, slice, reverse, expand_dims, gather, where  # noqa: A004
from ._array_ops import sequence_mask, global_norm, clip_by_global_norm, concat_grad, gather_grad, shape, size, rank
from ._array_ops import pack_flat, unpack_flat
from ._array_ops import range  # noqa: A004 (tf.range; not in __all__: the builtin range stays)
from ._session import get_default_session, InteractiveSession, ConfigProto, GPUOptions, device
from ._variables import group, control_dependencies, no_op, assign, assign_add, assign_sub, variables_initializer
from ._variables import global_variables_initializer, initialize_all_variables, local_variables_initializer
from ._variables import global_variables, trainable_variables, local_variables
from ._composites import to_float, to_double, to_int32, to_int64, add_n, squared_difference, rsqrt, reciprocal
from ._composites import log_sigmoid, reduce_logsumexp, matrix_transpose, squeeze
from ._initializers import zeros_initializer, ones_initializer, constant_initializer, random_normal_initializer
from ._initializers import truncated_normal_initializer, random_uniform_initializer, glorot_uniform_initializer
from ._initializers import glorot_normal_initializer
from ._scopes import name_scope, variable_scope, get_variable, get_variable_scope, VariableScope, AUTO_REUSE
from .layers import set_random_seed

Graph, Node = _graph.Graph, _graph.Node


@_checked
def set_num_threads(n: INT):
    """One thread budget for tensorgraph and its BLAS."""
    _core.set_num_threads(int(n))


@_checked
def num_threads():
    return _core.num_threads()


@_checked
def get_default_graph():
    return Graph.get_default()


@_checked
def reset_default_graph():
    Graph.reset_default()


@_checked
def placeholder(dtype: DTYPE | NONE = None, shape: SHAPE = None, name: NAME = None):
    """A value fed at run time; dtype and shape (None for unknown dims) are optional."""
    return _core.placeholder(dtype, shape, _name(name))


@_checked
def Variable(initial_value: TENSOR, name: NAME = None, trainable: BOOL = True, dtype: DTYPE | NONE = None):
    """A parameter; its value lives in each Session, starting from initial_value. A node as
    initial_value (TensorFlow's tf.Variable(tf.zeros([3]))) is run once now, needing no feeds, for
    that value, and again by an initializer (global_variables_initializer)."""
    node = initial_value if isinstance(initial_value, _core.Node) else getattr(initial_value, "_node", None)
    if node is not None:
        if dtype is not None and as_dtype(dtype) != node.dtype:
            node = _core.cast(node, dtype, "")
        return _core.variable_from_node(node, _name(name), not not trainable)
    return _core.variable(initial_value, dtype, _name(name), trainable)


@_checked
def constant(value: TENSOR, dtype: DTYPE | NONE = None, name: NAME = None):
    return _core.constant(value, dtype, _name(name))


Session = _core.Session  # Session(graph=None).run(fetches, feed_dict=None): variables live in it


def _binary(core_fn):
    def op(x: TENSOR, y: TENSOR, name: NAME = None):
        a, b = _operands(x, y)
        return core_fn(a, b, _name(name))
    op.__name__ = op.__qualname__ = core_fn.__name__
    return _checked(op)


def _unary(core_fn):
    def op(x: TENSOR, name: NAME = None):
        return core_fn(_as_node(x), _name(name))
    op.__name__ = op.__qualname__ = core_fn.__name__
    return _checked(op)


add = _binary(_core.add)
subtract = _binary(_core.subtract)
multiply = _binary(_core.multiply)
divide = _binary(_core.divide)
equal = _binary(_core.equal)
greater = _binary(_core.greater)
greater_equal = _binary(_core.greater_equal)
less = _binary(_core.less)
less_equal = _binary(_core.less_equal)
not_equal = _binary(_core.not_equal)
logical_and = _binary(_core.logical_and)
logical_or = _binary(_core.logical_or)
maximum = _binary(_core.maximum)  # ties give the gradient to x, as TensorFlow
minimum = _binary(_core.minimum)
pow = _binary(_core.pow)  # dy: log(x) x^y where x > 0, else 0 (TensorFlow); not in __all__: builtin pow stays
negative = _unary(_core.negative)
exp = _unary(_core.exp)
log = _unary(_core.log)
log1p = _unary(_core.log1p)
square = _unary(_core.square)
sqrt = _unary(_core.sqrt)
sigmoid = _unary(_core.sigmoid)
relu = _unary(_core.relu)
tanh = _unary(_core.tanh)
def _last_axis(core_fn):
    """softmax / log_softmax over the last axis, with TensorFlow 1.x's axis= and dim= (older name)
    accepted when they name the last axis."""
    def op(x: TENSOR, name: NAME = None, axis: INT | NONE = None, dim: INT | NONE = None):
        node = _as_node(x)
        for given in (axis, dim):
            rank = None if node.shape is None else len(node.shape)
            if given is not None and given != -1 and given != (rank - 1 if rank else None):
                raise ArgumentValueError(f"{core_fn.__name__}: only the last axis is supported (-1), got {given}")
        return core_fn(node, _name(name))
    op.__name__ = op.__qualname__ = core_fn.__name__
    return _checked(op)


softmax = _last_axis(_core.softmax)
log_softmax = _last_axis(_core.log_softmax)
logical_not = _unary(_core.logical_not)
abs = _unary(_core.abs)  # gradient sign(x), 0 at 0; not in __all__ (abs(node) works through __abs__)


@_checked
def identity(input: TENSOR, name: NAME = None):
    """input unchanged, as a new node; the gradient passes through."""
    return _core.identity(_as_node(input), _name(name))


@_checked
def stop_gradient(input: TENSOR, name: NAME = None):
    """input unchanged, but no gradient flows back through it (a node reached only through it gets
    a zero gradient)."""
    return _core.stop_gradient(_as_node(input), _name(name))


@_checked
def fill(dims: DIMS | INT, value: TENSOR, name: NAME = None):
    """A constant of shape dims filled with value, of value's dtype as constant() reads it (numbers
    float64, a 0-d numpy array its own dtype, bools bool)."""
    return _core.fill(_dims(dims), value, None, _name(name))


@_checked
def zeros(shape: DIMS | INT, dtype: DTYPE = float32, name: NAME = None):
    """A constant of `shape` filled with 0; float32 unless dtype says otherwise (TensorFlow)."""
    return _core.zeros(_dims(shape), dtype, _name(name))


@_checked
def ones(shape: DIMS | INT, dtype: DTYPE = float32, name: NAME = None):
    """A constant of `shape` filled with 1; float32 unless dtype says otherwise (TensorFlow)."""
    return _core.ones(_dims(shape), dtype, _name(name))


def _dims(shape):
    return [shape] if isinstance(shape, _numbers.Integral) else list(shape)


@_checked
def zeros_like(tensor: TENSOR, dtype: DTYPE | NONE = None, name: NAME = None):
    """Zeros shaped like tensor at run time, of its dtype (or `dtype`)."""
    return _fill_like(_core.zeros_like, tensor, dtype, name)


@_checked
def ones_like(tensor: TENSOR, dtype: DTYPE | NONE = None, name: NAME = None):
    """Ones shaped like tensor at run time, of its dtype (or `dtype`)."""
    return _fill_like(_core.ones_like, tensor, dtype, name)


def _fill_like(core_fn, tensor, dtype, name):
    x = _as_node(tensor)
    if dtype is None:
        return core_fn(x, _name(name))
    return _core.cast(core_fn(x, ""), dtype, _name(name))


@_checked
def clip_by_value(t: TENSOR, clip_value_min: TENSOR, clip_value_max: TENSOR, name: NAME = None):
    """t clipped to [clip_value_min, clip_value_max] (maximum(minimum(t, max), min), as TensorFlow: at
    a bound the gradient goes to t). Bounds broadcast against t but may not enlarge it."""
    t = _as_node(t)
    return _core.clip_by_value(t, _as_node(clip_value_min, t), _as_node(clip_value_max, t), _name(name))


@_checked
def strided_slice(input_: TENSOR, begin: DIMS, end: DIMS, strides: DIMS | NONE = None, begin_mask: INT = 0,
                  end_mask: INT = 0, ellipsis_mask: INT = 0, new_axis_mask: INT = 0, shrink_axis_mask: INT = 0,
                  name: NAME = None):
    """TensorFlow's strided_slice: entry i of begin/end/strides and bit i of each mask describe index i
    of input_[...] (which builds one); the gradient scatters dy back into zeros of the input's shape."""
    return _core.strided_slice(_as_node(input_), _slice_spec(begin, end, strides, begin_mask, end_mask, ellipsis_mask,
                                                             new_axis_mask, shrink_axis_mask), _name(name))


@_checked
def strided_slice_grad(x: TENSOR, dy: TENSOR, begin: DIMS, end: DIMS, strides: DIMS | NONE = None, begin_mask: INT = 0,
                       end_mask: INT = 0, ellipsis_mask: INT = 0, new_axis_mask: INT = 0, shrink_axis_mask: INT = 0,
                       name: NAME = None):
    """strided_slice's adjoint: dy scattered into zeros of x's shape (x gives only its shape)."""
    return _core.strided_slice_grad(_as_node(x), _as_node(dy), _slice_spec(begin, end, strides, begin_mask, end_mask,
                                                                            ellipsis_mask, new_axis_mask,
                                                                            shrink_axis_mask), _name(name))


def _slice_spec(begin, end, strides, begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask):
    return dict(begin=list(begin), end=list(end), strides=[] if strides is None else list(strides),
                begin_mask=begin_mask, end_mask=end_mask, ellipsis_mask=ellipsis_mask, new_axis_mask=new_axis_mask,
                shrink_axis_mask=shrink_axis_mask)


@_checked
def check_numerics(x: TENSOR, message: STR, name: NAME = None):
    """x unchanged, or NumericsError (a FloatingPointError) naming the node, the message, the NaN
    and Inf counts and the first bad index if x holds a NaN or Inf. Its gradient is checked too."""
    return _core.check_numerics(_as_node(x), message, _name(name))


@_checked
def matmul(a: TENSOR, b: TENSOR, transpose_a: BOOL = False, transpose_b: BOOL = False, name: NAME = None):
    a, b = _operands(a, b)
    return _core.matmul(a, b, transpose_a, transpose_b, _name(name))


@_checked
def softmax_cross_entropy_with_logits(labels: TENSOR | NONE = None, logits: TENSOR | NONE = None, name: NAME = None):
    """-sum(labels * log_softmax(logits), last axis): one loss per row."""
    if labels is None or logits is None:
        raise ArgumentValueError("softmax_cross_entropy_with_logits needs labels= and logits=")
    lab, lg = _operands(labels, logits)
    return _core.softmax_cross_entropy_with_logits(lab, lg, _name(name))


@_checked
def sparse_softmax_cross_entropy_with_logits(labels: TENSOR | NONE = None, logits: TENSOR | NONE = None,
                                             name: NAME = None):
    """-log softmax(logits)[label] per row, for integer class labels."""
    if labels is None or logits is None:
        raise ArgumentValueError("sparse_softmax_cross_entropy_with_logits needs labels= and logits=")
    return _core.sparse_softmax_cross_entropy_with_logits(_as_node(labels), _as_node(logits), _name(name))


def _paddings(paddings, where):
    """TensorFlow's paddings ([rank, 2] ints: [before, after] per axis) as a list of pairs."""
    import numpy as np
    p = np.asarray(paddings)
    if p.size == 0:
        return []
    if p.ndim != 2 or p.shape[1] != 2 or not np.issubdtype(p.dtype, np.integer):
        raise ArgumentValueError(f"{where}: argument 'paddings' must be [before, after] pairs of ints, one per axis, "
                                 f"got {paddings!r}")
    return [(int(b), int(a)) for b, a in p]


@_checked
def pad(tensor: TENSOR, paddings: TENSOR, mode: STR = "CONSTANT", name: NAME = None, constant_values: REAL | BOOL = 0):
    """tf.pad: tensor padded along each axis i by paddings[i] = [before, after]; mode "CONSTANT" fills with
    constant_values, "REFLECT" mirrors without the edge (paddings < size), "SYMMETRIC" with it (<= size)."""
    return _core.pad(_as_node(tensor), _paddings(paddings, "pad"), mode, float(constant_values), _name(name))


@_checked
def pad_grad(grad: TENSOR, paddings: TENSOR, mode: STR = "CONSTANT", name: NAME = None):
    """pad's adjoint: grad (shaped like pad's output) summed back onto the unpadded tensor's elements."""
    return _core.pad_grad(_as_node(grad), _paddings(paddings, "pad_grad"), mode, _name(name))


@_checked
def one_hot(indices: TENSOR, depth: INT, dtype: DTYPE | NONE = None, name: NAME = None):
    """Rows of `depth` zeros with a 1 at each integer index (float32 unless dtype says otherwise)."""
    return _core.one_hot(_as_node(indices), int(depth), dtype, _name(name))


@_checked
def random_uniform_like(x: TENSOR, seed: INT = 0, name: NAME = None):
    """U[0, 1) numbers shaped like x, new on every run, reproducible from seed."""
    return _core.random_uniform_like(_as_node(x), int(seed), _name(name))


def _op_seed(seed):
    """An op's seed: its own, else one derived from the graph's (set_random_seed), else 0."""
    if seed is not None:
        return int(seed)
    from .layers import _default_seed, graph_seed
    g = get_default_graph()
    return _default_seed(g) if graph_seed(g) else 0


def _like_of_shape(shape, where, dtype):
    """The node whose run-time shape `shape` is, for shape = tf.shape(x): x, cast to dtype if need be."""
    if not (isinstance(shape, _core.Node) and shape.type == "shape"):
        raise ArgumentTypeError(f"{where}: shape must be a list of ints or tf.shape(x); for the shape of a node "
                                f"known only at run time use tensorgraph.{where}_like(node, ...)")
    x = shape.input_nodes[0]
    return x if x.dtype == as_dtype(dtype) else _core.cast(x, dtype, "")


@_checked
def random_normal(shape: DIMS | INT | NODE, mean: REAL | NODE = 0.0, stddev: REAL | NODE = 1.0, dtype: DTYPE = float32,
                  seed: INT | NONE = None, name: NAME = None):
    """mean + stddev * N(0, 1) numbers of `shape` (tf.random_normal): new on every run, reproducible
    from seed (none: 0; two nodes never draw the same numbers); no gradient flows through them.
    shape may be tf.shape(x), the shape of x at run time (as random_normal_like(x)); mean and
    stddev may be nodes (scalars computed in the graph)."""
    if isinstance(mean, _core.Node) or isinstance(stddev, _core.Node):
        z = random_normal(shape, 0.0, 1.0, dtype, seed)
        return add(multiply(z, stddev), mean, name=name)
    if isinstance(shape, _core.Node):
        return _core.random_normal_like(_like_of_shape(shape, "random_normal", dtype), float(mean), float(stddev),
                                        _op_seed(seed), _name(name))
    return _core.random_normal(_dims(shape), float(mean), float(stddev), dtype, _op_seed(seed), _name(name))


@_checked
def truncated_normal(shape: DIMS | INT, mean: REAL = 0.0, stddev: REAL = 1.0, dtype: DTYPE = float32,
                     seed: INT | NONE = None, name: NAME = None):
    """mean + stddev * N(0, 1) numbers of `shape`, a draw more than two standard deviations out drawn
    again (tf.truncated_normal, the usual initializer of TensorFlow 1.x's tutorials)."""
    return _core.truncated_normal(_dims(shape), float(mean), float(stddev), dtype, _op_seed(seed), _name(name))


@_checked
def random_uniform(shape: DIMS | INT | NODE, minval: REAL = 0, maxval: REAL | NONE = None, dtype: DTYPE = float32,
                   seed: INT | NONE = None, name: NAME = None):
    """Numbers in [minval, maxval) of `shape` (tf.random_uniform): uniform floats (maxval None: 1), or
    uniform integers for an int dtype (maxval required). shape may be tf.shape(x) (floats)."""
    if maxval is None:
        if not as_dtype(dtype).is_floating:
            raise ArgumentValueError("random_uniform: an integer dtype needs maxval")
        maxval = 1.0
    if isinstance(shape, _core.Node):
        u = _core.random_uniform_like(_like_of_shape(shape, "random_uniform", dtype), _op_seed(seed), "")
        return add(multiply(u, float(maxval) - float(minval)), float(minval), name=name)
    return _core.random_uniform(_dims(shape), float(minval), float(maxval), dtype, _op_seed(seed), _name(name))


@_checked
def random_normal_like(x: TENSOR, mean: REAL = 0.0, stddev: REAL = 1.0, seed: INT | NONE = None, name: NAME = None):
    """random_normal shaped like x at run time and of its (float) dtype; x's values are not read."""
    return _core.random_normal_like(_as_node(x), float(mean), float(stddev), _op_seed(seed), _name(name))


def _old_reduce_keywords(fn, axis, keepdims, reduction_indices, keep_dims):
    """TensorFlow 1.x's older spellings: reduction_indices for axis, keep_dims for keepdims."""
    if reduction_indices is not None:
        if axis is not None:
            raise ArgumentValueError(f"{fn}: give axis or reduction_indices (its older name), not both")
        axis = reduction_indices
    if keep_dims is not None:
        keepdims = keep_dims
    return axis, keepdims


@_checked
def reduce_sum(A: TENSOR, axis: AXIS = None, keepdims: BOOL = False, name: NAME = None,
        reduction_indices: AXIS = None, keep_dims: BOOL | NONE = None):
    axis, keepdims = _old_reduce_keywords("reduce_sum", axis, keepdims, reduction_indices, keep_dims)
    return _core.reduce_sum(_as_node(A), axis, keepdims, _name(name))


@_checked
def reduce_mean(A: TENSOR, axis: AXIS = None, keepdims: BOOL = False, name: NAME = None,
        reduction_indices: AXIS = None, keep_dims: BOOL | NONE = None):
    axis, keepdims = _old_reduce_keywords("reduce_mean", axis, keepdims, reduction_indices, keep_dims)
    return _core.reduce_mean(_as_node(A), axis, keepdims, _name(name))


@_checked
def reduce_max(A: TENSOR, axis: AXIS = None, keepdims: BOOL = False, name: NAME = None,
        reduction_indices: AXIS = None, keep_dims: BOOL | NONE = None):
    axis, keepdims = _old_reduce_keywords("reduce_max", axis, keepdims, reduction_indices, keep_dims)
    return _core.reduce_max(_as_node(A), axis, keepdims, _name(name))


@_checked
def reduce_min(input_tensor: TENSOR, axis: AXIS = None, keepdims: BOOL = False, name: NAME = None,
        reduction_indices: AXIS = None, keep_dims: BOOL | NONE = None):
    axis, keepdims = _old_reduce_keywords("reduce_min", axis, keepdims, reduction_indices, keep_dims)
    return _core.reduce_min(_as_node(input_tensor), axis, keepdims, _name(name))


@_checked
def reduce_prod(input_tensor: TENSOR, axis: AXIS = None, keepdims: BOOL = False, name: NAME = None,
        reduction_indices: AXIS = None, keep_dims: BOOL | NONE = None):
    """The product over axis; its gradient is the product of the other elements (right with zeros)."""
    axis, keepdims = _old_reduce_keywords("reduce_prod", axis, keepdims, reduction_indices, keep_dims)
    return _core.reduce_prod(_as_node(input_tensor), axis, keepdims, _name(name))


@_checked
def argmax(x: TENSOR, axis: INT | NONE = 0, name: NAME = None, dimension: INT | NONE = None):
    """The index of the first maximum along axis (0 when None), int64; dimension: TensorFlow 1.x's
    older name for axis."""
    if dimension is not None:
        axis = dimension
    return _core.argmax(_as_node(x), 0 if axis is None else int(axis), _name(name))


@_checked
def arg_max(input: TENSOR, dimension: INT, name: NAME = None):
    """argmax(input, dimension) (TensorFlow 1.x's older name)."""
    return _core.argmax(_as_node(input), int(dimension), _name(name))


@_checked
def arg_min(input: TENSOR, dimension: INT, name: NAME = None):
    """argmin(input, dimension) (TensorFlow 1.x's older name)."""
    return _core.argmin(_as_node(input), int(dimension), _name(name))


@_checked
def argmin(input: TENSOR, axis: INT | NONE = None, name: NAME = None, dimension: INT | NONE = None):
    """The index of the first minimum along axis (0 when None, as TensorFlow 1.x), int64; a NaN counts
    as the minimum (numpy). dimension: TensorFlow 1.x's older name for axis."""
    if dimension is not None:
        axis = dimension
    return _core.argmin(_as_node(input), 0 if axis is None else int(axis), _name(name))


@_checked
def cast(x: TENSOR, dtype: DTYPE, name: NAME = None):
    return _core.cast(_as_node(x), dtype, _name(name))


@_checked
def reshape(x: TENSOR, shape: DIMS, name: NAME = None):
    return _core.reshape(_as_node(x), [None if d == -1 else d for d in shape], _name(name))


@_checked
def transpose(x: TENSOR, perm: DIMS | NONE = None, name: NAME = None):
    return _core.transpose(_as_node(x), list(perm or []), _name(name))


@_checked
def fill_like(x: TENSOR, value: REAL, name: NAME = None):
    return _core.fill_like(_as_node(x), float(value), _name(name))


@_checked
def sum_to(g: TENSOR, like: TENSOR, name: NAME = None):
    return _core.sum_to(_as_node(g), _as_node(like), _name(name))


@_checked
def matmul_grad(a: TENSOR, b: TENSOR, dc: TENSOR, operand: INT, transpose_a: BOOL = False, transpose_b: BOOL = False,
                name: NAME = None):
    """The gradient of matmul(a, b, transpose_a, transpose_b) for the incoming gradient dc, with
    respect to a (operand 0) or b (operand 1); ranks (1 or 2) are read at run time."""
    return _core.matmul_grad(_as_node(a), _as_node(b), _as_node(dc), int(operand), transpose_a,
                             transpose_b, _name(name))


@_checked
def broadcast_like(y: TENSOR, like: TENSOR, name: NAME = None):
    return _core.broadcast_like(_as_node(y), _as_node(like), _name(name))


@_checked
def reshape_like(x: TENSOR, like: TENSOR, name: NAME = None):
    return _core.reshape_like(_as_node(x), _as_node(like), _name(name))


@_checked
def gradients(ys: TENSOR, xs: TENSOR | TENSORS):
    """d(sum(ys))/dx for each x in xs (a list of gradient nodes)."""
    single = not isinstance(xs, (list, tuple))
    grads = _core.gradients(_as_node(ys), [_as_node(x) for x in ([xs] if single else xs)])
    return grads[0] if single else grads


@_checked
@_forward(_core.export_model)
def export_model(session: SESSION, outputs: NODE | NODES, path_prefix: PATH):
    """Writes <path_prefix>.json (the graph as data) and <path_prefix>.safetensors (values)."""


@_checked
@_forward(_core.import_model)
def import_model(path_prefix: PATH):
    """(graph, {name: node}, [output nodes]) of a model written by export_model."""


class GraphKeys:
    """TensorFlow's standard collection names (tf.GraphKeys)."""
    UPDATE_OPS = "update_ops"  # updates every optimizer step runs (batch normalization's moving averages)
    GLOBAL_VARIABLES = "variables"  # every Variable (the graph's own list)
    VARIABLES = GLOBAL_VARIABLES
    TRAINABLE_VARIABLES = "trainable_variables"  # the trainable ones
    LOCAL_VARIABLES = "local_variables"  # none: tensorgraph has no local Variables
    SUMMARIES = "summaries"  # tf.summary's nodes (summary.SUMMARIES)
    LOSSES = "losses"  # tf.losses' results (losses.LOSSES)
    GLOBAL_STEP = "global_step"  # the global step (train.get_or_create_global_step)


@_checked
def add_to_collection(name: STR, value: NODE):
    """Adds value to the default graph's collection `name` (once)."""
    get_default_graph()._add_to_collection(name, _as_node(value))


@_checked
def get_collection(key: STR, scope: STR | NONE = None):
    """The nodes of the default graph's collection `key`, in order of adding; GLOBAL_VARIABLES and
    TRAINABLE_VARIABLES are the graph's Variables. scope: only the nodes whose names match it from
    their start (a regular expression, TensorFlow's filter)."""
    import re as _re
    g = get_default_graph()
    if key == GraphKeys.GLOBAL_VARIABLES:
        nodes = list(g.variables)
    elif key == GraphKeys.TRAINABLE_VARIABLES:
        nodes = list(g.trainable_variables())
    else:
        nodes = g._get_collection(key)
    return nodes if scope is None else [n for n in nodes if _re.match(scope, n.name)]


_install_operators(_sys.modules[__name__])
from . import nn  # noqa: E402 (after the functions it re-exports)
from . import contrib  # noqa: E402 (aliases of nn's cells and layers)
from . import _tf_logging as logging  # noqa: E402 (tf.logging)
_sys.modules[__name__ + ".logging"] = logging
from . import _tf_app as app  # noqa: E402 (tf.app.run, tf.app.flags)
_sys.modules[__name__ + ".app"] = app
from . import summary  # noqa: E402 (tf.summary)
from . import losses  # noqa: E402 (tf.losses)
del AXIS, BOOL, DIMS, DTYPE, INT, NAME, NODE, NODES, NONE, PATH, REAL, SESSION, SHAPE, STR, TENSOR, TENSORS  # annotations only

__all__ = [
    "Graph", "Node", "Operation", "RegisterGradient", "Session", "Variable", "placeholder", "constant",
    "get_default_graph", "reset_default_graph", "set_num_threads", "num_threads", "train", "layers", "nn", "data", "gradients",
    "add", "subtract", "multiply", "divide", "equal", "greater", "negative", "exp", "log", "log1p", "square", "sqrt",
    "sigmoid", "relu", "tanh", "softmax", "log_softmax", "softmax_cross_entropy_with_logits",
    "sparse_softmax_cross_entropy_with_logits", "one_hot", "check_numerics", "random_uniform_like", "random_normal", "random_normal_like",
    "truncated_normal", "random_uniform", "matmul",
    "reduce_sum", "reduce_mean", "reduce_max", "argmax", "cast", "reshape", "transpose", "fill_like", "sum_to", "matmul_grad",
    "broadcast_like", "reshape_like", "export_model", "import_model",
    "greater_equal", "less", "less_equal", "not_equal", "logical_and", "logical_or", "logical_not", "maximum",
    "minimum", "clip_by_value", "identity", "stop_gradient", "zeros", "ones", "fill", "zeros_like", "ones_like",
    "reduce_min", "reduce_prod", "argmin", "strided_slice",  # (abs and pow: ts.abs, ts.pow; not star-imported)
    "pad", "concat", "split", "stack", "unstack", "slice", "reverse", "expand_dims", "gather", "where", "sequence_mask",
    "global_norm", "clip_by_global_norm", "concat_grad", "gather_grad", "pack_flat", "unpack_flat",
    "add_to_collection", "get_collection", "shape", "size", "rank", "get_default_session", "InteractiveSession",
    "ConfigProto", "GPUOptions", "device", "group", "control_dependencies", "no_op", "to_float", "to_double",
    "to_int32", "to_int64", "add_n", "squared_difference", "rsqrt", "reciprocal", "log_sigmoid", "reduce_logsumexp",
    "matrix_transpose", "squeeze",
    "assign", "assign_add", "assign_sub", "variables_initializer", "global_variables_initializer",
    "initialize_all_variables", "local_variables_initializer", "global_variables", "trainable_variables",
    "local_variables", "arg_max", "arg_min", "zeros_initializer", "ones_initializer", "constant_initializer",
    "random_normal_initializer", "truncated_normal_initializer", "random_uniform_initializer",
    "glorot_uniform_initializer", "glorot_normal_initializer", "name_scope", "variable_scope", "get_variable",
    "get_variable_scope", "AUTO_REUSE", "set_random_seed",  # and tensorgraph.GraphKeys, kept out of * (a class of names)
    "DType", "as_dtype", "dtypes", "float32", "float64", "int32", "int64", "int16",
    "uint8",  # and tensorgraph.bool, kept out of *
    "Error", "ShapeError", "DTypeError", "FeedError", "GraphError", "IoError", "NumericsError", "ArgumentTypeError",
    "ArgumentValueError",
]
