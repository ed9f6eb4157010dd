"""tensorgraph.train.fit / evaluate / Saver from Python."""
import numpy as np

import tensorgraph as ts


def clusters(n, seed):
    rng = np.random.default_rng(seed)
    centres = np.array([[0, 1], [1, 0], [0, 0], [1, 1]], dtype=float)
    x = np.concatenate([0.2 * rng.standard_normal((n, 2)) + c for c in centres])
    y = np.array([0] * (2 * n) + [1] * (2 * n), dtype=np.int64)
    return ts.data.Dataset(x, y)


def model():
    x = ts.placeholder(np.float64, [None, 2])
    y = ts.placeholder(np.int64, [None])
    h = ts.layers.dense(x, 8, activation="tanh", seed=1, name="h")
    logits = ts.layers.dense(h, 2, seed=2, name="out")
    loss = ts.reduce_mean(ts.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    return x, y, loss, ts.layers.accuracy(logits, y)


def test_fit_learns_and_evaluate_agrees(session):
    x, y, loss, acc = model()
    step = ts.train.AdamOptimizer(0.05).minimize(loss)
    train, val = clusters(50, 3).split(0.25, 4)
    h = ts.train.fit(session, x, y, loss, step, train, val, accuracy=acc, epochs=12, batch_size=16, quiet=True)
    assert len(h["epochs"]) == 12
    last = h["epochs"][-1]
    assert last["train_loss"] < 0.5 * h["epochs"][0]["train_loss"]
    assert last["val_accuracy"] >= 0.9
    l, a = ts.train.evaluate(session, x, y, loss, val, accuracy=acc)
    assert abs(l - last["val_loss"]) < 1e-12 and abs(a - last["val_accuracy"]) < 1e-12


def test_saver_round_trip_through_a_fresh_session(session, tmp_path):
    x, y, loss, acc = model()
    step = ts.train.AdamOptimizer(0.05).minimize(loss)
    train = clusters(20, 5)
    ts.train.fit(session, x, y, loss, step, train, epochs=3, batch_size=16, quiet=True)
    weights = [v for v in ts.get_default_graph().trainable_variables()]
    path = str(tmp_path / "model.safetensors")
    ts.train.Saver(weights).save(session, path)
    fresh = ts.Session()
    ts.train.Saver(weights).restore(fresh, path)
    for v in weights:
        np.testing.assert_array_equal(fresh.run(v), session.run(v))
