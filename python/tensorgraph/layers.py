"""tensorgraph.layers: graph pieces for models (the C++ tg::layers)."""
import numbers
import sys

from . import _core
from ._args import BOOL, DIMS, INT, NAME, NONE, REAL, STR, TENSOR, TENSORS, Kind, checked
from ._initializers import Initializer
from ._nodes import as_node, name_arg
from ._scopes import AUTO_REUSE, get_variable_scope, unique_default_name
from .dtypes import float64

__all__ = ["dense", "dropout", "l2_loss", "accuracy", "conv2d", "conv2d_transpose", "max_pooling2d",
           "average_pooling2d", "flatten", "batch_normalization"]


def _free_scope(graph, name, probe="kernel"):
    """name, or name_1, name_2, ...: the first whose "<scope>/<probe>" the graph does not hold yet."""
    scope, k = name, 0
    while graph._has_node(f"{scope}/{probe}"):
        k += 1
        scope = f"{name}_{k}"
    return scope


_REUSE = Kind("True, False, None or tf.AUTO_REUSE", lambda x: x is None or isinstance(x, bool) or x == AUTO_REUSE)


def _layer_scope(graph, name, base, reuse, probe="kernel"):
    """TensorFlow 1.x's variable scope of a layer call: (the path of its Variables, whether it reuses
    them). The path is the current variable scope's joined with `name`, or with the layer's default name
    made unique in that scope (dense, dense_1, ..., counted again from dense in each entry of the
    enclosing variable scope, so a second pass of a model builder meets the first's names). The call
    reuses when `reuse` or the variable scope says so (AUTO_REUSE: when the Variables exist); a
    scope that is taken without reuse moves on to path_1, ... (where TensorFlow raises)."""
    vs = get_variable_scope()
    layer = name or unique_default_name(graph, vs.name, base)
    path = f"{vs.name}/{layer}" if vs.name else layer
    graph._open_variable_scope(path)
    # NOTE: reuse=False inherits, as TensorFlow's (a call cannot turn its scope's reuse off)
    wants = True if vs.reuse is True or reuse is True else (reuse if reuse not in (None, False) else vs.reuse)
    if wants is True:
        return path, True
    if wants == AUTO_REUSE and graph._has_node(f"{path}/{probe}"):
        return path, True
    return _free_scope(graph, path, probe), False


class _unscoped:
    """The graph's name scope set aside while a layer makes its nodes: they are named after the
    layer's variable scope, as its Variables are (the scope path holds any variable scope)."""

    def __init__(self, graph):
        self._graph = graph

    def __enter__(self):
        self._outer = self._graph._name_scope()
        self._graph._set_name_scope("")

    def __exit__(self, *exc):
        self._graph._set_name_scope(self._outer)
        return False


INITIALIZER = NAME | Kind("an initializer object (tf.random_normal_initializer(stddev=0.02), ...)",
                          lambda x: isinstance(x, Initializer))


def _own_variables(x, path, reuse, kernel_shape, kernel_initializer, bias_shape, bias_initializer):
    """Makes "<path>/kernel" (and "<path>/bias" when bias_shape) from initializer objects here, when
    there are any (the argument's, else the variable scope's for the kernel), so the C++ layer then
    reuses them; returns the C++ layer's (initializer name, reuse)."""
    kernel_init = kernel_initializer if kernel_initializer is not None else get_variable_scope().initializer
    floating = x.dtype is None or x.dtype.is_floating  # else the C++ layer's DTypeError, with nothing made
    if reuse or not floating or not (isinstance(kernel_init, Initializer) or isinstance(bias_initializer, Initializer)):
        return kernel_init if isinstance(kernel_init, str) else "", reuse
    from . import Variable
    from ._initializers import zeros_initializer
    dtype = x.dtype or float64
    if kernel_init is None or isinstance(kernel_init, str):  # beside a bias initializer object: TF's default
        from ._initializers import _fans, glorot_uniform_initializer, random_normal_initializer
        kernel_init = (random_normal_initializer(0.0, (2.0 / _fans(kernel_shape)[0]) ** 0.5)
                       if kernel_init == "he_normal" else glorot_uniform_initializer())
    Variable(kernel_init(kernel_shape, dtype), name=f"{path}/kernel")
    if bias_shape is not None:
        Variable((bias_initializer or zeros_initializer())(bias_shape, dtype), name=f"{path}/bias")
    return "", True


