"""Forward values of every registered operation against numpy (the oracle).

One table row per case: the op it exercises, a builder on tensorgraph nodes, the numpy reference on
arrays, and the input arrays. Each case runs twice: with fully shaped, typed placeholders (the static
shape and dtype of the node must match numpy's result) and with bare `placeholder()`s (shape and
dtype found at run time, as in the tutorial).
"""
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np
import pytest

import tensorgraph as ts
import tensorgraph.distributed as hvd
from tensorgraph import _core
from conftest import ref_matmul_grad
from conftest import torch_conv2d, torch_conv2d_backprop

R = np.random.default_rng(12345)

# Ops exercised elsewhere: the optimizer's update op and Python Operation subclasses.
# the optimizer updates are tested in test_optimizers.py (against torch.optim)
INTERNAL_OPS = {"apply_gradient_descent", "apply_momentum", "apply_rms_prop", "apply_adam", "custom",
                "random_uniform_like", "random_normal"}  # random: tested in test_layers.py
INTERNAL_OPS |= {"assign_moving_average", "group"}  # updates: test_batch_norm.py
INTERNAL_OPS |= {"block_lstm_grad"}  # block_lstm's gradient: test_ops_gradients.py against torch
INTERNAL_OPS |= {"assign", "no_op", "truncated_normal", "random_uniform"}  # test_tf1_basics.py, test_initializers.cpp


def f64(*shape, lo=-2.0, hi=2.0):
    return R.uniform(lo, hi, size=shape)


def f32(*shape, lo=-2.0, hi=2.0):
    return R.uniform(lo, hi, size=shape).astype(np.float32)


def pos(*shape):
    return R.uniform(0.25, 3.0, size=shape)


def away_from_zero(*shape):
    x = R.uniform(0.2, 2.0, size=shape)
    return x * R.choice([-1.0, 1.0], size=shape)


def small_ints(*shape):
    """Integer-valued floats: equal() and greater() then see ties."""
    return R.integers(-2, 3, size=shape).astype(np.float64)


# numpy references ---------------------------------------------------------------------------------

def np_softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def np_log_softmax(x):
    m = x.max(axis=-1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=-1, keepdims=True))


def np_sce(labels, logits):
    return -(labels * np_log_softmax(logits)).sum(axis=-1)


def np_sum_to(g, shape):
    """Sums g over the axes that numpy broadcasting added to reach g.shape from shape."""
    lead = g.ndim - len(shape)
    g = g.sum(axis=tuple(range(lead))) if lead else g
    axes = tuple(i for i, d in enumerate(shape) if d == 1 and g.shape[i] != 1)
    return g.sum(axis=axes, keepdims=True) if axes else g


def np_sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def one_hot(rows, cols):
    return np.eye(cols)[R.integers(0, cols, size=rows)]


@dataclass
class Case:
    id: str
    op: str                      # the registered op this case covers
    build: Callable              # tensorgraph nodes -> node
    ref: Callable                # numpy arrays -> array
    inputs: list
    node_type: Optional[str] = None  # the output node's type when it is not `op`
    rtol: float = 1e-12
    atol: float = 1e-15
    tags: set = field(default_factory=set)


def C(id, op, build, ref, *inputs, **kw):
    return Case(id, op, build, ref, list(inputs), **kw)


F32 = dict(rtol=2e-6, atol=1e-7)

