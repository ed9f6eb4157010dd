"""tensorgraph.layers: graph pieces for models (the C++ tg::layers)."""
import numbers
import sys

from . import _core
from ._args import BOOL, DIMS, INT, NAME, NONE, REAL, STR, TENSOR, TENSORS, Kind, checked
from ._nodes import as_node, name_arg

__all__ = ["dense", "dropout", "l2_loss", "accuracy", "conv2d", "max_pooling2d", "average_pooling2d", "flatten",
           "batch_normalization"]


def _free_scope(graph, name):
    """name, or name_1, name_2, ...: the first whose "<scope>/kernel" the graph does not hold yet (TensorFlow's
    layer scopes: dense, dense_1, ...)."""
    taken = {n.name for n in graph.variables}
    scope, k = name, 0
    while scope + "/kernel" in taken:
        k += 1
        scope = f"{name}_{k}"
    return scope


ACTIVATION = Kind("None, 'relu', 'sigmoid', 'tanh' or a function of a node (tensorgraph.relu, ...)",
                  lambda x: x is None or isinstance(x, str) or callable(x))
_FUSED = {"relu", "sigmoid", "tanh"}  # the C++ layer's own activations


@checked
def dense(x: TENSOR, units: INT, activation: ACTIVATION = None, kernel_initializer: NAME = None, seed: INT | NONE = None,
          name: NAME = "dense"):
    """activation(x @ W + b): W [in, units] from a seeded Glorot-uniform (He-normal before a relu)
    initialiser, b zeros; the Variables are "<scope>/kernel" and "<scope>/bias" (TensorFlow's names), where the scope is `name`,
    or name_1, name_2, ... when taken. Without a seed, each layer draws its own (from its place in
    the graph: reproducible, and layers of the same shape start different).

    activation: None, a name ("relu", "sigmoid", "tanh") or, TensorFlow's habit, a function
    (tensorgraph.relu, or any function of a node, applied to x @ W + b); tensorgraph.relu, sigmoid
    and tanh run fused with the bias, as their names do."""
    x = as_node(x)
    scope = _free_scope(x.graph, name_arg(name) or "dense")
    seed = _default_seed(x.graph) if seed is None else seed
    fused, after = _fused_or_applied(activation)
    y = _core.dense(x, int(units), int(seed), fused, kernel_initializer or "", scope)
    return after(y) if after else y


def _default_seed(graph):
    """A seed from the layer's place in the graph (and the graph's seed, when set_random_seed set
    one): reproducible, and distinct for every layer (below 2^53, which random_uniform_like keeps
    exactly)."""
    return (0x9E3779B97F4A7C15 * (graph.num_nodes + 1) + 0x2545F4914F6CDD1D * graph_seed(graph)) % 2 ** 53


_GRAPH_SEED = "__graph_seed__"  # a collection holding one constant: set_random_seed's value


def graph_seed(graph):
    """The seed set_random_seed gave `graph`, or 0."""
    held = graph._get_collection(_GRAPH_SEED)
    return int(held[-1].initial_value) if held else 0


@checked
def set_random_seed(seed: INT):
    """TensorFlow 1.x's graph-level seed: random ops and layers made afterwards in the default graph
    without a seed of their own derive theirs from it and their place in the graph, so the program
    draws other (and again reproducible) numbers. (Without it they are reproducible too, from 0.)"""
    import numpy as np
    g = _core.Graph.get_default()
    g._add_to_collection(_GRAPH_SEED, _core.constant(np.int64(seed), None, "graph_seed"))


@checked
def dropout(x: TENSOR, rate: REAL, training: TENSOR, seed: INT | NONE = None, name: NAME = "dropout"):
    """Inverted dropout while `training` (a bool scalar node fed per run, or True / False): elements
    zeroed with probability `rate`, the rest scaled by 1 / (1 - rate); unchanged otherwise. Without a
    seed, each layer draws its own, so two dropout layers do not drop the same positions."""
    x = as_node(x)
    seed = _default_seed(x.graph) if seed is None else seed
    return _core.dropout(x, float(rate), as_node(training), int(seed), name_arg(name) or "dropout")


@checked
def l2_loss(weights: TENSORS):
    """sum(w ** 2) / 2 over the given nodes (TensorFlow's l2_loss)."""
    return _core.l2_loss([as_node(w) for w in weights])


