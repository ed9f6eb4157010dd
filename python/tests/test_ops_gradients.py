"""Gradients of every differentiable operation against PyTorch autograd (an independent oracle).

For each case: loss = reduce_sum(op(inputs) * W) with a fixed random W of the output's shape (so the
upstream gradient is not all ones); tensorgraph.gradients(loss, inputs) is run and compared with
torch's .grad of the same expression, in float64. Inputs are seeded random values chosen away from
kinks (relu at 0, ties of reduce_max, log/sqrt/divide near 0). Torch gives no gradient to inputs an
expression only uses for their shape (sum_to's `like`, fill_like's input) or through a comparison;
those must get zeros from tensorgraph.
"""
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

import re

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tensorgraph as ts
import tensorgraph.distributed as hvd
from tensorgraph import _core
from conftest import ref_matmul_grad
from conftest import torch_conv2d, torch_conv2d_backprop

RTOL, ATOL = 1e-10, 1e-12
R = np.random.default_rng(777)

# Not differentiable (their gradient cases below check that nothing flows through them) or internal.
NON_DIFFERENTIABLE = {"argmax", "argmin", "equal", "greater", "greater_equal", "less", "less_equal", "not_equal",
                      "logical_and", "logical_or", "logical_not"}
# the optimizer updates are tested in test_optimizers.py (against torch.optim)
INTERNAL_OPS = {"apply_gradient_descent", "apply_momentum", "apply_rms_prop", "apply_adam", "custom",
                "random_uniform_like", "random_normal"}  # random: tested in test_layers.py
# updates, and batch normalization, whose gradients need x's rank at build time (no unshaped case):
# test_batch_norm.py checks them against torch, to the second order
INTERNAL_OPS |= {"assign_moving_average", "group", "fused_batch_norm", "fused_batch_norm_grad"}
INTERNAL_OPS |= {"block_lstm_grad"}  # block_lstm's gradient: its row below checks it against torch
INTERNAL_OPS |= {"assign", "no_op", "truncated_normal", "random_uniform"}  # updates and random: no inputs to differentiate


def normal(*shape):
    return R.standard_normal(shape)


def pos(*shape):
    return R.uniform(0.3, 3.0, size=shape)


def away_from_zero(*shape):
    return R.uniform(0.3, 2.0, size=shape) * R.choice([-1.0, 1.0], size=shape)


def distinct(*shape):
    """Values whose gaps are >= 0.05: no ties for reduce_max."""
    n = int(np.prod(shape))
    return R.permutation(np.arange(n) * 0.05 - n * 0.025 + R.uniform(0, 0.01)).reshape(shape)


def softmax_rows(*shape):
    e = np.exp(normal(*shape))
    return e / e.sum(-1, keepdims=True)


@dataclass
class G:
    id: str
    op: str
    tg: Callable          # tensorgraph nodes -> node
    torch: Callable       # torch tensors -> tensor
    inputs: Sequence[np.ndarray]
    wrt: Optional[Sequence[int]] = None  # inputs to differentiate (default: all)


def tsum_to(g, shape):
    return g.sum_to_size(shape) if len(shape) else g.sum()


def tmax(x, axis, keepdims):
    if axis is None:
        return x.amax(dim=tuple(range(x.dim())), keepdim=keepdims)
    return x.amax(dim=axis if isinstance(axis, int) else tuple(axis), keepdim=keepdims)


def tmin(x, axis, keepdims):
    if axis is None:
        return x.amin(dim=tuple(range(x.dim())), keepdim=keepdims)
    return x.amin(dim=axis if isinstance(axis, int) else tuple(axis), keepdim=keepdims)


def tprod(x, axis, keepdims):
    """torch.prod over several axes (it takes one at a time); its backward handles zeros."""
    axes = range(x.dim()) if axis is None else [axis] if isinstance(axis, int) else axis
    for a in sorted((a % x.dim() for a in axes), reverse=True):
        x = x.prod(dim=a, keepdim=keepdims)
    return x


def tslice(x, key):
    """x[key] for torch, negative steps included (torch has none): a gather of numpy's indices."""
    flat = np.arange(x.numel()).reshape(tuple(x.shape))[key]
    return x.reshape(-1)[torch.tensor(np.asarray(flat).reshape(-1))].reshape(np.shape(flat))


def tscatter(x, key, dy):
    """strided_slice's adjoint for torch: dy added into zeros of x's shape at x[key]."""
    flat = np.arange(x.numel()).reshape(tuple(x.shape))[key]
    z = torch.zeros(x.numel(), dtype=dy.dtype)
    return z.index_add(0, torch.tensor(np.asarray(flat).reshape(-1)), dy.reshape(-1)).reshape(x.shape)


def tsce(labels, logits):
    return -(labels * torch.log_softmax(logits, -1)).sum(-1)


