"""tensorgraph: computational graphs with the TensorFlow 1.x programming model, on a C++ engine.

The names of the "Deep Learning From Scratch" tutorial series work unchanged:

    from tensorgraph import *
    from tensorgraph.train import *
"""
import sys as _sys

from . import _core
from ._core import DTypeError, Error, FeedError, GraphError, IoError, NumericsError, ShapeError
from ._core import export_model, import_model  # models as data: <prefix>.json + <prefix>.safetensors
from ._nodes import as_node as _as_node, install_operators as _install_operators, name_arg as _name, operands as _operands
from ._operation import Operation, RegisterGradient
from . import layers, train
from . import data

Graph = _core.Graph
Node = _core.Node


class _DefaultGraph:
    """What Graph.as_default() returns: the graph is already the default; `with` restores the
    previous default on exit (the tutorial calls it as a plain statement)."""

    def __init__(self, graph, previous):
        self.graph, self._previous = graph, previous

    def __enter__(self):
        return self.graph

    def __exit__(self, *exc):
        self._previous._set_default()
        return False


def _as_default(self):
    previous = Graph.get_default()
    self._set_default()
    return _DefaultGraph(self, previous)


Graph.as_default = _as_default
_graph_init = Graph.__init__


def _graph_new(self):
    """A new, empty graph; its nodes join it while it is the default (as_default)."""
    _graph_init(self)
    self._adopt()  # the object that node.graph and get_default_graph() hand out for it


Graph.__init__ = _graph_new


set_num_threads = _core.set_num_threads  # set_num_threads(n): one budget for tensorgraph and its BLAS
num_threads = _core.num_threads


def get_default_graph():
    return Graph.get_default()


def reset_default_graph():
    Graph.reset_default()


def placeholder(dtype=None, shape=None, name=None):
    """A value fed at run time; dtype and shape (None for unknown dims) are optional."""
    return _core.placeholder(dtype, shape, _name(name))


def Variable(initial_value, name=None, trainable=True, dtype=None):
    """A parameter; its value lives in each Session, starting from initial_value."""
    return _core.variable(initial_value, dtype, _name(name), bool(trainable))


def constant(value, dtype=None, name=None):
    return _core.constant(value, dtype, _name(name))


Session = _core.Session  # Session(graph=None).run(fetches, feed_dict=None): variables live in it


def _binary(core_fn):
    def op(x, y, name=None):
        a, b = _operands(x, y)
        return core_fn(a, b, _name(name))
    op.__name__ = core_fn.__name__
    return op


def _unary(core_fn):
    def op(x, name=None):
        return core_fn(_as_node(x), _name(name))
    op.__name__ = core_fn.__name__
    return op


add = _binary(_core.add)
subtract = _binary(_core.subtract)
multiply = _binary(_core.multiply)
divide = _binary(_core.divide)
equal = _binary(_core.equal)
greater = _binary(_core.greater)
negative = _unary(_core.negative)
exp = _unary(_core.exp)
log = _unary(_core.log)
square = _unary(_core.square)
sqrt = _unary(_core.sqrt)
sigmoid = _unary(_core.sigmoid)
relu = _unary(_core.relu)
tanh = _unary(_core.tanh)
softmax = _unary(_core.softmax)
log_softmax = _unary(_core.log_softmax)


def check_numerics(x, message, name=None):
    """x unchanged, or NumericsError (a FloatingPointError) naming the node, the message, the NaN
    and Inf counts and the first bad index if x holds a NaN or Inf. Its gradient is checked too."""
    if not isinstance(message, str):
        raise TypeError(f"check_numerics: message must be a string, got {type(message).__name__}")
    return _core.check_numerics(_as_node(x), message, _name(name))


def matmul(a, b, transpose_a=False, transpose_b=False, name=None):
    a, b = _operands(a, b)
    return _core.matmul(a, b, bool(transpose_a), bool(transpose_b), _name(name))


def softmax_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """-sum(labels * log_softmax(logits), last axis): one loss per row."""
    if labels is None or logits is None:
        raise ValueError("softmax_cross_entropy_with_logits needs labels= and logits=")
    lab, lg = _operands(labels, logits)
    return _core.softmax_cross_entropy_with_logits(lab, lg, _name(name))