CASES = [
    # element-wise binary ops, with broadcasting ---------------------------------------------------
    C("add [2,3]+[2,3]", "add", ts.add, np.add, f64(2, 3), f64(2, 3)),
    C("add [2,3]+[3]", "add", ts.add, np.add, f64(2, 3), f64(3)),
    C("add [2,1]+[1,3]", "add", ts.add, np.add, f64(2, 1), f64(1, 3)),
    C("add scalar+[2,3]", "add", ts.add, np.add, np.float64(1.5), f64(2, 3)),
    C("add [2,3]+scalar", "add", ts.add, np.add, f64(2, 3), np.float64(-0.5)),
    C("add [2,1,3]+[4,1]", "add", ts.add, np.add, f64(2, 1, 3), f64(4, 1)),
    C("subtract [2,3]-[3]", "subtract", ts.subtract, np.subtract, f64(2, 3), f64(3)),
    C("subtract scalar-[2,3]", "subtract", ts.subtract, np.subtract, np.float64(2.0), f64(2, 3)),
    C("subtract [4]-[3,4]", "subtract", ts.subtract, np.subtract, f64(4), f64(3, 4)),
    C("multiply [2,1]*[1,3]", "multiply", ts.multiply, np.multiply, f64(2, 1), f64(1, 3)),
    C("multiply [2,3]*scalar", "multiply", ts.multiply, np.multiply, f64(2, 3), np.float64(3.0)),
    C("multiply [3]*[2,3]", "multiply", ts.multiply, np.multiply, f64(3), f64(2, 3)),
    C("divide [2,3]/[3]", "divide", ts.divide, np.divide, f64(2, 3), away_from_zero(3)),
    C("divide scalar/[2,3]", "divide", ts.divide, np.divide, np.float64(1.0), away_from_zero(2, 3)),
    C("divide [2,1]/[1,3]", "divide", ts.divide, np.divide, f64(2, 1), away_from_zero(1, 3)),
    # element-wise unary ops ----------------------------------------------------------------------
    C("negative", "negative", ts.negative, np.negative, f64(2, 3)),
    C("negative scalar", "negative", ts.negative, np.negative, np.float64(4.0)),
    C("exp", "exp", ts.exp, np.exp, f64(2, 3)),
    C("log", "log", ts.log, np.log, pos(2, 3)),
    C("square", "square", ts.square, np.square, f64(2, 3)),
    C("sqrt", "sqrt", ts.sqrt, np.sqrt, pos(2, 3)),
    C("sigmoid", "sigmoid", ts.sigmoid, np_sigmoid, f64(2, 3)),
    C("sigmoid large magnitude", "sigmoid", ts.sigmoid, np_sigmoid, np.array([-40.0, -5.0, 0.0, 5.0, 40.0])),
    C("relu", "relu", ts.relu, lambda x: np.maximum(x, 0.0), away_from_zero(3, 4)),
    C("log1p", "log1p", ts.log1p, np.log1p, np.array([-0.5, 0.0, 1e-300, 1e-10, 3.0])),
    C("leaky_relu", "leaky_relu", lambda x: ts.nn.leaky_relu(x, alpha=0.3), lambda x: np.where(x > 0, x, 0.3 * x),
      away_from_zero(3, 4)),
    # collectives in a world of one (python/tests/test_distributed.py runs them over 2 ranks)
    C("allreduce mean, one rank", "allreduce", lambda x: hvd.allreduce(x), lambda x: x, f64(2, 3)),
    C("allreduce sum, one rank", "allreduce", lambda x: hvd.allreduce(x, op=hvd.Sum), lambda x: x, f64(2, 3)),
    C("broadcast, one rank", "broadcast", lambda x: hvd.broadcast(x, 0), lambda x: x, f64(2, 3)),
    C("sigmoid_cross_entropy_with_logits", "sigmoid_cross_entropy_with_logits",
      lambda z, x: ts.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x),
      lambda z, x: np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x))),
      np.linspace(0, 1, 12).reshape(3, 4), np.array([[-800.0, -30.0, -3.0, -0.5], [0.0, 1e-9, 0.5, 2.0], [4.0, 30.0, 700.0, 800.0]])),
    C("softplus", "softplus", ts.nn.softplus, lambda x: np.logaddexp(0.0, x), np.array([-1000.0, -3.0, 0.0, 2.5, 1000.0])),
    C("relu_grad", "relu_grad", ts.nn.relu_grad, lambda g, f: np.where(f > 0, g, 0.0), f64(3, 4), away_from_zero(3, 4)),
    C("tanh", "tanh", ts.tanh, np.tanh, f64(2, 3)),
    C("check_numerics finite: x unchanged", "check_numerics", lambda x: ts.check_numerics(x, "m"), lambda x: x, f64(2, 3)),
    C("check_numerics int32 passes", "check_numerics", lambda x: ts.check_numerics(x, "m"), lambda x: x,
      np.array([[1, -2], [3, 2**31 - 1]], np.int32), rtol=0, atol=0),
    # matmul: numpy dot for rank <= 2 -------------------------------------------------------------
    C("matmul 2-D.2-D", "matmul", ts.matmul, np.dot, f64(2, 3), f64(3, 4)),
    C("matmul 2-D.1-D", "matmul", ts.matmul, np.dot, f64(2, 3), f64(3)),
    C("matmul 1-D.2-D", "matmul", ts.matmul, np.dot, f64(3), f64(3, 4)),
    C("matmul 1-D.1-D", "matmul", ts.matmul, np.dot, f64(3), f64(3)),
    C("matmul transpose_a", "matmul", lambda a, b: ts.matmul(a, b, transpose_a=True),
      lambda a, b: a.T @ b, f64(3, 2), f64(3, 4)),
    C("matmul transpose_b", "matmul", lambda a, b: ts.matmul(a, b, transpose_b=True),
      lambda a, b: a @ b.T, f64(2, 3), f64(4, 3)),
    C("matmul transpose_a and _b", "matmul", lambda a, b: ts.matmul(a, b, transpose_a=True, transpose_b=True),
      lambda a, b: a.T @ b.T, f64(3, 2), f64(4, 3)),
    # softmax family (last axis) --------------------------------------------------------------------
    C("softmax [2,3]", "softmax", ts.softmax, np_softmax, f64(2, 3)),
    C("softmax [4]", "softmax", ts.softmax, np_softmax, f64(4)),
    C("softmax [2,3,4]", "softmax", ts.softmax, np_softmax, f64(2, 3, 4)),
    C("softmax large logits", "softmax", ts.softmax, np_softmax, np.array([[1000.0, -1000.0, 0.0], [-800.0, -801.0, -799.5]])),
    C("log_softmax [2,3]", "log_softmax", ts.log_softmax, np_log_softmax, f64(2, 3)),
    C("log_softmax [2,3,4]", "log_softmax", ts.log_softmax, np_log_softmax, f64(2, 3, 4)),
    C("log_softmax large logits", "log_softmax", ts.log_softmax, np_log_softmax,
      np.array([[1000.0, -1000.0, 0.0], [-800.0, -801.0, -799.5]])),
    C("sparse_softmax_cross_entropy int64", "sparse_softmax_cross_entropy_with_logits",
      lambda lab, lg: ts.sparse_softmax_cross_entropy_with_logits(labels=lab, logits=lg),
      lambda lab, lg: -np.take_along_axis(np_log_softmax(lg), lab[..., None], -1)[..., 0],
      R.integers(0, 4, size=5), f64(5, 4)),
    C("sparse_softmax_cross_entropy int32 3-D, large logits", "sparse_softmax_cross_entropy_with_logits",
      lambda lab, lg: ts.sparse_softmax_cross_entropy_with_logits(labels=lab, logits=lg),
      lambda lab, lg: -np.take_along_axis(np_log_softmax(lg), lab[..., None].astype(np.int64), -1)[..., 0],
      R.integers(0, 3, size=(2, 2)).astype(np.int32), f64(2, 2, 3) * 1e4),
    C("one_hot float32", "one_hot", lambda i: ts.one_hot(i, 4), lambda i: np.eye(4, dtype=np.float32)[i],
      R.integers(0, 4, size=6)),
    C("one_hot [2,3] float64", "one_hot", lambda i: ts.one_hot(i, 3, dtype=np.float64), lambda i: np.eye(3)[i],
      R.integers(0, 3, size=(2, 3)).astype(np.int32)),
    C("softmax_cross_entropy one-hot", "softmax_cross_entropy_with_logits",
      lambda lab, lg: ts.softmax_cross_entropy_with_logits(labels=lab, logits=lg), np_sce, one_hot(5, 4), f64(5, 4)),
    C("softmax_cross_entropy soft labels", "softmax_cross_entropy_with_logits",
      lambda lab, lg: ts.softmax_cross_entropy_with_logits(labels=lab, logits=lg), np_sce,
      np_softmax(f64(3, 4)), f64(3, 4)),
    C("softmax_cross_entropy large logits", "softmax_cross_entropy_with_logits",
      lambda lab, lg: ts.softmax_cross_entropy_with_logits(labels=lab, logits=lg), np_sce,
      np.array([[0.0, 1.0, 0.0], [0.25, 0.25, 0.5]]), np.array([[1000.0, -1000.0, 0.0], [-800.0, -801.0, -799.5]])),
    # comparisons --------------------------------------------------------------------------------------
    C("argmax axis 0", "argmax", lambda x: ts.argmax(x, 0), lambda x: np.argmax(x, 0), f64(4, 3)),
    C("argmax axis 1", "argmax", lambda x: ts.argmax(x, 1), lambda x: np.argmax(x, 1), f64(4, 3)),
    C("argmax axis -1 of 3-D", "argmax", lambda x: ts.argmax(x, -1), lambda x: np.argmax(x, -1), f64(2, 3, 5)),
    C("argmax 1-D", "argmax", lambda x: ts.argmax(x, 0), lambda x: np.argmax(x, 0), f64(7)),
    C("equal [2,3]==[3]", "equal", ts.equal, np.equal, small_ints(4, 3), small_ints(3)),
    C("equal [2,3]==[2,3]", "equal", ts.equal, np.equal, small_ints(2, 3), small_ints(2, 3)),
    C("greater [4,3]>[3]", "greater", ts.greater, np.greater, small_ints(4, 3), small_ints(3)),
    C("greater [2,1]>[1,3]", "greater", ts.greater, np.greater, small_ints(2, 1), small_ints(1, 3)),
    # cast (numpy astype: float -> int truncates towards zero) ---------------------------------------
    C("cast f64->f32", "cast", lambda x: ts.cast(x, np.float32), lambda x: x.astype(np.float32), f64(2, 3), rtol=0, atol=0),
    C("cast f64->i32", "cast", lambda x: ts.cast(x, np.int32), lambda x: x.astype(np.int32),
      np.array([-2.7, -1.2, -0.5, 0.0, 0.5, 1.7, 3.0])),
    C("cast f64->i64", "cast", lambda x: ts.cast(x, np.int64), lambda x: x.astype(np.int64), np.array([[-3.9, 2.2], [7.0, -0.1]])),
    C("cast f64->bool", "cast", lambda x: ts.cast(x, bool), lambda x: x.astype(bool), np.array([0.0, -1.5, 2.0, 0.0])),
    C("cast i32->f64", "cast", lambda x: ts.cast(x, np.float64), lambda x: x.astype(np.float64),
      np.array([[-3, 0], [5, 2]], dtype=np.int32)),
    C("cast bool->f64", "cast", lambda x: ts.cast(x, "float64"), lambda x: x.astype(np.float64), np.array([True, False, True])),
    # shape ops ------------------------------------------------------------------------------------------
    C("reshape [2,3]->[3,2]", "reshape", lambda x: ts.reshape(x, [3, 2]), lambda x: x.reshape(3, 2), f64(2, 3)),
    C("reshape [2,3]->[-1]", "reshape", lambda x: ts.reshape(x, [-1]), lambda x: x.reshape(-1), f64(2, 3)),
    C("reshape [2,6]->[2,-1,2]", "reshape", lambda x: ts.reshape(x, [2, -1, 2]), lambda x: x.reshape(2, -1, 2), f64(2, 6)),
    C("reshape [6]->[-1,3]", "reshape", lambda x: ts.reshape(x, [-1, 3]), lambda x: x.reshape(-1, 3), f64(6)),
    C("reshape [1,1]->[]", "reshape", lambda x: ts.reshape(x, []), lambda x: x.reshape(()), f64(1, 1)),
    C("transpose 2-D", "transpose", ts.transpose, np.transpose, f64(2, 3)),
    C("transpose 3-D no perm", "transpose", ts.transpose, np.transpose, f64(2, 3, 4)),
    C("transpose 3-D perm [1,0,2]", "transpose", lambda x: ts.transpose(x, [1, 0, 2]),
      lambda x: np.transpose(x, [1, 0, 2]), f64(2, 3, 4)),
    C("transpose 3-D perm [2,0,1]", "transpose", lambda x: ts.transpose(x, [2, 0, 1]),
      lambda x: np.transpose(x, [2, 0, 1]), f64(2, 3, 4)),
    C("reshape_like [2,3] like [3,2]", "reshape_like", ts.reshape_like, lambda x, like: x.reshape(like.shape),
      f64(2, 3), f64(3, 2), node_type="reshape"),
    C("reshape_like [6] like [2,3]", "reshape_like", ts.reshape_like, lambda x, like: x.reshape(like.shape),
      f64(6), f64(2, 3), node_type="reshape"),
    # ops used by autodiff ------------------------------------------------------------------------------
    C("fill_like [2,3]", "fill_like", lambda x: ts.fill_like(x, 2.5), lambda x: np.full_like(x, 2.5), f64(2, 3)),
    C("fill_like scalar", "fill_like", lambda x: ts.fill_like(x, -1.0), lambda x: np.full_like(x, -1.0), np.float64(3.0)),
    C("sum_to [2,3]->[3]", "sum_to", ts.sum_to, lambda g, like: np_sum_to(g, like.shape), f64(2, 3), f64(3)),
    C("sum_to [2,3]->[2,1]", "sum_to", ts.sum_to, lambda g, like: np_sum_to(g, like.shape), f64(2, 3), f64(2, 1)),
    C("sum_to [2,3]->[]", "sum_to", ts.sum_to, lambda g, like: np_sum_to(g, like.shape), f64(2, 3), np.float64(0.0)),
    C("sum_to [4,2,3]->[2,1]", "sum_to", ts.sum_to, lambda g, like: np_sum_to(g, like.shape), f64(4, 2, 3), f64(2, 1)),
    C("sum_to same shape", "sum_to", ts.sum_to, lambda g, like: np_sum_to(g, like.shape), f64(2, 3), f64(2, 3)),
    C("matmul_grad da [2,3].[3,4]", "matmul_grad", lambda a, b, d: ts.matmul_grad(a, b, d, 0),
      lambda a, b, d: ref_matmul_grad(a, b, d, 0), f64(2, 3), f64(3, 4), f64(2, 4)),
    C("matmul_grad db [2,3].[3,4]", "matmul_grad", lambda a, b, d: ts.matmul_grad(a, b, d, 1),
      lambda a, b, d: ref_matmul_grad(a, b, d, 1), f64(2, 3), f64(3, 4), f64(2, 4)),
    C("matmul_grad da [3].[3,4]", "matmul_grad", lambda a, b, d: ts.matmul_grad(a, b, d, 0),
      lambda a, b, d: ref_matmul_grad(a, b, d, 0), f64(3), f64(3, 4), f64(4)),
    C("matmul_grad db [2,3].[3]", "matmul_grad", lambda a, b, d: ts.matmul_grad(a, b, d, 1),
      lambda a, b, d: ref_matmul_grad(a, b, d, 1), f64(2, 3), f64(3), f64(2)),
    C("matmul_grad db [3].[3] -> scalar", "matmul_grad", lambda a, b, d: ts.matmul_grad(a, b, d, 1),
      lambda a, b, d: ref_matmul_grad(a, b, d, 1), f64(3), f64(3), np.float64(1.5)),
    C("matmul_grad da transpose_a and _b", "matmul_grad",
      lambda a, b, d: ts.matmul_grad(a, b, d, 0, transpose_a=True, transpose_b=True),
      lambda a, b, d: ref_matmul_grad(a, b, d, 0, True, True), f64(3, 2), f64(4, 3), f64(2, 4)),
    C("matmul_grad db transpose_b", "matmul_grad", lambda a, b, d: ts.matmul_grad(a, b, d, 1, transpose_b=True),
      lambda a, b, d: ref_matmul_grad(a, b, d, 1, False, True), f64(2, 3), f64(4, 3), f64(2, 4)),
    C("broadcast_like [3]->[2,3]", "broadcast_like", ts.broadcast_like,
      lambda y, like: np.broadcast_to(y, like.shape), f64(3), f64(2, 3)),
    C("broadcast_like [2,1]->[2,3]", "broadcast_like", ts.broadcast_like,
      lambda y, like: np.broadcast_to(y, like.shape), f64(2, 1), f64(2, 3)),
    C("broadcast_like []->[2,3]", "broadcast_like", ts.broadcast_like,
      lambda y, like: np.broadcast_to(y, like.shape), np.float64(7.0), f64(2, 3)),
    C("broadcast_like [1,3]->[4,2,3]", "broadcast_like", ts.broadcast_like,
      lambda y, like: np.broadcast_to(y, like.shape), f64(1, 3), f64(4, 2, 3)),
    # the TensorFlow 1.x surface (issue 12) ---------------------------------------------------------------
    C("identity", "identity", ts.identity, lambda x: x, f64(2, 3)),
    C("identity int32", "identity", ts.identity, lambda x: x, np.array([3, -1], np.int32)),
    C("stop_gradient", "stop_gradient", ts.stop_gradient, lambda x: x, f64(2, 3)),
    C("stop_gradient bool", "stop_gradient", ts.stop_gradient, lambda x: x, np.array([True, False])),
    C("abs", "abs", ts.abs, np.abs, np.array([-1.5, -0.0, 0.0, 2.0, -np.inf])),
    C("abs() operator", "abs", abs, np.abs, f64(3, 4)),
    C("abs int64", "abs", ts.abs, np.abs, np.array([-3, 0, 4, np.iinfo(np.int64).min])),
    C("less [4,3]<[3]", "less", ts.less, np.less, small_ints(4, 3), small_ints(3)),
    C("less NaN", "less", ts.less, np.less, np.array([np.nan, 1.0, np.nan]), np.array([1.0, np.nan, np.nan])),
    C("< operator [2,1]<[1,3]", "less", lambda x, y: x < y, np.less, small_ints(2, 1), small_ints(1, 3)),
    C("less_equal [4,3]<=[3]", "less_equal", ts.less_equal, np.less_equal, small_ints(4, 3), small_ints(3)),
    C("<= operator", "less_equal", lambda x, y: x <= y, np.less_equal, small_ints(3, 4), small_ints(4)),
    C("greater_equal [4,3]>=[3]", "greater_equal", ts.greater_equal, np.greater_equal, small_ints(4, 3), small_ints(3)),
    C(">= operator, NaN", "greater_equal", lambda x, y: x >= y, np.greater_equal, np.array([np.nan, 1.0, 2.0]),
      np.array([np.nan, 1.0, 3.0])),
    C("> operator", "greater", lambda x, y: x > y, np.greater, small_ints(2, 3), small_ints(2, 1)),
    C("x > 0.5 (a number takes x's dtype)", "greater", lambda x: x > 0.5, lambda x: x > 0.5, f64(2, 3)),
    C("not_equal [4,3]!=[3]", "not_equal", ts.not_equal, np.not_equal, small_ints(4, 3), small_ints(3)),
    C("not_equal NaN", "not_equal", ts.not_equal, np.not_equal, np.array([np.nan, 1.0]), np.array([np.nan, 1.0])),
    C("not_equal int32", "not_equal", ts.not_equal, np.not_equal, np.array([1, 2], np.int32), np.array([1, 3], np.int32)),
    C("logical_and [4,3]&[3]", "logical_and", ts.logical_and, np.logical_and, R.random((4, 3)) > 0.5, R.random(3) > 0.5),
    C("logical_or [2,1]|[1,3]", "logical_or", ts.logical_or, np.logical_or, R.random((2, 1)) > 0.5, R.random((1, 3)) > 0.5),
    C("logical_not", "logical_not", ts.logical_not, np.logical_not, R.random((2, 3)) > 0.5),
    C("maximum [4,3],[3] with ties", "maximum", ts.maximum, np.maximum, small_ints(4, 3), small_ints(3)),
    C("maximum [2,1],[1,3]", "maximum", ts.maximum, np.maximum, f64(2, 1), f64(1, 3)),
    C("maximum NaN propagates", "maximum", ts.maximum, np.maximum, np.array([np.nan, 1.0, 2.0]), np.array([0.0, np.nan, 1.0])),
    C("maximum int32", "maximum", ts.maximum, np.maximum, np.array([1, -5], np.int32), np.array([2, -7], np.int32)),
    C("minimum [4,3],[3] with ties", "minimum", ts.minimum, np.minimum, small_ints(4, 3), small_ints(3)),
    C("minimum scalar,[2,3]", "minimum", ts.minimum, np.minimum, np.float64(0.25), f64(2, 3)),
    C("minimum NaN propagates", "minimum", ts.minimum, np.minimum, np.array([np.nan, 1.0, 2.0]), np.array([0.0, np.nan, 1.0])),
    C("clip_by_value scalars", "maximum", lambda t: ts.clip_by_value(t, -0.5, 0.5), lambda t: np.clip(t, -0.5, 0.5),
      f64(3, 4)),
    C("clip_by_value [3] and [2,1] bounds", "maximum", ts.clip_by_value, np.clip, f64(2, 3), f64(3, lo=-2, hi=-0.5),
      f64(2, 1, lo=0.5, hi=2)),
    C("clip_by_value int32", "maximum", lambda t: ts.clip_by_value(t, 0, 3), lambda t: np.clip(t, 0, 3),
      np.array([-2, 0, 2, 5], np.int32)),
    C("pow [2,3]^[3]", "pow", ts.pow, np.power, pos(2, 3), f64(3)),
    C("pow [2,1]^[1,3]", "pow", ts.pow, np.power, pos(2, 1), f64(1, 3)),
    C("x ** 3 (negative bases)", "pow", lambda x: x ** 3, lambda x: x ** 3, f64(2, 3)),
    C("2 ** x", "pow", lambda x: 2.0 ** x, lambda x: 2.0 ** x, f64(2, 3)),
    C("x ** y operator", "pow", lambda x, y: x ** y, np.power, pos(3), f64(2, 3)),
    C("pow int32", "pow", ts.pow, np.power, np.array([2, -3, 0, 7], np.int32), np.array([3, 3, 0, 1], np.int32)),
    C("pow int64 wraps", "pow", ts.pow, np.power, np.array([3, 10], np.int64), np.array([41, 19], np.int64)),
    C("argmin axis 0", "argmin", lambda x: ts.argmin(x, 0), lambda x: np.argmin(x, 0), f64(4, 3)),
    C("argmin axis None (0)", "argmin", ts.argmin, lambda x: np.argmin(x, 0), f64(4, 3)),
    C("argmin axis -1 of 3-D", "argmin", lambda x: ts.argmin(x, -1), lambda x: np.argmin(x, -1), f64(2, 3, 5)),
    C("argmin ties: the first", "argmin", lambda x: ts.argmin(x, 1), lambda x: np.argmin(x, 1), small_ints(4, 6)),
    C("argmin NaN: the first NaN", "argmin", lambda x: ts.argmin(x, 1), lambda x: np.argmin(x, 1),
      np.array([[1.0, np.nan, -1.0, np.nan], [2.0, 0.0, 1.0, -3.0]])),
    C("argmax NaN: the first NaN", "argmax", lambda x: ts.argmax(x, 1), lambda x: np.argmax(x, 1),
      np.array([[1.0, 5.0, np.nan, np.nan], [2.0, 0.0, 1.0, -3.0]])),
    C("argmin int32", "argmin", lambda x: ts.argmin(x, 0), lambda x: np.argmin(x, 0), np.array([[3, 1], [2, 5]], np.int32)),
    C("reduce_prod with zeros", "reduce_prod", lambda x: ts.reduce_prod(x, 1), lambda x: np.prod(x, 1),
      np.array([[0.0, 2.0, 3.0], [4.0, 0.0, 0.0], [1.0, -2.0, 0.5]])),
    C("reduce_prod int32 (stays int32, as TensorFlow)", "reduce_prod", lambda x: ts.reduce_prod(x, 0),
      lambda x: np.prod(x, 0, dtype=x.dtype),
      np.array([[1, 2], [3, -4]], np.int32)),
    C("reduce_min NaN", "reduce_min", lambda x: ts.reduce_min(x, 1), lambda x: np.min(x, 1),
      np.array([[1.0, np.nan, 0.0], [2.0, 3.0, -1.0]])),
    C("zeros_like", "fill_like", ts.zeros_like, np.zeros_like, f64(2, 3)),
    C("ones_like int32", "fill_like", ts.ones_like, np.ones_like, np.array([4, 5], np.int32)),
    C("ones_like dtype=float32", "fill_like", lambda x: ts.ones_like(x, dtype=np.float32),
      lambda x: np.ones_like(x, dtype=np.float32), f64(2, 2), node_type="cast", rtol=0, atol=0),
    C("strided_slice (TensorFlow's arguments)", "strided_slice", lambda x: ts.strided_slice(x, [1, 0], [3, 0], [1, 2], end_mask=2),
      lambda x: x[1:3, ::2], f64(4, 5)),
    C("strided_slice shrink and new axis", "strided_slice",
      lambda x: ts.strided_slice(x, [0, -1, 0], [0, 0, 0], [1, 1, 1], new_axis_mask=1, shrink_axis_mask=2, end_mask=4),
      lambda x: x[None, -1, :], f64(4, 5)),
    C("strided_slice_grad of x[1:3, ::2]", "strided_slice_grad",
      lambda x, dy: ts.strided_slice_grad(x, dy, **dict(begin=[1, 0], end=[3, 0], strides=[1, 2], end_mask=2)),
      lambda x, dy: _scatter(x, (slice(1, 3), slice(None, None, 2)), dy), f64(4, 5), f64(2, 3)),
    C("strided_slice_grad of x[-1, ..., ::-2]", "strided_slice_grad",
      lambda x, dy: ts.strided_slice_grad(x, dy, **_SPEC_LAST),
      lambda x, dy: _scatter(x, (-1, Ellipsis, slice(None, None, -2)), dy), f64(2, 3, 5), f64(3, 3)),
    # float32 -----------------------------------------------------------------------------------------
    C("f32 add [2,3]+[3]", "add", ts.add, np.add, f32(2, 3), f32(3), **F32),
    C("f32 multiply [2,1]*[1,3]", "multiply", ts.multiply, np.multiply, f32(2, 1), f32(1, 3), **F32),
    C("f32 divide", "divide", ts.divide, np.divide, f32(2, 3), f32(2, 3, lo=0.5, hi=2.0), **F32),
    C("f32 exp", "exp", ts.exp, np.exp, f32(2, 3), **F32),
    C("f32 sigmoid", "sigmoid", ts.sigmoid, np_sigmoid, f32(2, 3), **F32),
    C("f32 tanh", "tanh", ts.tanh, np.tanh, f32(2, 3), **F32),
    C("f32 matmul", "matmul", ts.matmul, np.dot, f32(4, 5), f32(5, 3), **F32),
    C("f32 softmax", "softmax", ts.softmax, np_softmax, f32(3, 4), **F32),
    C("f32 log_softmax", "log_softmax", ts.log_softmax, np_log_softmax, f32(3, 4), **F32),
    C("f32 reduce_mean axis 0", "reduce_mean", lambda x: ts.reduce_mean(x, 0), lambda x: x.mean(0), f32(5, 3), **F32),
    C("f32 reduce_max", "reduce_max", ts.reduce_max, np.max, f32(5, 3), **F32),
    C("f32 cast->f64", "cast", lambda x: ts.cast(x, np.float64), lambda x: x.astype(np.float64), f32(2, 2), rtol=0, atol=0),
]

