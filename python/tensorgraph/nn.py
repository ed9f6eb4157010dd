"""tensorgraph.nn: the neural-network ops under TensorFlow 1.x's ``tf.nn`` names.

    import tensorgraph as tf
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))

The activations and the softmax family are the top-level functions themselves (``tf.nn.relu is
tf.relu``); the top-level names stay. One exception, TensorFlow 1.x's:
``tf.nn.softmax_cross_entropy_with_logits`` sends no gradient into its labels (``_v2`` and the
top-level ``tf.softmax_cross_entropy_with_logits`` send one into both).

The convolutions take TensorFlow's arguments: images NHWC (default) or NCHW, filters HWIO
[height, width, in_channels, out_channels], strides and dilations as 4-entry lists in the data
format's order (or, as TensorFlow 2, an int or 2 ints for height and width), padding "SAME" or
"VALID" with TensorFlow's arithmetic.
"""
import numbers as _numbers

from . import log_softmax, relu, sigmoid, softmax
from . import sparse_softmax_cross_entropy_with_logits, tanh
from . import _core
from ._args import BOOL, DIMS, INT, NAME, NODE, NONE, REAL, SHAPE, STR, TENSOR, checked as _checked, _is_node
from ._args import DTYPE as _DTYPE, Kind as _Kind
from ._nodes import as_node as _as_node, name_arg as _name, operands as _operands

__all__ = [
    "relu", "sigmoid", "tanh", "softmax", "log_softmax", "softmax_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits_v2", "sparse_softmax_cross_entropy_with_logits",
    "conv2d", "conv2d_backprop_input", "conv2d_backprop_filter", "conv2d_transpose",
    "moments", "batch_normalization", "fused_batch_norm", "softplus", "leaky_relu", "sigmoid_cross_entropy_with_logits",
    "relu6", "elu", "xw_plus_b",
]

_HW = INT | DIMS  # strides, dilations: 4 ints in the data format's order, or TensorFlow 2's 1 or 2
_SIZES = SHAPE | NODE  # a gradient's input_sizes/filter_sizes: the shape, or a node that has it


def _four(v, data_format):
    """strides/dilations as TensorFlow's 4 entries in data_format's order (1 or 2 given: along H, W)."""
    if v is None:
        return [1, 1, 1, 1]
    v = [int(v)] if isinstance(v, _numbers.Integral) else [int(e) for e in v]
    if len(v) == 1:
        v = v * 2
    if len(v) == 2:
        return [1, 1, *v] if data_format == "NCHW" else [1, *v, 1]
    return v  # 4 entries, or a wrong count that the engine names


def _filters(where, filter, filters):
    if (filter is None) == (filters is None):
        raise _core.ArgumentValueError(f"{where}: give the filters as filter= (TensorFlow 1) or filters= "
                                       f"(TensorFlow 2), {'not both' if filter is not None else 'none given'}")
    return _as_node(filter if filters is None else filters)


def _required(where, **kw):
    for k, v in kw.items():
        if v is None:
            raise _core.ArgumentValueError(f"{where}: argument '{k}' is required")


def _sizes(s):
    return [-1 if d is None else int(d) for d in s]


@_checked
def conv2d(input: TENSOR, filter: TENSOR | NONE = None, strides: _HW | NONE = None, padding: STR | NONE = None,
           use_cudnn_on_gpu: BOOL = True, data_format: STR = "NHWC", dilations: _HW | NONE = None,
           name: NAME = None, filters: TENSOR | NONE = None):
    """TensorFlow's conv2d: input [batch, height, width, channels] (NHWC) or NCHW, filters
    [kh, kw, in_channels, out_channels]. use_cudnn_on_gpu is accepted and ignored."""
    _required("conv2d", strides=strides, padding=padding)
    w = _filters("conv2d", filter, filters)
    return _core.conv2d(_as_node(input, w), w, _four(strides, data_format), padding, data_format,
                        _four(dilations, data_format), _name(name))