CASES = [
    # element-wise binary ops with broadcasting
    G("add [2,3]+[2,3]", "add", ts.add, torch.add, [normal(2, 3), normal(2, 3)]),
    G("add [2,3]+[3]", "add", ts.add, torch.add, [normal(2, 3), normal(3)]),
    G("add [2,1]+[1,3]", "add", ts.add, torch.add, [normal(2, 1), normal(1, 3)]),
    G("add scalar+[2,3]", "add", ts.add, torch.add, [np.array(0.7), normal(2, 3)]),
    G("add [2,1,3]+[4,1]", "add", ts.add, torch.add, [normal(2, 1, 3), normal(4, 1)]),
    G("subtract [2,3]-[3]", "subtract", ts.subtract, torch.sub, [normal(2, 3), normal(3)]),
    G("subtract [3]-[2,3]", "subtract", ts.subtract, torch.sub, [normal(3), normal(2, 3)]),
    G("subtract [2,3]-scalar", "subtract", ts.subtract, torch.sub, [normal(2, 3), np.array(-1.3)]),
    G("multiply [2,3]*[2,3]", "multiply", ts.multiply, torch.mul, [normal(2, 3), normal(2, 3)]),
    G("multiply [2,1]*[1,3]", "multiply", ts.multiply, torch.mul, [normal(2, 1), normal(1, 3)]),
    G("multiply scalar*[2,3]", "multiply", ts.multiply, torch.mul, [np.array(1.9), normal(2, 3)]),
    G("multiply [4,1,3]*[2,3]", "multiply", ts.multiply, torch.mul, [normal(4, 1, 3), normal(2, 3)]),
    G("divide [2,3]/[2,3]", "divide", ts.divide, torch.div, [normal(2, 3), away_from_zero(2, 3)]),
    G("divide [2,3]/[3]", "divide", ts.divide, torch.div, [normal(2, 3), away_from_zero(3)]),
    G("divide [3,1]/[1,4]", "divide", ts.divide, torch.div, [normal(3, 1), away_from_zero(1, 4)]),
    G("divide scalar/[2,3]", "divide", ts.divide, torch.div, [np.array(2.5), away_from_zero(2, 3)]),
    # element-wise unary ops
    G("negative", "negative", ts.negative, torch.neg, [normal(2, 3)]),
    G("exp", "exp", ts.exp, torch.exp, [normal(2, 3)]),
    G("log", "log", ts.log, torch.log, [pos(2, 3)]),
    G("square", "square", ts.square, torch.square, [normal(2, 3)]),
    G("sqrt", "sqrt", ts.sqrt, torch.sqrt, [pos(2, 3)]),
    G("sigmoid", "sigmoid", ts.sigmoid, torch.sigmoid, [normal(2, 3) * 3]),
    G("relu", "relu", ts.relu, torch.relu, [away_from_zero(3, 4)]),
    G("log1p", "log1p", ts.log1p, torch.log1p, [pos(2, 3)]),
    G("leaky_relu", "leaky_relu", lambda x: ts.nn.leaky_relu(x, alpha=0.3),
      lambda x: torch.nn.functional.leaky_relu(x, 0.3), [away_from_zero(3, 4)]),
    # collectives in a world of one: the identity (test_distributed.py: over 2 ranks)
    G("allreduce", "allreduce", lambda x: hvd.allreduce(x), lambda x: x, [normal(2, 3)]),
    G("broadcast", "broadcast", lambda x: hvd.broadcast(x, 0), lambda x: x, [normal(2, 3)]),
    G("softplus", "softplus", ts.nn.softplus, torch.nn.functional.softplus, [normal(2, 3) * 3]),
    G("sigmoid_cross_entropy_with_logits", "sigmoid_cross_entropy_with_logits",
      lambda z, x: ts.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x),
      lambda z, x: torch.nn.functional.binary_cross_entropy_with_logits(x, z, reduction="none"),
      [R.uniform(0, 1, size=(3, 4)), normal(3, 4) * 3]),
    G("relu_grad", "relu_grad", ts.nn.relu_grad, lambda g, f: torch.where(f > 0, g, torch.zeros_like(g)),
      [normal(3, 4), away_from_zero(3, 4)]),
    G("tanh", "tanh", ts.tanh, torch.tanh, [normal(2, 3)]),
    G("check_numerics (identity)", "check_numerics", lambda x: ts.check_numerics(x, "m"), torch.clone, [normal(2, 3)]),
    G("scalar exp", "exp", ts.exp, torch.exp, [np.array(0.4)]),
    # matmul
    G("matmul 2-D.2-D", "matmul", ts.matmul, torch.matmul, [normal(2, 3), normal(3, 4)]),
    G("matmul 2-D.1-D", "matmul", ts.matmul, torch.matmul, [normal(2, 3), normal(3)]),
    G("matmul 1-D.2-D", "matmul", ts.matmul, torch.matmul, [normal(3), normal(3, 4)]),
    G("matmul 1-D.1-D", "matmul", ts.matmul, torch.matmul, [normal(3), normal(3)]),
    G("matmul transpose_a", "matmul", lambda a, b: ts.matmul(a, b, transpose_a=True), lambda a, b: a.T @ b,
      [normal(3, 2), normal(3, 4)]),
    G("matmul transpose_b", "matmul", lambda a, b: ts.matmul(a, b, transpose_b=True), lambda a, b: a @ b.T,
      [normal(2, 3), normal(4, 3)]),
    G("matmul transpose_a and _b", "matmul", lambda a, b: ts.matmul(a, b, transpose_a=True, transpose_b=True),
      lambda a, b: a.T @ b.T, [normal(3, 2), normal(4, 3)]),
    # softmax family
    G("softmax [3,4]", "softmax", ts.softmax, lambda x: torch.softmax(x, -1), [normal(3, 4)]),
    G("softmax [5]", "softmax", ts.softmax, lambda x: torch.softmax(x, -1), [normal(5)]),
    G("softmax [2,3,4]", "softmax", ts.softmax, lambda x: torch.softmax(x, -1), [normal(2, 3, 4)]),
    G("log_softmax [3,4]", "log_softmax", ts.log_softmax, lambda x: torch.log_softmax(x, -1), [normal(3, 4)]),
    G("log_softmax [2,3,4]", "log_softmax", ts.log_softmax, lambda x: torch.log_softmax(x, -1), [normal(2, 3, 4)]),
    G("softmax_cross_entropy (labels and logits)", "softmax_cross_entropy_with_logits",
      lambda lab, lg: ts.softmax_cross_entropy_with_logits(labels=lab, logits=lg), tsce,
      [softmax_rows(4, 3), normal(4, 3)]),
    G("softmax_cross_entropy one-hot, 3-D", "softmax_cross_entropy_with_logits",
      lambda lab, lg: ts.softmax_cross_entropy_with_logits(labels=lab, logits=lg), tsce,
      [np.eye(4)[R.integers(0, 4, size=(2, 3))], normal(2, 3, 4)]),
    # shape ops
    G("reshape [2,3]->[3,2]", "reshape", lambda x: ts.reshape(x, [3, 2]), lambda x: x.reshape(3, 2), [normal(2, 3)]),
    G("reshape [2,6]->[-1,4]", "reshape", lambda x: ts.reshape(x, [-1, 4]), lambda x: x.reshape(-1, 4), [normal(2, 6)]),
    G("transpose 2-D", "transpose", ts.transpose, lambda x: x.T, [normal(2, 3)]),
    G("transpose perm [2,0,1]", "transpose", lambda x: ts.transpose(x, [2, 0, 1]), lambda x: x.permute(2, 0, 1),
      [normal(2, 3, 4)]),
    G("reshape_like", "reshape_like", ts.reshape_like, lambda x, like: x.reshape(like.shape), [normal(2, 3), normal(3, 2)]),
    # matmul_grad (matmul's gradient for operands of unknown rank): a, resp. b, gives only its shape
    G("matmul_grad da [2,3].[3,4]", "matmul_grad", lambda a, b, d: ts.matmul_grad(a, b, d, 0),
      lambda a, b, d: ref_matmul_grad(a, b, d, 0), [normal(2, 3), normal(3, 4), normal(2, 4)]),
    G("matmul_grad db [2,3].[3,4]", "matmul_grad", lambda a, b, d: ts.matmul_grad(a, b, d, 1),
      lambda a, b, d: ref_matmul_grad(a, b, d, 1), [normal(2, 3), normal(3, 4), normal(2, 4)]),
    G("matmul_grad da [3].[3,4]", "matmul_grad", lambda a, b, d: ts.matmul_grad(a, b, d, 0),
      lambda a, b, d: ref_matmul_grad(a, b, d, 0), [normal(3), normal(3, 4), normal(4)]),
    G("matmul_grad db [2,3].[3]", "matmul_grad", lambda a, b, d: ts.matmul_grad(a, b, d, 1),
      lambda a, b, d: ref_matmul_grad(a, b, d, 1), [normal(2, 3), normal(3), normal(2)]),
    G("matmul_grad da transposes", "matmul_grad", lambda a, b, d: ts.matmul_grad(a, b, d, 0, True, True),
      lambda a, b, d: ref_matmul_grad(a, b, d, 0, True, True), [normal(3, 2), normal(4, 3), normal(2, 4)]),
    G("matmul_grad db transpose_a", "matmul_grad", lambda a, b, d: ts.matmul_grad(a, b, d, 1, True, False),
      lambda a, b, d: ref_matmul_grad(a, b, d, 1, True, False), [normal(3, 2), normal(3, 4), normal(2, 4)]),
    # autodiff's own ops (sum_to, broadcast_like) and fill_like: shape-only inputs get zeros
    G("sum_to [2,3]->[3]", "sum_to", ts.sum_to, lambda g, like: tsum_to(g, like.shape), [normal(2, 3), normal(3)]),
    G("sum_to [4,2,3]->[2,1]", "sum_to", ts.sum_to, lambda g, like: tsum_to(g, like.shape), [normal(4, 2, 3), normal(2, 1)]),
    G("sum_to [2,3]->[]", "sum_to", ts.sum_to, lambda g, like: tsum_to(g, like.shape), [normal(2, 3), np.array(0.0)]),
    G("broadcast_like [3]->[2,3]", "broadcast_like", ts.broadcast_like, lambda y, like: y.expand(like.shape),
      [normal(3), normal(2, 3)]),
    G("broadcast_like [2,1]->[4,2,3]", "broadcast_like", ts.broadcast_like, lambda y, like: y.expand(like.shape),
      [normal(2, 1), normal(4, 2, 3)]),
    G("broadcast_like []->[2,3]", "broadcast_like", ts.broadcast_like, lambda y, like: y.expand(like.shape),
      [np.array(1.5), normal(2, 3)]),
    G("fill_like", "fill_like", lambda x: ts.fill_like(x, 3.0), lambda x: torch.full_like(x, 3.0) + 0 * x, [normal(2, 3)]),
    # cast: identity for float64, and a float32 round trip rounds the gradient to float32
    G("cast f64->f64", "cast", lambda x: ts.cast(x, np.float64), lambda x: x.to(torch.float64), [normal(2, 3)]),
    G("cast f64->f32->f64", "cast", lambda x: ts.cast(ts.cast(x, np.float32), np.float64),
      lambda x: x.to(torch.float32).to(torch.float64), [normal(2, 3)]),
    # nothing flows through comparisons: only the multiplying input gets a gradient (asking for the
    # other one is an error: test_no_gradient_through_integer_values_is_an_error_naming_the_op)
    G("greater (no gradient)", "greater", lambda x, y: ts.cast(ts.greater(x, y), np.float64) * x,
      lambda x, y: (x > y).to(torch.float64) * x, [normal(3, 4), normal(4)], wrt=[0]),
    G("equal (no gradient)", "equal", lambda x, y: ts.cast(ts.equal(x, y), np.float64) * y,
      lambda x, y: (x == y).to(torch.float64) * y, [np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.0, 0.0, 3.0, 0.0])],
      wrt=[1]),
    # the TensorFlow 1.x surface (issue 12)
    G("identity", "identity", ts.identity, torch.clone, [normal(2, 3)]),
    G("x * stop_gradient(x)", "stop_gradient", lambda x: x * ts.stop_gradient(x), lambda x: x * x.detach(), [normal(2, 3)]),
    G("straight-through x + stop_gradient(x^2 - x)", "stop_gradient", lambda x: x + ts.stop_gradient(x * x - x),
      lambda x: x + (x * x - x).detach(), [normal(4)]),
    G("abs", "abs", ts.abs, torch.abs, [away_from_zero(3, 4)]),
    G("abs() operator", "abs", abs, torch.abs, [away_from_zero(5)]),
    G("maximum [2,3],[2,3]", "maximum", ts.maximum, torch.maximum, [distinct(2, 3), distinct(2, 3) + 0.013]),
    G("maximum [2,1],[1,3]", "maximum", ts.maximum, torch.maximum, [distinct(2, 1), distinct(1, 3) + 0.013]),
    G("maximum scalar,[2,3]", "maximum", ts.maximum, torch.maximum, [np.array(0.0071), distinct(2, 3)]),
    G("minimum [4,3],[3]", "minimum", ts.minimum, torch.minimum, [distinct(4, 3), distinct(3) + 0.013]),
    G("minimum [3],[2,3]", "minimum", ts.minimum, torch.minimum, [distinct(3), distinct(2, 3) + 0.013]),
    G("clip_by_value scalars", "maximum", lambda t: ts.clip_by_value(t, -0.3, 0.4), lambda t: torch.clamp(t, -0.3, 0.4),
      [distinct(3, 4) + 0.001]),
    G("clip_by_value [3] and [2,1] bounds", "maximum", ts.clip_by_value,
      lambda t, lo, hi: torch.clamp(t, lo, hi), [distinct(2, 3) + 0.001, np.array([-0.1, -0.05, 0.02]), np.array([[0.2], [0.03]])]),
    G("pow [2,3]^[2,3]", "pow", ts.pow, torch.pow, [pos(2, 3), normal(2, 3)]),
    G("pow [2,1]^[1,3]", "pow", ts.pow, torch.pow, [pos(2, 1), normal(1, 3)]),
    G("pow scalar^[3]", "pow", ts.pow, torch.pow, [np.array(1.7), normal(3)]),
    G("x ** 3, negative bases", "pow", lambda x: x ** 3, lambda x: x ** 3, [normal(2, 3)]),
    G("2 ** x", "pow", lambda x: 2.0 ** x, lambda x: 2.0 ** x, [normal(2, 3)]),
    G("x ** y operator [3]^[2,3]", "pow", lambda x, y: x ** y, lambda x, y: x ** y, [pos(3), normal(2, 3)]),
    G("reduce_prod with zeros: one, two, none, all", "reduce_prod", lambda x: ts.reduce_prod(x, 1),
      lambda x: x.prod(1), [np.array([[0.0, 2.0, 3.0], [4.0, 0.0, 0.0], [1.0, -2.0, 0.5], [0.0, 0.0, 0.0]])]),
    G("reduce_prod with zeros, axis None", "reduce_prod", ts.reduce_prod, lambda x: x.prod(),
      [np.array([[1.5, 0.0], [3.0, -1.0]])]),
    G("reduce_prod with zeros, axis [0,2] keepdims", "reduce_prod", lambda x: ts.reduce_prod(x, [0, 2], keepdims=True),
      lambda x: tprod(x, [0, 2], True), [np.where(R.random((2, 3, 2)) < 0.3, 0.0, normal(2, 3, 2))]),
    G("strided_slice_grad of x[1:3, ::2]", "strided_slice_grad",
      lambda x, dy: ts.strided_slice_grad(x, dy, **dict(begin=[1, 0], end=[3, 0], strides=[1, 2], end_mask=2)),
      lambda x, dy: tscatter(x, (slice(1, 3), slice(None, None, 2)), dy), [normal(4, 5), normal(2, 3)]),
    G("strided_slice_grad of x[-1, ..., ::-2]", "strided_slice_grad",
      lambda x, dy: ts.strided_slice_grad(x, dy, **dict(begin=[-1, 0, 0], end=[0, 0, 0], strides=[1, 1, -2],
                                                       begin_mask=4, end_mask=4, ellipsis_mask=2, shrink_axis_mask=1)),
      lambda x, dy: tscatter(x, (-1, Ellipsis, slice(None, None, -2)), dy), [normal(2, 3, 5), normal(3, 3)]),
    # nothing flows through comparisons and logical ops: only the multiplying input gets a gradient
    G("less (no gradient)", "less", lambda x, y: ts.cast(x < y, np.float64) * x, lambda x, y: (x < y).double() * x,
      [normal(3, 4), normal(4)], wrt=[0]),
    G("less_equal (no gradient)", "less_equal", lambda x, y: ts.cast(ts.less_equal(x, y), np.float64) * x,
      lambda x, y: (x <= y).double() * x, [normal(3, 4), normal(4)], wrt=[0]),
    G("greater_equal (no gradient)", "greater_equal", lambda x, y: ts.cast(x >= y, np.float64) * y,
      lambda x, y: (x >= y).double() * y, [normal(3, 4), normal(4)], wrt=[1]),
    G("not_equal (no gradient)", "not_equal", lambda x, y: ts.cast(ts.not_equal(x, y), np.float64) * x,
      lambda x, y: (x != y).double() * x, [np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 3.0])], wrt=[0]),
    G("logical_and/or/not (no gradient)", "logical_and",
      lambda x, y: ts.cast(ts.logical_or(ts.logical_and(x > 0.0, y > 0.0), ts.logical_not(x > -0.5)), np.float64) * x,
      lambda x, y: (((x > 0) & (y > 0)) | ~(x > -0.5)).double() * x, [normal(3, 4), normal(4)], wrt=[0]),
    G("logical_or (no gradient)", "logical_or", lambda x, y: ts.cast(ts.logical_or(x > 0.0, y > 0.0), np.float64) * y,
      lambda x, y: ((x > 0) | (y > 0)).double() * y, [normal(3), normal(3)], wrt=[1]),
    G("logical_not (no gradient)", "logical_not", lambda x: ts.cast(ts.logical_not(x > 0.0), np.float64) * x,
      lambda x: (~(x > 0)).double() * x, [normal(5)]),
    G("argmin (no gradient)", "argmin", lambda x: ts.cast(ts.argmin(x, 1), np.float64) + ts.reduce_sum(x, 1),
      lambda x: torch.argmin(x, 1).to(torch.float64) + x.sum(1), [distinct(3, 4)]),
    G("argmax (no gradient)", "argmax", lambda x: ts.cast(ts.argmax(x, 1), np.float64) + ts.reduce_sum(x, 1),
      lambda x: torch.argmax(x, 1).to(torch.float64) + x.sum(1), [distinct(3, 4)]),
]

