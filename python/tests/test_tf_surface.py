"""The TensorFlow 1.x names of issue 12 where a table row cannot say it: constants, node operators
and indexing (and their errors), stop_gradient, the tie rules of maximum/minimum/clip_by_value, pow's
gradient at x <= 0, abs at 0, reduce_prod's gradient with zeros, and a model file holding the new
ops. Hand-derived values; torch where it shares TensorFlow's rule."""
import builtins

import numpy as np
import pytest
import torch

import tensorgraph as ts


def grad(loss, x, feed):
    return ts.Session().run(ts.gradients(loss, x), feed)


def test_zeros_ones_fill_are_constants_of_tensorflows_dtypes(session):
    z, o = ts.zeros([2, 3]), ts.ones((4,), dtype=np.int64, name="o")
    assert z.type == "Const" and z.dtype == np.float32 and z.shape == (2, 3)
    assert o.name == "o" and o.dtype == np.int64
    assert ts.zeros(3).shape == (3,)  # an int is a 1-D shape
    np.testing.assert_array_equal(session.run(z), np.zeros((2, 3), np.float32))
    np.testing.assert_array_equal(session.run(o), [1, 1, 1, 1])
    f = session.run(ts.fill([2, 2], 2.5))
    assert f.dtype == np.float64 and (f == 2.5).all()  # a Python number: float64, as constant()
    assert session.run(ts.fill([3], np.array(7, np.int32))).dtype == np.int32
    assert session.run(ts.fill([2], True)).tolist() == [True, True]
    assert session.run(ts.zeros([0, 2])).shape == (0, 2)


def test_constant_shapes_must_be_known(session):
    with pytest.raises(ts.ArgumentTypeError, match="zeros: argument 'shape' must be a list of ints or an int"):
        ts.zeros([None, 3])
    with pytest.raises(ts.ShapeError, match="fill: .*negative dimension -2"):
        ts.fill([-2], 1.0)
    with pytest.raises(ts.ArgumentTypeError, match="ones: argument 'shape' must be a list of ints or an int, got Node"):
        ts.ones(ts.placeholder())


def test_zeros_like_and_ones_like_take_the_run_time_shape(session):
    x = ts.placeholder(np.float64)
    feed = {x: np.ones((2, 3))}
    np.testing.assert_array_equal(session.run(ts.zeros_like(x), feed), np.zeros((2, 3)))
    got = session.run(ts.ones_like(x, dtype=np.int32, name="ones"), feed)
    assert got.dtype == np.int32 and got.shape == (2, 3)
    np.testing.assert_array_equal(grad(ts.reduce_sum(x * ts.ones_like(x)), x, feed), np.ones((2, 3)))


def test_comparison_operators_build_nodes_and_nodes_stay_dict_keys(session):
    x, y = ts.placeholder(np.float64, [3], name="x"), ts.placeholder(np.float64, [3], name="y")
    feed = {x: [1.0, 2.0, 3.0], y: [2.0, 2.0, 2.0]}
    for node, want in [(x < y, [1, 0, 0]), (x <= y, [1, 1, 0]), (x > y, [0, 0, 1]), (x >= y, [0, 1, 1]),
                       (x > 1.5, [0, 1, 1]), (2.5 < x, [0, 0, 1])]:
        assert node.dtype == np.bool_
        np.testing.assert_array_equal(session.run(node, feed), np.array(want, bool))
    assert (x == x) is True and (x == y) is False and x != y  # identity, as TensorFlow 1.x tensors
    assert {x: 1, y: 2}[y] == 2 and len({x, y, x}) == 2


def test_arithmetic_operators_pow_and_abs(session):
    x = ts.placeholder(np.float64, [3])
    feed = {x: np.array([-2.0, 0.5, 3.0])}
    np.testing.assert_allclose(session.run(x ** 2, feed), [4.0, 0.25, 9.0], rtol=1e-15)
    np.testing.assert_allclose(session.run(2.0 ** x, feed), [0.25, np.sqrt(2.0), 8.0], rtol=1e-15)
    np.testing.assert_allclose(session.run(abs(x), feed), [2.0, 0.5, 3.0], rtol=0)
    np.testing.assert_allclose(session.run(-abs(x) ** 1.0, feed), [-2.0, -0.5, -3.0], rtol=0)
    assert (abs(x)).type == "abs" and (x ** x).type == "pow"


