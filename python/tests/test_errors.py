"""Bad input raises the documented exceptions (python/src/module.cpp): ShapeError is a ValueError,
DTypeError a TypeError, FeedError and GraphError ValueErrors; messages name the node. After every
error the session keeps working, and nothing crashes the interpreter."""
import textwrap

import numpy as np
import pytest

import tensorgraph as ts
from tensorgraph import Operation, RegisterGradient
from conftest import run_python


@pytest.fixture
def healthy(session):
    """A small valid computation on the session's graph; call it after an error to prove the
    session still works (variables keep their values)."""
    v = ts.Variable([1.0, 2.0], name="healthy_v")
    p = ts.placeholder(name="healthy_p")
    y = ts.reduce_sum(v * p)
    step = ts.train.GradientDescentOptimizer(0.5).minimize(y)

    def check():
        before = session.run(v)
        np.testing.assert_allclose(session.run(y, {p: [3.0, 4.0]}), 3 * before[0] + 4 * before[1], rtol=1e-15)
        session.run(step, {p: [1.0, 1.0]})
        np.testing.assert_allclose(session.run(v), before - 0.5, rtol=1e-15)
    check()
    return check


def test_exception_hierarchy():
    assert issubclass(ts.ShapeError, ValueError)
    assert issubclass(ts.DTypeError, TypeError)
    assert issubclass(ts.FeedError, ValueError)
    assert issubclass(ts.GraphError, ValueError)


def test_missing_feed_names_the_placeholder(session, healthy):
    x = ts.placeholder(name="images")
    y = ts.reduce_sum(x * 2)
    with pytest.raises(ValueError, match="images") as info:
        session.run(y)
    assert isinstance(info.value, ts.FeedError)
    with pytest.raises(ts.FeedError, match="images"):
        session.run([y], {})
    healthy()
    np.testing.assert_array_equal(session.run(y, {x: [1.0]}), 2.0)


@pytest.mark.parametrize("value,given", [(np.ones((2, 4)), "[2, 4]"), (np.ones(3), "[3]"), (np.ones((1, 3, 1)), "[1, 3, 1]")])
def test_wrong_feed_shape_for_a_shaped_placeholder(session, healthy, value, given):
    x = ts.placeholder(np.float64, [None, 3], name="batch")
    y = ts.reduce_sum(x)
    with pytest.raises(ValueError) as info:
        session.run(y, {x: value})
    msg = str(info.value)
    assert "batch" in msg and given in msg, msg
    assert "[?, 3]" in msg or "[None, 3]" in msg or "[-1, 3]" in msg, f"expected shape missing: {msg}"
    healthy()
    assert session.run(y, {x: np.ones((2, 3))}) == 6.0


def test_matmul_of_mismatched_shapes_fails_when_built(session, healthy):
    a = ts.placeholder(np.float64, [3, 2], name="left")
    b = ts.placeholder(np.float64, [3, 2], name="right")
    with pytest.raises(ValueError, match="matmul") as info:
        ts.matmul(a, b)
    msg = str(info.value)
    assert isinstance(info.value, ts.ShapeError)
    assert "left" in msg and "right" in msg and "[3, 2]" in msg, msg
    healthy()
    np.testing.assert_array_equal(session.run(ts.matmul(a, b, transpose_b=True), {a: np.ones((3, 2)), b: np.ones((3, 2))}),
                                  np.full((3, 3), 2.0))


def test_incompatible_broadcast_fails_when_built(healthy):
    a = ts.placeholder(np.float64, [2, 3], name="p23")
    b = ts.placeholder(np.float64, [2, 4], name="p24")
    with pytest.raises(ValueError, match="p23") as info:
        ts.add(a, b)
    assert isinstance(info.value, ts.ShapeError)
    healthy()


def test_shape_mismatch_found_at_run_time_for_unshaped_placeholders(session, healthy):
    a, b = ts.placeholder(name="ua"), ts.placeholder(name="ub")
    y = ts.add(a, b, name="the_sum")
    with pytest.raises(ValueError, match="the_sum"):
        session.run(y, {a: np.ones((2, 3)), b: np.ones((2, 4))})
    healthy()
    np.testing.assert_array_equal(session.run(y, {a: np.ones((2, 3)), b: np.ones(3)}), np.full((2, 3), 2.0))


def test_float32_plus_float64_is_a_type_error(session, healthy):
    a = ts.placeholder(np.float32, name="single")
    b = ts.placeholder(np.float64, name="double")
    with pytest.raises(TypeError) as info:
        ts.add(a, b)
    msg = str(info.value)
    assert isinstance(info.value, ts.DTypeError)
    assert "single" in msg and "double" in msg and "float32" in msg and "float64" in msg, msg
    with pytest.raises(TypeError):
        a * b
    with pytest.raises(TypeError):
        ts.matmul(ts.Variable(np.ones((2, 2), np.float32)), ts.Variable(np.ones((2, 2))))
    healthy()
    np.testing.assert_array_equal(session.run(ts.cast(a, np.float64) + b, {a: [1.0], b: [2.0]}), [3.0])