for _name, _tg, _torch in [("reduce_sum", ts.reduce_sum, lambda x, a, k: x.sum(dim=tuple(range(x.dim())) if a is None else a, keepdim=k)),
                           ("reduce_mean", ts.reduce_mean, lambda x, a, k: x.mean(dim=tuple(range(x.dim())) if a is None else a, keepdim=k)),
                           ("reduce_max", ts.reduce_max, tmax), ("reduce_min", ts.reduce_min, tmin),
                           ("reduce_prod", ts.reduce_prod, tprod)]:
    for _axis in [None, 0, 1, -1, [0, 2]]:
        for _keep in (False, True):
            CASES.append(G(f"{_name} axis={_axis} keepdims={_keep}", _name,
                           lambda x, f=_tg, a=_axis, k=_keep: f(x, axis=a, keepdims=k),
                           lambda x, f=_torch, a=_axis, k=_keep: f(x, a if a is None or isinstance(a, int) else tuple(a), k),
                           [distinct(2, 3, 4)]))


# indexing: x[key] against torch's autograd of the same gather
SLICE_KEYS = [1, -1, (1, 2), (slice(None), 0), (slice(1, 3), slice(None, None, 2)), (Ellipsis, 1), (None, Ellipsis),
              (slice(None, None, -1),), (1, 2, 3), (slice(3, 1, -1), 2, None), (Ellipsis, None, slice(1, None)),
              (slice(-2, None), slice(None, -1), slice(None, None, 3)), (slice(None), None, slice(4, 0, -2), 1),
              (0, Ellipsis, -1), (slice(None, None, -2), Ellipsis, slice(None, None, -1))]
