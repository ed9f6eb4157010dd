"""Conversions between Python values and graph nodes, and the operators on nodes."""
import numbers

import numpy as np

from . import _core


def as_node(x, like=None):
    """x as a graph node: nodes pass through, Operations give their node, values become constants
    (a number next to a node takes that node's dtype, as numpy's Python scalars do)."""
    if isinstance(x, _core.Node):
        return x
    node = getattr(x, "_node", None)
    if isinstance(node, _core.Node):
        return node
    if like is not None and isinstance(x, (numbers.Number, np.number)) and not isinstance(x, bool):
        return _core.scalar_like(like, float(x))
    dtype = like.dtype if like is not None else None
    return _core.constant(x, dtype, "")


def operands(x, y):
    """Both operands as nodes; a plain value takes its dtype from the other operand."""
    xn = x if isinstance(x, _core.Node) else getattr(x, "_node", None)
    yn = y if isinstance(y, _core.Node) else getattr(y, "_node", None)
    if xn is None:
        xn = as_node(x, yn)
    if yn is None:
        yn = as_node(y, xn)
    return xn, yn


def name_arg(name):
    if name is None:
        return ""
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__}")
    return name


def install_operators(ops):
    """Python operators on nodes and Operations build the element-wise ops."""
    for cls in (_core.Node, ops.Operation):
        cls.__add__ = lambda a, b: ops.add(a, b)
        cls.__radd__ = lambda a, b: ops.add(b, a)
        cls.__sub__ = lambda a, b: ops.subtract(a, b)
        cls.__rsub__ = lambda a, b: ops.subtract(b, a)
        cls.__mul__ = lambda a, b: ops.multiply(a, b)
        cls.__rmul__ = lambda a, b: ops.multiply(b, a)
        cls.__truediv__ = lambda a, b: ops.divide(a, b)
        cls.__rtruediv__ = lambda a, b: ops.divide(b, a)
        cls.__matmul__ = lambda a, b: ops.matmul(a, b)
        cls.__rmatmul__ = lambda a, b: ops.matmul(b, a)
        cls.__neg__ = lambda a: ops.negative(a)
        cls.__abs__ = lambda a: ops.abs(a)
        cls.__pow__ = lambda a, b: ops.pow(a, b)
        cls.__rpow__ = lambda a, b: ops.pow(b, a)
        # TensorFlow 1.x: element-wise comparisons building nodes (== and hash stay identity: nodes are dict keys)
        cls.__lt__ = lambda a, b: ops.less(a, b)
        cls.__le__ = lambda a, b: ops.less_equal(a, b)
        cls.__gt__ = lambda a, b: ops.greater(a, b)
        cls.__ge__ = lambda a, b: ops.greater_equal(a, b)
        cls.__array_ufunc__ = None  # numpy defers to these operators
