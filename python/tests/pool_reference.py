"""PyTorch references for tensorgraph.nn's pooling, bias_add and pad (TensorFlow's semantics).

torch pools NCHW with symmetric padding only, and its avg_pool2d(count_include_pad=False) matches
TensorFlow only for symmetric padding: the references pad explicitly (TensorFlow's SAME: the odd
extra row/column after), with -inf for max (the padding never wins) and, for the average, divide a
zero-padded window sum by the window's count of real elements. Differentiable in torch, so the
gradient tests use them through autograd.
"""
import numpy as np
import torch
import torch.nn.functional as F


def same_pads(n, k, s):
    out = -(-n // s)
    total = max((out - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def _spatial(v, fmt):
    return (v[1], v[2]) if fmt == "NHWC" else (v[2], v[3])


def _to_nchw(x, fmt):
    return x if fmt == "NCHW" else x.permute(0, 3, 1, 2)


def _from_nchw(y, fmt):
    return y if fmt == "NCHW" else y.permute(0, 2, 3, 1)


def _pads(x_nchw, k, s, padding):
    if padding == "VALID":
        return (0, 0, 0, 0)
    top, bottom = same_pads(x_nchw.shape[2], k[0], s[0])
    left, right = same_pads(x_nchw.shape[3], k[1], s[1])
    return (left, right, top, bottom)


def tpool(x, kind, ksize, strides, padding, fmt="NHWC"):
    """max_pool / avg_pool of a torch tensor, TensorFlow's 4-entry ksize and strides."""
    k, s = _spatial(ksize, fmt), _spatial(strides, fmt)
    xt = _to_nchw(x, fmt)
    pads = _pads(xt, k, s, padding)
    if kind == "max":
        return _from_nchw(F.max_pool2d(F.pad(xt, pads, value=-np.inf), k, s), fmt)
    ones = torch.ones_like(xt)
    return _from_nchw(F.avg_pool2d(F.pad(xt, pads), k, s) / F.avg_pool2d(F.pad(ones, pads), k, s), fmt)


def tmax_select(x, g, ksize, strides, padding, fmt="NHWC"):
    """max_pool_grad_grad: g (shaped like x) read at the maximum of each window of x."""
    k, s = _spatial(ksize, fmt), _spatial(strides, fmt)
    xt, gt = _to_nchw(x, fmt), _to_nchw(g, fmt)
    pads = _pads(xt, k, s, padding)
    _, idx = F.max_pool2d(F.pad(xt.detach(), pads, value=-np.inf), k, s, return_indices=True)
    gp = F.pad(gt, pads)
    out = gp.flatten(2).gather(2, idx.flatten(2)).view_as(idx)
    return _from_nchw(out, fmt)


def tpool_grad(x, dy, kind, ksize, strides, padding, fmt="NHWC"):
    """max_pool_grad / avg_pool_grad: the vector-Jacobian product of tpool at x with dy."""
    with torch.enable_grad():  # also under no_grad (shape probes)
        xr = x if x.requires_grad else x.detach().requires_grad_(True)
        (dx,) = torch.autograd.grad(tpool(xr, kind, ksize, strides, padding, fmt), xr, dy, create_graph=True)
    return dx


def tbias_add(x, b, fmt="NHWC"):
    return x + (b if fmt == "NHWC" else b.view(-1, *([1] * (x.dim() - 2))))


def tbias_add_grad(dy, fmt="NHWC"):
    axis = dy.dim() - 1 if fmt == "NHWC" else 1
    return dy.sum(dim=[a for a in range(dy.dim()) if a != axis])


def tpad(x, paddings, mode="CONSTANT", value=0.0):
    """tf.pad of a torch tensor: np.pad's index maps ('reflect' is REFLECT, 'symmetric' SYMMETRIC)."""
    if mode.upper() == "CONSTANT":
        flat = [p for pair in reversed(paddings) for p in pair]
        return F.pad(x, flat, value=value)
    for axis, (b, a) in enumerate(paddings):
        idx = np.pad(np.arange(x.shape[axis]), (b, a), mode=mode.lower())
        x = x.index_select(axis, torch.tensor(idx))
    return x


def tpad_grad(dy, paddings, mode="CONSTANT"):
    shape = [n - b - a for n, (b, a) in zip(dy.shape, paddings)]
    with torch.enable_grad():  # also under no_grad (shape probes)
        x0 = torch.zeros(shape, dtype=dy.dtype, requires_grad=True)
        (dx,) = torch.autograd.grad(tpad(x0, paddings, mode), x0, dy, create_graph=True)
    return dx


def np_of(f):
    """A numpy reference from a torch one: arrays in, array out (float64 or float32 kept)."""
    return lambda *arrays: f(*[torch.tensor(np.asarray(a)) for a in arrays]).detach().numpy()