@_checked
def conv2d_backprop_input(input_sizes: _SIZES, filter: TENSOR | NONE = None, out_backprop: TENSOR | NONE = None,
                          strides: _HW | NONE = None, padding: STR | NONE = None, use_cudnn_on_gpu: BOOL = True,
                          data_format: STR = "NHWC", dilations: _HW | NONE = None, name: NAME = None,
                          filters: TENSOR | NONE = None):
    """conv2d's gradient w.r.t. its input. input_sizes: the input's shape (None or -1 for the batch:
    out_backprop's), or a node of that shape (conv2d's input itself: only its shape is read)."""
    _required("conv2d_backprop_input", out_backprop=out_backprop, strides=strides, padding=padding)
    w = _filters("conv2d_backprop_input", filter, filters)
    dy, f = _as_node(out_backprop, w), [_four(strides, data_format), padding, data_format,
                                       _four(dilations, data_format), _name(name)]
    if not _is_node(input_sizes):
        return _core.conv2d_backprop_input_listed(_sizes(input_sizes), w, dy, *f)
    return _core.conv2d_backprop_input(_as_node(input_sizes), w, dy, *f)


@_checked
def conv2d_backprop_filter(input: TENSOR, filter_sizes: _SIZES, out_backprop: TENSOR, strides: _HW,
                           padding: STR, use_cudnn_on_gpu: BOOL = True, data_format: STR = "NHWC",
                           dilations: _HW | NONE = None, name: NAME = None):
    """conv2d's gradient w.r.t. its filters. filter_sizes: their shape [kh, kw, in, out], or a node of
    that shape (the filters themselves: only their shape is read)."""
    x = _as_node(input)
    dy, f = _as_node(out_backprop, x), [_four(strides, data_format), padding, data_format,
                                       _four(dilations, data_format), _name(name)]
    if not _is_node(filter_sizes):
        return _core.conv2d_backprop_filter_listed(x, _sizes(filter_sizes), dy, *f)
    return _core.conv2d_backprop_filter(x, _as_node(filter_sizes), dy, *f)


@_checked
def conv2d_transpose(value: TENSOR | NONE = None, filter: TENSOR | NONE = None, output_shape: SHAPE = None,
                     strides: _HW | NONE = None, padding: STR = "SAME", data_format: STR = "NHWC",
                     name: NAME = None, input: TENSOR | NONE = None, filters: TENSOR | NONE = None,
                     dilations: _HW | NONE = None):
    """TensorFlow's conv2d_transpose: conv2d_backprop_input of value into output_shape (None or -1 for
    the batch: value's); filters [kh, kw, output channels, input channels]."""
    _required("conv2d_transpose", output_shape=output_shape, strides=strides)
    if (value is None) == (input is None):
        raise _core.ArgumentValueError("conv2d_transpose: give the input as value= (TensorFlow 1) or input= "
                                       "(TensorFlow 2)")
    return conv2d_backprop_input(list(output_shape), filter, value if input is None else input, strides, padding,
                                 data_format=data_format, dilations=dilations, name=name, filters=filters)


# pooling and bias_add (tf.nn), and their gradient ops ----------------------------------------------


def _pool_four(v, data_format, what, where):
    """ksize or strides as TensorFlow's 4 entries in the data format's order, from an int or 1, 2 or 4
    entries (TensorFlow 2.x); other lengths go on to the engine, whose ShapeError names `what`."""
    if v is None:
        raise _core.ArgumentTypeError(f"{where}: missing the argument '{what}'")
    v = [int(v)] if isinstance(v, int) or not hasattr(v, "__len__") else [int(e) for e in v]
    if len(v) == 1:
        v = v * 2
    if len(v) == 2:
        return [1, 1, *v] if data_format == "NCHW" else [1, *v, 1]
    return v


def _pool(core_fn, where, value, ksize, strides, padding, data_format, name, input):
    if (value is None) == (input is None):
        raise _core.ArgumentTypeError(f"{where}: give the images once, as 'value' (TensorFlow 1.x) or 'input' "
                                      "(TensorFlow 2.x)")
    if padding is None:
        raise _core.ArgumentTypeError(f"{where}: missing the argument 'padding'")
    data_format = data_format or "NHWC"
    return core_fn(_as_node(value if input is None else input), _pool_four(ksize, data_format, "ksize", where),
                   _pool_four(strides, data_format, "strides", where), padding, data_format, _name(name))


