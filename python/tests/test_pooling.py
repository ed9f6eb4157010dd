"""tf.nn.max_pool / avg_pool / bias_add and tf.pad: TensorFlow 1.x and 2.x argument forms, float32
(oneDNN) against PyTorch, TensorFlow's errors. Values and gradients of every op are in
test_ops_forward.py and test_ops_gradients.py."""
import numpy as np
import pytest
import torch

import tensorgraph as tf
from pool_reference import tpool

R = np.random.default_rng(2026)


def run(node, feeds=None):
    return tf.Session().run(node, feeds or {})


def test_value_and_input_keywords_and_short_ksize(fresh_graph):
    x = R.standard_normal((2, 7, 5, 3))
    want = tpool(torch.tensor(x), "max", [1, 3, 3, 1], [1, 2, 2, 1], "SAME").numpy()
    forms = [tf.nn.max_pool(x, [1, 3, 3, 1], [1, 2, 2, 1], "SAME"),  # TF1, positional
             tf.nn.max_pool(value=x, ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding="SAME"),
             tf.nn.max_pool(input=x, ksize=3, strides=2, padding="SAME"),  # TF2: an int, or spatial entries
             tf.nn.max_pool(input=x, ksize=[3, 3], strides=[2], padding="SAME", data_format="NHWC")]
    for got in run(forms):
        np.testing.assert_allclose(got, want, rtol=1e-12)
    nchw = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
    got = run(tf.nn.avg_pool(input=nchw, ksize=[3, 3], strides=2, padding="SAME", data_format="NCHW"))
    np.testing.assert_allclose(got, tpool(torch.tensor(nchw), "avg", [1, 1, 3, 3], [1, 1, 2, 2], "SAME", "NCHW").numpy(),
                               rtol=1e-12)


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("shape,k,s,padding,fmt", [
    ((1, 9, 7, 5), [1, 3, 3, 1], [1, 2, 2, 1], "SAME", "NHWC"),
    ((3, 4, 8, 6), [1, 1, 3, 3], [1, 1, 2, 2], "SAME", "NCHW"),  # uneven: 8 -> 4 pads 0 and 1
    ((2, 28, 28, 16), [1, 2, 2, 1], [1, 2, 2, 1], "VALID", "NHWC"),
    ((1, 5, 5, 1), [1, 1, 1, 1], [1, 1, 1, 1], "VALID", "NHWC"),
])
def test_float32_matches_torch_forward_and_gradient(fresh_graph, kind, shape, k, s, padding, fmt):
    x = R.standard_normal(shape).astype(np.float32)
    xp = tf.placeholder(tf.float32, list(shape))
    pool = getattr(tf.nn, f"{kind}_pool")
    y = pool(xp, k, s, padding, fmt)
    w = R.standard_normal(y.shape).astype(np.float32)
    dx = tf.gradients(tf.reduce_sum(y * w), xp)
    got_y, got_dx = run([y, dx], {xp: x})
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    yt = tpool(xt, kind, k, s, padding, fmt)
    (yt * torch.tensor(w, dtype=torch.float64)).sum().backward()
    assert got_y.dtype == np.float32
    np.testing.assert_allclose(got_y, yt.detach().numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(got_dx, xt.grad.numpy(), rtol=1e-4, atol=1e-5)


def test_argument_errors(fresh_graph):
    x = np.zeros((1, 4, 4, 1))
    with pytest.raises(tf.ArgumentTypeError, match="'value'.*'input'"):
        tf.nn.max_pool(x, 2, 2, "SAME", input=x)
    with pytest.raises(tf.ArgumentTypeError, match="ksize"):
        tf.nn.avg_pool(x, strides=2, padding="SAME")
    with pytest.raises(tf.ArgumentTypeError, match="padding"):
        tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1])
    with pytest.raises(tf.ShapeError, match="max_pool.*ksize"):
        tf.nn.max_pool(x, [1, 2, 2], [1, 2, 2, 1], "SAME")
    with pytest.raises(tf.ShapeError, match="max_pool.*padding"):
        tf.nn.max_pool(x, 2, 2, "FULL")
    with pytest.raises(tf.ShapeError, match="bias_add.*bias"):
        tf.nn.bias_add(np.zeros((2, 3)), [1.0, 2.0])
    with pytest.raises(tf.ShapeError, match="REFLECT"):
        tf.pad(np.zeros((2, 3)), [[2, 0], [0, 0]], "REFLECT")
    with pytest.raises(tf.ShapeError, match="mode"):
        tf.pad(np.zeros(3), [[1, 1]], "WRAP")
    with pytest.raises(tf.ArgumentValueError, match="paddings"):
        tf.pad(np.zeros(3), [1, 1])


def test_tf_pad_matches_numpy_modes(fresh_graph):
    x = R.standard_normal((3, 4))
    for mode in ("CONSTANT", "REFLECT", "SYMMETRIC", "reflect"):
        got = run(tf.pad(x, [[1, 2], [3, 0]], mode))
        np.testing.assert_array_equal(got, np.pad(x, [[1, 2], [3, 0]], mode=mode.lower()))
    np.testing.assert_array_equal(run(tf.pad(x, np.array([[0, 1], [1, 0]]), constant_values=-1.0)),
                                  np.pad(x, [[0, 1], [1, 0]], constant_values=-1.0))


def test_nn_names():
    for name in ["max_pool", "avg_pool", "bias_add", "max_pool_grad", "max_pool_grad_grad", "avg_pool_grad",
                 "bias_add_grad"]:
        assert name in tf.nn.__all__ and callable(getattr(tf.nn, name))
    assert "pad" in tf.__all__