# reductions: axis None / int / negative / list, keepdims ----------------------------------------------
_REDUCTIONS = [("reduce_sum", ts.reduce_sum, np.sum), ("reduce_mean", ts.reduce_mean, np.mean),
               ("reduce_max", ts.reduce_max, np.max), ("reduce_min", ts.reduce_min, np.min),
               ("reduce_prod", ts.reduce_prod, np.prod)]
_AXES = [None, 0, 1, -1, [0, 2], [-1, 0], [0, 1, 2]]
for _name, _tg, _np in _REDUCTIONS:
    for _axis in _AXES:
        for _keep in (False, True):
            CASES.append(C(f"{_name} [2,3,4] axis={_axis} keepdims={_keep}", _name,
                           lambda x, f=_tg, a=_axis, k=_keep: f(x, axis=a, keepdims=k),
                           lambda x, f=_np, a=_axis, k=_keep: f(x, axis=None if a is None else tuple(a) if isinstance(a, list) else a, keepdims=k),
                           f64(2, 3, 4)))
    CASES.append(C(f"{_name} 1-D", _name, _tg, _np, f64(5)))
    CASES.append(C(f"{_name} [3,2] axis=1 (tutorial)", _name, lambda x, f=_tg: f(x, axis=1), lambda x, f=_np: f(x, axis=1), f64(3, 2)))