@_checked
def max_pool(value: TENSOR | NONE = None, ksize: INT | DIMS | NONE = None, strides: INT | DIMS | NONE = None,
             padding: STR | NONE = None, data_format: STR | NONE = "NHWC", name: NAME = None,
             input: TENSOR | NONE = None):
    """The maximum of each window of a 4-D batch of images (tf.nn.max_pool): ksize and strides as 4 entries
    in the data format's order (or an int, or 1 or 2 spatial entries), padding "SAME" or "VALID". The
    padding never wins; the gradient goes to the first maximum of each window (row-major order)."""
    return _pool(_core.max_pool, "max_pool", value, ksize, strides, padding, data_format, name, input)


@_checked
def avg_pool(value: TENSOR | NONE = None, ksize: INT | DIMS | NONE = None, strides: INT | DIMS | NONE = None,
             padding: STR | NONE = None, data_format: STR | NONE = "NHWC", name: NAME = None,
             input: TENSOR | NONE = None):
    """The mean of each window (tf.nn.avg_pool), over the elements inside the image: the padding is not
    counted. Arguments as max_pool's."""
    return _pool(_core.avg_pool, "avg_pool", value, ksize, strides, padding, data_format, name, input)


@_checked
def max_pool_grad(orig_input: TENSOR, orig_output: TENSOR, grad: TENSOR, ksize: DIMS, strides: DIMS, padding: STR,
                  data_format: STR = "NHWC", name: NAME = None):
    """max_pool's gradient (TensorFlow's MaxPoolGrad): grad to the first maximum of each window of orig_input."""
    return _core.max_pool_grad(_as_node(orig_input), _as_node(orig_output), _as_node(grad), list(ksize),
                               list(strides), padding, data_format, _name(name))


@_checked
def max_pool_grad_grad(orig_input: TENSOR, orig_output: TENSOR, grad: TENSOR, ksize: DIMS, strides: DIMS,
                       padding: STR, data_format: STR = "NHWC", name: NAME = None):
    """max_pool_grad's gradient in grad (TensorFlow's MaxPoolGradGrad): grad, shaped like orig_input, read at
    the first maximum of each window."""
    return _core.max_pool_grad_grad(_as_node(orig_input), _as_node(orig_output), _as_node(grad), list(ksize),
                                    list(strides), padding, data_format, _name(name))


@_checked
def avg_pool_grad(orig_input: TENSOR, grad: TENSOR, ksize: DIMS, strides: DIMS, padding: STR,
                  data_format: STR = "NHWC", name: NAME = None):
    """avg_pool's gradient (TensorFlow's AvgPoolGrad, orig_input giving the shape): grad / count over each window."""
    return _core.avg_pool_grad(_as_node(orig_input), _as_node(grad), list(ksize), list(strides), padding,
                               data_format, _name(name))


@_checked
def bias_add(value: TENSOR, bias: TENSOR, data_format: STR | NONE = None, name: NAME = None):
    """value + bias (1-D) along the channel axis: the last (NHWC, the default; any rank >= 2) or axis 1 (NCHW)."""
    v = _as_node(value)
    return _core.bias_add(v, _as_node(bias, v), data_format or "NHWC", _name(name))


@_checked
def bias_add_grad(out_backprop: TENSOR, data_format: STR | NONE = None, name: NAME = None):
    """bias_add's gradient in bias (TensorFlow's BiasAddGrad): out_backprop summed over all but the channel axis."""
    return _core.bias_add_grad(_as_node(out_backprop), data_format or "NHWC", _name(name))


@_checked
def relu_grad(gradients: TENSOR, features: TENSOR, name: NAME = None):
    """relu's gradient (TensorFlow's ReluGrad): gradients where features > 0, else 0 (features: relu's input or output)."""
    g = _as_node(gradients)
    return _core.relu_grad(g, _as_node(features, g), _name(name))


__all__ += ["max_pool", "avg_pool", "bias_add", "max_pool_grad", "max_pool_grad_grad", "avg_pool_grad",
            "bias_add_grad", "relu_grad"]