def test_abs_and_pow_do_not_shadow_the_builtins_on_star_import():
    assert "abs" not in ts.__all__ and "pow" not in ts.__all__
    namespace = {}
    exec("from tensorgraph import *", namespace)
    assert "abs" not in namespace and "pow" not in namespace
    assert builtins.abs(-3) == 3


def test_nodes_are_not_iterable(session):
    x = ts.placeholder(np.float64, [3])
    with pytest.raises(ts.ArgumentTypeError, match="not iterable"):
        list(x)
    with pytest.raises(ts.ArgumentTypeError, match="not iterable"):
        a, b, c = x


@pytest.mark.parametrize("key, error, message", [
    (1.5, ts.ArgumentTypeError, "Node.__getitem__: argument 'key' must be an int, a slice of ints, ..., None or a "
                                "tuple of them \\(numpy's basic indexing\\), got float 1.5"),
    ([0, 1], ts.ArgumentTypeError, "got list"),
    (True, ts.ArgumentTypeError, "got bool"),
    ((slice(None, None, 0),), ts.ArgumentValueError, "a slice step cannot be zero"),
    ((slice(0.5, 2),), ts.ArgumentTypeError, "got tuple \\(slice\\(0.5"),
    (5, ts.ShapeError, "strided_slice .*index 5 is out of range for dimension 0 of \\[4, 3\\]"),
    ((1, -4), ts.ShapeError, "index -4 is out of range for dimension 1"),
    ((0, 0, 0), ts.ShapeError, "too many indices for \\[4, 3\\]"),
    ((Ellipsis, 0, Ellipsis), ts.ShapeError, "more than one ellipsis"),
])
def test_bad_indices_raise_errors_naming_what_is_wrong(key, error, message):
    x = ts.placeholder(np.float64, [4, 3], name="x")
    with pytest.raises(error, match=message):
        x[key]


def test_indexing_with_a_node_is_refused():
    x, i = ts.placeholder(np.float64, [4]), ts.placeholder(np.int64, [])
    with pytest.raises(ts.ArgumentTypeError, match="argument 'key' .*got Node"):
        x[i]


def test_indexing_partial_shapes(session):
    x = ts.placeholder(np.float64, [None, 3])
    assert x[:, 1].shape == (None,) and x[0].shape == (3,) and x[..., None].shape == (None, 3, 1)
    assert x[1:, ::2].shape == (None, 2)
    u = ts.placeholder()
    assert u[0].shape is None
    np.testing.assert_array_equal(session.run(u[1, ::-1], {u: np.arange(6.0).reshape(2, 3)}), [5.0, 4.0, 3.0])
    with pytest.raises(ts.ShapeError, match="out of range"):  # found when the shape is, at run time
        session.run(x[-1], {x: np.zeros((0, 3))})


def test_stop_gradient(session):
    x = ts.placeholder(np.float64, [3])
    feed = {x: np.array([1.0, -2.0, 3.0])}
    np.testing.assert_array_equal(grad(ts.reduce_sum(x * ts.stop_gradient(x)), x, feed), [1.0, -2.0, 3.0])
    np.testing.assert_array_equal(grad(ts.reduce_sum(ts.stop_gradient(x)), x, feed), [0.0, 0.0, 0.0])
    # a Variable behind stop_gradient is not trained
    w, v = ts.Variable([1.0, 2.0]), ts.Variable([3.0, 4.0])
    step = ts.train.GradientDescentOptimizer(0.5).minimize(ts.reduce_sum(w * ts.stop_gradient(v)))
    session.run(step)
    np.testing.assert_array_equal(session.run(w), [-0.5, 0.0])
    np.testing.assert_array_equal(session.run(v), [3.0, 4.0])


def test_maximum_and_minimum_ties_go_to_x(session):
    x, y = ts.placeholder(np.float64, [3]), ts.placeholder(np.float64, [3])
    feed = {x: [1.0, 2.0, 3.0], y: [2.0, 2.0, 2.0]}
    gx, gy = grad(ts.reduce_sum(ts.maximum(x, y)), [x, y], feed)
    np.testing.assert_array_equal(gx, [0, 1, 1])
    np.testing.assert_array_equal(gy, [1, 0, 0])
    gx, gy = grad(ts.reduce_sum(ts.minimum(x, y)), [x, y], feed)
    np.testing.assert_array_equal(gx, [1, 1, 0])
    np.testing.assert_array_equal(gy, [0, 0, 1])