def test_float_only_op_on_integers_is_a_type_error(healthy):
    with pytest.raises(TypeError, match="int32"):
        ts.log(ts.placeholder(np.int32, name="counts"))
    healthy()


@pytest.mark.parametrize("bad", [[[1.0, 2.0], [3.0]], [[1.0], [2.0, 3.0]], "abc", ["a", "b"], None, {"a": 1}, object()],
                         ids=["ragged", "ragged-2", "string", "strings", "None", "dict", "object"])
@pytest.mark.parametrize("dtype", [None, np.float64], ids=["untyped", "float64"])
def test_bad_feed_values(session, healthy, bad, dtype):
    x = ts.placeholder(dtype, name="target")
    with pytest.raises((TypeError, ValueError), match="target"):
        session.run(x * 2, {x: bad})
    healthy()
    np.testing.assert_array_equal(session.run(x * 2, {x: [1.0, 2.0]}), [2.0, 4.0])


def test_feed_dict_must_be_a_dict_and_fetches_nodes(session, healthy):
    x = ts.placeholder()
    with pytest.raises(TypeError):
        session.run(x, [1.0])
    with pytest.raises(TypeError):
        session.run("x", {x: [1.0]})
    with pytest.raises(TypeError):
        session.run(x, {"x": [1.0]})
    healthy()


def test_fetching_or_feeding_a_node_of_another_graph(session, healthy):
    other = ts.Graph()
    with other.as_default():
        foreign = ts.constant([1.0, 2.0], name="foreign_const")
        foreign_p = ts.placeholder(name="foreign_p")
    with pytest.raises(ValueError, match="foreign_const") as info:
        session.run(foreign)
    assert isinstance(info.value, ts.GraphError)
    x = ts.placeholder()
    with pytest.raises(ValueError, match="foreign_p"):
        session.run(x * 2, {x: [1.0], foreign_p: [1.0]})
    with pytest.raises(ValueError):
        ts.add(x, foreign)  # mixing graphs in one op
    healthy()
    np.testing.assert_array_equal(ts.Session(other).run(foreign), [1.0, 2.0])


@pytest.mark.parametrize("shape,why", [([4, -1], "6 elements"), ([-1, -1], "-1"), ([5], "")])
def test_bad_reshape(healthy, shape, why):
    x = ts.placeholder(np.float64, [2, 3], name="six")
    with pytest.raises(ValueError, match="six"):
        ts.reshape(x, shape)
    healthy()


def test_bad_axes(healthy):
    x = ts.placeholder(np.float64, [2, 3], name="mat")
    for build in (lambda: ts.reduce_sum(x, 2), lambda: ts.reduce_max(x, [-3]), lambda: ts.argmax(x, 5),
                  lambda: ts.transpose(x, [0, 0]), lambda: ts.transpose(x, [0])):
        with pytest.raises(ValueError, match="mat"):
            build()
    healthy()


def test_optimizer_rejects_a_non_positive_learning_rate():
    with pytest.raises(ValueError):
        ts.train.GradientDescentOptimizer(0.0)
    with pytest.raises(ValueError):
        ts.train.GradientDescentOptimizer(-1.0)


class CustomFailure(Exception):
    pass


class exploding(Operation):
    def __init__(self, x):
        super().__init__([x])

    def compute(self, x_value):
        raise CustomFailure(f"cannot compute {x_value.shape}")


class exploding_gradient(Operation):
    def __init__(self, x):
        super().__init__([x])

    def compute(self, x_value):
        return x_value * 1.0


@RegisterGradient("exploding_gradient")
def _exploding_gradient_grad(op, grad):
    raise ZeroDivisionError("gradient blew up")


class wrong_gradient_count(Operation):
    def __init__(self, x, y):
        super().__init__([x, y])

    def compute(self, x, y):
        return x + y


@RegisterGradient("wrong_gradient_count")
def _wrong_count_grad(op, grad):
    return [grad]


class wrong_gradient_shape(Operation):
    def __init__(self, x):
        super().__init__([x])

    def compute(self, x):
        return x * 2.0


@RegisterGradient("wrong_gradient_shape")
def _wrong_shape_grad(op, grad):
    return np.ones(7)


class returns_text(Operation):
    def __init__(self, x):
        super().__init__([x])

    def compute(self, x):
        return "not numbers"


def test_user_op_compute_exception_propagates(session, healthy):
    x = ts.placeholder()
    y = ts.reduce_sum(exploding(x))
    with pytest.raises(CustomFailure, match=r"cannot compute \(2,\)"):
        session.run(y, {x: [1.0, 2.0]})
    healthy()
    with pytest.raises(CustomFailure):  # the same op fails again the same way, nothing is stuck
        session.run(y, {x: [1.0, 2.0]})
    healthy()


