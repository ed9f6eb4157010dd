"""tensorgraph.layers from Python: values against numpy on the layer's own initial weights."""
import numpy as np

import tensorgraph as ts


def test_dense_matches_numpy_and_names_its_variables(session):
    x = ts.placeholder(np.float64, [None, 3], name="x")
    y = ts.layers.dense(x, 4, activation="relu", seed=7, name="hidden")
    g = ts.get_default_graph()
    W = g.get_node_by_name("hidden/W").initial_value
    b = g.get_node_by_name("hidden/b").initial_value
    assert W.shape == (3, 4) and np.all(b == 0)
    xv = np.array([[1.0, -2.0, 0.5], [0.1, 0.2, 0.3]])
    np.testing.assert_allclose(session.run(y, {x: xv}), np.maximum(xv @ W + b, 0), rtol=1e-12)
    assert y.shape == (None, 4)


def test_same_seed_same_weights_and_l2_and_accuracy(session):
    x = ts.placeholder(np.float64, [None, 5])
    ts.layers.dense(x, 2, seed=3, name="a")
    ts.layers.dense(x, 2, seed=3, name="b")
    g = ts.get_default_graph()
    Wa, Wb = g.get_node_by_name("a/W"), g.get_node_by_name("b/W")
    np.testing.assert_array_equal(Wa.initial_value, Wb.initial_value)
    assert abs(session.run(ts.layers.l2_loss([Wa])) - 0.5 * np.sum(Wa.initial_value ** 2)) < 1e-12
    logits = ts.constant([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    labels = ts.constant(np.array([1, 0, 0, 0]))
    assert session.run(ts.layers.accuracy(logits, labels)) == 0.75
