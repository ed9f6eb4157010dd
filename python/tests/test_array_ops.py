"""The composed array functions (split, stack, unstack, slice, reverse, expand_dims, global_norm,
clip_by_global_norm) against numpy, their gradients against torch, and their argument errors. The ops
they are made of (strided_slice, concat) have their rows in test_ops_forward/gradients.py."""
import numpy as np
import pytest

import tensorgraph as tf

torch = pytest.importorskip("torch")
R = np.random.default_rng(15)


def run(fetches, feeds=None):
    return tf.Session().run(fetches, feeds or {})


@pytest.mark.parametrize("shaped", [True, False])
def test_split_stack_unstack_slice_reverse_match_numpy(fresh_graph, shaped):
    a = R.standard_normal((2, 6, 3))
    # the dimensions split/unstack read must be known; the others may be unknown
    x = tf.placeholder(tf.float64, [2, 6, 3] if shaped else [None, 6, 3])
    f = {x: a}
    for got, want in zip(run(tf.split(x, 3, axis=1), f), np.split(a, 3, axis=1)):
        np.testing.assert_array_equal(got, want)
    for got, want in zip(run(tf.split(x, [1, -1, 2], axis=-2), f), np.split(a, [1, 4], axis=1)):
        np.testing.assert_array_equal(got, want)
    for axis in (0, 1, -1):
        parts = tf.unstack(x, axis=axis) if axis != 0 or shaped else tf.unstack(x, axis=1)
        got = run(tf.stack(parts, axis=axis if axis != 0 or shaped else 1), f)
        np.testing.assert_array_equal(got, a)
    np.testing.assert_array_equal(run(tf.stack([x, 2 * x], axis=-1), f), np.stack([a, 2 * a], -1))
    np.testing.assert_array_equal(run(tf.slice(x, [0, 2, 1], [-1, 3, 1]), f), a[:, 2:5, 1:2])
    np.testing.assert_array_equal(run(tf.reverse(x, [1, -1]), f), a[:, ::-1, ::-1])
    np.testing.assert_array_equal(run(tf.reverse(x, 0), f), a[::-1])
    np.testing.assert_array_equal(run(tf.expand_dims(x, 1), f), a[:, None])
    np.testing.assert_array_equal(run(tf.expand_dims(x, dim=-1), f), a[..., None])


def test_gradients_through_the_composed_functions_match_torch(fresh_graph):
    a = R.standard_normal((3, 4))
    w = R.standard_normal((4, 2, 3))
    x = tf.placeholder(tf.float64, [3, 4])
    top, rest = tf.split(x, [1, 2], axis=0)
    cols = tf.unstack(x, axis=1)
    y = tf.stack([cols[0] * cols[3], tf.reverse(cols[1], [0])], axis=1) * tf.reduce_sum(top)  # [3, 2]
    z = tf.concat([tf.expand_dims(y, 0), tf.expand_dims(tf.slice(rest, [0, 1], [2, 2]), 0)[:, :, :1]
                   * tf.ones([1, 1, 2], tf.float64)], axis=1)  # [1, 5, 2]
    loss = tf.reduce_sum(tf.reshape(z[:, :4], [4, 2, 1]) * w[:, :, :1])
    g = run(tf.gradients(loss, x), {x: a})

    t = torch.tensor(a, requires_grad=True)
    ttop, trest = t[:1], t[1:3]
    ty = torch.stack([t[:, 0] * t[:, 3], t[:, 1].flip(0)], 1) * ttop.sum()
    tz = torch.cat([ty[None], trest[None, :, 1:3][:, :, :1] * torch.ones(1, 1, 2, dtype=torch.float64)], 1)
    (tz[:, :4].reshape(4, 2, 1) * torch.tensor(w[:, :, :1])).sum().backward()
    np.testing.assert_allclose(g, t.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_clip_by_global_norm_matches_torch_and_keeps_none(fresh_graph):
    a, b = R.standard_normal((3, 2)) * 4, R.standard_normal(5) * 4
    x, y = tf.placeholder(tf.float64, [3, 2]), tf.placeholder(tf.float64, [5])
    (cx, none, cy), norm = tf.clip_by_global_norm([x, None, y], 1.5)
    assert none is None
    got_x, got_y, got_norm = run([cx, cy, norm], {x: a, y: b})
    ta, tb = torch.tensor(a), torch.tensor(b)
    total = torch.nn.utils.clip_grad_norm_  # clips .grad in place: give it the values as gradients
    pa, pb = torch.zeros_like(ta, requires_grad=True), torch.zeros_like(tb, requires_grad=True)
    pa.grad, pb.grad = ta.clone(), tb.clone()
    want_norm = float(total([pa, pb], 1.5))
    assert got_norm == pytest.approx(want_norm, rel=1e-12)
    # torch scales by clip / (norm + 1e-6); TensorFlow (and tensorgraph) by clip / norm exactly
    np.testing.assert_allclose(got_x, a * 1.5 / want_norm, rtol=1e-12)
    np.testing.assert_allclose(got_y, pb.grad.numpy() * (want_norm + 1e-6) / want_norm, rtol=1e-9)
    assert np.sqrt((got_x ** 2).sum() + (got_y ** 2).sum()) == pytest.approx(1.5, rel=1e-12)
    small, _ = tf.clip_by_global_norm([x], 1e6)
    np.testing.assert_array_equal(run(small[0], {x: a}), a)  # within the norm: unchanged
    assert run(tf.global_norm([x, y]), {x: a, y: b}) == pytest.approx(want_norm, rel=1e-12)


def test_errors_name_the_function_and_the_problem(fresh_graph):
    x = tf.placeholder(tf.float64, [None, 6])
    with pytest.raises(tf.ShapeError, match="cannot be split into 4 equal parts"):
        tf.split(x, 4, axis=1)
    with pytest.raises(tf.ShapeError, match="dimension 0 .* must be known"):
        tf.unstack(x)
    with pytest.raises(tf.ArgumentValueError, match="num=3 but axis 1 has 6"):
        tf.unstack(x, num=3, axis=1)
    with pytest.raises(tf.ArgumentValueError, match="where: give both x and y"):
        tf.where(x > 0)
    with pytest.raises(tf.ArgumentValueError, match="'values' is empty"):
        tf.concat([], 0)
    with pytest.raises(tf.ArgumentTypeError, match="concat: argument 'axis' must be an int"):
        tf.concat([x, x], "1")
    with pytest.raises(tf.ShapeError, match="index 5 at position 1 is outside \\[0, 3\\)"):
        run(tf.gather(tf.constant(np.eye(3)), [0, 5]))
    with pytest.raises(tf.DTypeError, match="condition must be bool"):
        tf.where(x, x, x)


def test_embedding_lookup_matches_torch_embedding_with_repeated_ids(fresh_graph):
    table = R.standard_normal((6, 3))
    ids = np.array([[5, 0, 5], [2, 2, 2]])
    w = R.standard_normal((2, 3, 3))
    E = tf.placeholder(tf.float64, [6, 3])
    y = tf.nn.embedding_lookup([E], ids)
    got, g = run([y, tf.gradients(tf.reduce_sum(y * w), E)], {E: table})
    t = torch.tensor(table, requires_grad=True)
    ty = torch.nn.functional.embedding(torch.tensor(ids), t)
    (ty * torch.tensor(w)).sum().backward()
    np.testing.assert_array_equal(got, ty.detach().numpy())
    np.testing.assert_allclose(g, t.grad.numpy(), rtol=1e-13)