# batch normalization (tf.nn) ------------------------------------------------------------------------
@_checked
def moments(x: TENSOR, axes: DIMS | INT, shift: NONE = None, name: NAME = None, keep_dims: BOOL = False):
    """(mean, variance) of x over axes, the population variance (TensorFlow's; shift is unused there too)."""
    axes = [int(axes)] if isinstance(axes, int) else [int(a) for a in axes]
    return _core.moments(_as_node(x), axes, bool(keep_dims), _name(name))


@_checked
def batch_normalization(x: TENSOR, mean: TENSOR, variance: TENSOR, offset: TENSOR | NONE, scale: TENSOR | NONE,
                        variance_epsilon: REAL, name: NAME = None):
    """(x - mean) * scale / sqrt(variance + variance_epsilon) + offset, broadcasting (offset None: 0,
    scale None: 1): TensorFlow's composite formula."""
    return _core.batch_normalization(_as_node(x), _as_node(mean), _as_node(variance),
                                     None if offset is None else _as_node(offset),
                                     None if scale is None else _as_node(scale), float(variance_epsilon), _name(name))


@_checked
def fused_batch_norm(x: TENSOR, scale: TENSOR, offset: TENSOR, mean: TENSOR | NONE = None,
                     variance: TENSOR | NONE = None, epsilon: REAL = 0.001, data_format: STR = "NHWC",
                     is_training: BOOL = True, name: NAME = None):
    """(y, batch_mean, batch_variance): one op normalizing a 4-D (NHWC or NCHW) or 2-D [batch,
    features] x over every axis but the channel's. While training the batch's statistics normalize,
    and batch_variance is Bessel-corrected (n / (n - 1)) as TensorFlow's; for inference mean and
    variance are required and returned. The statistics are separate nodes (reductions of x)."""
    x = _as_node(x)
    vec = lambda v: None if v is None else _as_node(v, like=x)  # noqa: E731 (values take x's dtype)
    return _core.fused_batch_norm(x, vec(scale), vec(offset), vec(mean), vec(variance), float(epsilon),
                                  str(data_format), bool(is_training), _name(name))



# activations and losses of the generative models (issue 14) -----------------------------------------
@_checked
def leaky_relu(features: TENSOR, alpha: REAL = 0.2, name: NAME = None):
    """features where > 0, else alpha * features (the gradient 1 or alpha)."""
    return _core.leaky_relu(_as_node(features), float(alpha), _name(name))


# TensorFlow 1.x's compositions of the ops above (their gradients are the ops')
@_checked
def relu6(features: TENSOR, name: NAME = None):
    """min(max(features, 0), 6) (TensorFlow's tf.nn.relu6; the gradient 1 strictly inside (0, 6), else 0)."""
    from . import minimum
    return minimum(relu(features), 6.0, _name(name))


@_checked
def elu(features: TENSOR, name: NAME = None):
    """features where > 0, else e^features - 1 (TensorFlow's tf.nn.elu; the exponential is of
    min(features, 0), so a large positive value cannot overflow it and poison the gradient)."""
    from . import exp, greater, minimum, subtract, where
    x = _as_node(features)
    return where(greater(x, 0.0), x, subtract(exp(minimum(x, 0.0)), 1.0), _name(name))


@_checked
def xw_plus_b(x: TENSOR, weights: TENSOR, biases: TENSOR, name: NAME = None):
    """matmul(x, weights) + biases (TensorFlow's tf.nn.xw_plus_b: x 2-D, biases 1-D)."""
    from . import matmul
    return bias_add(matmul(x, weights), biases, name=name)


@_checked
def softplus(features: TENSOR, name: NAME = None):
    """ln(1 + e^features), without overflow; the gradient is sigmoid(features)."""
    return _core.softplus(_as_node(features), _name(name))