# indexing: x[key] (strided_slice) against numpy's basic indexing ---------------------------------------
SLICE_KEYS = [1, -1, (1, 2), (slice(None), 0), (slice(1, 3), slice(None, None, 2)), (Ellipsis, 1), (None, Ellipsis),
              (slice(None, None, -1),), (1, 2, 3), (-1, -2, -3), (slice(3, 1, -1), 2, None), (Ellipsis, None, slice(1, None)),
              (slice(-2, None), slice(None, -1), slice(None, None, 3)), (slice(10, 20),), (slice(-10, 2),),
              (slice(None), None, slice(4, 0, -2), 1), (0, Ellipsis, -1), (Ellipsis,), (None, 1, None, slice(2, 4)),
              (slice(None, None, -2), Ellipsis, slice(None, None, -1))]


def key_str(key):
    def one(k):
        if k is Ellipsis:
            return "..."
        if isinstance(k, slice):
            return ":".join("" if v is None else str(v) for v in (k.start, k.stop, k.step)).rstrip(":") or ":"
        return str(k)
    return ", ".join(one(k) for k in (key if isinstance(key, tuple) else (key,)))


def _scatter(x, key, dy):
    z = np.zeros_like(x, dtype=np.asarray(dy).dtype)
    z[key] = dy
    return z


