"""TensorFlow 1.x's Variable conveniences: initializers (updates that set Variables to their initial
values), assign and its method forms, group and no_op, and the graph's variable lists.

A tensorgraph Session starts every Variable at its initial value by itself (the tutorial's
library has no initializer), so `sess.run(tf.global_variables_initializer())` is needed by no
program, and harmless in all: run again, it sets the Variables back, drawing random initial
values afresh where a Variable was made from a random op.
"""
from . import _core
from ._args import NAME, NODE, NODES, NONE, TENSOR, checked, install
from ._nodes import as_node, name_arg

Node = _core.Node


def group(*inputs, name=None, **unknown):
    """One update whose run runs every input (updates or values); no value (TensorFlow's tf.group;
    no_op when there is none)."""
    # NOTE: not @checked (its generated wrapper takes no *args): the same checks, written out
    if unknown:
        raise _core.ArgumentTypeError(f"group(*inputs, name=None): no argument named '{next(iter(unknown))}'")
    for i, x in enumerate(inputs):
        if not NODE.test(x):
            raise NODE.error("group", f"inputs[{i}]", x)
    if not NAME.test(name):
        raise NAME.error("group", "name", name)
    if not inputs:
        return _core.no_op(name_arg(name))
    return _core.group([as_node(x) for x in inputs], name_arg(name))


class control_dependencies:
    """A context manager: the operations made inside run after `control_inputs` (nodes: updates or
    values, computed first and their values unused), and after those of enclosing blocks; None
    lifts them all inside (TensorFlow's tf.control_dependencies). As TensorFlow's, it binds only
    operations made inside — `tf.identity(x)` to order a read, `opt.minimize(loss)` to run
    `tf.get_collection(tf.GraphKeys.UPDATE_OPS)` with each step — not nodes made before it, and not
    placeholders, Variables or constants."""

    @checked
    def __init__(self, control_inputs: NODES | NONE):
        self._inputs = None if control_inputs is None else list(control_inputs)
        self._of = None  # the graph: the default one when entered, or Graph.control_dependencies's

    def __enter__(self):
        g = self._of or _core.Graph.get_default()
        self._graph, self._outer = g, g._control_dependencies()
        g._set_control_dependencies([] if self._inputs is None else self._outer + self._inputs)
        return None

    def __exit__(self, *exc):
        self._graph._set_control_dependencies(self._outer)
        return False


@install(_core.Graph, "control_dependencies")
def _graph_control_dependencies(self, control_inputs: NODES | NONE):
    """tf.control_dependencies for this graph (TensorFlow's Graph.control_dependencies)."""
    block = control_dependencies(control_inputs)
    block._of = self
    return block


@checked
def no_op(name: NAME = None):
    """An update that does nothing (TensorFlow's tf.no_op)."""
    return _core.no_op(name_arg(name))


@checked
def assign(ref: NODE, value: TENSOR, validate_shape: NONE = None, use_locking: NONE = None, name: NAME = None):
    """An update setting the Variable `ref` to `value` (its dtype and shape) when run; it runs after
    the run's other nodes, which read the old value. Unlike TensorFlow's it has no value: fetch
    `ref` in a later run. validate_shape and use_locking: TensorFlow's, accepted as None only."""
    return _core.assign(ref, as_node(value, ref), name_arg(name))


@checked
def assign_add(ref: NODE, value: TENSOR, use_locking: NONE = None, name: NAME = None):
    """assign(ref, ref + value)."""
    return _core.assign(ref, _core.add(ref, as_node(value, ref), ""), name_arg(name))


@checked
def assign_sub(ref: NODE, value: TENSOR, use_locking: NONE = None, name: NAME = None):
    """assign(ref, ref - value)."""
    return _core.assign(ref, _core.subtract(ref, as_node(value, ref), ""), name_arg(name))


@install(Node, "assign")
def _node_assign(self, value: TENSOR, use_locking: NONE = None, name: NAME = None, read_value: NONE = None):
    """assign(self, value) (TensorFlow's Variable.assign)."""
    return assign(self, value, name=name)


@install(Node, "assign_add")
def _node_assign_add(self, delta: TENSOR, use_locking: NONE = None, name: NAME = None, read_value: NONE = None):
    return assign_add(self, delta, name=name)


@install(Node, "assign_sub")
def _node_assign_sub(self, delta: TENSOR, use_locking: NONE = None, name: NAME = None, read_value: NONE = None):
    return assign_sub(self, delta, name=name)


@checked
def variables_initializer(var_list: NODES, name: NAME = "init"):
    """An update setting each Variable of var_list to its initial value (the node it was made from,
    run again, or the value it was given); no_op for an empty list."""
    return _core.variables_initializer(list(var_list), name_arg(name) or "init")


@checked
def global_variables_initializer():
    """variables_initializer of every Variable of the default graph (TensorFlow's)."""
    return _core.global_variables_initializer()


@checked
def initialize_all_variables():
    """global_variables_initializer (TensorFlow's older name)."""
    return _core.global_variables_initializer()


@checked
def local_variables_initializer():
    """An update that does nothing: tensorgraph has no local Variables (TensorFlow's
    local_variables_initializer for programs that run it)."""
    return _core.no_op("init_1")


@checked
def global_variables(scope: NONE = None):
    """Every Variable of the default graph, in creation order."""
    return list(_core.Graph.get_default().variables)


@checked
def trainable_variables(scope: NONE = None):
    """The trainable Variables of the default graph, in creation order."""
    return list(_core.Graph.get_default().trainable_variables())


@checked
def local_variables(scope: NONE = None):
    """[]: tensorgraph has no local Variables."""
    return []


__all__ = ["group", "control_dependencies", "no_op", "assign", "assign_add", "assign_sub", "variables_initializer",
           "global_variables_initializer", "initialize_all_variables", "local_variables_initializer",
           "global_variables", "trainable_variables", "local_variables"]
