"""Argument checks for the public API. Each public function says what each argument must be, as an
annotation, and @checked raises tensorgraph.ArgumentTypeError (a TypeError) naming the function
and the argument when a call gives something else, or leaves one out, or names one it does not
have, before anything reaches the C++ engine (whose pybind11 layer would answer with its
"incompatible function arguments" dump):

    @checked
    def one_hot(indices: TENSOR, depth: INT, dtype: DTYPE = None, name: NAME = None): ...

The checks are of type and cheap (a shape is None or a list of ints or None); the engine checks
values (ShapeError, DTypeError, ...).
"""
import functools
import inspect
import numbers
import os

import numpy as np

from . import _core, dtypes

__all__ = ["Kind", "checked", "forward", "install", "describe"]


def describe(value):
    """`value` for an error message: its type and its repr, cut at 60 characters."""
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:57] + '...'}"


class Kind:
    """What an argument must be: a test, the words for the error ("an int"), and the types whose
    every value passes (the test's fast path, checked first)."""

    __slots__ = ("what", "test", "convert", "fast")

    def __init__(self, what, test, convert=None, fast=()):
        self.what, self.test, self.convert = what, test, convert  # convert: for a C++ function (forward)
        self.fast = frozenset(fast)

    def __or__(self, other):
        # NOTE: the more particular Kind's error (a dtype's) serves the union
        cls = type(self) if type(self) is not Kind else type(other)
        convert = self.convert or other.convert
        return cls(f"{self.what} or {other.what}", lambda x: self.test(x) or other.test(x),
                   convert and (lambda x: x if x is None else convert(x)), self.fast | other.fast)

    def error(self, where, name, value):
        return _core.ArgumentTypeError(f"{where}: argument '{name}' must be {self.what}, got {describe(value)}")

    def __repr__(self):  # what help() and inspect.signature show
        return f"<{self.what}>"


class _DTypeKind(Kind):
    """A dtype: what numpy reads as one and tensorgraph supports; a dtype numpy knows and tensorgraph
    does not (float16) is a DTypeError."""

    def error(self, where, name, value):
        try:
            np_dtype = np.dtype(value)
        except TypeError:
            return super().error(where, name, value)
        return _core.DTypeError(f"{where}: argument '{name}': unsupported dtype {np_dtype} "
                                f"(use float32, float64, int32, int64, bool, int16 or uint8)")


def _is_dtype(x):
    try:
        dtypes._lookup(x)
        return True
    except (TypeError, ValueError):
        return False


def _is_int(x):
    return isinstance(x, numbers.Integral) and not isinstance(x, (bool, np.bool_))


def _is_sequence(x):
    return isinstance(x, (list, tuple, np.ndarray)) or (hasattr(x, "__iter__") and hasattr(x, "__len__")
                                                        and not isinstance(x, (str, bytes, dict)))


def _is_node(x):
    return isinstance(x, _core.Node) or isinstance(getattr(x, "_node", None), _core.Node)


def _is_value(x):
    # NOTE: a str too: numpy makes an array of it, which the engine refuses with a DTypeError
    return (isinstance(x, (numbers.Number, np.generic, np.ndarray, list, tuple, str)) or hasattr(x, "__array__")
            or hasattr(x, "__array_interface__"))


def _are_ints(x, none_too=False):
    return _is_sequence(x) and all(_is_int(d) or (none_too and d is None) for d in x)


def list_of(kind):
    """A list or tuple whose every element is `kind`."""
    return Kind(f"a list of {kind.what.removeprefix('a ').removeprefix('an ')}s",
                lambda x: isinstance(x, (list, tuple)) and all(kind.test(e) for e in x))


NONE = Kind("None", lambda x: x is None, fast=[type(None)])
ANY = Kind("anything", lambda x: True)
INT = Kind("an int", _is_int, fast=[int])
REAL = Kind("a number", lambda x: isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_)), fast=[float, int])
BOOL = Kind("True or False", lambda x: isinstance(x, (bool, np.bool_)) or _is_int(x), fast=[bool])
STR = Kind("a string", lambda x: isinstance(x, str), fast=[str])
NAME = STR | NONE
PATH = Kind("a path (a string or os.PathLike)", lambda x: isinstance(x, (str, os.PathLike)), os.fspath, fast=[str])
NODE = Kind("a graph node", _is_node, fast=[_core.Node])
TENSOR = Kind("a node or an array-like value (a number, a list, a numpy array)", lambda x: _is_node(x) or _is_value(x),
              fast=[_core.Node, float, int, list, np.ndarray, np.float64, np.float32])
DTYPE = _DTypeKind("a dtype (tensorgraph.float32, a numpy dtype, float, 'int64', ...)", _is_dtype)
DIMS = Kind("a list of ints", _are_ints)
SHAPE = Kind("None or a list of ints (None for an unknown dimension)", lambda x: x is None or _are_ints(x, True),
             fast=[type(None)])
