"""Shared fixtures for tensorgraph's Python tests.

Run from anywhere:  PYTHONPATH=<build>/python python3 -m pytest -q python/tests
Every test gets a fresh default graph, so node names and variables never leak between tests.
"""
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import tensorgraph as tg_


def repo_root():
    """The source tree: TG_SOURCE_DIR (set by CTest), else two levels above this folder."""
    env = os.environ.get("TG_SOURCE_DIR")
    if env:
        return pathlib.Path(env).resolve()
    return pathlib.Path(__file__).resolve().parents[2]


def run_python(code_or_path, *args, cwd, timeout=300):
    """Runs a Python program (a path or source text) in a fresh interpreter; returns the
    CompletedProcess; `args` are the program's arguments. The child inherits PYTHONPATH, so it imports the same
    tensorgraph."""
    env = dict(os.environ)
    env.setdefault("MPLBACKEND", "Agg")
    cmd = [sys.executable, str(code_or_path)] if isinstance(code_or_path, pathlib.Path) else [sys.executable, "-c", code_or_path]
    return subprocess.run(cmd + [str(a) for a in args], cwd=str(cwd), env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(autouse=True)
def fresh_graph():
    """A new default graph for each test; the previous default comes back afterwards."""
    g = tg_.Graph()
    with g.as_default():
        yield g
    tg_._session._stack().clear()  # an InteractiveSession a test left open is nobody's default


@pytest.fixture
def rng():
    return np.random.default_rng(20240611)


@pytest.fixture
def session(fresh_graph):
    return tg_.Session(fresh_graph)


def ref_matmul_grad(a, b, dc, operand, ta=False, tb=False):
    """The gradient of sum(dc * matmul(a, b)) for one operand (0: a, 1: b), from numpy's dot rules:
    a 1-D a is a row, a 1-D b a column. Works on numpy arrays and on torch tensors alike."""
    A = a.T if ta else a
    Bm = b.T if tb else b
    A2 = A.reshape(1, -1) if A.ndim == 1 else A
    B2 = Bm.reshape(-1, 1) if Bm.ndim == 1 else Bm
    D2 = dc.reshape(A2.shape[0], B2.shape[1])
    if operand == 0:
        g = (D2 @ B2.T).reshape(A.shape)
        return g.T if ta else g
    g = (A2.T @ D2).reshape(Bm.shape)
    return g.T if tb else g


def torch_conv2d(x, w, strides=(1, 1), padding="VALID", dilations=(1, 1), nchw=False):
    """TensorFlow's conv2d in torch (the oracle): x NHWC (or NCHW), w HWIO, strides and dilations
    along (H, W); SAME padded explicitly with F.pad, as TensorFlow pads (the extra one after), which
    torch's own padding cannot express."""
    import torch
    import torch.nn.functional as F
    x = x if nchw else x.permute(0, 3, 1, 2)
    pads = []
    for axis in (1, 0):  # F.pad's order: the last axis (W) first
        n, k, s, d = x.shape[2 + axis], w.shape[axis], strides[axis], dilations[axis]
        total = max(((n + s - 1) // s - 1) * s + (k - 1) * d + 1 - n, 0) if padding == "SAME" else 0
        pads += [total // 2, total - total // 2]
    y = F.conv2d(F.pad(x, pads), w.permute(3, 2, 0, 1), stride=tuple(strides), dilation=tuple(dilations))
    return y if nchw else y.permute(0, 2, 3, 1)


def torch_conv2d_backprop(which, x, w, dy, **conv):
    """conv2d's gradient w.r.t. x (which=0) or w (which=1) by torch's autograd, itself differentiable."""
    import torch
    with torch.enable_grad():  # also under no_grad (the shape probes)
        x, w = [t if t.requires_grad else t.detach().clone().requires_grad_(True) for t in (x, w)]
        return torch.autograd.grad(torch_conv2d(x, w, **conv), (x, w)[which], dy, create_graph=True)[0]
