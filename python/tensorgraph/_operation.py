"""User-defined operations, as the tutorial teaches: subclass Operation, implement compute(), and
register the gradient with @RegisterGradient("ClassName")."""
from . import _core
from ._args import CALLABLE, NAME, STR, TENSORS, checked

_gradient_registry = {}


class RegisterGradient:
    """Decorator registering f(op, grad) -> input gradient(s) for the Operation subclass named op_type.

    Inside f, op.inputs holds the forward input values and op.output the forward output value
    (numpy arrays); grad is the gradient of the loss w.r.t. op.output. Return one array for a
    one-input operation, else a list with one array per input.
    """

    @checked
    def __init__(self, op_type: STR):
        self._op_type = op_type

    @checked
    def __call__(self, f: CALLABLE):
        _gradient_registry[self._op_type] = f
        return f


def _gradient_function(op_type):
    try:
        return _gradient_registry[op_type]
    except KeyError:
        raise LookupError(
            f"No gradient defined for operation type '{op_type}': "
            f"register one with @RegisterGradient('{op_type}')") from None


class Operation:
    """Base class of user-defined operations.

    The constructor receives the input nodes; compute(self, *values) returns the output value
    for the input values (numpy arrays). The node joins the default graph and mixes freely
    with built-in operations, sessions, gradients and optimizers.
    """

    @checked
    def __init__(self, input_nodes: TENSORS = (), name: NAME = None):
        from ._nodes import as_node
        self.inputs = []
        self.output = None
        # The instance becomes its node's object: input_nodes, consumers, graph lists and the
        # gradient table hand out this very object. _node is the engine's handle of the node.
        self._node = _core.python_op(self, [as_node(n) for n in input_nodes], name or "")
        self.input_nodes = self._node.input_nodes  # the input objects (a value became a constant node)

    def compute(self, *values):
        raise NotImplementedError(f"{type(self).__name__}.compute is not implemented")

    @property
    def consumers(self):
        """The nodes that take this one as an input, in creation order."""
        return self._node.consumers

    @property
    def name(self):
        return self._node.name

    @property
    def shape(self):
        return self._node.shape

    @property
    def dtype(self):
        return self._node.dtype

    @property
    def graph(self):
        return self._node.graph

    def __repr__(self):
        return f"<tensorgraph.Operation {type(self).__name__} '{self.name}'>"
