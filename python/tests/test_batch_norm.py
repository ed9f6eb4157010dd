"""Batch normalization from Python against PyTorch: tf.nn.fused_batch_norm, moments and
batch_normalization (forward and gradients, to the second order), and tf.layers.batch_normalization's
moving statistics after training steps against torch.nn.BatchNorm2d driven the same way."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional

import tensorgraph as ts  # noqa: E402
from tensorgraph import layers, train  # noqa: E402

R = np.random.default_rng(2026)


def to_nchw(a):
    return np.ascontiguousarray(np.transpose(a, (0, 3, 1, 2)))


@pytest.mark.parametrize("data_format", ["NHWC", "NCHW", "2-D"])
@pytest.mark.parametrize("dtype,rtol", [(np.float64, 1e-12), (np.float32, 1e-5)])
def test_fused_batch_norm_matches_torch_in_training_and_inference(session, data_format, dtype, rtol):
    shape = {"NHWC": (3, 5, 4, 6), "NCHW": (3, 6, 5, 4), "2-D": (7, 6)}[data_format]
    x0, scale, offset = R.normal(size=shape).astype(dtype), R.normal(size=6).astype(dtype), R.normal(size=6).astype(dtype)
    mean, var = R.normal(size=6).astype(dtype), R.uniform(0.5, 2, size=6).astype(dtype)
    fmt = "NHWC" if data_format == "2-D" else data_format
    x = ts.placeholder(dtype, list(shape))
    y, bm, bv = ts.nn.fused_batch_norm(x, scale, offset, epsilon=0.01, data_format=fmt)
    y_inf, m_inf, v_inf = ts.nn.fused_batch_norm(x, scale, offset, mean, var, epsilon=0.01, data_format=fmt,
                                                 is_training=False)
    got, got_m, got_v, got_inf = session.run([y, bm, bv, y_inf], {x: x0})
    xt = torch.tensor(to_nchw(x0) if data_format == "NHWC" else x0)
    rm, rv = torch.zeros(6, dtype=xt.dtype), torch.ones(6, dtype=xt.dtype)
    want = F.batch_norm(xt, rm, rv, torch.tensor(scale), torch.tensor(offset), training=True, momentum=1.0, eps=0.01)
    want_inf = F.batch_norm(xt, torch.tensor(mean), torch.tensor(var), torch.tensor(scale), torch.tensor(offset),
                            training=False, eps=0.01)
    back = (lambda t: np.transpose(t.numpy(), (0, 2, 3, 1))) if data_format == "NHWC" else (lambda t: t.numpy())
    np.testing.assert_allclose(got, back(want), rtol=rtol, atol=rtol)
    np.testing.assert_allclose(got_inf, back(want_inf), rtol=rtol, atol=rtol)
    # momentum 1 leaves torch's running statistics at the batch's: the mean, the unbiased variance
    np.testing.assert_allclose(got_m, rm.numpy(), rtol=rtol, atol=rtol)
    np.testing.assert_allclose(got_v, rv.numpy(), rtol=rtol, atol=rtol)
    assert m_inf is not None and v_inf is not None


@pytest.mark.parametrize("data_format", ["NHWC", "NCHW"])
@pytest.mark.parametrize("is_training", [True, False])
def test_fused_batch_norm_gradients_match_torch_to_the_second_order(session, data_format, is_training):
    shape = (2, 3, 4, 3)
    x0, s0, o0 = R.normal(size=shape), R.normal(size=3), R.normal(size=3)
    m0, v0 = R.normal(size=3), R.uniform(0.5, 2, size=3)
    W, V = R.normal(size=shape), R.normal(size=shape)
    x, s, o, m, v = (ts.placeholder(np.float64, list(a.shape)) for a in (x0, s0, o0, m0, v0))
    y = ts.nn.fused_batch_norm(x, s, o, *((m, v) if not is_training else ()), data_format=data_format,
                               is_training=is_training)[0]
    wrt = [x, s, o] + ([] if is_training else [m, v])
    g = ts.gradients(ts.reduce_sum(y * W), wrt)
    (h,) = ts.gradients(ts.reduce_sum(g[0] * V) + ts.reduce_sum(g[1] * g[1]), [x])
    got = session.run(g + [h], {x: x0, s: s0, o: o0, m: m0, v: v0})

    nchw = (lambda a: torch.tensor(np.transpose(a, (0, 3, 1, 2)))) if data_format == "NHWC" else torch.tensor
    xt = torch.tensor(x0, requires_grad=True)
    st, ot, mt, vt = (torch.tensor(a, requires_grad=True) for a in (s0, o0, m0, v0))
    xn = xt.permute(0, 3, 1, 2) if data_format == "NHWC" else xt
    if is_training:
        yt = F.batch_norm(xn, None, None, st, ot, training=True, eps=0.001)
    else:  # torch's inference batch_norm takes no gradient for the statistics: the formula itself
        c = lambda t: t.view(1, -1, 1, 1)  # noqa: E731
        yt = c(st) * (xn - c(mt)) / torch.sqrt(c(vt) + 0.001) + c(ot)
    inputs = [xt, st, ot] + ([] if is_training else [mt, vt])
    gt = torch.autograd.grad((yt * nchw(W)).sum(), inputs, create_graph=True)
    (ht,) = torch.autograd.grad((gt[0] * torch.tensor(V)).sum() + (gt[1] * gt[1]).sum(), xt)
    for a, b in zip(got, list(gt) + [ht]):
        np.testing.assert_allclose(a, b.detach().numpy(), rtol=1e-9, atol=1e-10)


def test_moments_and_batch_normalization_follow_tensorflows_formula(session):
    x0 = R.normal(size=(4, 3, 5))
    mean, variance = ts.nn.moments(ts.constant(x0), [0, 1])
    km, kv = ts.nn.moments(ts.constant(x0), [0, 1], keep_dims=True)
    assert km.shape == (1, 1, 5) and mean.shape == (5,)
    y = ts.nn.batch_normalization(ts.constant(x0), mean, variance, offset=None, scale=ts.constant(np.full(5, 2.0)),
                                  variance_epsilon=1e-3)
    got_m, got_v, got_y = session.run([mean, variance, y])
    np.testing.assert_allclose(got_m, x0.mean((0, 1)), rtol=1e-12)
    np.testing.assert_allclose(got_v, x0.var((0, 1)), rtol=1e-12)
    np.testing.assert_allclose(got_y, 2 * (x0 - x0.mean((0, 1))) / np.sqrt(x0.var((0, 1)) + 1e-3), rtol=1e-10, atol=1e-12)


def _torch_twin(momentum, lr, shape, steps, W):
    """torch.nn.BatchNorm2d trained with SGD on sum(y * W) over `steps` (NCHW)."""
    bn = torch.nn.BatchNorm2d(shape[3], momentum=1 - momentum, eps=0.001).double()
    opt = torch.optim.SGD(bn.parameters(), lr=lr)
    for x0 in steps:
        opt.zero_grad()
        (bn(torch.tensor(to_nchw(x0))) * torch.tensor(to_nchw(W))).sum().backward()
        opt.step()
    return bn


def test_moving_statistics_follow_torch_batchnorm2d(session):
    shape, momentum, lr = (4, 3, 3, 2), 0.9, 0.05
    steps = [R.normal(loc=1.5, scale=2.0, size=shape) for _ in range(5)]
    W = R.normal(size=shape)
    x = ts.placeholder(np.float64, [None, 3, 3, 2], name="x")
    training = ts.placeholder(np.bool_, [], name="training")
    y = layers.batch_normalization(x, momentum=momentum, training=training)
    loss = ts.reduce_sum(y * W)
    assert len(ts.get_collection(ts.GraphKeys.UPDATE_OPS)) == 2
    step = train.GradientDescentOptimizer(lr).minimize(loss)  # no update ops wired by hand
    for x0 in steps:
        session.run(step, {x: x0, training: True})
    bn = _torch_twin(momentum, lr, shape, steps, W)
    g = ts.get_default_graph()
    got = {n: session.run(g.get_node_by_name(f"batch_normalization/{n}"))
           for n in ("moving_mean", "moving_variance", "gamma", "beta")}
    np.testing.assert_allclose(got["moving_mean"], bn.running_mean.numpy(), rtol=1e-12)
    np.testing.assert_allclose(got["moving_variance"], bn.running_var.numpy(), rtol=1e-12)
    np.testing.assert_allclose(got["gamma"], bn.weight.detach().numpy(), rtol=1e-10)
    np.testing.assert_allclose(got["beta"], bn.bias.detach().numpy(), rtol=1e-10)
    # Evaluation: training fed False uses the moving statistics, as torch's eval(), and moves nothing.
    x_eval = R.normal(size=shape)
    out, _ = session.run([y, step], {x: x_eval, training: False})
    bn.eval()
    with torch.no_grad():
        want = bn(torch.tensor(to_nchw(x_eval))).numpy()
    np.testing.assert_allclose(out, np.transpose(want, (0, 2, 3, 1)), rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(session.run(g.get_node_by_name("batch_normalization/moving_mean")),
                                  got["moving_mean"])
    trainable = {v.name for v in g.trainable_variables()}
    assert trainable == {"batch_normalization/gamma", "batch_normalization/beta"}


def test_layer_with_a_python_bool_and_names(session):
    x = ts.placeholder(np.float32, [None, 4])
    y_train = layers.batch_normalization(x, training=True)
    y_eval = layers.batch_normalization(x, axis=1, training=False, center=False, name="bn")
    names = {v.name for v in ts.get_default_graph().variables}
    assert {"batch_normalization/moving_mean", "bn/gamma", "bn/moving_variance"} <= names and "bn/beta" not in names
    x0 = R.normal(size=(5, 4)).astype(np.float32)
    a, b = session.run([y_train, y_eval], {x: x0})
    np.testing.assert_allclose(a, (x0 - x0.mean(0)) / np.sqrt(x0.var(0) + 1e-3), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(b, x0 / np.sqrt(1 + 1e-3), rtol=1e-6)
    with pytest.raises(ts.GraphError, match="batch_normalization"):
        layers.batch_normalization(ts.placeholder(np.float32, [2, 3, 4]), training=True)


def test_checkpoint_and_exported_model_keep_the_moving_statistics(session, tmp_path):
    x = ts.placeholder(np.float64, [None, 2, 2, 3], name="x")
    training = ts.placeholder(np.bool_, [], name="training")
    y = layers.batch_normalization(x, training=training, momentum=0.5)
    step = train.AdamOptimizer(0.01).minimize(ts.reduce_sum(y * y * 0.5 + y))
    session.run(step, {x: R.normal(size=(3, 2, 2, 3)), training: True})
    g = ts.get_default_graph()
    mv = session.run(g.get_node_by_name("batch_normalization/moving_variance"))
    x_eval = R.normal(size=(2, 2, 2, 3))
    want = session.run(y, {x: x_eval, training: False})
    saver = train.Saver()
    saver.save(session, str(tmp_path / "ckpt.safetensors"))
    fresh = ts.Session()
    saver.restore(fresh, str(tmp_path / "ckpt.safetensors"))
    np.testing.assert_array_equal(fresh.run(y, {x: x_eval, training: False}), want)
    ts.export_model(session, [y], str(tmp_path / "model"))
    loaded = ts.import_model(str(tmp_path / "model"))
    graph, nodes, outputs = loaded
    out = ts.Session(graph).run(outputs[0], {nodes["x"]: x_eval, nodes["training"]: False})
    np.testing.assert_array_equal(out, want)
    np.testing.assert_array_equal(ts.Session(graph).run(nodes["batch_normalization/moving_variance"]), mv)