_SPEC_LAST = dict(begin=[-1, 0, 0], end=[0, 0, 0], strides=[1, 1, -2], begin_mask=4, end_mask=4, ellipsis_mask=2,
                  shrink_axis_mask=1)
for _key in SLICE_KEYS:
    CASES.append(C(f"x[{key_str(_key)}] of [4,5,6]", "strided_slice", lambda x, k=_key: x[k], lambda x, k=_key: x[k],
                   f64(4, 5, 6)))
CASES.append(C("x[1, ::2] of int32", "strided_slice", lambda x: x[1, ::2], lambda x: x[1, ::2],
               np.arange(12, dtype=np.int32).reshape(3, 4)))
CASES.append(C("x[::-1] of bool", "strided_slice", lambda x: x[::-1], lambda x: x[::-1], R.random(5) > 0.5))
CASES.append(C("x[0] of 1-D: a scalar", "strided_slice", lambda x: x[0], lambda x: x[0], f64(3)))



def _torch_ref(f):
    """A numpy reference from a torch function (the convolutions' oracle: conftest.torch_conv2d)."""
    def ref(*arrays):
        import torch
        return f(*[torch.tensor(a) for a in arrays]).detach().numpy()
    return ref


_SAME2 = dict(strides=(2, 2), padding="SAME")  # uneven SAME on 7x6 with a 3x3 window at stride 2
CASES += [
    C("conv2d SAME stride 2 (more in test_conv.py)", "conv2d", lambda x, w: ts.nn.conv2d(x, w, [1, 2, 2, 1], "SAME"),
      _torch_ref(lambda x, w: torch_conv2d(x, w, **_SAME2)), f64(2, 7, 6, 3), f64(3, 3, 3, 4), atol=1e-12),
    C("conv2d_backprop_input, the input as input_sizes", "conv2d_backprop_input",
      lambda x, w, dy: ts.nn.conv2d_backprop_input(x, w, dy, [1, 2, 2, 1], "SAME"),
      _torch_ref(lambda x, w, dy: torch_conv2d_backprop(0, x, w, dy, **_SAME2)), f64(2, 7, 6, 3), f64(3, 3, 3, 4),
      f64(2, 4, 3, 4), atol=1e-12),
    C("conv2d_backprop_filter, the filters as filter_sizes", "conv2d_backprop_filter",
      lambda x, w, dy: ts.nn.conv2d_backprop_filter(x, w, dy, [1, 2, 2, 1], "SAME"),
      _torch_ref(lambda x, w, dy: torch_conv2d_backprop(1, x, w, dy, **_SAME2)), f64(2, 7, 6, 3), f64(3, 3, 3, 4),
      f64(2, 4, 3, 4), atol=1e-12),
]