@checked
def accuracy(logits: TENSOR, labels: TENSOR):
    """The fraction of rows whose argmax of logits equals the integer label."""
    return _core.accuracy(as_node(logits), as_node(labels))


SIZES = INT | DIMS  # one size (square) or (height, width), as tf.layers take them


def _pair(v):
    return [int(v)] if isinstance(v, numbers.Integral) else [int(i) for i in v]


def _fused_or_applied(activation):
    """(the name of an activation the C++ layer runs itself or "", a function to apply after it or None)."""
    fused = activation if isinstance(activation, str) else getattr(activation, "__name__", None)
    if callable(activation) and not (fused in _FUSED and getattr(sys.modules[__package__], fused) is activation):
        return "", activation
    return fused or "", None


@checked
def conv2d(inputs: TENSOR, filters: INT, kernel_size: SIZES, strides: SIZES = (1, 1), padding: STR = "valid",
           data_format: STR = "channels_last", dilation_rate: SIZES = (1, 1), activation: ACTIVATION = None,
           use_bias: BOOL = True, kernel_initializer: NAME = None, seed: INT | NONE = None, name: NAME = None):
    """tf.layers.conv2d: activation(conv2d(inputs, kernel) + bias), kernel [kh, kw, in, filters] from a seeded
    Glorot-uniform (He-normal before a relu) initialiser, bias zeros; Variables "<scope>/kernel" and
    "<scope>/bias" (scope `name`, else conv2d, conv2d_1, ...). padding "valid" or "same" (TensorFlow's
    arithmetic); data_format "channels_last" (NHWC) or "channels_first" (NCHW)."""
    x = as_node(inputs)
    scope = _free_scope(x.graph, name_arg(name) or "conv2d")
    seed = _default_seed(x.graph) if seed is None else seed
    fused, after = _fused_or_applied(activation)
    y = _core.conv2d(x, int(filters), _pair(kernel_size), _pair(strides), padding, data_format, _pair(dilation_rate),
                     fused, bool(use_bias), kernel_initializer or "", int(seed), scope)
    return after(y) if after else y


@checked
def max_pooling2d(inputs: TENSOR, pool_size: SIZES, strides: SIZES, padding: STR = "valid",
                  data_format: STR = "channels_last", name: NAME = None):
    """tf.layers.max_pooling2d: the maximum of each window."""
    return _core.max_pooling2d(as_node(inputs), _pair(pool_size), _pair(strides), padding, data_format,
                               name_arg(name) or "")


@checked
def average_pooling2d(inputs: TENSOR, pool_size: SIZES, strides: SIZES, padding: STR = "valid",
                      data_format: STR = "channels_last", name: NAME = None):
    """tf.layers.average_pooling2d: the mean of each window over the elements inside the image."""
    return _core.average_pooling2d(as_node(inputs), _pair(pool_size), _pair(strides), padding, data_format,
                                   name_arg(name) or "")


@checked
def flatten(inputs: TENSOR, name: NAME = None):
    """tf.layers.flatten: [batch, product of the other dimensions] (those must be known)."""
    return _core.flatten(as_node(inputs), name_arg(name) or "flatten")
@checked
def batch_normalization(inputs: TENSOR, axis: INT = -1, momentum: REAL = 0.99, epsilon: REAL = 0.001, center: BOOL = True,
                        scale: BOOL = True, training: TENSOR = False, name: NAME = None):
    """TensorFlow 1.x's tf.layers.batch_normalization of a 4-D (axis -1/3: NHWC, 1: NCHW) or 2-D
    input: trainable "<scope>/gamma" (scale) and "<scope>/beta" (center), non-trainable
    "<scope>/moving_mean" and "<scope>/moving_variance". `training`, True/False or a bool scalar
    node fed per run: the batch's statistics normalize, and every optimizer step (minimize,
    apply_gradients, train.fit) also moves the moving statistics towards the batch's, with the
    Bessel-corrected variance (the updates are in tf.GraphKeys.UPDATE_OPS); otherwise the moving
    statistics normalize and nothing changes."""
    training = training if isinstance(training, bool) else as_node(training)
    return _core.batch_normalization_layer(as_node(inputs), training, int(axis), float(momentum), float(epsilon),
                                           bool(center), bool(scale), name_arg(name) or "batch_normalization")