@_checked
def sigmoid_cross_entropy_with_logits(_sentinel: NONE = None, labels: TENSOR | NONE = None,
                                      logits: TENSOR | NONE = None, name: NAME = None):
    """Per element, the cross-entropy of targets `labels` in [0, 1] and sigmoid(logits), computed as
    TensorFlow does: max(x, 0) - x z + ln(1 + e^-|x|). labels= and logits= by name, as TensorFlow asks."""
    if labels is None or logits is None:
        raise _core.ArgumentValueError("sigmoid_cross_entropy_with_logits needs labels= and logits=")
    lg = _as_node(logits)
    return _core.sigmoid_cross_entropy_with_logits(_as_node(labels, lg), lg, _name(name))


def _softmax_xent(fname, labels, logits, axis):
    """(labels, logits) as nodes, as the top-level function takes them; the classes on the last axis."""
    if labels is None or logits is None:
        raise _core.ArgumentValueError(f"{fname} needs labels= and logits=")
    lab, lg = _operands(labels, logits)
    if axis is not None and axis != -1 and not (lg.shape.rank is not None and axis == lg.shape.rank - 1):
        raise _core.ArgumentValueError(f"{fname}: axis={axis}: the classes must lie along the last axis "
                                       f"(transpose them there first)")
    return lab, lg


@_checked
def softmax_cross_entropy_with_logits(_sentinel: NONE = None, labels: TENSOR | NONE = None,
                                      logits: TENSOR | NONE = None, dim: INT = -1, name: NAME = None,
                                      axis: INT | NONE = None):
    """TensorFlow 1.x's: per row, -sum(labels * log_softmax(logits)) over the last axis (`dim`/`axis`,
    -1 only), with back-propagation into `logits` only: the labels pass through stop_gradient, so
    their gradient is zero. labels= and logits= by name, as TensorFlow asks."""
    lab, lg = _softmax_xent("softmax_cross_entropy_with_logits", labels, logits, dim if axis is None else axis)
    from . import stop_gradient
    return _core.softmax_cross_entropy_with_logits(stop_gradient(lab), lg, _name(name))


@_checked
def softmax_cross_entropy_with_logits_v2(labels: TENSOR | NONE = None, logits: TENSOR | NONE = None,
                                         axis: INT | NONE = None, name: NAME = None, dim: INT | NONE = None):
    """TensorFlow 1.x's: the same loss, back-propagating into both `logits` (softmax · sum(labels) -
    labels) and `labels` (-log_softmax(logits)); the top-level softmax_cross_entropy_with_logits."""
    lab, lg = _softmax_xent("softmax_cross_entropy_with_logits_v2", labels, logits, dim if axis is None else axis)
    return _core.softmax_cross_entropy_with_logits(lab, lg, _name(name))


from . import rnn_cell  # noqa: E402 (tf.nn.rnn_cell)
from .rnn_cell import _flatten as _flatten_state  # noqa: E402

CELL = _Kind("an RNN cell (tensorgraph.nn.rnn_cell)", lambda c: isinstance(c, rnn_cell.RNNCell))


def _lengths(sequence_length):
    if sequence_length is None:
        return None
    from ._array_ops import _ints  # noqa: PLC0415
    return _ints(sequence_length)


@_checked
def static_rnn(cell: CELL, inputs: _Kind("a list of nodes, one per step", lambda x: isinstance(x, (list, tuple))),
               initial_state: rnn_cell.STATE | NONE = None, dtype: _DTYPE | NONE = None, sequence_length: TENSOR | NONE = None,
               scope: NAME = None):
    """The cell unrolled over `inputs` (one [batch, features] node per step): (outputs, final state). With
    sequence_length ([batch] ints) a sequence's outputs past its length are zeros and its state stops
    there. initial_state None: zeros."""
    flat = [] if initial_state is None else _flatten_state(initial_state)
    outputs, state = _core.static_rnn(cell._cell, [_as_node(x) for x in inputs], flat, _lengths(sequence_length))
    return outputs, cell._pack(state)


