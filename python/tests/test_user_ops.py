"""User-defined Python operations, as the tutorial teaches: subclass Operation, implement compute(),
register the gradient with @RegisterGradient("ClassName")."""
import numpy as np
import pytest

import tensorgraph as ts
from tensorgraph import Operation, RegisterGradient
from tensorgraph.train import GradientDescentOptimizer

RTOL = 1e-12


class cube(Operation):
    def __init__(self, x):
        super().__init__([x])

    def compute(self, x_value):
        return x_value ** 3


@RegisterGradient("cube")
def _cube_grad(op, grad):
    return grad * 3 * op.inputs[0] ** 2


class my_multiply(Operation):
    """Two inputs, numpy broadcasting in compute(); the gradient returns a list of two arrays."""

    def __init__(self, x, y):
        super().__init__([x, y])

    def compute(self, x_value, y_value):
        return x_value * y_value


@RegisterGradient("my_multiply")
def _my_multiply_grad(op, grad):
    x_value, y_value = op.inputs
    return [grad * y_value, grad * x_value]


class scaled_exp(Operation):
    """Its gradient uses op.output, the forward value."""

    def __init__(self, x, scale):
        super().__init__([x])
        self.scale = scale

    def compute(self, x_value):
        return self.scale * np.exp(x_value)


@RegisterGradient("scaled_exp")
def _scaled_exp_grad(op, grad):
    return grad * op.output


class no_gradient_op(Operation):
    def __init__(self, x):
        super().__init__([x])

    def compute(self, x_value):
        return x_value + 1


def test_forward_inside_a_graph_of_builtin_ops(session):
    x = ts.placeholder()
    y = ts.add(cube(ts.multiply(x, 2.0)), 1.0)          # built-in -> user -> built-in
    z = ts.reduce_sum(cube(x) * x)                       # operators on an Operation
    x0 = np.array([[0.5, -1.0], [2.0, 1.5]])
    np.testing.assert_allclose(session.run(y, {x: x0}), (2 * x0) ** 3 + 1, rtol=RTOL)
    np.testing.assert_allclose(session.run(z, {x: x0}), np.sum(x0 ** 4), rtol=RTOL)
    c = cube(x)
    np.testing.assert_allclose(session.run(c, {x: x0}), x0 ** 3, rtol=RTOL)  # fetching the Operation itself
    assert "cube" in repr(c) and c.graph == x.graph


def test_compute_sees_values_and_sets_inputs_and_output(session):
    seen = []

    class spy(Operation):
        def __init__(self, a, b):
            super().__init__([a, b])

        def compute(self, a, b):
            seen.append((type(a), a.copy(), b.copy()))
            return a - b

    a, b = ts.placeholder(), ts.Variable([10.0, 20.0])
    op = spy(a, b)
    out = session.run(op, {a: [1.0, 2.0]})
    np.testing.assert_array_equal(out, [-9.0, -18.0])
    assert seen[0][0] is np.ndarray
    np.testing.assert_array_equal(seen[0][1], [1.0, 2.0])
    np.testing.assert_array_equal(seen[0][2], [10.0, 20.0])
    np.testing.assert_array_equal(op.inputs[0], [1.0, 2.0])
    np.testing.assert_array_equal(op.output, [-9.0, -18.0])


def test_cube_gradient_matches_the_analytic_one(session, rng):
    x = ts.placeholder(np.float64, [3, 2])
    W = rng.standard_normal((3, 2))
    loss = ts.reduce_sum(ts.sigmoid(cube(x)) * W)        # mixed with a built-in op on top
    (g,) = ts.gradients(loss, [x])
    x0 = rng.uniform(-1.0, 1.0, (3, 2))
    s = 1 / (1 + np.exp(-x0 ** 3))
    np.testing.assert_allclose(session.run(g, {x: x0}), W * s * (1 - s) * 3 * x0 ** 2, rtol=1e-10)


def test_cube_inside_a_chain_of_builtin_ops(session, rng):
    X0, w0 = rng.standard_normal((4, 3)), rng.standard_normal(3)
    X, w = ts.placeholder(), ts.Variable(w0)
    loss = ts.reduce_sum(ts.square(cube(ts.matmul(X, w)) + 0.5))
    (gw,) = ts.gradients(loss, [w])
    z = X0 @ w0
    want = X0.T @ (2 * (z ** 3 + 0.5) * 3 * z ** 2)
    np.testing.assert_allclose(session.run(gw, {X: X0}), want, rtol=1e-10)


def test_gradient_function_can_use_op_output(session):
    x = ts.placeholder(np.float64, [3])
    (g,) = ts.gradients(ts.reduce_sum(scaled_exp(x, 2.5) * ts.constant([1.0, -2.0, 0.5])), [x])
    x0 = np.array([0.1, -0.7, 1.3])
    np.testing.assert_allclose(session.run(g, {x: x0}), 2.5 * np.exp(x0) * [1.0, -2.0, 0.5], rtol=RTOL)


