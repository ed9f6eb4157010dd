"""tensorgraph.nn's convolutions against torch (conftest.torch_conv2d: torch is NCHW/OIHW and pads
SAME explicitly): forward and gradients in float64 and float32, NHWC and NCHW, uneven SAME, stride 2,
dilation, 1x1; conv2d_transpose; TensorFlow's argument spellings."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tensorgraph as tf
from conftest import torch_conv2d, torch_conv2d_backprop

R = np.random.default_rng(13)

GEOMETRIES = [  # x NHWC, w HWIO, strides, padding, dilations
    ((2, 9, 6, 3), (3, 3, 3, 4), (2, 2), "SAME", (1, 1)),
    ((1, 7, 7, 2), (3, 3, 2, 5), (1, 1), "SAME", (2, 2)),
    ((3, 5, 4, 4), (1, 1, 4, 8), (1, 1), "VALID", (1, 1)),
    ((1, 8, 9, 3), (2, 4, 3, 2), (2, 1), "VALID", (1, 1)),
    ((2, 6, 5, 1), (5, 5, 1, 3), (2, 2), "SAME", (1, 1)),
]


def _nchw(a):
    return np.ascontiguousarray(a.transpose(0, 3, 1, 2))


def _four(pair, nchw):
    return [1, 1, *pair] if nchw else [1, *pair, 1]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("nchw", [False, True], ids=["NHWC", "NCHW"])
@pytest.mark.parametrize("geo", GEOMETRIES, ids=[f"{g[0]}*{g[1]} s{g[2]} {g[3]} d{g[4]}" for g in GEOMETRIES])
def test_conv2d_and_its_gradients_match_torch(geo, nchw, dtype):
    xs, ws, strides, padding, dil = geo
    x, w = R.standard_normal(xs), R.standard_normal(ws)
    if nchw:
        x = _nchw(x)
    conv = dict(strides=strides, padding=padding, dilations=dil, nchw=nchw)
    tx, tw = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    ty = torch_conv2d(tx, tw, **conv)
    dy = R.standard_normal(tuple(ty.shape))
    ty.backward(torch.tensor(dy))

    tf.reset_default_graph()
    px, pw = tf.placeholder(dtype, [None] * 4), tf.placeholder(dtype, list(w.shape))
    fmt = "NCHW" if nchw else "NHWC"
    y = tf.nn.conv2d(px, pw, _four(strides, nchw), padding, data_format=fmt, dilations=_four(dil, nchw))
    gx, gw = tf.gradients(tf.reduce_sum(y * tf.constant(dy.astype(dtype))), [px, pw])
    got = tf.Session().run([y, gx, gw], {px: x.astype(dtype), pw: w.astype(dtype)})
    tol = dict(rtol=1e-10, atol=1e-10) if dtype == np.float64 else dict(rtol=1e-4, atol=1e-4)
    for g, want, what in zip(got, [ty.detach().numpy(), tx.grad.numpy(), tw.grad.numpy()], ["y", "dx", "dw"]):
        np.testing.assert_allclose(g, want, **tol, err_msg=what)


def test_second_derivatives_match_torch():
    x, w = R.standard_normal((2, 7, 6, 2)), R.standard_normal((3, 3, 2, 3))
    tx, tw = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    conv = dict(strides=(2, 2), padding="SAME")
    gx = torch.autograd.grad((torch_conv2d(tx, tw, **conv) ** 2).sum(), tx, create_graph=True)[0]
    want = torch.autograd.grad((gx ** 3).sum(), (tx, tw))

    tf.reset_default_graph()
    px, pw = tf.placeholder(tf.float64, [None, 7, 6, 2]), tf.placeholder(tf.float64, [3, 3, 2, 3])
    g = tf.gradients(tf.reduce_sum(tf.square(tf.nn.conv2d(px, pw, [1, 2, 2, 1], "SAME"))), [px])[0]
    got = tf.Session().run(tf.gradients(tf.reduce_sum(g * g * g), [px, pw]), {px: x, pw: w})
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b.detach().numpy(), rtol=1e-10, atol=1e-9)


@pytest.mark.parametrize("size", [5, 6])  # SAME at stride 2 makes both 3
def test_conv2d_transpose_is_the_input_gradient(size):
    w = R.standard_normal((3, 3, 2, 4))  # [kh, kw, output channels, input channels]
    v = R.standard_normal((2, 3, 3, 4))
    want = torch_conv2d_backprop(0, torch.zeros(2, size, size, 2, dtype=torch.float64), torch.tensor(w),
                                 torch.tensor(v), strides=(2, 2), padding="SAME")
    tf.reset_default_graph()
    value = tf.placeholder(tf.float64, [None, 3, 3, 4])
    t = tf.nn.conv2d_transpose(value, w, [None, size, size, 2], [1, 2, 2, 1])
    assert t.shape == (None, size, size, 2)
    t2 = tf.nn.conv2d_transpose(input=value, filters=w, output_shape=[-1, size, size, 2], strides=2, padding="SAME")
    got = tf.Session().run([t, t2], {value: v})
    for g in got:
        np.testing.assert_allclose(g, want.detach().numpy(), rtol=1e-10, atol=1e-12)


def test_backprop_ops_take_sizes_as_lists_or_nodes():
    x, w = R.standard_normal((2, 6, 6, 3)), R.standard_normal((3, 3, 3, 2))
    dy = R.standard_normal((2, 3, 3, 2))
    conv = dict(strides=(2, 2), padding="SAME")
    want_x = torch_conv2d_backprop(0, torch.tensor(x), torch.tensor(w), torch.tensor(dy), **conv).detach().numpy()
    want_w = torch_conv2d_backprop(1, torch.tensor(x), torch.tensor(w), torch.tensor(dy), **conv).detach().numpy()
    tf.reset_default_graph()
    px = tf.placeholder(tf.float64, [None, 6, 6, 3])
    nodes = [tf.nn.conv2d_backprop_input([None, 6, 6, 3], w, dy, [1, 2, 2, 1], "SAME"),
             tf.nn.conv2d_backprop_input(px, filter=w, out_backprop=dy, strides=[1, 2, 2, 1], padding="SAME"),
             tf.nn.conv2d_backprop_filter(px, [3, 3, 3, 2], dy, [1, 2, 2, 1], "SAME"),
             tf.nn.conv2d_backprop_filter(px, tf.constant(w), dy, 2, "SAME")]
    assert [n.type for n in nodes] == ["conv2d_backprop_input"] * 2 + ["conv2d_backprop_filter"] * 2
    got = tf.Session().run(nodes, {px: x})
    for g, want in zip(got, [want_x, want_x, want_w, want_w]):
        np.testing.assert_allclose(g, want, rtol=1e-10, atol=1e-12)


def test_tensorflow_spellings_and_errors():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    w = tf.Variable(np.ones((5, 5, 1, 8), np.float32))
    assert tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME", use_cudnn_on_gpu=False).shape == (None, 28, 28, 8)
    assert tf.nn.conv2d(x, filter=w, strides=[1, 2, 2, 1], padding="VALID").shape == (None, 12, 12, 8)
    assert tf.nn.conv2d(input=x, filters=w, strides=2, padding="SAME", dilations=1).shape == (None, 14, 14, 8)
    with pytest.raises(tf.ArgumentValueError, match="filter= .* or filters="):
        tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME", filters=w)
    with pytest.raises(tf.ArgumentValueError, match="'padding' is required"):
        tf.nn.conv2d(x, w, [1, 1, 1, 1])
    with pytest.raises(tf.ShapeError, match="conv2d: filters .* take 3 input channels"):
        tf.nn.conv2d(x, np.ones((3, 3, 3, 1), np.float32), [1, 1, 1, 1], "SAME")
    with pytest.raises(tf.ShapeError, match="conv2d: padding must be"):
        tf.nn.conv2d(x, w, [1, 1, 1, 1], "FULL")
    with pytest.raises(tf.ShapeError, match="conv2d: strides"):
        tf.nn.conv2d(x, w, [1, 1, 1], "SAME")
    with pytest.raises(tf.ArgumentTypeError, match="strides"):
        tf.nn.conv2d(x, w, "1111", "SAME")