# pooling, bias_add, pad (tf.nn, tf.pad) against PyTorch with TensorFlow's padding (pool_reference.py) -----
from pool_reference import np_of, tbias_add, tbias_add_grad, tmax_select, tpad, tpad_grad, tpool, tpool_grad  # noqa: E402

_K3, _S2, _K2, _S1 = [1, 3, 3, 1], [1, 2, 2, 1], [1, 2, 2, 1], [1, 1, 1, 1]
_POOLS = [  # (id, ksize, strides, padding, data_format, input shape)
    ("3x3 stride 2 SAME, odd sizes", _K3, _S2, "SAME", "NHWC", (2, 7, 5, 3)),
    ("3x3 stride 2 SAME uneven (6 -> 3)", _K3, _S2, "SAME", "NHWC", (1, 6, 6, 2)),
    ("2x2 stride 2 VALID NCHW", [1, 1, 2, 2], [1, 1, 2, 2], "VALID", "NCHW", (2, 3, 5, 4)),
    ("3x2 stride [1,2] SAME NCHW", [1, 1, 3, 2], [1, 1, 1, 2], "SAME", "NCHW", (1, 2, 5, 5)),
    ("1x1 stride 2 SAME", [1, 1, 1, 1], _S2, "SAME", "NHWC", (1, 5, 4, 2)),
]
for _id, _k, _s, _p, _f, _shape in _POOLS:
    for _kind in ("max", "avg"):
        CASES.append(C(f"{_kind}_pool {_id}", f"{_kind}_pool",
                       lambda x, kind=_kind, k=_k, s=_s, p=_p, f=_f: getattr(ts.nn, f"{kind}_pool")(x, k, s, p, f),
                       np_of(lambda x, kind=_kind, k=_k, s=_s, p=_p, f=_f: tpool(x, kind, k, s, p, f)), f64(*_shape)))
CASES.append(C("max_pool float32", "max_pool", lambda x: ts.nn.max_pool(x, _K3, _S2, "SAME"),
               np_of(lambda x: tpool(x, "max", _K3, _S2, "SAME")), f32(2, 7, 5, 3), **F32))
CASES.append(C("avg_pool float32 NCHW", "avg_pool", lambda x: ts.nn.avg_pool(x, [1, 1, 3, 3], [1, 1, 2, 2], "SAME", "NCHW"),
               np_of(lambda x: tpool(x, "avg", [1, 1, 3, 3], [1, 1, 2, 2], "SAME", "NCHW")), f32(2, 3, 6, 7), **F32))
_X = f64(2, 6, 5, 3)
CASES.append(C("max_pool_grad 3x3 stride 2 SAME", "max_pool_grad",
               lambda x, y, dy: ts.nn.max_pool_grad(x, y, dy, _K3, _S2, "SAME"),
               np_of(lambda x, y, dy: tpool_grad(x, dy, "max", _K3, _S2, "SAME")),
               _X, f64(2, 3, 3, 3), f64(2, 3, 3, 3)))
CASES.append(C("max_pool_grad_grad 3x3 stride 2 SAME", "max_pool_grad_grad",
               lambda x, y, g: ts.nn.max_pool_grad_grad(x, y, g, _K3, _S2, "SAME"),
               np_of(lambda x, y, g: tmax_select(x, g, _K3, _S2, "SAME")), _X, f64(2, 3, 3, 3), f64(2, 6, 5, 3)))
CASES.append(C("avg_pool_grad 3x3 stride 2 SAME", "avg_pool_grad",
               lambda x, dy: ts.nn.avg_pool_grad(x, dy, _K3, _S2, "SAME"),
               np_of(lambda x, dy: tpool_grad(x, dy, "avg", _K3, _S2, "SAME")), _X, f64(2, 3, 3, 3)))
CASES.append(C("bias_add NHWC [2,4,3,5]", "bias_add", ts.nn.bias_add, np_of(tbias_add), f64(2, 4, 3, 5), f64(5)))
CASES.append(C("bias_add NCHW [2,4,3,5]", "bias_add", lambda x, b: ts.nn.bias_add(x, b, "NCHW"),
               np_of(lambda x, b: tbias_add(x, b, "NCHW")), f64(2, 4, 3, 5), f64(4)))
CASES.append(C("bias_add_grad NCHW [2,4,3]", "bias_add_grad", lambda dy: ts.nn.bias_add_grad(dy, "NCHW"),
               np_of(lambda dy: tbias_add_grad(dy, "NCHW")), f64(2, 4, 3)))
