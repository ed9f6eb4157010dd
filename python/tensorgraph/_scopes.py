"""TensorFlow 1.x's scopes: name_scope (a prefix for the names of the nodes made inside it),
variable_scope (a prefix for get_variable's names, with reuse) and get_variable.

    with tf.variable_scope("layer1"):
        w = tf.get_variable("w", [784, 256])        # 'layer1/w', Glorot-uniform
    with tf.variable_scope("layer1", reuse=True):
        assert tf.get_variable("w") is w

As TensorFlow's: a name scope entered again gets a fresh name ("layer1_1/"); a name ending in "/"
re-enters that scope as it is; a variable scope keeps its name (so reuse finds the Variables) and
opens a name scope of that name for the nodes made inside; Variables from get_variable take the
variable scope's name only, not the name scope's."""
import threading

from . import _core
from ._args import ANY, BOOL, DIMS, DTYPE, NAME, NONE, STR, Kind, checked
from .dtypes import as_dtype, float32

AUTO_REUSE = "AUTO_REUSE"  # tf.AUTO_REUSE: get_variable makes a Variable that is missing, reuses one that is not
_REUSE = Kind("True, False, None or tf.AUTO_REUSE", lambda x: x is None or isinstance(x, bool) or x == AUTO_REUSE)


def _graph():
    return _core.Graph.get_default()


class name_scope:
    """A context manager: nodes made inside are named "<scope>/<name>" (TensorFlow's tf.name_scope).
    Its value (`as scope`) is the scope with its trailing "/"."""

    @checked
    def __init__(self, name: NAME, default_name: NAME = None, values: ANY = None):
        self._name = default_name if name is None else name

    def __enter__(self):
        g = _graph()
        self._graph, self._outer = g, g._name_scope()
        name = self._name
        if not name:
            scope = ""  # the root
        elif name.endswith("/"):
            scope = name  # that scope again, as it is
        else:
            scope = g._unique_name_scope(name)
        g._set_name_scope(scope)
        return scope

    def __exit__(self, *exc):
        self._graph._set_name_scope(self._outer)
        return False


class VariableScope:
    """A variable scope (what tf.get_variable_scope() returns): its name, reuse and initializer."""

    def __init__(self, name, reuse=None, initializer=None, name_scope="", dtype=None):
        self.name, self.reuse, self.initializer, self.original_name_scope = name, reuse, initializer, name_scope
        self.dtype = dtype  # get_variable's default dtype in this scope (None: float32 or the outer scope's)

    def reuse_variables(self):
        """get_variable in this scope reuses Variables from now on."""
        self.reuse = True

    def set_initializer(self, initializer):
        self.initializer = initializer

    def __repr__(self):
        return f"<VariableScope '{self.name}' reuse={self.reuse}>"


_local = threading.local()


def _scopes():
    if not hasattr(_local, "stack"):
        _local.stack = [VariableScope("")]
    return _local.stack


def unique_default_name(graph, outer, default):
    """`default`, or default_1, default_2, ...: the first not opened yet as a variable scope under `outer`
    since `outer` was entered (TensorFlow's rule for default names: dense, dense_1, ... and the same
    names again in the next entry of `outer`, so a second pass finds the first's Variables)."""
    path = f"{outer}/{default}" if outer else default
    if graph._variable_scope_count(path) == 0:
        return default
    k = 1
    while graph._variable_scope_count(f"{path}_{k}") > 0:
        k += 1
    return f"{default}_{k}"


@checked
def get_variable_scope():
    """The current variable scope (TensorFlow's)."""
    return _scopes()[-1]


