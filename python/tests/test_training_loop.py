"""tensorgraph.train.fit / evaluate / Saver from Python."""
import re

import numpy as np
import pytest

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


# No training configuration crashes (issue 11) ------------------------------------------------------------

def test_fit_with_a_nan_validation_loss_and_patience_stops_without_a_crash(session):
    """Early stopping when no epoch has a finite validation loss: it used to kill the interpreter."""
    x, y, loss, acc = model()
    step = ts.train.AdamOptimizer(0.05).minimize(loss)
    train, val = clusters(30, 3).split(0.25, 4)
    features = val.features.copy()
    features[2, 1] = np.nan
    poisoned = ts.data.Dataset(features, val.labels)
    h = ts.train.fit(session, x, y, loss, step, train, poisoned, accuracy=acc, epochs=10, batch_size=16,
                     patience=2, quiet=True)
    assert h["stopped_early"] and h["best_epoch"] == 0 and len(h["epochs"]) == 2
    assert np.isnan(h["epochs"][0]["val_loss"]) and h["non_finite"] is None
    assert np.isfinite(ts.train.evaluate(session, x, y, loss, train, accuracy=acc)[0])


def test_fit_warns_on_a_diverging_step_and_can_stop_there(session):
    x, y, loss, acc = model()
    step = ts.train.GradientDescentOptimizer(1e307).minimize(loss)
    train = clusters(30, 3)
    with pytest.warns(RuntimeWarning, match=r"training loss was (inf|nan) at epoch 1, step \d+"):
        h = ts.train.fit(session, x, y, loss, step, train, epochs=5, batch_size=16, quiet=True,
                         stop_on_non_finite=True)
    bad = h["non_finite"]
    assert bad["epoch"] == 1 and 1 <= bad["step"] <= 8 and not np.isfinite(bad["loss"])
    assert h["stopped_non_finite"] and len(h["epochs"]) == 1


def test_fit_refuses_empty_splits_and_patience_without_validation(session):
    x, y, loss, acc = model()
    step = ts.train.AdamOptimizer(0.05).minimize(loss)
    data = clusters(5, 3)
    empty = ts.data.Dataset(np.zeros((0, 2)), np.zeros(0, dtype=np.int64))
    with pytest.raises(ts.Error, match=r"the training set is empty \(0 examples, validation set 20\)"):
        ts.train.fit(session, x, y, loss, step, empty, data, quiet=True)
    with pytest.raises(ts.Error, match=r"the validation set is empty \(training set 20 examples\)"):
        ts.train.fit(session, x, y, loss, step, data, empty, quiet=True)
    with pytest.raises(ts.Error, match="patience 2 needs validation data"):
        ts.train.fit(session, x, y, loss, step, data, patience=2, quiet=True)
    assert session.stats()["runs"] == 0


def test_metrics_not_computed_are_none(session):
    x, y, loss, acc = model()
    step = ts.train.AdamOptimizer(0.05).minimize(loss)
    h = ts.train.fit(session, x, y, loss, step, clusters(10, 3), epochs=2, batch_size=16, quiet=True)
    for e in h["epochs"]:
        assert e["train_accuracy"] is None and e["val_loss"] is None and e["val_accuracy"] is None
        assert np.isfinite(e["train_loss"])
    assert ts.train.evaluate(session, x, y, loss, clusters(3, 4))[1] is None


@pytest.mark.parametrize("labels, bad", [(np.array([1.7, 0.0]), "1.7 (flat index 0)"),
                                         ([0.0, 2.0, np.nan], "nan (flat index 2)"),
                                         (np.array([1e30]), "1e+30 (flat index 0)")])
def test_float_labels_must_be_whole_numbers(session, labels, bad):
    """Class labels fed as floats: 1.7 used to become class 1 without a word."""
    y = ts.placeholder(np.int64, [None], name="y")
    with pytest.raises(ts.DTypeError, match=re.escape(f"feed of 'y': {bad} is not a whole number in int64's range")):
        session.run(y, {y: labels})
    np.testing.assert_array_equal(session.run(y, {y: np.array([3.0, 0.0])}), [3, 0])  # whole floats are fine
    assert session.run(y, {y: np.array([3.0, 0.0])}).dtype == np.int64


def test_accuracy_does_not_truncate_float_labels(session):
    logits, labels = ts.placeholder(np.float64, [None, 3]), ts.placeholder()
    acc = ts.layers.accuracy(logits, labels)
    rows = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    assert session.run(acc, {logits: rows, labels: np.array([1.7, 0.0])}) == 0.5  # 1.7 is no class
    assert session.run(acc, {logits: rows, labels: np.array([1, 0])}) == 1.0