for _mode, _pads in (("CONSTANT", [[1, 2], [0, 3]]), ("REFLECT", [[2, 1], [3, 3]]), ("SYMMETRIC", [[3, 0], [4, 4]])):
    CASES.append(C(f"pad {_mode}", "pad", lambda x, m=_mode, p=_pads: ts.pad(x, p, m),
                   lambda x, m=_mode, p=_pads: np.pad(x, p, mode=m.lower()), f64(3, 4)))
    CASES.append(C(f"pad_grad {_mode}", "pad_grad", lambda dy, m=_mode, p=_pads: ts.pad_grad(dy, p, m),
                   np_of(lambda dy, m=_mode, p=_pads: tpad_grad(dy, p, m)),
                   f64(3 + sum(_pads[0]), 4 + sum(_pads[1]))))
CASES.append(C("pad CONSTANT 2.5, 3-D", "pad", lambda x: ts.pad(x, [[0, 1], [1, 0], [2, 2]], constant_values=2.5),
               lambda x: np.pad(x, [[0, 1], [1, 0], [2, 2]], constant_values=2.5), f64(2, 3, 2)))
CASES.append(C("pad int32", "pad", lambda x: ts.pad(x, np.array([[1, 1]]), "CONSTANT", constant_values=-7),
               lambda x: np.pad(x, [[1, 1]], constant_values=-7), np.arange(4, dtype=np.int32)))
def np_gather_grad(params, indices, dy, axis=0):
    """dy added into zeros of params' shape at `indices` along `axis` (numpy's unbuffered add.at)."""
    out = np.zeros_like(params)
    moved = np.moveaxis(out, axis, 0)
    np.add.at(moved, indices, np.moveaxis(dy, list(range(axis, axis + np.ndim(indices))),
                                          list(range(np.ndim(indices)))))
    return out


def np_lstm(x, c0, h0, K, b, forget_bias=1.0):
    """block_lstm's packed output [h_1..h_T, c_T] by LSTMCell's definition."""
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    c, h, hs = c0, h0, []
    for t in range(x.shape[0]):
        i, j, f, o = np.split(np.concatenate([x[t], h], 1) @ K + b, 4, axis=1)
        c = sig(f + forget_bias) * c + sig(i) * np.tanh(j)
        h = sig(o) * np.tanh(c)
        hs.append(h)
    return np.stack(hs + [c])


def _packed_lstm(*args):
    outputs, c, _ = ts.nn.block_lstm(*args)
    return ts.concat([outputs, ts.expand_dims(c, 0)], 0)


_MASK = R.random((2, 3)) > 0.5
CASES += [
    C("concat axis 1", "concat", lambda a, b: ts.concat([a, b], 1), lambda a, b: np.concatenate([a, b], 1),
      f64(2, 3), f64(2, 2)),
    C("concat axis -2 of three 3-D", "concat", lambda a, b, c: ts.concat([a, b, c], -2),
      lambda a, b, c: np.concatenate([a, b, c], -2), f64(2, 1, 3), f64(2, 4, 3), f64(2, 2, 3)),
    C("concat int32", "concat", lambda a, b: ts.concat([a, b], 0), lambda a, b: np.concatenate([a, b]),
      np.arange(3, dtype=np.int32), np.arange(2, dtype=np.int32)),
    C("pack_flat of three, one a scalar", "pack_flat", lambda a, b, c: ts.pack_flat([a, b, c]),
      lambda a, b, c: np.concatenate([a.ravel(), b.ravel(), c.ravel()]), f64(2, 3), f64(), f64(4, 1, 2)),
    C("pack_flat int32, one empty", "pack_flat", lambda a, b: ts.pack_flat([a, b]),
      lambda a, b: np.concatenate([a.ravel(), b.ravel()]), np.array([[1, 2], [3, 4]], np.int32), np.zeros((0, 3), np.int32)),
    C("unpack_flat [2,3] at 4 of 12", "unpack_flat", lambda x: ts.unpack_flat(x, 4, [2, 3]), lambda x: x[4:10].reshape(2, 3),
      f64(12)),
    C("unpack_flat scalar at the end", "unpack_flat", lambda x: ts.unpack_flat(x, 4, []), lambda x: x[4].reshape(()), f64(5)),
    C("concat_grad input 1 of 2", "concat_grad", lambda dy, a, b: ts.concat_grad(dy, [a, b], 0, 1), lambda dy, a, b: dy[2:],
      f64(5, 3), f64(2, 3), f64(3, 3)),
    C("gather rows, repeated", "gather", lambda p, i: ts.gather(p, i), lambda p, i: p[i], f64(4, 3),
      np.array([3, 0, 3, 1])),
    C("gather axis 1, [2,2] int32 indices", "gather", lambda p, i: ts.gather(p, i, axis=1),
      lambda p, i: np.take(p, i, axis=1), f64(2, 5, 3), np.array([[4, 0], [1, 1]], dtype=np.int32)),
    C("gather indices as a list", "gather", lambda p: ts.gather(p, [2, 2, 0]), lambda p: p[[2, 2, 0]], f64(3, 2)),
    C("gather_grad, repeated indices add", "gather_grad", lambda p, i, dy: ts.gather_grad(p, i, dy),
      np_gather_grad, f64(4, 3), np.array([3, 0, 3]), f64(3, 3)),
    C("gather_grad axis 1", "gather_grad", lambda p, i, dy: ts.gather_grad(p, i, dy, axis=1),
      lambda p, i, dy: np_gather_grad(p, i, dy, 1), f64(2, 4), np.array([[1, 1], [3, 0]]), f64(2, 2, 2)),
    C("where, same shapes", "where", ts.where, np.where, _MASK, f64(2, 3), f64(2, 3)),
    C("where, [2,1] condition and a [3] y", "where", ts.where, np.where, _MASK[:, :1], f64(2, 3), f64(3)),
    C("where TF1: a rank-1 condition picks rows", "where", ts.where, lambda c, x, y: np.where(c[:, None], x, y),
      _MASK[:, 0], f64(2, 3), f64(2, 3)),
    C("block_lstm T 4, B 3, I 2, U 3", "block_lstm", lambda *a: _packed_lstm(*a), np_lstm,
      f64(4, 3, 2), f64(3, 3), f64(3, 3), f64(5, 12, lo=-0.7, hi=0.7), f64(12), node_type="concat"),
    C("sequence_mask maxlen 5", "sequence_mask", lambda n: ts.sequence_mask(n, 5), lambda n: np.arange(5) < n[..., None],
      np.array([0, 3, 5, 7])),
    C("sequence_mask maxlen None, float32, 2-D", "sequence_mask", lambda n: ts.sequence_mask(n, dtype=ts.float32),
      lambda n: (np.arange(n.max()) < n[..., None]).astype(np.float32), np.array([[1, 4], [2, 0]], dtype=np.int32),
      tags={"run-time dim"}),
    C("shape of [2,3,4], int32", "shape", ts.shape, lambda x: np.array(x.shape, np.int32), f64(2, 3, 4)),
    C("range int32 1..9 by 3", "range", ts.range, lambda a, b, d: np.arange(a, b, d, dtype=np.int32),
      np.array(1, np.int32), np.array(9, np.int32), np.array(3, np.int32), tags={"run-time dim"}),
    C("range float64 down", "range", ts.range, np.arange, np.array(2.0), np.array(-1.0), np.array(-0.75),
      tags={"run-time dim"}),
]