ACTIVATION = Kind("None, 'relu', 'sigmoid', 'tanh' or a function of a node (tensorgraph.relu, ...)",
                  lambda x: x is None or isinstance(x, str) or callable(x))
_FUSED = {"relu", "sigmoid", "tanh"}  # the C++ layer's own activations


@checked
def dense(x: TENSOR, units: INT, activation: ACTIVATION = None, kernel_initializer: INITIALIZER = None,
          seed: INT | NONE = None, name: NAME = None, bias_initializer: INITIALIZER = None, reuse: _REUSE = None):
    """activation(x @ W + b): W [in, units] from a seeded Glorot-uniform (He-normal before a relu)
    initialiser or `kernel_initializer` (a name, "glorot_uniform" or "he_normal", or an initializer
    object as TensorFlow's, else the variable scope's initializer), b zeros (or `bias_initializer`'s).
    The Variables are "<scope>/kernel" and "<scope>/bias" (TensorFlow's names), where the scope is the
    variable scope's path joined with `name` or with dense, dense_1, ... (see _layer_scope: with
    reuse, a second call in `variable_scope(..., reuse=True)` shares the first's Variables). Without
    a seed, each layer draws its own (from its place in the graph: reproducible, and layers of the
    same shape start different).

    activation: None, a name ("relu", "sigmoid", "tanh") or, TensorFlow's habit, a function
    (tensorgraph.relu, or any function of a node, applied to x @ W + b); tensorgraph.relu, sigmoid
    and tanh run fused with the bias, as their names do."""
    x = as_node(x)
    g = x.graph
    scope, reuse = _layer_scope(g, name_arg(name), "dense", reuse)
    seed = _default_seed(g) if seed is None else seed
    fused, after = _fused_or_applied(activation)
    fan_in = x.shape[-1] if x.shape is not None and x.shape.rank else None
    with _unscoped(g):
        init, reuse = (_own_variables(x, scope, reuse, [fan_in, int(units)], kernel_initializer, [int(units)],
                                      bias_initializer) if fan_in is not None else (kernel_initializer or "", reuse))
        y = _core.dense(x, int(units), int(seed), fused, init, scope, reuse)
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


def _channels(x, data_format):
    """x's channel count in the layout, or None when not known (the C++ layer then says so)."""
    sh = x.shape
    if sh is None or sh.rank != 4:
        return None
    c = sh[3] if data_format == "channels_last" else sh[1]
    return c if c is not None and c >= 0 else None


@checked
def conv2d(inputs: TENSOR, filters: INT, kernel_size: SIZES, strides: SIZES = (1, 1), padding: STR = "valid",
           data_format: STR = "channels_last", dilation_rate: SIZES = (1, 1), activation: ACTIVATION = None,
           use_bias: BOOL = True, kernel_initializer: INITIALIZER = None, seed: INT | NONE = None, name: NAME = None,
           bias_initializer: INITIALIZER = None, reuse: _REUSE = None):
    """tf.layers.conv2d: activation(conv2d(inputs, kernel) + bias), kernel [kh, kw, in, filters] from a seeded
    Glorot-uniform (He-normal before a relu) initialiser or `kernel_initializer` (as dense's), bias
    zeros; Variables "<scope>/kernel" and "<scope>/bias" (the scope and reuse as dense's, default
    name conv2d). padding "valid" or "same" (TensorFlow's arithmetic); data_format "channels_last"
    (NHWC) or "channels_first" (NCHW)."""
    return _conv("conv2d", inputs, filters, kernel_size, strides, padding, data_format, activation, use_bias,
                 kernel_initializer, seed, name, bias_initializer, reuse, dilation_rate)