def sparse_softmax_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """-log softmax(logits)[label] per row, for integer class labels."""
    if labels is None or logits is None:
        raise ValueError("sparse_softmax_cross_entropy_with_logits needs labels= and logits=")
    return _core.sparse_softmax_cross_entropy_with_logits(_as_node(labels), _as_node(logits), _name(name))


def one_hot(indices, depth, dtype=None, name=None):
    """Rows of `depth` zeros with a 1 at each integer index (float32 unless dtype says otherwise)."""
    return _core.one_hot(_as_node(indices), int(depth), dtype, _name(name))


def random_uniform_like(x, seed=0, name=None):
    """U[0, 1) numbers shaped like x, new on every run, reproducible from seed."""
    return _core.random_uniform_like(_as_node(x), int(seed), _name(name))


def reduce_sum(A, axis=None, keepdims=False, name=None):
    return _core.reduce_sum(_as_node(A), axis, bool(keepdims), _name(name))


def reduce_mean(A, axis=None, keepdims=False, name=None):
    return _core.reduce_mean(_as_node(A), axis, bool(keepdims), _name(name))


def reduce_max(A, axis=None, keepdims=False, name=None):
    return _core.reduce_max(_as_node(A), axis, bool(keepdims), _name(name))


def argmax(x, axis=0, name=None):
    return _core.argmax(_as_node(x), int(axis), _name(name))


def cast(x, dtype, name=None):
    return _core.cast(_as_node(x), dtype, _name(name))


def reshape(x, shape, name=None):
    return _core.reshape(_as_node(x), [None if d == -1 else d for d in shape], _name(name))


def transpose(x, perm=None, name=None):
    return _core.transpose(_as_node(x), list(perm or []), _name(name))


def fill_like(x, value, name=None):
    return _core.fill_like(_as_node(x), float(value), _name(name))


def sum_to(g, like, name=None):
    return _core.sum_to(_as_node(g), _as_node(like), _name(name))


def matmul_grad(a, b, dc, operand, transpose_a=False, transpose_b=False, name=None):
    """The gradient of matmul(a, b, transpose_a, transpose_b) for the incoming gradient dc, with
    respect to a (operand 0) or b (operand 1); ranks (1 or 2) are read at run time."""
    return _core.matmul_grad(_as_node(a), _as_node(b), _as_node(dc), int(operand), bool(transpose_a),
                             bool(transpose_b), _name(name))


def broadcast_like(y, like, name=None):
    return _core.broadcast_like(_as_node(y), _as_node(like), _name(name))


def reshape_like(x, like, name=None):
    return _core.reshape_like(_as_node(x), _as_node(like), _name(name))


def gradients(ys, xs):
    """d(sum(ys))/dx for each x in xs (a list of gradient nodes)."""
    single = not isinstance(xs, (list, tuple))
    grads = _core.gradients(_as_node(ys), [_as_node(x) for x in ([xs] if single else xs)])
    return grads[0] if single else grads


_install_operators(_sys.modules[__name__])

__all__ = [
    "Graph", "Node", "Operation", "RegisterGradient", "Session", "Variable", "placeholder", "constant",
    "get_default_graph", "reset_default_graph", "set_num_threads", "num_threads", "train", "layers", "data", "gradients",
    "add", "subtract", "multiply", "divide", "equal", "greater", "negative", "exp", "log", "square", "sqrt",
    "sigmoid", "relu", "tanh", "softmax", "log_softmax", "softmax_cross_entropy_with_logits",
    "sparse_softmax_cross_entropy_with_logits", "one_hot", "check_numerics", "random_uniform_like", "matmul",
    "reduce_sum", "reduce_mean", "reduce_max", "argmax", "cast", "reshape", "transpose", "fill_like", "sum_to", "matmul_grad",
    "broadcast_like", "reshape_like", "export_model", "import_model",
    "Error", "ShapeError", "DTypeError", "FeedError", "GraphError", "IoError", "NumericsError",
]