@_checked
def dynamic_rnn(cell: CELL, inputs: TENSOR, sequence_length: TENSOR | NONE = None, initial_state: rnn_cell.STATE | NONE = None,
                dtype: _DTYPE | NONE = None, parallel_iterations: INT | NONE = None, swap_memory: BOOL = False,
                time_major: BOOL = False, scope: NAME = None):
    """tf.nn.dynamic_rnn for a fixed maximum length: inputs [batch, time, features] (time known; [time,
    batch, features] when time_major), unrolled once when the graph is built. Returns (outputs [batch,
    time, output_size], final state); with sequence_length, outputs past a sequence's end are zeros
    and its final state is the one at its end, as TensorFlow's."""
    flat = [] if initial_state is None else _flatten_state(initial_state)
    outputs, state = _core.dynamic_rnn(cell._cell, _as_node(inputs), _lengths(sequence_length), flat, bool(time_major))
    return outputs, cell._pack(state)


__all__ += ["rnn_cell", "static_rnn", "dynamic_rnn"]


@_checked
def embedding_lookup(params: TENSOR | _Kind("a list of one tensor", lambda p: isinstance(p, (list, tuple)) and len(p) == 1),
                     ids: TENSOR, partition_strategy: STR = "mod", name: NAME = None, validate_indices: BOOL = True,
                     max_norm: NONE = None):
    """The rows of params at ids (tf.nn.embedding_lookup: gather along axis 0); ids out of range are
    an error when the graph runs. One params tensor (a list of one too; sharded tables are not
    supported). The gradient adds dy into the table's rows, repeated ids accumulating."""
    from ._array_ops import gather  # noqa: PLC0415
    table = params[0] if isinstance(params, (list, tuple)) else params
    return gather(table, ids, name=name)


__all__ += ["embedding_lookup"]


@_checked
def block_lstm(x: TENSOR, c0: TENSOR, h0: TENSOR, kernel: TENSOR, bias: TENSOR, forget_bias: REAL = 1.0,
               name: NAME = None):
    """A whole LSTM layer in one op (TensorFlow's BlockLSTM, time-major): x [T, B, I], the initial
    state c0 and h0 [B, U], kernel [I + U, 4U] and bias [4U] laid out as LSTMCell's (gates i, j, f, o).
    Returns (outputs [T, B, U], c_T, h_T); equal to dynamic_rnn over LSTMCell with the same weights,
    its gradient one backward pass over the whole sequence."""
    outputs, c, h, _ = _core.block_lstm(*(_as_node(v) for v in (x, c0, h0, kernel, bias)), float(forget_bias),
                                        _name(name))
    return outputs, c, h


__all__ += ["block_lstm"]


@_checked
def dropout(x: TENSOR, keep_prob: TENSOR | NONE = None, noise_shape: NONE = None, seed: INT | NONE = None,
            name: NAME = None, rate: TENSOR | NONE = None):
    """TensorFlow 1.x's tf.nn.dropout: each element kept with probability keep_prob (a number or a
    node, usually a placeholder fed 0.5 to train and 1.0 to test) and scaled by 1 / keep_prob,
    else zeroed; `rate` = 1 - keep_prob instead. A fresh mask every run. Composed as
    x / keep_prob · (uniform [0, 1) < keep_prob), so keep_prob 1 gives x exactly; the gradient
    flows to x through the same mask. (tensorgraph.layers.dropout(x, rate, training) is the layer.)"""
    from . import cast, divide, less, multiply, random_uniform_like, subtract
    from .layers import _default_seed
    if (keep_prob is None) == (rate is None):
        raise _core.ArgumentValueError("dropout: give keep_prob or rate (1 - keep_prob), one of them")
    x = _as_node(x)
    keep = _as_node(keep_prob, x) if rate is None else subtract(1.0, _as_node(rate, x))
    seed = _default_seed(x.graph) if seed is None else seed
    mask = cast(less(random_uniform_like(x, seed=int(seed)), keep), x.dtype)
    return multiply(divide(x, keep), mask, name=name)


__all__ += ["dropout"]


@_checked
def l2_loss(t: TENSOR, name: NAME = None):
    """sum(t ** 2) / 2 of one tensor (TensorFlow's tf.nn.l2_loss; layers.l2_loss sums a list)."""
    from . import multiply, reduce_sum, square
    return multiply(reduce_sum(square(_as_node(t))), 0.5, name=name)


__all__ += ["l2_loss"]