def test_user_gradient_exception_propagates(session, healthy):
    x = ts.Variable([1.0, 2.0])
    (g,) = ts.gradients(ts.reduce_sum(exploding_gradient(x)), [x])
    with pytest.raises(ZeroDivisionError, match="blew up"):
        session.run(g)
    healthy()


def test_user_gradient_with_wrong_count_or_shape(session, healthy):
    x, y = ts.Variable([1.0, 2.0]), ts.Variable([3.0, 4.0])
    grads = ts.gradients(ts.reduce_sum(wrong_gradient_count(x, y)), [x, y])
    with pytest.raises(ValueError, match="wrong_gradient_count"):
        session.run(grads)
    z = ts.Variable(np.ones((2, 3)))
    (g,) = ts.gradients(ts.reduce_sum(wrong_gradient_shape(z)), [z])
    with pytest.raises(ValueError, match="wrong_gradient_shape"):
        session.run(g)
    healthy()


def test_user_op_returning_non_numbers(session, healthy):
    x = ts.placeholder()
    with pytest.raises(TypeError, match="returns_text"):
        session.run(returns_text(x), {x: [1.0]})
    healthy()


def test_error_paths_do_not_crash_the_interpreter(tmp_path):
    """Every error above, in a fresh interpreter that must then exit cleanly (a crash at exit, e.g.
    a Python object released after finalisation, shows only here)."""
    program = textwrap.dedent("""
        import numpy as np
        import tensorgraph as ts
        from tensorgraph import Operation

        class boom(Operation):
            def __init__(self, x):
                super().__init__([x])
            def compute(self, x):
                raise KeyError("boom")

        s = ts.Session()
        x = ts.placeholder(name="x")
        shaped = ts.placeholder(np.float64, [None, 3], name="shaped")
        other = ts.Graph()
        with other.as_default():
            foreign = ts.constant([1.0])
        attempts = [
            lambda: s.run(x * 2),
            lambda: s.run(shaped * 2, {shaped: np.ones((2, 4))}),
            lambda: ts.matmul(ts.placeholder(np.float64, [3, 2]), ts.placeholder(np.float64, [3, 2])),
            lambda: ts.placeholder(np.float32) + ts.placeholder(np.float64),
            lambda: s.run(x * 2, {x: [[1.0, 2.0], [3.0]]}),
            lambda: s.run(x * 2, {x: "abc"}),
            lambda: s.run(x * 2, {x: 5}),  # valid: a Python scalar takes the conversion path
            lambda: s.run(shaped * 2, {shaped: np.ones((2, 3), np.int64)}),  # valid: converted
            lambda: s.run(foreign),
            lambda: s.run(boom(x), {x: [1.0]}),
            lambda: ts.Variable(3.0),
        ]
        failures = 0
        for attempt in attempts:
            try:
                attempt()
            except (ValueError, TypeError, KeyError):
                failures += 1
        assert failures == 8, failures
        print("survived", s.run(x + 1.0, {x: [1.0]}))
    """)
    result = run_python(program, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, f"exit code {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    assert "survived [2.]" in result.stdout


def test_every_error_type_is_a_tensorgraph_error_and_the_expected_python_error():
    import tensorgraph as ts
    for cls, python_base in ((ts.ShapeError, ValueError), (ts.DTypeError, TypeError), (ts.FeedError, ValueError),
                             (ts.GraphError, ValueError), (ts.IoError, OSError)):
        assert issubclass(cls, ts.Error) and issubclass(cls, python_base), cls
    with pytest.raises(ts.Error):
        ts.matmul(ts.placeholder(shape=[3, 2]), ts.placeholder(shape=[3, 2]))


def test_session_check_numerics_names_the_first_node_that_produced_a_nan():
    g = ts.Graph()
    with g.as_default():
        x = ts.placeholder(np.float64, [3], name="x")
        y = ts.log(x, name="the_log")
        z = ts.multiply(y, 2.0, name="doubled")
    values = {x: np.array([1.0, -1.0, 0.0])}
    assert np.isnan(ts.Session(g).run(z, values)[1])  # off by default: IEEE propagation
    s = ts.Session(g, check_numerics=True)
    assert s.check_numerics
    with pytest.raises(ts.NumericsError, match=r"log 'the_log' produced 1 NaN and 1 Inf values among 3") as e:
        s.run(z, values)
    assert "doubled" not in str(e.value)
    assert isinstance(e.value, FloatingPointError)
    np.testing.assert_allclose(s.run(z, {x: np.array([1.0, np.e, 1.0])}), [0.0, 2.0, 0.0])  # keeps working