AXIS = Kind("None, an int or a list of ints", lambda x: x is None or _is_int(x) or _are_ints(x), fast=[type(None), int])
NODES = list_of(NODE)
TENSORS = list_of(TENSOR)
GRAPH = Kind("a tensorgraph.Graph", lambda x: isinstance(x, _core.Graph))
SESSION = Kind("a tensorgraph.Session", lambda x: isinstance(x, _core.Session))
FEED_DICT = Kind("None or a dict {node: value}", lambda x: x is None or isinstance(x, dict), fast=[type(None), dict])
CALLABLE = Kind("a callable", callable)


def _where(fn):
    """"one_hot", "AdamOptimizer.minimize", "AdamOptimizer" (for __init__)."""
    return fn.__qualname__.removesuffix(".__init__").replace(".<locals>", "")


_MISSING = object()  # the default the wrapper gives a required argument, to name it when it is left out


def checked(fn):
    """`fn` with its arguments checked against its annotations (Kinds) on every call.

    NOTE: the wrapper is generated with fn's parameters, each check written out (a type lookup in
    the Kind's fast types, then its test), so that building a graph stays fast. Every parameter has
    a default in it and *args / **kwargs catch the rest: a missing, extra or unknown argument is
    then the library's ArgumentTypeError too, not Python's own TypeError."""
    sig = inspect.signature(fn)
    P = inspect.Parameter
    params = list(sig.parameters.values())
    where = _where(fn)
    usage = where + str(sig.replace(parameters=[p.replace(annotation=P.empty) for p in params],
                                    return_annotation=P.empty))
    names = [p.name for p in params]
    if any(p.kind in (P.POSITIONAL_ONLY, P.VAR_POSITIONAL, P.VAR_KEYWORD) for p in params) or "_extra" in names:
        raise TypeError(f"checked: {where} has a parameter kind the generated wrapper does not handle")
    env = {"_fn": fn, "_MISSING": _MISSING}
    head, checks, call = [], [], []
    for i, p in enumerate(params):
        if p.kind == P.KEYWORD_ONLY and "*_extra" not in head:
            head.append("*_extra")
        default = _MISSING if p.default is P.empty else p.default
        env[f"_d{i}"] = default
        head.append(f"{p.name}=_d{i}")
        call.append(p.name if p.kind == P.POSITIONAL_OR_KEYWORD else f"{p.name}={p.name}")
        kind = p.annotation if isinstance(p.annotation, Kind) else None
        if kind is None:
            continue
        env[f"_f{i}"], env[f"_t{i}"] = kind.fast, kind.test
        env[f"_e{i}"] = functools.partial(kind.error, where, p.name)
        skip = f"{p.name} is _d{i} or " if default is not _MISSING else ""  # a default is trusted
        checks.append(f"    if not ({skip}type({p.name}) in _f{i} or _t{i}({p.name})):\n"
                      f"        raise _e{i}({p.name})")
    if "*_extra" not in head:
        head.append("*_extra")
    head.append("**_unknown")
    missing = " or ".join(f"{p.name} is _MISSING" for p in params if p.default is P.empty)
    env["_misfit"] = functools.partial(_misfit, usage, names, sum(p.kind == P.POSITIONAL_OR_KEYWORD for p in params))
    source = (f"def {fn.__name__}({', '.join(head)}):\n"
              f"    if _extra or _unknown{' or ' + missing if missing else ''}:\n"
              f"        raise _misfit(_extra, _unknown, [{', '.join(names)}])\n"
              + "".join(c + "\n" for c in checks)
              + f"    return _fn({', '.join(call)})\n")
    exec(source, env)  # noqa: S102 (our own source, made from fn's parameter names)
    call_fn = functools.update_wrapper(env[fn.__name__], fn)
    call_fn.__signature__ = sig
    call_fn.checked = True
    return call_fn


def _misfit(usage, names, positional, extra, unknown, values):
    """The ArgumentTypeError of a call that does not fit the signature (what binding would say)."""
    if extra:
        problem = f"takes {positional} positional arguments, got {positional + len(extra)}"
    elif unknown:
        problem = f"no argument named '{next(iter(unknown))}'"
    else:
        problem = f"missing the argument '{names[[v is _MISSING for v in values].index(True)]}'"
    return _core.ArgumentTypeError(f"{usage}: {problem}")


def forward(target):
    """A decorator for a stub whose signature (with Kinds) and docstring describe `target`, a C++
    function: the result calls target with its arguments (by position, keyword-only ones by name),
    converted where their Kind says (a path to a str). Check it: @checked or @install above."""
    def wrap(stub):
        sig = inspect.signature(stub)
        conversions = [(p.name, p.annotation.convert) for p in sig.parameters.values()
                       if isinstance(p.annotation, Kind) and p.annotation.convert]

        @functools.wraps(stub)
        def call(*args, **kwargs):
            bound = sig.bind(*args, **kwargs)
            bound.apply_defaults()
            for name, convert in conversions:
                bound.arguments[name] = convert(bound.arguments[name])
            return target(*bound.args, **bound.kwargs)

        return call
    return wrap


def install(cls, name, static=False):
    """A decorator that makes the function `cls.name`, checked (a static method if `static`): the
    Python face of a C++ class's method."""
    def put(fn):
        fn.__name__, fn.__qualname__ = name, f"{cls.__name__.rpartition('.')[2]}.{name}"
        method = checked(fn)
        setattr(cls, name, staticmethod(method) if static else method)
        return method
    return put