class variable_scope:
    """A context manager: get_variable's names inside are "<scope>/<name>", and with reuse=True (or
    AUTO_REUSE) it returns the Variables made before under the same names. Also a name scope of
    the same name for the other nodes. reuse is inherited by inner scopes; `as scope` gives the
    VariableScope."""

    @checked
    def __init__(self, name_or_scope: STR | Kind("a VariableScope", lambda x: isinstance(x, VariableScope)) | NONE,
                 default_name: NAME = None, values: ANY = None, initializer: ANY = None, regularizer: NONE = None,
                 reuse: _REUSE = None, dtype: DTYPE | NONE = None, auxiliary_name_scope: BOOL = True):
        if name_or_scope is None and default_name is None:
            raise _core.ArgumentValueError("variable_scope: give name_or_scope or default_name")
        self._scope, self._default = name_or_scope, default_name
        self._reuse, self._initializer, self._dtype = reuse, initializer, dtype

    def __enter__(self):
        outer = _scopes()[-1]
        g = _graph()
        self._graph, self._outer_name_scope = g, g._name_scope()
        if isinstance(self._scope, VariableScope):
            name, ns = self._scope.name, self._scope.original_name_scope
            g._set_name_scope(ns)
        else:
            base = self._scope if self._scope is not None else unique_default_name(g, outer.name, self._default)
            name = f"{outer.name}/{base}" if outer.name else base
            ns = g._unique_name_scope(base)
            g._set_name_scope(ns)
        self._name = name
        g._open_variable_scope(name)
        reuse = True if outer.reuse is True else (self._reuse if self._reuse is not None else outer.reuse)
        scope = VariableScope(name, reuse, self._initializer if self._initializer is not None else outer.initializer, ns,
                              self._dtype if self._dtype is not None else outer.dtype)
        _scopes().append(scope)
        return scope

    def __exit__(self, *exc):
        _scopes().pop()
        self._graph._close_variable_subscopes(self._name)  # default names start again in the next entry
        self._graph._set_name_scope(self._outer_name_scope)
        return False


@checked
def get_variable(name: STR, shape: DIMS | NONE = None, dtype: DTYPE | NONE = None, initializer: ANY = None,
                 regularizer: NONE = None, trainable: BOOL = True, collections: NONE = None,
                 caching_device: NONE = None, partitioner: NONE = None, validate_shape: BOOL = True,
                 use_resource: NONE = None, custom_getter: NONE = None, constraint: NONE = None):
    """The Variable "<variable scope>/<name>": made (from `initializer`: an initializer object, a node
    or a value; else the scope's; else Glorot-uniform for floats and zeros otherwise) unless the scope
    reuses, then the one made before, which must have that shape. Making one that exists, or reusing
    one that does not, is an error (TensorFlow's)."""
    from . import Variable
    scope = _scopes()[-1]
    full = f"{scope.name}/{name}" if scope.name else name
    g = _graph()
    existing = g.get_node_by_name(full) if g._has_node(full) else None
    if existing is not None:
        if scope.reuse not in (True, AUTO_REUSE):
            raise _core.ArgumentValueError(f"get_variable: Variable {full} already exists, disallowed. Did you mean "
                                           f"to set reuse=True or reuse=tf.AUTO_REUSE in VarScope?")
        if existing.type != "Variable":
            raise _core.GraphError(f"get_variable: '{full}' is a {existing.type} node, not a Variable")
        if shape is not None and list(existing.shape) != list(shape):
            raise _core.ShapeError(f"get_variable: trying to share variable {full}, but the specified shape "
                                   f"{list(shape)} and found shape {list(existing.shape)} differ")
        return existing
    if scope.reuse is True:
        raise _core.ArgumentValueError(f"get_variable: Variable {full} does not exist, or was not created with "
                                       f"tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in VarScope?")
    init = initializer if initializer is not None else scope.initializer
    dtype = as_dtype(dtype if dtype is not None else (scope.dtype or float32))
    if init is None:
        from ._initializers import glorot_uniform_initializer, zeros_initializer
        init = glorot_uniform_initializer() if dtype.is_floating else zeros_initializer()
    if callable(init) and not isinstance(init, _core.Node):
        if shape is None:
            raise _core.ArgumentValueError(f"get_variable: {full} needs a shape for its initializer")
        value = init(list(shape), dtype=dtype)
    else:
        value = init  # a node or a value: its own shape
    outer = g._name_scope()
    g._set_name_scope("")  # the Variable takes the variable scope's name only
    try:
        return Variable(value, name=full, trainable=trainable,
                        dtype=None if isinstance(value, _core.Node) and dtype == value.dtype else dtype)
    finally:
        g._set_name_scope(outer)


__all__ = ["name_scope", "variable_scope", "get_variable", "get_variable_scope", "VariableScope", "AUTO_REUSE"]
