"""TensorFlow 1.x names composed of tensorgraph's ops (tensorgraph/_composites.py, nn.relu6/elu/
xw_plus_b, train's global step): values against numpy/torch and float64 gradients against torch's
autograd, with broadcasting where the name broadcasts, and the edge cases TensorFlow handles
(infinite rows of reduce_logsumexp, elu's large inputs)."""
import numpy as np
import pytest

import tensorgraph as tf

torch = pytest.importorskip("torch")
R = np.random.default_rng(16)


def value_and_grads(tg_fn, torch_fn, *inputs):
    """(tensorgraph's value, torch's value, tensorgraph's gradients, torch's gradients) of
    sum(f(inputs) * W) for a random W, all float64."""
    xs = [tf.placeholder(tf.float64, list(a.shape)) for a in inputs]
    out = tg_fn(*xs)
    W = R.standard_normal(tuple(out.shape))
    grads = tf.gradients(tf.reduce_sum(out * tf.constant(W)), xs)
    with tf.Session() as sess:
        got, *got_grads = sess.run([out] + grads, dict(zip(xs, inputs)))
    ts = [torch.tensor(a, requires_grad=True) for a in inputs]
    want = torch_fn(*ts)
    (want * torch.tensor(W)).sum().backward()
    return got, want.detach().numpy(), got_grads, [t.grad.numpy() for t in ts]


CASES = [
    ("squared_difference [2,3]-[3]", tf.squared_difference, lambda a, b: (a - b) ** 2,
     [R.standard_normal((2, 3)), R.standard_normal(3)]),
    ("rsqrt", tf.rsqrt, torch.rsqrt, [R.uniform(0.5, 2, (2, 3))]),
    ("reciprocal", tf.reciprocal, torch.reciprocal, [R.uniform(0.5, 2, (3,)) * np.array([1, -1, 1])]),
    ("log_sigmoid", tf.log_sigmoid, torch.nn.functional.logsigmoid, [R.standard_normal((2, 3)) * 30]),
    ("reduce_logsumexp all", tf.reduce_logsumexp, lambda x: torch.logsumexp(x.reshape(-1), 0),
     [R.standard_normal((2, 3)) * 3]),
    ("reduce_logsumexp axis 1", lambda x: tf.reduce_logsumexp(x, 1), lambda x: torch.logsumexp(x, 1),
     [R.standard_normal((2, 3)) * 300]),
    ("reduce_logsumexp axis 0 keepdims", lambda x: tf.reduce_logsumexp(x, 0, keepdims=True),
     lambda x: torch.logsumexp(x, 0, keepdim=True), [R.standard_normal((4, 3))]),
    ("matrix_transpose [2,3,4]", tf.matrix_transpose, lambda x: x.transpose(-1, -2), [R.standard_normal((2, 3, 4))]),
    ("squeeze all", tf.squeeze, torch.squeeze, [R.standard_normal((1, 3, 1, 2))]),
    ("squeeze axis 2", lambda x: tf.squeeze(x, [2]), lambda x: x.squeeze(2), [R.standard_normal((1, 3, 1, 2))]),
    ("add_n three", lambda a, b, c: tf.add_n([a, b, c]), lambda a, b, c: a + b + c,
     [R.standard_normal((2, 3)) for _ in range(3)]),
    ("add_n one", lambda a: tf.add_n([a]), lambda a: a * 1, [R.standard_normal((2, 3))]),
    ("relu6", tf.nn.relu6, lambda x: torch.clamp(x, 0, 6), [R.standard_normal((3, 4)) * 5 + 3]),
    ("elu", tf.nn.elu, torch.nn.functional.elu, [R.standard_normal((3, 4)) * 3]),
    ("xw_plus_b", tf.nn.xw_plus_b, lambda x, w, b: x @ w + b,
     [R.standard_normal((2, 3)), R.standard_normal((3, 4)), R.standard_normal(4)]),
]


@pytest.mark.parametrize("name, tg_fn, torch_fn, inputs", CASES, ids=[c[0] for c in CASES])
def test_value_and_gradient_match_torch(name, tg_fn, torch_fn, inputs):
    got, want, got_grads, want_grads = value_and_grads(tg_fn, torch_fn, *inputs)
    assert got.shape == want.shape, name
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    for g, w in zip(got_grads, want_grads):
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12)


def test_reduce_logsumexp_does_not_overflow_and_keeps_infinities():
    x = tf.placeholder(tf.float32, [3, 2])
    y = tf.reduce_logsumexp(x, axis=1)
    data = np.array([[1000.0, 1000.0], [-np.inf, -np.inf], [np.inf, 0.0]], np.float32)
    with tf.Session() as sess:
        got = sess.run(y, {x: data})
    assert got.dtype == np.float32
    np.testing.assert_allclose(got[0], 1000 + np.log(2), rtol=1e-6)
    assert got[1] == -np.inf and got[2] == np.inf
    # the older keywords
    assert tf.reduce_logsumexp(x, reduction_indices=[1], keep_dims=True).shape.as_list() == [3, 1]


def test_elu_gradient_stays_finite_for_large_inputs():
    x = tf.placeholder(tf.float64, [2])
    g = tf.gradients(tf.reduce_sum(tf.nn.elu(x)), [x])[0]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(g, {x: [1000.0, -1000.0]}), [1.0, 0.0])


def test_casts_by_name_and_squeeze_and_add_n_checks():
    x = tf.constant([[1.7, -2.7]])
    assert [f(x).dtype for f in (tf.to_float, tf.to_double, tf.to_int32, tf.to_int64)] == \
        [tf.float32, tf.float64, tf.int32, tf.int64]
    with tf.Session() as sess:
        assert sess.run(tf.to_int32(x)).tolist() == [[1, -2]]  # toward zero
    assert tf.squeeze(tf.placeholder(tf.float32, [None, 1, 3])).shape.as_list() == [None, 3]
    with pytest.raises(tf.ShapeError, match="not 1"):
        tf.squeeze(tf.zeros([2, 3]), axis=0)
    with pytest.raises(tf.ShapeError, match="does not broadcast"):
        tf.add_n([tf.zeros([2, 3]), tf.zeros([3])])
    with pytest.raises(tf.ArgumentValueError, match="at least one"):
        tf.add_n([])


def test_global_step_as_tensorflow_keeps_it():
    assert tf.train.get_global_step() is None
    step = tf.train.get_or_create_global_step()
    assert step.name == "global_step" and step.dtype == tf.int64 and not step.trainable
    assert tf.train.get_or_create_global_step() == step and tf.train.get_global_step() == step
    assert tf.get_collection(tf.GraphKeys.GLOBAL_STEP) == [step]
    with pytest.raises(tf.GraphError, match="has a global step"):
        tf.train.create_global_step()
    w = tf.Variable(1.0)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(tf.square(w), global_step=step)
    with tf.Session() as sess:
        for _ in range(3):
            sess.run(train)
        assert sess.run(step) == 3
