"""Session.run with nested fetches, TensorFlow 1.x's: lists, tuples, dicts (and named tuples,
OrderedDicts) of nodes, nested, come back in the same structure with numpy values; one node still
gives one value. Every fetched node's run is recorded for train.compute_gradients, nested or not."""
import collections
import threading

import numpy as np
import pytest

import tensorgraph as tg


@pytest.fixture
def model():
    x = tg.placeholder(tg.float64, [None, 2], name="x")
    W = tg.Variable([[1.0, 2.0], [3.0, 4.0]], name="W")
    y = tg.matmul(x, W, name="y")
    loss = tg.reduce_sum(tg.square(y), name="loss")
    return x, W, y, loss


X = np.array([[1.0, -1.0], [0.5, 2.0]])
W0 = np.array([[1.0, 2.0], [3.0, 4.0]])


def test_nested_lists_tuples_and_dicts_come_back_in_the_same_structure(model, session):
    x, W, y, loss = model
    Y = X @ W0
    out = session.run({"pred": y, "parts": [loss, (W, {"again": y})], "empty": []}, {x: X})
    assert type(out) is dict and list(out) == ["pred", "parts", "empty"]
    np.testing.assert_array_equal(out["pred"], Y)
    parts = out["parts"]
    assert type(parts) is list and len(parts) == 2
    np.testing.assert_allclose(parts[0], np.sum(Y ** 2))
    assert type(parts[1]) is tuple and len(parts[1]) == 2
    np.testing.assert_array_equal(parts[1][0], W0)
    assert type(parts[1][1]) is dict
    np.testing.assert_array_equal(parts[1][1]["again"], Y)
    assert out["empty"] == []


def test_a_tuple_stays_a_tuple_and_a_list_a_list(model, session):
    x, W, y, loss = model
    t = session.run((y, loss), {x: X})
    assert type(t) is tuple and len(t) == 2
    lst = session.run([y, loss], {x: X})
    assert type(lst) is list and len(lst) == 2
    np.testing.assert_array_equal(t[0], lst[0])
    assert session.run([]) == [] and session.run(()) == () and session.run({}) == {}


def test_named_tuples_ordered_and_default_dicts_keep_their_type(model, session):
    x, W, y, loss = model
    Pair = collections.namedtuple("Pair", ["prediction", "cost"])
    p = session.run(Pair(y, loss), {x: X})
    assert type(p) is Pair
    np.testing.assert_array_equal(p.prediction, X @ W0)
    od = session.run(collections.OrderedDict([("b", loss), ("a", y)]), {x: X})
    assert type(od) is collections.OrderedDict and list(od) == ["b", "a"]
    dd = session.run(collections.defaultdict(list, w=W), {x: X})
    assert type(dd) is collections.defaultdict
    np.testing.assert_array_equal(dd["w"], W0)


def test_keys_of_any_hashable_kind_and_repeated_nodes(model, session):
    x, W, y, loss = model
    out = session.run({y: y, 3: [y, y], ("k", 1): W}, {x: X})
    for value in (out[y], out[3][0], out[3][1]):
        np.testing.assert_array_equal(value, X @ W0)
    np.testing.assert_array_equal(out[("k", 1)], W0)


def test_a_single_node_is_a_single_value_as_in_the_tutorial(model, session):
    x, W, y, loss = model
    value = session.run(y, {x: X})
    assert isinstance(value, np.ndarray) and value.shape == (2, 2)
    np.testing.assert_array_equal(session.run(W), W0)


def test_one_run_computes_every_fetch_from_the_same_feeds_and_a_step_inside_a_structure(model, session):
    """The update in a dict runs once, after the other fetches are computed from the old values."""
    x, W, y, loss = model
    step = tg.train.GradientDescentOptimizer(0.01).minimize(loss)
    out = session.run({"step": step, "loss": loss, "pred": [y]}, {x: X})
    assert out["step"] is None
    np.testing.assert_allclose(out["loss"], np.sum((X @ W0) ** 2))
    np.testing.assert_array_equal(out["pred"][0], X @ W0)
    grad = 2 * X.T @ (X @ W0)
    np.testing.assert_allclose(session.run(W), W0 - 0.01 * grad)


def test_compute_gradients_reads_the_run_of_a_nested_fetch(model, session):
    """train.compute_gradients(loss) works after the loss was fetched inside a structure: the
    record of each fetched node holds that run's feeds."""
    x, W, y, loss = model
    session.run({"deep": [(loss,)]}, {x: X})
    table = tg.train.compute_gradients(loss)
    np.testing.assert_allclose(table[W], 2 * X.T @ (X @ W0))
    X2 = X * 3
    session.run([y, {"l": loss}], {x: X2})
    np.testing.assert_allclose(tg.train.compute_gradients(loss)[W], 2 * X2.T @ (X2 @ W0))
    np.testing.assert_allclose(tg.train.compute_gradients(loss)[y], 2 * (X2 @ W0))


def test_a_bad_fetch_anywhere_in_the_structure_names_it(model, session):
    x, W, y, loss = model
    for bad in ([y, "y"], {"a": (y, 3)}, ({"a": None},)):
        with pytest.raises(tg.ArgumentTypeError, match="Session.run: the fetch .* is not a node") as info:
            session.run(bad, {x: X})
        assert isinstance(info.value, TypeError) and "incompatible function arguments" not in str(info.value)
    np.testing.assert_array_equal(session.run(W), W0)  # the session still works


def test_a_structure_that_holds_itself_is_refused_not_a_crash(model, session):
    x, W, y, loss = model
    loop = [y]
    loop.append(loop)
    with pytest.raises(tg.ArgumentValueError, match="nested deeper than"):
        session.run(loop, {x: X})
    deep = y
    for _ in range(60):
        deep = [deep]
    out = session.run(deep, {x: X})
    for _ in range(60):
        out = out[0]
    np.testing.assert_array_equal(out, X @ W0)


def test_nested_fetches_from_threads_sharing_a_session(model, session):
    x, W, y, loss = model
    errors = []

    def work(k):
        try:
            for _ in range(50):
                Xk = X * k
                out = session.run({"y": y, "both": (loss, [y])}, {x: Xk})
                np.testing.assert_array_equal(out["y"], Xk @ W0)
                np.testing.assert_allclose(out["both"][0], np.sum((Xk @ W0) ** 2))
                np.testing.assert_array_equal(out["both"][1][0], Xk @ W0)
        except Exception as e:  # noqa: BLE001 (reported below)
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(1, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