for _key in SLICE_KEYS:
    CASES.append(G(f"x[{_key!r}]", "strided_slice", lambda x, k=_key: x[k], lambda x, k=_key: tslice(x, k), [normal(4, 5, 6)]))
CASES.append(G("x[1:3] and x[:, 0] overlap (summed)", "strided_slice", lambda x: x[1:3, 1:] * x[:, 0][1:3, None],
               lambda x: tslice(x, (slice(1, 3), slice(1, None))) * tslice(x, (slice(None), 0))[1:3, None], [normal(4, 3)]))
def tlstm(x, c0, h0, K, b, forget_bias=1.0):
    """block_lstm's outputs, c_T and h_T by LSTMCell's definition in torch."""
    c, h, hs = c0, h0, []
    for t in range(x.shape[0]):
        i, j, f, o = torch.split(torch.cat([x[t], h], 1) @ K + b, K.shape[1] // 4, dim=1)
        c = torch.sigmoid(f + forget_bias) * c + torch.sigmoid(i) * torch.tanh(j)
        h = torch.sigmoid(o) * torch.tanh(c)
        hs.append(h)
    return torch.stack(hs), c, h


# joining, gathering and choosing
_COND = R.random((3, 4)) > 0.5
CASES += [
    G("block_lstm: outputs, c and h, forget bias 0.5", "block_lstm",
      lambda *a: ts.concat([ts.reshape(v, [-1]) for v in ts.nn.block_lstm(*a, forget_bias=0.5)], 0),
      lambda *a: torch.cat([v.reshape(-1) for v in tlstm(*a, forget_bias=0.5)]),
      [normal(4, 3, 2), normal(3, 3), normal(3, 3), normal(5, 12) * 0.5, normal(12) * 0.5]),
    G("concat axis 1 of three", "concat", lambda a, b, c: ts.concat([a, b, c], 1), lambda a, b, c: torch.cat([a, b, c], 1),
      [normal(2, 3), normal(2, 1), normal(2, 2)]),
    G("concat axis 0, one used twice", "concat", lambda a, b: ts.concat([a, b, a], 0), lambda a, b: torch.cat([a, b, a], 0),
      [normal(1, 3), normal(2, 3)]),
    G("concat_grad (its gradient: a concat with zeros)", "concat_grad",
      lambda dy: ts.concat_grad(dy, [np.zeros((2, 3)), np.zeros((3, 3))], 0, 1), lambda dy: dy[2:], [normal(5, 3)]),
    G("pack_flat of three, one used twice", "pack_flat", lambda a, b: ts.pack_flat([a, b, a]),
      lambda a, b: torch.cat([a.reshape(-1), b.reshape(-1), a.reshape(-1)]), [normal(2, 3), normal(4)]),
    G("unpack_flat [2,2] at 3 of 9", "unpack_flat", lambda x: ts.unpack_flat(x, 3, [2, 2]), lambda x: x[3:7].reshape(2, 2),
      [normal(9)]),
    G("gather rows, repeated", "gather", lambda p: ts.gather(p, [3, 0, 3, 1]), lambda p: p[[3, 0, 3, 1]], [normal(4, 3)]),
    G("gather axis 1, [2,2] indices", "gather", lambda p: ts.gather(p, [[2, 0], [1, 1]], axis=1),
      lambda p: p[:, torch.tensor([[2, 0], [1, 1]])], [normal(2, 3, 2)]),
    G("gather_grad (its gradient: a gather)", "gather_grad", lambda p, dy: ts.gather_grad(p, [2, 0, 2], dy),
      lambda p, dy: torch.zeros_like(p).index_add(0, torch.tensor([2, 0, 2]), dy), [normal(3, 2), normal(3, 2)], wrt=[1]),
    G("where, same shapes", "where", lambda x, y: ts.where(_COND, x, y), lambda x, y: torch.where(torch.tensor(_COND), x, y),
      [normal(3, 4), normal(3, 4)]),
    G("where, broadcast y [4]", "where", lambda x, y: ts.where(_COND, x, y), lambda x, y: torch.where(torch.tensor(_COND), x, y),
      [normal(3, 4), normal(4)]),
    G("where TF1 rows", "where", lambda x, y: ts.where(_COND[:, 0], x, y),
      lambda x, y: torch.where(torch.tensor(_COND[:, :1]), x, y), [normal(3, 4), normal(3, 4)]),
]
# the convolutions (more in test_conv.py); the gradient ops' gradients are second derivatives in torch
_SAME2 = dict(strides=(2, 2), padding="SAME")
CASES += [
    G("conv2d SAME stride 2", "conv2d", lambda x, w: ts.nn.conv2d(x, w, [1, 2, 2, 1], "SAME"),
      lambda x, w: torch_conv2d(x, w, **_SAME2), [normal(2, 7, 6, 3), normal(3, 3, 3, 4)]),
    G("conv2d NCHW dilation 2", "conv2d",
      lambda x, w: ts.nn.conv2d(x, w, [1, 1, 1, 1], "SAME", data_format="NCHW", dilations=[1, 1, 2, 2]),
      lambda x, w: torch_conv2d(x, w, padding="SAME", dilations=(2, 2), nchw=True), [normal(1, 2, 7, 6), normal(3, 3, 2, 3)]),
    G("conv2d_backprop_input", "conv2d_backprop_input",
      lambda x, w, dy: ts.nn.conv2d_backprop_input(x, w, dy, [1, 2, 2, 1], "SAME"),
      lambda x, w, dy: torch_conv2d_backprop(0, x, w, dy, **_SAME2), [normal(2, 7, 6, 3), normal(3, 3, 3, 4), normal(2, 4, 3, 4)]),
    G("conv2d_backprop_filter", "conv2d_backprop_filter",
      lambda x, dy: ts.nn.conv2d_backprop_filter(x, [3, 3, 3, 4], dy, [1, 2, 2, 1], "SAME"),
      lambda x, dy: torch_conv2d_backprop(1, x, torch.zeros(3, 3, 3, 4, dtype=torch.float64), dy, **_SAME2),
      [normal(2, 7, 6, 3), normal(2, 4, 3, 4)]),
]


# pooling, bias_add, pad: TensorFlow's padding rebuilt in torch (pool_reference.py) -------------------
from pool_reference import tbias_add, tbias_add_grad, tmax_select, tpad, tpad_grad, tpool, tpool_grad  # noqa: E402

_K3, _S2 = [1, 3, 3, 1], [1, 2, 2, 1]
CASES += [
    G("max_pool 3x3 stride 2 SAME", "max_pool", lambda x: ts.nn.max_pool(x, _K3, _S2, "SAME"),
      lambda x: tpool(x, "max", _K3, _S2, "SAME"), [normal(2, 7, 6, 3)]),
    G("max_pool 2x2 stride 1 VALID NCHW", "max_pool", lambda x: ts.nn.max_pool(x, [1, 1, 2, 2], [1, 1, 1, 1], "VALID", "NCHW"),
      lambda x: tpool(x, "max", [1, 1, 2, 2], [1, 1, 1, 1], "VALID", "NCHW"), [normal(1, 2, 5, 4)]),
    G("avg_pool 3x3 stride 2 SAME", "avg_pool", lambda x: ts.nn.avg_pool(x, _K3, _S2, "SAME"),
      lambda x: tpool(x, "avg", _K3, _S2, "SAME"), [normal(2, 7, 6, 3)]),
    G("avg_pool 2x3 stride [2,1] SAME NCHW", "avg_pool",
      lambda x: ts.nn.avg_pool(x, [1, 1, 2, 3], [1, 1, 2, 1], "SAME", "NCHW"),
      lambda x: tpool(x, "avg", [1, 1, 2, 3], [1, 1, 2, 1], "SAME", "NCHW"), [normal(2, 2, 5, 4)]),
    G("max_pool_grad (x and y: zero)", "max_pool_grad", lambda x, y, dy: ts.nn.max_pool_grad(x, y, dy, _K3, _S2, "SAME"),
      lambda x, y, dy: tpool_grad(x, dy, "max", _K3, _S2, "SAME"), [normal(2, 6, 5, 3), normal(2, 3, 3, 3), normal(2, 3, 3, 3)]),
    G("max_pool_grad_grad", "max_pool_grad_grad", lambda x, y, g: ts.nn.max_pool_grad_grad(x, y, g, _K3, _S2, "SAME"),
      lambda x, y, g: tmax_select(x, g, _K3, _S2, "SAME"), [normal(2, 6, 5, 3), normal(2, 3, 3, 3), normal(2, 6, 5, 3)]),
    G("avg_pool_grad", "avg_pool_grad", lambda x, dy: ts.nn.avg_pool_grad(x, dy, _K3, _S2, "SAME"),
      lambda x, dy: tpool_grad(x, dy, "avg", _K3, _S2, "SAME"), [normal(2, 6, 5, 3), normal(2, 3, 3, 3)]),
    G("bias_add NHWC", "bias_add", ts.nn.bias_add, tbias_add, [normal(2, 3, 4), normal(4)]),
    G("bias_add NCHW", "bias_add", lambda x, b: ts.nn.bias_add(x, b, "NCHW"), lambda x, b: tbias_add(x, b, "NCHW"),
      [normal(2, 3, 4, 2), normal(3)]),
    G("bias_add_grad NCHW", "bias_add_grad", lambda dy: ts.nn.bias_add_grad(dy, "NCHW"),
      lambda dy: tbias_add_grad(dy, "NCHW"), [normal(2, 3, 4)]),
    G("pad CONSTANT", "pad", lambda x: ts.pad(x, [[1, 2], [0, 3]], constant_values=1.5),
      lambda x: tpad(x, [[1, 2], [0, 3]], value=1.5), [normal(3, 4)]),
    G("pad REFLECT", "pad", lambda x: ts.pad(x, [[2, 1], [3, 3]], "REFLECT"),
      lambda x: tpad(x, [[2, 1], [3, 3]], "REFLECT"), [normal(3, 4)]),
    G("pad SYMMETRIC", "pad", lambda x: ts.pad(x, [[3, 0], [4, 4]], "SYMMETRIC"),
      lambda x: tpad(x, [[3, 0], [4, 4]], "SYMMETRIC"), [normal(3, 4)]),
    G("pad_grad REFLECT", "pad_grad", lambda dy: ts.pad_grad(dy, [[2, 1], [3, 3]], "REFLECT"),
      lambda dy: tpad_grad(dy, [[2, 1], [3, 3]], "REFLECT"), [normal(6, 10)]),
]

def torch_grads(case, W):
    ts_in = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in case.inputs]
    out = case.torch(*ts_in)
    (out * torch.tensor(W)).sum().backward()
    return [np.zeros_like(a) if t.grad is None else t.grad.numpy() for a, t in zip(case.inputs, ts_in)]


