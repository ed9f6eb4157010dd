"""tensorgraph.nn: the neural-network ops under TensorFlow 1.x's ``tf.nn`` names.

    import tensorgraph as tf
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))

The activations and the softmax family are the top-level functions themselves (``tf.nn.relu is
tf.relu``); the top-level names stay.
"""
from . import log_softmax, relu, sigmoid, softmax, softmax_cross_entropy_with_logits
from . import sparse_softmax_cross_entropy_with_logits, tanh

__all__ = [
    "relu", "sigmoid", "tanh", "softmax", "log_softmax", "softmax_cross_entropy_with_logits",
    "sparse_softmax_cross_entropy_with_logits",
]

# pooling and bias_add (tf.nn), and their gradient ops ----------------------------------------------
from . import _core  # noqa: E402
from ._args import DIMS, INT, NAME, NONE, STR, TENSOR  # noqa: E402
from ._args import checked as _checked  # noqa: E402
from ._nodes import as_node as _as_node, name_arg as _name  # noqa: E402


def _four(v, data_format, what, where):
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
    return core_fn(_as_node(value if input is None else input), _four(ksize, data_format, "ksize", where),
                   _four(strides, data_format, "strides", where), padding, data_format, _name(name))


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


__all__ += ["max_pool", "avg_pool", "bias_add", "max_pool_grad", "max_pool_grad_grad", "avg_pool_grad",
            "bias_add_grad"]