def np_batch_norm(x, scale, offset, mean=None, var=None, eps=0.001, axis=-1):
    """scale (x - mean) / sqrt(var + eps) + offset over every axis but `axis` (batch statistics by default)."""
    axes = tuple(i for i in range(x.ndim) if i != axis % x.ndim)
    shape = [1] * x.ndim
    shape[axis] = -1
    m = x.mean(axes) if mean is None else mean
    v = x.var(axes) if var is None else var
    return (scale.reshape(shape) * (x - m.reshape(shape)) / np.sqrt(v.reshape(shape) + eps) + offset.reshape(shape)
            ).astype(x.dtype)


def np_batch_norm_grad(dy, x, scale, eps=0.001, axis=-1):
    axes = tuple(i for i in range(x.ndim) if i != axis % x.ndim)
    shape = [1] * x.ndim
    shape[axis] = -1
    xhat = (x - x.mean(axes, keepdims=True)) / np.sqrt(x.var(axes, keepdims=True) + eps)
    return (scale.reshape(shape) / np.sqrt(x.var(axes, keepdims=True) + eps) *
            (dy - dy.mean(axes, keepdims=True) - xhat * (dy * xhat).mean(axes, keepdims=True))).astype(x.dtype)


CASES.append(C("fused_batch_norm NHWC training", "fused_batch_norm", lambda x, s, o: ts.nn.fused_batch_norm(x, s, o)[0],
               np_batch_norm, f64(2, 3, 4, 5), f64(5), f64(5)))
CASES.append(C("fused_batch_norm NCHW inference", "fused_batch_norm",
               lambda x, s, o, m, v: ts.nn.fused_batch_norm(x, s, o, m, v, data_format="NCHW", is_training=False)[0],
               lambda x, s, o, m, v: np_batch_norm(x, s, o, m, v, axis=1), f64(2, 3, 4, 5), f64(3), f64(3), f64(3), pos(3)))
CASES.append(C("fused_batch_norm [7,4] float32 training", "fused_batch_norm",
               lambda x, s, o: ts.nn.fused_batch_norm(x, s, o, epsilon=0.01)[0],
               lambda x, s, o: np_batch_norm(x, s, o, eps=0.01), f32(7, 4), f32(4), f32(4), rtol=1e-4, atol=1e-5))
CASES.append(C("fused_batch_norm_grad NCHW", "fused_batch_norm_grad",
               lambda dy, x, s: _core.fused_batch_norm_grad(dy, x, s, 0.001, "NCHW", ""),
               lambda dy, x, s: np_batch_norm_grad(dy, x, s, axis=1), f64(3, 2, 3, 2), f64(3, 2, 3, 2), f64(2)))
CASES.append(C("fused_batch_norm_grad NHWC float32", "fused_batch_norm_grad",
               lambda dy, x, s: _core.fused_batch_norm_grad(dy, x, s, 0.001, "NHWC", ""),
               np_batch_norm_grad, f32(2, 3, 5, 4), f32(2, 3, 5, 4), f32(4), rtol=1e-4, atol=1e-5))


def _placeholders(case, shaped):
    nodes = []
    for i, a in enumerate(case.inputs):
        a = np.asarray(a)
        if shaped:
            nodes.append(ts.placeholder(a.dtype, list(a.shape), name=f"in{i}"))
        else:
            nodes.append(ts.placeholder(name=f"in{i}"))
    return nodes


def check_value(got, want, case):
    got = np.asarray(got)
    assert got.shape == want.shape, f"{case.id}: shape {got.shape} != numpy's {want.shape}"
    assert got.dtype == want.dtype, f"{case.id}: dtype {got.dtype} != numpy's {want.dtype}"
    if want.dtype.kind in "fc":
        np.testing.assert_allclose(got, want, rtol=case.rtol, atol=case.atol, err_msg=case.id)
    else:
        np.testing.assert_array_equal(got, want, err_msg=case.id)


@pytest.mark.parametrize("shaped", [True, False], ids=["shaped", "unshaped"])
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_forward_matches_numpy(case, shaped):
    inputs = [np.asarray(a) for a in case.inputs]
    want = np.asarray(case.ref(*inputs))  # float32 cases: numpy computes in float32 too
    nodes = _placeholders(case, shaped)
    out = case.build(*nodes)
    assert out.type == (case.node_type or case.op), f"{case.id}: built a '{out.type}' node"
    if shaped:
        # static inference agrees with numpy before anything runs (a dimension that depends on the
        # values, tagged "run-time dim", is unknown until then)
        static = out.shape if "run-time dim" not in case.tags else tuple(
            w if d is None else d for d, w in zip(out.shape, want.shape))
        assert static == want.shape, f"{case.id}: static shape {out.shape} != {want.shape}"
        assert np.dtype(out.dtype) == want.dtype, f"{case.id}: static dtype {out.dtype} != {want.dtype}"
    got = ts.Session().run(out, dict(zip(nodes, inputs)))
    assert isinstance(got, np.ndarray)
    check_value(got, want, case)


@pytest.mark.parametrize("case", [c for c in CASES if all(np.asarray(a).dtype == np.float64 for a in c.inputs)],
                         ids=lambda c: c.id)
def test_forward_with_constants(case):
    """The same op on constants and Variables (values embedded in the graph, no feed)."""
    inputs = [np.asarray(a) for a in case.inputs]
    nodes = [ts.constant(inputs[0])] + [ts.Variable(a) for a in inputs[1:]]
    got = ts.Session().run(case.build(*nodes))
    check_value(got, np.asarray(case.ref(*inputs)), case)


def test_every_registered_op_has_a_forward_case():
    covered = {c.op for c in CASES}
    registered = set(_core.registered_ops())
    missing = sorted(registered - INTERNAL_OPS - covered)
    assert not missing, f"registered ops without a forward case in test_ops_forward.py: {missing}"
    assert INTERNAL_OPS <= registered, "the internal ops this table skips are no longer registered; update INTERNAL_OPS"


def test_each_case_is_float64_or_states_its_tolerance():
    """float64 cases keep the tight tolerance; only float32/exact cases loosen or tighten it."""
    for c in CASES:
        if all(np.asarray(a).dtype == np.float64 for a in c.inputs):
            assert c.rtol in (1e-12, 0), c.id


def test_a_float32_graph_stays_float32(session):
    x = ts.placeholder(np.float32, [None, 3])
    W = ts.Variable(np.eye(3, dtype=np.float32))
    y = ts.reduce_mean(ts.softmax(ts.matmul(x, W) + 1.0) * 2.0)
    assert y.dtype == np.float32
    xv = f32(4, 3)
    got = session.run(y, {x: xv})
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, np.mean(np_softmax(xv.astype(np.float64) + 1.0) * 2.0), rtol=2e-6)