def torch_output_shape(case):
    with torch.no_grad():
        return tuple(case.torch(*[torch.tensor(a, dtype=torch.float64) for a in case.inputs]).shape)


def _params():
    # Every case on shaped placeholders, and on placeholders of unknown rank (matmul's gradient
    # then goes through matmul_grad, which reads the ranks at run time).
    for c in CASES:
        for shaped in (True, False):
            yield pytest.param(c, shaped, id=f"{c.id}-{'shaped' if shaped else 'unshaped'}")


@pytest.mark.parametrize("case,shaped", list(_params()))
def test_gradient_matches_torch(case, shaped):
    W = R.standard_normal(torch_output_shape(case))
    xs = [ts.placeholder(np.float64, list(a.shape) if shaped else None, name=f"x{i}") for i, a in enumerate(case.inputs)]
    out = case.tg(*xs)
    loss = ts.reduce_sum(out * ts.constant(W))
    wrt = list(case.wrt if case.wrt is not None else range(len(xs)))
    grads = ts.gradients(loss, [xs[i] for i in wrt])
    got = ts.Session().run(grads, dict(zip(xs, case.inputs)))
    want = torch_grads(case, W)
    for i, g in zip(wrt, got):
        assert g.shape == case.inputs[i].shape, f"{case.id}: gradient {i} has shape {g.shape}"
        assert g.dtype == np.float64
        np.testing.assert_allclose(g, want[i], rtol=RTOL, atol=ATOL, err_msg=f"{case.id}: input {i}")


