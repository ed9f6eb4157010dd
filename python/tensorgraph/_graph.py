"""Graph and Node: the Python faces of the C++ classes. Their methods check their arguments;
as_default() is the tutorial's statement and TensorFlow's context manager; a node's dtype (and a
dtype attribute) is a tensorgraph dtype constant."""
import threading

import numpy as np

from . import _core, dtypes
from ._args import BOOL, STR, forward, install
from ._shapes import TensorShape

Graph = _core.Graph
Node = _core.Node
_node_numpy_dtype = Node._numpy_dtype
Node.dtype = property(lambda node: dtypes.from_numpy(_node_numpy_dtype.__get__(node)),
                      doc="The node's dtype (tensorgraph.float32, ...; None when unknown until fed).")
_node_get_attr, _node_attrs = Node.get_attr, Node.attrs
_node_shape = Node.shape


def _static_shape(node):
    """The node's static shape: a TensorShape (a tuple of ints and None), None for an unknown rank."""
    dims = _node_shape.__get__(node)
    return None if dims is None else TensorShape(dims)


Node.shape = property(_static_shape, doc=_static_shape.__doc__)


@install(Node, "get_shape")
def _node_get_shape(self):
    """The static shape as TensorFlow 1.x's TensorShape of Dimensions (`x.get_shape()[1].value`,
    `x.get_shape().as_list()`); TensorShape(None) for an unknown rank."""
    return TensorShape(_node_shape.__get__(self), v1=True)


def _dtype_as_constant(value):
    """An attribute's value, a numpy dtype made a tensorgraph dtype (as a node's dtype is)."""
    return dtypes.from_numpy(value) if isinstance(value, np.dtype) else value


@install(Node, "get_attr")
def _node_get_attr_checked(self, name: STR):
    """The value of the op's attribute `name` (TensorFlow's Operation.get_attr): a bool, int, float,
    str, tensorgraph dtype, shape or list; GraphError, listing the op's attributes, for another name."""
    return _dtype_as_constant(_node_get_attr(self, name))


Node.attrs = property(lambda node: {k: _dtype_as_constant(v) for k, v in _node_attrs.__get__(node).items()},
                      doc="{name: value} of the op's attributes, in the op's order (empty for a leaf).")


class _DefaultGraph:
    """What Graph.as_default() returns. The call made the graph the default already (the tutorial
    calls as_default() as a statement, and the graph stays the default); as a context manager it
    is the default inside the block, and the previous default comes back on exit, also on an
    exception. Defaults are per thread: a block changes only its own thread's."""

    def __init__(self, graph, replaced):
        self.graph = graph
        self._replaced = (threading.get_ident(), replaced)  # as_default()'s thread, the default before
        self._outside = threading.local()  # per thread, a stack: the object may be entered again

    def __enter__(self):
        replaced, self._replaced = self._replaced, None
        # NOTE: entered right after as_default() (the usual `with g.as_default():`), the default
        # to come back is the one before that call; otherwise the one at the block's start.
        current = Graph.get_default()
        here = replaced is not None and replaced[0] == threading.get_ident() and current == self.graph
        self._outside.__dict__.setdefault("stack", []).append(replaced[1] if here else current)
        self.graph._set_default()
        return self.graph

    def __exit__(self, *exc):
        self._outside.stack.pop()._set_default()
        return False


@install(Graph, "as_default")
def _graph_as_default(self):
    """Makes this graph the calling thread's default, the graph new nodes join. As a statement it
    stays so; `with g.as_default():` restores the previous default when the block ends."""
    replaced = Graph.get_default()
    self._set_default()
    return _DefaultGraph(self, replaced)


_graph_init = Graph.__init__


@install(Graph, "__init__")
def _graph_new(self):
    """A new, empty graph; its nodes join it while it is the default (as_default)."""
    _graph_init(self)
    self._adopt()  # the object that node.graph and get_default_graph() hand out for it


@install(Graph, "get_default", static=True)
@forward(Graph.get_default)
def _graph_get_default():
    """The calling thread's default graph (made on first use)."""


@install(Graph, "reset_default", static=True)
@forward(Graph.reset_default)
def _graph_reset_default():
    """Replaces the calling thread's default graph by a new, empty one."""


@install(Graph, "nodes")
@forward(Graph.nodes)
def _graph_nodes(self):
    """Every node, in creation order."""


@install(Graph, "trainable_variables")
@forward(Graph.trainable_variables)
def _graph_trainable_variables(self):
    """The trainable Variables, in creation order."""


@install(Graph, "get_node_by_name")
@forward(Graph.get_node_by_name)
def _graph_get_node_by_name(self, name: STR):
    """The node called `name`; GraphError if none."""


_graph_to_dot = Graph.to_dot


@install(Graph, "to_dot")
def _graph_to_dot_checked(self, forward_only: BOOL = False):
    """The graph in Graphviz DOT text: a box per node (name, type, dtype, shape, attributes), an
    edge per input; gradient nodes dashed. forward_only=True draws the model alone: no gradient
    nodes, nothing computed from them, no optimizer updates or optimizer state."""
    return _graph_to_dot(self, forward_only=forward_only)