def test_training_a_user_op_converges_to_the_cube_root():
    target = np.array([8.0, 27.0, -1.0, 0.5])
    w = ts.Variable([1.5, 2.0, -0.5, 1.0])
    loss = ts.reduce_sum(ts.square(cube(w) - target))
    step = GradientDescentOptimizer(learning_rate=0.001).minimize(loss)
    session = ts.Session()
    first = session.run(loss)
    for _ in range(3000):
        session.run(step)
    np.testing.assert_allclose(session.run(w), np.cbrt(target), rtol=1e-6)
    assert session.run(loss) < 1e-9 * first


def test_two_input_user_op_gradients(session, rng):
    x = ts.placeholder(np.float64, [2, 3])
    y = ts.placeholder(np.float64, [2, 3])
    W = rng.standard_normal((2, 3))
    gx, gy = ts.gradients(ts.reduce_sum(my_multiply(x, ts.exp(y)) * W), [x, y])
    x0, y0 = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    vx, vy = session.run([gx, gy], {x: x0, y: y0})
    np.testing.assert_allclose(vx, W * np.exp(y0), rtol=RTOL)
    np.testing.assert_allclose(vy, W * x0 * np.exp(y0), rtol=RTOL)


def test_two_input_user_op_broadcast_gradient_is_summed_back(session, rng):
    """compute() broadcast a [3] input over rows; its gradient (returned with the [2,3] shape) is
    summed over the rows, as for built-in add/multiply."""
    x = ts.placeholder(np.float64, [2, 3])
    b = ts.Variable(rng.standard_normal(3))
    gx, gb = ts.gradients(ts.reduce_sum(my_multiply(x, b)), [x, b])
    x0 = rng.standard_normal((2, 3))
    vx, vb = session.run([gx, gb], {x: x0})
    assert vb.shape == (3,)
    np.testing.assert_allclose(vb, x0.sum(0), rtol=RTOL)
    np.testing.assert_allclose(vx, np.broadcast_to(session.run(b), (2, 3)), rtol=RTOL)


def test_two_input_user_op_trains(rng):
    """Fit y = a * x with a custom multiply: a converges to the least-squares solution."""
    x0 = rng.standard_normal(20)
    y0 = 1.75 * x0 + 0.01 * rng.standard_normal(20)
    x, y = ts.placeholder(), ts.placeholder()
    a = ts.Variable(0.0)
    loss = ts.reduce_mean(ts.square(my_multiply(a, x) - y))
    step = GradientDescentOptimizer(0.2).minimize(loss)
    s = ts.Session()
    for _ in range(200):
        s.run(step, {x: x0, y: y0})
    np.testing.assert_allclose(s.run(a), np.dot(x0, y0) / np.dot(x0, x0), rtol=1e-9)


def test_user_op_without_gradient_raises_lookup_error_naming_it():
    x = ts.Variable([1.0, 2.0])
    loss = ts.reduce_sum(no_gradient_op(x))
    with pytest.raises(LookupError, match="no_gradient_op"):
        ts.gradients(loss, [x])
    with pytest.raises(LookupError, match="no_gradient_op"):
        GradientDescentOptimizer(0.1).minimize(loss)
    # forward still works
    np.testing.assert_array_equal(ts.Session().run(loss), 5.0)


def test_user_op_off_the_path_needs_no_gradient():
    x = ts.Variable([1.0, 2.0])
    side = no_gradient_op(ts.placeholder())
    (g,) = ts.gradients(ts.reduce_sum(ts.square(x)), [x])
    np.testing.assert_array_equal(ts.Session().run(g), [2.0, 4.0])
    assert side is not None


def test_user_op_with_float32(session):
    x = ts.placeholder(np.float32)
    out = session.run(cube(x), {x: np.array([2.0, -1.0], np.float32)})
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [8.0, -1.0])


def test_a_user_op_returning_another_dtype_is_named_in_the_run_time_error(session):
    """Issue 11: an error found only at run time names the op's inputs, shapes and dtypes, as the
    build-time errors do: here the user op's int32 output reaching a float64 add."""
    class Truncate(ts.Operation):
        def compute(self, x):
            return x.astype(np.int32)

    x = ts.placeholder(name="x")
    t = Truncate([x], name="trunc")
    y = ts.add(t, ts.constant(1.0), name="y")
    with pytest.raises(ts.DTypeError) as info:
        session.run(y, {x: np.zeros((2, 3))})
    assert str(info.value) == ("add 'y' (inputs 'trunc' [2, 3] int32, 'Const' [] float64): dtypes differ: int32 vs "
                               "float64 (cast one input first)")