def test_sparse_softmax_cross_entropy_gradient_matches_torch():
    labels = R.integers(0, 5, size=(3, 4))
    logits = normal(3, 4, 5)
    W = R.standard_normal((3, 4))
    lab, x = ts.placeholder(np.int64, None), ts.placeholder(np.float64, None)
    loss = ts.reduce_sum(ts.sparse_softmax_cross_entropy_with_logits(labels=lab, logits=x) * ts.constant(W))
    g = ts.Session().run(ts.gradients(loss, x), {lab: labels, x: logits})
    xt = torch.tensor(logits, requires_grad=True)
    per_row = torch.nn.functional.cross_entropy(xt.reshape(-1, 5), torch.tensor(labels).reshape(-1), reduction="none")
    (per_row.reshape(3, 4) * torch.tensor(W)).sum().backward()
    np.testing.assert_allclose(g, xt.grad.numpy(), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("build, blocker", [
    (lambda x, w: ts.cast(ts.argmax(x * w, 1), np.float64), "argmax 'argmax' (int64 output), which has no gradient;"),
    (lambda x, w: ts.cast(ts.greater(x, w), np.float64), "greater 'greater' (bool output), which has no gradient;"),
    (lambda x, w: ts.cast(ts.cast(x * w, np.int32), np.float64),
     "cast 'cast' (int32 output), which has no gradient for that input;"),
    (lambda x, w: ts.one_hot(ts.argmax(x * w, 1), 4, dtype=np.float64), "argmax 'argmax' (int64 output)"),
    (lambda x, w: ts.one_hot(ts.cast(ts.reduce_max(x * w, 1), np.int64), 4, dtype=np.float64),
     "cast 'cast' (int64 output)"),
])
def test_no_gradient_through_integer_values_is_an_error_naming_the_op(build, blocker):
    """As TensorFlow's None gradient: asking for a gradient whose every path crosses an integer value is
    an error naming the op there, not zeros."""
    x = ts.placeholder(np.float64, [3, 4])
    w = ts.Variable(np.ones(4))
    loss = ts.reduce_sum(build(x, w))
    with pytest.raises(ts.GraphError, match=f"no gradient of 'reduce_sum' flows to 'Variable': its path goes through "
                                            f"{re.escape(blocker)}"):
        ts.gradients(loss, w)
    with pytest.raises(ts.GraphError, match="flows to 'Variable'"):
        ts.train.GradientDescentOptimizer(0.1).minimize(loss)
    # Another path that carries a gradient makes it defined again; a node off every path gets zeros.
    other = ts.Variable(np.ones(2))
    g_w, g_other = ts.Session().run(ts.gradients(loss + ts.reduce_sum(w * 2.0), [w, other]), {x: normal(3, 4)})
    np.testing.assert_array_equal(g_w, [2.0] * 4)
    np.testing.assert_array_equal(g_other, [0.0, 0.0])


def test_integer_labels_have_no_gradient():
    labels, logits = ts.placeholder(np.int64, [3]), ts.placeholder(np.float64, [3, 5])
    loss = ts.reduce_sum(ts.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    with pytest.raises(ts.GraphError, match="sparse_softmax_cross_entropy_with_logits .* no gradient for that input"):
        ts.gradients(loss, labels)


def test_one_hot_is_not_differentiable():
    i = ts.placeholder(np.int64, [3])
    w = ts.Variable(np.ones(4))
    loss = ts.reduce_sum(ts.one_hot(i, 4, dtype=np.float64) * w)
    g = ts.Session().run(ts.gradients(loss, w), {i: np.array([0, 3, 3])})
    np.testing.assert_array_equal(g, [1, 0, 0, 2])  # only w's own path carries a gradient


def test_sequence_mask_is_not_differentiable_and_masks_the_gradient():
    n = ts.placeholder(np.int64, [3])
    w = ts.Variable(np.ones(4))
    loss = ts.reduce_sum(ts.sequence_mask(n, 4, dtype=np.float64) * w * w)
    g = ts.Session().run(ts.gradients(loss, w), {n: np.array([1, 4, 2])})
    np.testing.assert_array_equal(g, [6, 4, 2, 2])  # 2 w times the number of sequences reaching each step
    with pytest.raises(ts.GraphError, match="flows to .Variable.: its path goes through cast"):
        ts.gradients(ts.reduce_sum(ts.sequence_mask(ts.cast(w, np.int64), 4, dtype=np.float64)), w)


def test_shape_and_range_pass_no_gradient_but_their_users_do():
    w = ts.Variable(np.array([1.0, 2.0, 3.0]))
    scale = ts.cast(ts.shape(w)[0], np.float64) * ts.cast(ts.range(0, 3), np.float64)
    g = ts.Session().run(ts.gradients(ts.reduce_sum(w * scale), w))
    np.testing.assert_array_equal(g, [0.0, 3.0, 6.0])  # d/dw of sum(w * 3 * [0, 1, 2]): nothing through shape


def test_every_differentiable_op_has_a_gradient_case():
    covered = {c.op for c in CASES} | {"sparse_softmax_cross_entropy_with_logits", "one_hot"}  # tested above
    covered |= {"sequence_mask", "shape", "range"}  # above
    missing = sorted(set(_core.registered_ops()) - INTERNAL_OPS - covered)
    assert not missing, f"registered ops without a gradient case in test_ops_gradients.py: {missing}"


# Second derivatives: gradients are graph nodes, so they can be differentiated again. -----------------

SECOND_ORDER = [
    ("tanh", ts.tanh, torch.tanh, normal(2, 3)),
    ("sigmoid", ts.sigmoid, torch.sigmoid, normal(2, 3)),
    ("log", ts.log, torch.log, pos(2, 3)),
    ("sqrt", ts.sqrt, torch.sqrt, pos(2, 3)),
    ("exp*x", lambda x: ts.exp(x) * x, lambda x: torch.exp(x) * x, normal(4)),
    ("1/x", lambda x: 1.0 / x, lambda x: 1.0 / x, away_from_zero(3)),
    ("softmax", ts.softmax, lambda x: torch.softmax(x, -1), normal(3, 4)),
    ("log_softmax", ts.log_softmax, lambda x: torch.log_softmax(x, -1), normal(3, 4)),
    ("x @ x.T", lambda x: ts.matmul(x, x, transpose_b=True), lambda x: x @ x.T, normal(3, 2)),
    ("mean of square", lambda x: ts.reduce_mean(ts.square(x), axis=0), lambda x: (x * x).mean(0), normal(3, 2)),
    ("reduce_prod", lambda x: ts.reduce_prod(x, 1), lambda x: x.prod(1), away_from_zero(3, 4)),
    ("x ** 2.5", lambda x: x ** 2.5, lambda x: x ** 2.5, pos(4)),
    ("x ** x", lambda x: x ** x, lambda x: x ** x, pos(4)),
    ("x[::-1] * x", lambda x: x[::-1] * x, lambda x: torch.flip(x, [0]) * x, normal(5)),
    ("maximum(x, x^2) * x", lambda x: ts.maximum(x, x * x) * x, lambda x: torch.maximum(x, x * x) * x,
     away_from_zero(6)),
    ("abs(x) * x", lambda x: abs(x) * x, lambda x: torch.abs(x) * x, away_from_zero(4)),
]
SECOND_ORDER += [
    ("max_pool(x)^2", lambda x: ts.nn.max_pool(x, [1, 3, 3, 1], [1, 2, 2, 1], "SAME") ** 2.0,
     lambda x: tpool(x, "max", [1, 3, 3, 1], [1, 2, 2, 1], "SAME") ** 2.0, normal(2, 5, 6, 2)),
    ("avg_pool(x)^2 NCHW", lambda x: ts.nn.avg_pool(x, [1, 1, 2, 2], [1, 1, 2, 2], "SAME", "NCHW") ** 2.0,
     lambda x: tpool(x, "avg", [1, 1, 2, 2], [1, 1, 2, 2], "SAME", "NCHW") ** 2.0, normal(2, 2, 5, 3)),
    ("pad(x, REFLECT)^3", lambda x: ts.pad(x, [[1, 1], [2, 0]], "REFLECT") ** 3.0,
     lambda x: tpad(x, [[1, 1], [2, 0]], "REFLECT") ** 3.0, normal(3, 4)),
    ("bias_add(x, x[0])^2", lambda x: ts.nn.bias_add(x, x[0]) ** 2.0, lambda x: tbias_add(x, x[0]) ** 2.0, normal(3, 4)),
]


@pytest.mark.parametrize("name,tg_f,torch_f,x0", SECOND_ORDER, ids=[c[0] for c in SECOND_ORDER])
def test_second_derivative_matches_torch(name, tg_f, torch_f, x0):
    out_shape = tuple(torch_f(torch.tensor(x0)).shape)
    W, V = R.standard_normal(out_shape), R.standard_normal(x0.shape)
    x = ts.placeholder(np.float64, list(x0.shape))
    (g,) = ts.gradients(ts.reduce_sum(tg_f(x) * W), [x])
    (h,) = ts.gradients(ts.reduce_sum(g * V), [x])
    got_g, got_h = ts.Session().run([g, h], {x: x0})

    xt = torch.tensor(x0, requires_grad=True)
    (gt,) = torch.autograd.grad((torch_f(xt) * torch.tensor(W)).sum(), xt, create_graph=True)
    (ht,) = torch.autograd.grad((gt * torch.tensor(V)).sum(), xt)
    np.testing.assert_allclose(got_g, gt.detach().numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(got_h, ht.numpy(), rtol=RTOL, atol=ATOL)


# The autodiff engine itself ------------------------------------------------------------------------

def test_gradients_from_several_consumers_are_summed(session):
    x = ts.placeholder(np.float64, [3])
    y = ts.reduce_sum(x * x + 3.0 * x + ts.exp(x))
    (g,) = ts.gradients(y, [x])
    x0 = normal(3)
    np.testing.assert_allclose(session.run(g, {x: x0}), 2 * x0 + 3 + np.exp(x0), rtol=RTOL)


def test_non_scalar_loss_is_summed(session):
    x = ts.placeholder(np.float64, [2, 3])
    (g,) = ts.gradients(ts.square(x), [x])
    x0 = normal(2, 3)
    np.testing.assert_allclose(session.run(g, {x: x0}), 2 * x0, rtol=RTOL)


def test_single_node_xs_returns_single_gradient(session):
    x = ts.placeholder(np.float64, [2])
    g = ts.gradients(ts.reduce_sum(ts.square(x)), x)
    np.testing.assert_allclose(session.run(g, {x: [1.0, -2.0]}), [2.0, -4.0], rtol=RTOL)


def test_variable_without_path_to_loss_gets_zero_gradient(session):
    x = ts.Variable(normal(2, 2))
    unused = ts.Variable(normal(3))
    gx, gu = ts.gradients(ts.reduce_sum(ts.tanh(x)), [x, unused])
    vx, vu = session.run([gx, gu])
    np.testing.assert_array_equal(vu, np.zeros(3))
    np.testing.assert_allclose(vx, 1 - np.tanh(session.run(x)) ** 2, rtol=RTOL)


def test_gradient_with_respect_to_an_intermediate_node(session):
    x = ts.placeholder(np.float64, [2, 3])
    h = ts.sigmoid(x)
    (gh,) = ts.gradients(ts.reduce_sum(ts.square(h)), [h])
    x0 = normal(2, 3)
    np.testing.assert_allclose(session.run(gh, {x: x0}), 2 / (1 + np.exp(-x0)), rtol=RTOL)


@pytest.mark.parametrize("optimizer", [lambda: ts.train.GradientDescentOptimizer(0.1),
                                       lambda: ts.train.AdamOptimizer(0.1)], ids=["sgd", "adam"])
def test_optimizer_compute_gradients_pairs_match_torch(session, optimizer):
    """Optimizer.compute_gradients(loss): TensorFlow's [(gradient node, variable)] pairs, the symbolic
    form beside the tutorial's numeric train.compute_gradients table."""
    X0, c0 = normal(5, 2), np.eye(2)[R.integers(0, 2, size=5)]
    W0, b0 = normal(2, 2), normal(2)
    X, c = ts.placeholder(), ts.placeholder()
    W, b = ts.Variable(W0), ts.Variable(b0)
    unused = ts.Variable(normal(3))
    p = ts.softmax(ts.add(ts.matmul(X, W), b))
    J = ts.negative(ts.reduce_sum(ts.reduce_sum(ts.multiply(c, ts.log(p)), axis=1)))
    pairs = optimizer().compute_gradients(J)
    assert [v for _, v in pairs] == [W, b, unused] and pairs[0][1] is W
    assert pairs[2][0] is None  # TensorFlow: no gradient for a Variable the loss does not reach
    gW, gb = session.run([pairs[0][0], pairs[1][0]], {X: X0, c: c0})
    assert optimizer().compute_gradients(J, var_list=[b])[0][1] is b

    Wt, bt = torch.tensor(W0, requires_grad=True), torch.tensor(b0, requires_grad=True)
    pt = torch.softmax(torch.tensor(X0) @ Wt + bt, -1)
    (-(torch.tensor(c0) * torch.log(pt)).sum()).backward()
    np.testing.assert_allclose(gW, Wt.grad.numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(gb, bt.grad.numpy(), rtol=RTOL, atol=ATOL)