def test_clip_by_value_at_the_bounds_and_its_shape_rule(session):
    t = ts.placeholder(np.float64, [5])
    feed = {t: np.array([0.0, 1.0, 2.0, 3.0, 4.0])}
    c = ts.clip_by_value(t, 1.0, 3.0, name="clipped")
    assert c.name == "clipped"
    np.testing.assert_array_equal(session.run(c, feed), [1, 1, 2, 3, 3])
    # as TensorFlow (and torch.clamp): a value at a bound keeps its gradient
    np.testing.assert_array_equal(grad(ts.reduce_sum(c), t, feed), [0, 1, 1, 1, 0])
    tt = torch.tensor(feed[t], requires_grad=True)
    torch.clamp(tt, 1.0, 3.0).sum().backward()
    np.testing.assert_array_equal(tt.grad.numpy(), [0, 1, 1, 1, 0])
    with pytest.raises(ts.ShapeError, match="clip_by_value: the bounds .* would broadcast t \\[5\\] to \\[2, 5\\]"):
        ts.clip_by_value(t, np.zeros((2, 1)), 1.0)


def test_pow_gradient_at_non_positive_bases_follows_tensorflow(session):
    x, y = ts.placeholder(np.float64, [3]), ts.placeholder(np.float64, [3])
    feed = {x: [-2.0, 0.0, 3.0], y: [2.0, 2.0, 2.0]}
    gx, gy = grad(ts.reduce_sum(ts.pow(x, y)), [x, y], feed)
    np.testing.assert_allclose(gx, [-4.0, 0.0, 6.0], rtol=1e-15)
    np.testing.assert_allclose(gy, [0.0, 0.0, 9.0 * np.log(3.0)], rtol=1e-15)  # log(x) x^y where x > 0, else 0


def test_pow_of_integers_refuses_negative_exponents(session):
    p = ts.pow(ts.constant(np.array([2, 3], np.int32)), ts.constant(np.array([1, -1], np.int32)), name="power")
    with pytest.raises(ts.Error, match="pow 'power': integers to negative integer powers are not allowed"):
        session.run(p)


def test_abs_gradient_is_zero_at_zero():
    x = ts.placeholder(np.float64, [4])
    np.testing.assert_array_equal(grad(ts.reduce_sum(abs(x)), x, {x: [-2.0, 0.0, -0.0, 0.5]}), [-1, 0, 0, 1])


def test_reduce_prod_gradient_with_zeros_by_hand():
    x = ts.placeholder(np.float64, [4, 3])
    feed = {x: np.array([[0.0, 2.0, 3.0], [4.0, 0.0, 0.0], [1.0, -2.0, 0.5], [0.0, 0.0, 0.0]])}
    # one zero: it gets the product of the others, the rest 0; two or more: 0; none: p / x
    np.testing.assert_allclose(grad(ts.reduce_sum(ts.reduce_prod(x, 1)), x, feed),
                               [[6, 0, 0], [0, 0, 0], [-1, 0.5, -2], [0, 0, 0]], rtol=1e-15)


def test_logical_ops_take_bools(session):
    x = ts.placeholder(np.float64, [2], name="numbers")
    with pytest.raises(ts.DTypeError, match="logical_and .*bool inputs, got float64"):
        ts.logical_and(x, x > 0.0)
    with pytest.raises(ts.DTypeError, match="logical_not"):
        ts.logical_not(x)


def test_the_new_ops_round_trip_through_a_model_file(tmp_path):
    x = ts.placeholder(np.float64, [None, 4], name="x")
    y = ts.clip_by_value(ts.reduce_prod(x[:, 1:] ** 2.0, axis=1) - ts.reduce_min(abs(x), axis=1), -5.0, 5.0)
    out = ts.identity(ts.stop_gradient(y[::-1]) + ts.cast(ts.argmin(x, 1), np.float64), name="out")
    s = ts.Session()
    xs = np.random.default_rng(3).normal(size=(5, 4))
    want = s.run(out, {x: xs})
    ts.export_model(s, [out], str(tmp_path / "m"))
    graph, nodes, outputs = ts.import_model(str(tmp_path / "m"))
    assert [n.type for n in graph.nodes() if n.type == "strided_slice"] == ["strided_slice"] * 2
    np.testing.assert_array_equal(ts.Session(graph).run(outputs[0], {nodes["x"]: xs}), want)
