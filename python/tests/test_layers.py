"""tensorgraph.layers from Python: values against numpy on the layer's own initial weights."""
import numpy as np
import pytest

import tensorgraph as ts


def test_dense_matches_numpy_and_names_its_variables(session):
    x = ts.placeholder(np.float64, [None, 3], name="x")
    y = ts.layers.dense(x, 4, activation="relu", seed=7, name="hidden")
    g = ts.get_default_graph()
    W = g.get_node_by_name("hidden/kernel").initial_value
    b = g.get_node_by_name("hidden/bias").initial_value
    assert W.shape == (3, 4) and np.all(b == 0)
    xv = np.array([[1.0, -2.0, 0.5], [0.1, 0.2, 0.3]])
    np.testing.assert_allclose(session.run(y, {x: xv}), np.maximum(xv @ W + b, 0), rtol=1e-12)
    assert y.shape == (None, 4)


def test_same_seed_same_weights_and_l2_and_accuracy(session):
    x = ts.placeholder(np.float64, [None, 5])
    ts.layers.dense(x, 2, seed=3, name="a")
    ts.layers.dense(x, 2, seed=3, name="b")
    g = ts.get_default_graph()
    Wa, Wb = g.get_node_by_name("a/kernel"), g.get_node_by_name("b/kernel")
    np.testing.assert_array_equal(Wa.initial_value, Wb.initial_value)
    assert abs(session.run(ts.layers.l2_loss([Wa])) - 0.5 * np.sum(Wa.initial_value ** 2)) < 1e-12
    logits = ts.constant([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    labels = ts.constant(np.array([1, 0, 0, 0]))
    assert session.run(ts.layers.accuracy(logits, labels)) == 0.75


def test_dropout_zeroes_about_rate_and_scales_the_rest(session):
    x = ts.placeholder(np.float64, [20000])
    training = ts.placeholder(np.bool_, [])
    y = ts.layers.dropout(x, 0.25, training, seed=5)
    ones = np.ones(20000)
    np.testing.assert_array_equal(session.run(y, {x: ones, training: np.array(False)}), ones)
    a = session.run(y, {x: ones, training: np.array(True)})
    assert set(np.unique(a)) <= {0.0, 1 / 0.75}
    assert abs((a == 0).mean() - 0.25) < 0.012
    b = session.run(y, {x: ones, training: np.array(True)})
    assert (a != b).any()


def test_random_uniform_like_is_uniform_on_the_unit_interval(session):
    x = ts.placeholder(np.float64, [40000])
    u = session.run(ts.random_uniform_like(x, seed=1), {x: np.zeros(40000)})
    assert u.min() >= 0 and u.max() < 1
    assert abs(u.mean() - 0.5) < 0.007 and abs(u.var() - 1 / 12) < 0.002


def _assert_normal(v, mean, stddev):
    """10^6 draws: mean, variance and the share within one stddev each within 4 standard errors."""
    n = v.size
    assert abs(v.mean() - mean) < 4 * stddev / np.sqrt(n)
    assert abs(v.var() - stddev ** 2) < 4 * stddev ** 2 * np.sqrt(2 / n)
    p = 0.6826894921370859  # P(|z| < 1)
    assert abs((np.abs(v - mean) < stddev).mean() - p) < 4 * np.sqrt(p * (1 - p) / n)


def test_random_normal_has_normal_moments_and_is_new_on_every_run(session):
    r = ts.random_normal([1000, 1000], mean=2.0, stddev=0.5, seed=4)
    assert r.dtype == np.float32 and r.shape == (1000, 1000)
    a, b = session.run(r), session.run(r)
    _assert_normal(a.astype(np.float64), 2.0, 0.5)
    assert (a != b).all()
    with ts.Session() as again:  # the same numbers from the same seed in a new session
        np.testing.assert_array_equal(again.run(r), a)
    x = ts.placeholder(np.float64, [None, 2])
    like = ts.random_normal_like(x, stddev=3.0)
    v = session.run(like, {x: np.zeros((500000, 2))})
    assert v.dtype == np.float64 and v.shape == (500000, 2)
    _assert_normal(v, 0.0, 3.0)
    # the reparameterisation: no gradient flows into the numbers, x's own is 1
    g, = ts.gradients(ts.reduce_sum(x + like), [x])
    np.testing.assert_array_equal(session.run(g, {x: np.zeros((3, 2))}), np.ones((3, 2)))
    with pytest.raises(ts.ArgumentTypeError, match="random_normal_like"):
        ts.random_normal(x)
    with pytest.raises(ts.GraphError, match="stddev"):
        ts.random_normal([2], stddev=-1.0)


# Issue 11: defaults that do not quietly make layers alike -----------------------------------------------

def test_constant_true_is_bool_and_dropout_takes_a_python_bool(session):
    assert ts.constant(True).dtype == np.bool_ and ts.constant([True, False]).dtype == np.bool_
    assert ts.constant(1).dtype == np.float64  # numbers stay the tutorial's float64
    x = ts.placeholder(np.float64, [1000])
    on, off = ts.layers.dropout(x, 0.5, training=True), ts.layers.dropout(x, 0.5, training=False)
    a, b = session.run([on, off], {x: np.ones(1000)})
    assert set(np.unique(a)) == {0.0, 2.0} and 400 < (a == 0).sum() < 600
    np.testing.assert_array_equal(b, np.ones(1000))


def test_default_layers_get_distinct_seeds_and_scopes(session):
    x = ts.placeholder(np.float64, [None, 6])
    h1 = ts.layers.dense(x, 6)
    h2 = ts.layers.dense(h1, 6)
    ts.layers.dense(h2, 6, name="out")
    ts.layers.dense(h2, 6, name="out")
    names = [v.name for v in ts.get_default_graph().variables]
    assert names == ["dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias", "out/kernel", "out/bias",
                     "out_1/kernel", "out_1/bias"]
    W1, W2 = (ts.get_default_graph().get_node_by_name(n).initial_value for n in ("dense/kernel", "dense_1/kernel"))
    assert not np.array_equal(W1, W2), "two layers of one shape must not start with the same weights"
    d1, d2 = ts.layers.dropout(x, 0.5, True), ts.layers.dropout(x, 0.5, True)
    m1, m2 = session.run([d1, d2], {x: np.ones((50, 6))})
    assert (m1 != m2).any(), "two dropout layers must not drop the same positions"
    # Reproducible: the same program builds the same weights.
    g = ts.Graph()
    with g.as_default():
        ts.layers.dense(ts.placeholder(np.float64, [None, 6]), 6)
        np.testing.assert_array_equal(g.get_node_by_name("dense/kernel").initial_value, W1)