@checked
def conv2d_transpose(inputs: TENSOR, filters: INT, kernel_size: SIZES, strides: SIZES = (1, 1), padding: STR = "valid",
                     data_format: STR = "channels_last", activation: ACTIVATION = None, use_bias: BOOL = True,
                     kernel_initializer: INITIALIZER = None, seed: INT | NONE = None, name: NAME = None,
                     bias_initializer: INITIALIZER = None, reuse: _REUSE = None):
    """tf.layers.conv2d_transpose: activation(conv2d_transpose(inputs, kernel) + bias), the gradient of a
    convolution with respect to its input (an upsampling by `strides`): kernel [kh, kw, filters, in],
    bias zeros, initializers, scope and reuse as conv2d's (default name conv2d_transpose). The output's
    height is (h - 1)·stride + max(kh, stride) for "valid", h·stride for "same" (TensorFlow's); the
    input's height, width and channels must be known."""
    return _conv("conv2d_transpose", inputs, filters, kernel_size, strides, padding, data_format, activation,
                 use_bias, kernel_initializer, seed, name, bias_initializer, reuse)


def _conv(kind, inputs, filters, kernel_size, strides, padding, data_format, activation, use_bias, kernel_initializer,
          seed, name, bias_initializer, reuse, dilation_rate=None):
    x = as_node(inputs)
    g = x.graph
    scope, reuse = _layer_scope(g, name_arg(name), kind, reuse)
    seed = _default_seed(g) if seed is None else seed
    fused, after = _fused_or_applied(activation)
    c, k, f = _channels(x, data_format), _pair(kernel_size), int(filters)
    kernel = [k[0], k[-1], c, f] if kind == "conv2d" else [k[0], k[-1], f, c]
    with _unscoped(g):
        init, reuse = (_own_variables(x, scope, reuse, kernel, kernel_initializer, [f] if use_bias else None,
                                      bias_initializer) if c is not None else (kernel_initializer or "", reuse))
        if kind == "conv2d":
            y = _core.conv2d(x, f, _pair(kernel_size), _pair(strides), padding, data_format, _pair(dilation_rate),
                             fused, bool(use_bias), init, int(seed), scope, reuse)
        else:
            y = _core.conv2d_transpose_layer(x, f, _pair(kernel_size), _pair(strides), padding, data_format, fused,
                                             bool(use_bias), init, int(seed), scope, reuse)
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
                        scale: BOOL = True, training: TENSOR = False, name: NAME = None, reuse: _REUSE = None):
    """TensorFlow 1.x's tf.layers.batch_normalization of a 4-D (axis -1/3: NHWC, 1: NCHW) or 2-D
    input: trainable "<scope>/gamma" (scale) and "<scope>/beta" (center), non-trainable
    "<scope>/moving_mean" and "<scope>/moving_variance" (the scope and reuse as dense's, default name
    batch_normalization). `training`, True/False or a bool scalar node fed per run: the batch's
    statistics normalize, and every optimizer step (minimize, apply_gradients, train.fit) also moves
    the moving statistics towards the batch's, with the Bessel-corrected variance (the updates are in
    tf.GraphKeys.UPDATE_OPS); otherwise the moving statistics normalize and nothing changes."""
    training = training if isinstance(training, bool) else as_node(training)
    x = as_node(inputs)
    g = x.graph
    scope, reuse = _layer_scope(g, name_arg(name), "batch_normalization", reuse, "moving_mean")
    with _unscoped(g):
        return _core.batch_normalization_layer(x, training, int(axis), float(momentum), float(epsilon), bool(center),
                                               bool(scale), scope, reuse)
