"""tensorgraph.nn: the neural-network ops under TensorFlow 1.x's ``tf.nn`` names.

    import tensorgraph as tf
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))

The activations and the softmax family are the top-level functions themselves (``tf.nn.relu is
tf.relu``); the top-level names stay.
"""
from . import log_softmax, relu, sigmoid, softmax, softmax_cross_entropy_with_logits
from . import sparse_softmax_cross_entropy_with_logits, tanh
from . import _core
from ._args import BOOL, DIMS, INT, NAME, NONE, REAL, STR, TENSOR, checked
from ._nodes import as_node, name_arg

__all__ = [
    "relu", "sigmoid", "tanh", "softmax", "log_softmax", "softmax_cross_entropy_with_logits",
    "sparse_softmax_cross_entropy_with_logits",
    "moments", "batch_normalization", "fused_batch_norm",
]


@checked
def moments(x: TENSOR, axes: DIMS | INT, shift: NONE = None, name: NAME = None, keep_dims: BOOL = False):
    """(mean, variance) of x over axes, the population variance (TensorFlow's; shift is unused there too)."""
    axes = [int(axes)] if isinstance(axes, int) else [int(a) for a in axes]
    return _core.moments(as_node(x), axes, bool(keep_dims), name_arg(name))


@checked
def batch_normalization(x: TENSOR, mean: TENSOR, variance: TENSOR, offset: TENSOR | NONE, scale: TENSOR | NONE,
                        variance_epsilon: REAL, name: NAME = None):
    """(x - mean) * scale / sqrt(variance + variance_epsilon) + offset, broadcasting (offset None: 0,
    scale None: 1): TensorFlow's composite formula."""
    return _core.batch_normalization(as_node(x), as_node(mean), as_node(variance),
                                     None if offset is None else as_node(offset),
                                     None if scale is None else as_node(scale), float(variance_epsilon), name_arg(name))


@checked
def fused_batch_norm(x: TENSOR, scale: TENSOR, offset: TENSOR, mean: TENSOR | NONE = None,
                     variance: TENSOR | NONE = None, epsilon: REAL = 0.001, data_format: STR = "NHWC",
                     is_training: BOOL = True, name: NAME = None):
    """(y, batch_mean, batch_variance): one op normalizing a 4-D (NHWC or NCHW) or 2-D [batch,
    features] x over every axis but the channel's. While training the batch's statistics normalize,
    and batch_variance is Bessel-corrected (n / (n - 1)) as TensorFlow's; for inference mean and
    variance are required and returned. The statistics are separate nodes (reductions of x)."""
    x = as_node(x)
    vec = lambda v: None if v is None else as_node(v, like=x)  # noqa: E731 (values take x's dtype)
    return _core.fused_batch_norm(x, vec(scale), vec(offset), vec(mean), vec(variance), float(epsilon),
                                  str(data_format), bool(is_training), name_arg(name))

