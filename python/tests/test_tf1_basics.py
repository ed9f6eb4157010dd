"""TensorFlow 1.x's session and Variable surface (issue 16): initializers, default sessions and
Node.eval/run, dtype names, the older keyword spellings, static and run-time shapes, and a 0-d
float meeting another float dtype. Values against numpy."""
import numpy as np
import pytest

import tensorgraph as tf


def test_float_and_double_are_tensorflows_names():
    assert tf.placeholder("float").dtype == tf.float32
    assert tf.placeholder("double").dtype == tf.float64
    assert tf.as_dtype("float") == tf.float32
    assert tf.cast(tf.placeholder(tf.int32), "float").dtype == tf.float32


def test_with_session_is_the_default_and_closes(fresh_graph):
    x = tf.placeholder(tf.float32, [2])
    y = x * 3.0
    assert tf.get_default_session() is None
    with tf.Session() as sess:
        assert tf.get_default_session() is sess
        np.testing.assert_array_equal(y.eval({x: [1, 2]}), [3, 6])
        assert y.run({x: [1, 2]}) is None
        with tf.Graph().as_default():  # a graph of its own inside the block
            assert tf.get_default_graph() is not fresh_graph
        assert tf.get_default_graph() is fresh_graph
    assert tf.get_default_session() is None and sess.closed
    with pytest.raises(tf.GraphError, match="closed Session"):
        sess.run(y, {x: [1, 2]})
    with pytest.raises(tf.GraphError, match="no default session"):
        y.eval({x: [1, 2]})


def test_with_session_makes_its_graph_the_default():
    g = tf.Graph()
    with g.as_default():
        c = tf.constant([1.0, 2.0])
    with tf.Session(g) as sess:
        assert tf.get_default_graph() is g
        d = c * 2.0  # joins g
        np.testing.assert_array_equal(d.eval(), [2, 4])
    assert tf.get_default_graph() is not g


def test_as_default_keeps_the_session_open_and_interactive_session():
    c = tf.constant(5.0)
    sess = tf.Session()
    with sess.as_default():
        assert c.eval() == 5.0
    assert not sess.closed and sess.run(c) == 5.0
    inter = tf.InteractiveSession()
    assert tf.get_default_session() is inter and c.eval() == 5.0
    assert c.eval(session=sess) == 5.0
    inter.close()
    inter.close()  # twice is allowed
    assert tf.get_default_session() is None


def test_global_variables_initializer_resets_and_redraws():
    w = tf.Variable(tf.random_normal([100, 100], stddev=0.5, seed=3))
    b = tf.Variable(tf.zeros([100]))
    c = tf.Variable(np.arange(3.0, dtype=np.float32))
    assert w.dtype == tf.float32 and b.dtype == tf.float32 and w.shape == (100, 100)
    loss = tf.reduce_sum(w) + tf.reduce_sum(b) + tf.reduce_sum(c)
    step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    init = tf.global_variables_initializer()
    assert tf.global_variables() == [w, b, c] and tf.trainable_variables() == [w, b, c]
    with tf.Session() as sess:
        first = sess.run(w)
        np.testing.assert_array_equal(first, w.initial_value)  # starts from the value it was made with
        sess.run(step)
        np.testing.assert_array_equal(sess.run(b), np.full(100, -0.5, np.float32))
        sess.run(init)
        drawn = sess.run(w)
        assert (drawn == first).mean() < 0.01  # drawn afresh
        assert abs(drawn.mean()) < 4 * 0.5 / 100 and abs(drawn.std() - 0.5) < 0.02
        np.testing.assert_array_equal(sess.run(b), np.zeros(100))
        np.testing.assert_array_equal(sess.run(c), [0, 1, 2])
        sess.run(step)
        sess.run(tf.variables_initializer([c]))
        np.testing.assert_array_equal(sess.run(c), [0, 1, 2])
        np.testing.assert_array_equal(sess.run(b), np.full(100, -0.5, np.float32))
        assert sess.run(tf.local_variables_initializer()) is None and tf.local_variables() == []
        assert sess.run(tf.initialize_all_variables()) is None
    with pytest.raises(tf.FeedError, match="without feeds"):
        tf.Variable(tf.placeholder(tf.float32, [2]) * 2.0)


def test_variable_load_writes_the_value_and_adds_no_node():
    v = tf.Variable(np.array([1.0, 2.0]))
    with tf.Session() as sess:
        init = tf.global_variables_initializer()
        sess.run(init)
        other = tf.Session()
        other.run(init)
        nodes = tf.get_default_graph().num_nodes
        v.load([3.0, 4.0])  # the default session
        np.testing.assert_array_equal(sess.run(v), [3, 4])
        v.load(np.array([7.0, 8.0]), other)  # TensorFlow's (value, session) order
        np.testing.assert_array_equal(other.run(v), [7, 8])
        np.testing.assert_array_equal(sess.run(v), [3, 4])  # each session holds its own value
        assert tf.get_default_graph().num_nodes == nodes
        with pytest.raises(tf.ShapeError):
            v.load([1.0, 2.0, 3.0])
        with pytest.raises(tf.GraphError, match="not a Variable"):
            (v * 2.0).load([1.0, 2.0])
    with pytest.raises(tf.GraphError, match="no default session"):
        v.load([1.0, 2.0])


def test_assign_and_its_methods():
    v = tf.Variable(np.array([1.0, 2.0]))
    x = tf.placeholder(tf.float64, [2])
    with tf.Session() as sess:
        before, _ = sess.run([v * 1.0, tf.assign(v, x)], {x: [5.0, 6.0]})
        np.testing.assert_array_equal(before, [1, 2])  # the run's readers see the old value
        np.testing.assert_array_equal(sess.run(v), [5, 6])
        sess.run(v.assign_add([1.0, 1.0]))
        sess.run(tf.assign_sub(v, 0.5))
        np.testing.assert_array_equal(sess.run(v), [5.5, 6.5])
        sess.run(tf.group(v.assign([0.0, 0.0]), tf.no_op()))
        np.testing.assert_array_equal(sess.run(v), [0, 0])
        assert sess.run(tf.group()) is None
    with pytest.raises(tf.ShapeError):
        tf.assign(v, [1.0, 2.0, 3.0])
    with pytest.raises(tf.GraphError, match="not a Variable"):
        tf.assign(x, [1.0, 2.0])
    with pytest.raises(tf.ArgumentTypeError, match=r"inputs\[1\]"):
        tf.group(v, 3)
    with pytest.raises(tf.ArgumentTypeError, match="'name'"):
        tf.group(v, name=3)
    with pytest.raises(tf.ArgumentTypeError, match="'control_inputs'"):
        tf.group(v, control_inputs=[])


def test_older_keyword_spellings_and_arg_max():
    a = np.array([[1.0, 5.0, -2.0], [7.0, 0.0, 3.0]])
    x = tf.constant(a)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(tf.reduce_sum(x, reduction_indices=1)), a.sum(1))
        np.testing.assert_array_equal(sess.run(tf.reduce_mean(x, reduction_indices=[0], keep_dims=True)),
                                      a.mean(0, keepdims=True))
        np.testing.assert_array_equal(sess.run(tf.reduce_max(x, 1, keep_dims=True)), a.max(1, keepdims=True))
        np.testing.assert_array_equal(sess.run(tf.reduce_min(x, reduction_indices=0)), a.min(0))
        np.testing.assert_array_equal(sess.run(tf.reduce_prod(x, reduction_indices=1)), a.prod(1))
        np.testing.assert_array_equal(sess.run(tf.arg_max(x, 1)), a.argmax(1))
        np.testing.assert_array_equal(sess.run(tf.arg_min(x, 0)), a.argmin(0))
        np.testing.assert_array_equal(sess.run(tf.argmax(x, dimension=1)), a.argmax(1))
        np.testing.assert_array_equal(sess.run(tf.argmin(x, dimension=1)), a.argmin(1))
    with pytest.raises(tf.ArgumentValueError, match="not both"):
        tf.reduce_sum(x, axis=0, reduction_indices=1)


def test_static_shapes_as_tensorflow():
    x = tf.placeholder(tf.float32, [None, 784])
    s = x.shape
    assert s == (None, 784) and s.as_list() == [None, 784] and s.ndims == 2 and s[1] == 784 and s[0] is None
    assert not s.is_fully_defined() and s.num_elements() is None
    g = x.get_shape()
    assert g[1].value == 784 and g[0].value is None and int(g[1]) * 2 == 1568 and g[1] == 784
    assert g.as_list() == [None, 784] and [d.value for d in g] == [None, 784]
    assert (g[1] * 2).value == 1568 and (g[0] * 2).value is None
    assert np.zeros(tf.constant(np.ones((2, 3))).shape).shape == (2, 3)
    unknown = tf.placeholder(tf.float32).get_shape()
    assert unknown.ndims is None and unknown != tf.TensorShape([]) and unknown[0].value is None
    with pytest.raises(tf.ShapeError):
        unknown.as_list()
    assert str(tf.constant(np.ones((2, 3))).get_shape()) == "(2, 3)"


def test_shape_is_the_run_time_shape():
    x = tf.placeholder(tf.float32, [None, 3])
    s = tf.shape(x)
    assert s.dtype == tf.int32 and s.shape == (2,)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(s, {x: np.zeros((5, 3))}), [5, 3])
        np.testing.assert_array_equal(sess.run(tf.shape(x, out_type=tf.int64), {x: np.zeros((1, 3))}), [1, 3])


def test_a_scalar_takes_the_other_operands_float():
    # TensorFlow 1.x's linear regression: float32 placeholders, Variables from Python floats
    X, Y = tf.placeholder("float"), tf.placeholder("float")
    W, b = tf.Variable(0.5), tf.Variable(-1.0)
    assert W.dtype == tf.float64  # numbers stay the tutorial's float64
    pred = tf.add(tf.multiply(X, W), b)
    assert pred.dtype == tf.float32
    cost = tf.reduce_sum(tf.pow(pred - Y, 2)) / 4
    step = tf.train.GradientDescentOptimizer(0.1).minimize(cost)
    xs, ys = np.array([1.0, 2.0]), np.array([1.0, 3.0])
    with tf.Session() as sess:
        sess.run(step, {X: xs, Y: ys})
        r = 0.5 * xs - 1.0 - ys
        np.testing.assert_allclose(sess.run(W), 0.5 - 0.1 * (2 * r * xs).sum() / 4, rtol=1e-6)
        np.testing.assert_allclose(sess.run(b), -1.0 - 0.1 * (2 * r).sum() / 4, rtol=1e-6)
        assert sess.run(W).dtype == np.float64
    # other mixes stay errors
    with pytest.raises(tf.DTypeError):
        tf.multiply(tf.placeholder(tf.float32, [2]), tf.placeholder(tf.float64, [2]))
    with pytest.raises(tf.DTypeError):
        tf.add(tf.placeholder(tf.int32, [2]), tf.Variable(1.0))


def test_name_scopes_prefix_node_names_as_tensorflow():
    with tf.name_scope("layer") as scope:
        assert scope == "layer/"
        a = tf.constant(1.0, name="a")
        with tf.name_scope("inner"):
            b = tf.add(a, a)
    with tf.name_scope("layer") as again:
        c = tf.constant(2.0, name="a")
    with tf.name_scope(scope):  # re-entered as it is
        d = tf.constant(3.0, name="d")
    with tf.name_scope(None):
        e = tf.constant(4.0, name="e")
    assert (a.name, b.name, again, c.name, d.name, e.name) == ("layer/a", "layer/inner/add", "layer_1/", "layer_1/a",
                                                                "layer/d", "e")


def test_get_variable_scopes_and_reuse():
    with tf.variable_scope("enc"):
        w = tf.get_variable("w", [30, 20])
        b = tf.get_variable("b", [20], initializer=tf.zeros_initializer())
        y = tf.matmul(tf.ones([1, 30]), w)
    assert w.name == "enc/w" and b.name == "enc/b" and y.name.startswith("enc/")
    assert w.dtype == tf.float32 and w.shape == (30, 20)
    limit = np.sqrt(6 / 50)
    assert np.abs(w.initial_value).max() <= limit and np.abs(w.initial_value).max() > 0.9 * limit
    with tf.variable_scope("enc", reuse=True):
        assert tf.get_variable("w") is w
        with pytest.raises(tf.ArgumentValueError, match="does not exist"):
            tf.get_variable("v", [1])
    with tf.variable_scope("enc") as scope:
        with pytest.raises(tf.ArgumentValueError, match="already exists"):
            tf.get_variable("w", [30, 20])
        scope.reuse_variables()
        assert tf.get_variable("b") is b
        with pytest.raises(tf.ShapeError, match="differ"):
            tf.get_variable("b", [21])
    with tf.variable_scope("enc", reuse=tf.AUTO_REUSE):
        assert tf.get_variable("w", [30, 20]) is w
        fresh = tf.get_variable("u", [2], initializer=tf.constant_initializer(0.5))
    assert fresh.name == "enc/u" and list(fresh.initial_value) == [0.5, 0.5]
    with tf.variable_scope("outer"):
        with tf.variable_scope("inner"):
            v = tf.get_variable("v", [2], dtype=tf.float64, initializer=tf.ones_initializer())
        assert tf.get_variable_scope().name == "outer"
    assert v.name == "outer/inner/v" and v.dtype == tf.float64 and list(v.initial_value) == [1, 1]


def test_initializers_draw_what_they_say():
    n = 200000
    with tf.Session() as sess:
        t = sess.run(tf.truncated_normal_initializer(0.0, 2.0, seed=1)([n]))
        assert np.abs(t).max() <= 4.0 and abs(t.std() - 2.0 * np.sqrt(0.77374)) < 0.02
        u = sess.run(tf.random_uniform_initializer(-3, 1, seed=2)([n]))
        assert u.min() >= -3 and u.max() < 1 and abs(u.mean() + 1) < 0.02
        r = sess.run(tf.random_normal_initializer(1.0, 0.5, seed=3)([n]))
        assert abs(r.mean() - 1) < 0.01 and abs(r.std() - 0.5) < 0.01
        g = sess.run(tf.glorot_normal_initializer(seed=4)([3, 3, 20, 40]))  # fans 180 and 360
        assert abs(g.std() - np.sqrt(2 / 540)) < 0.1 * np.sqrt(2 / 540)
        np.testing.assert_array_equal(sess.run(tf.constant_initializer([1, 2, 3, 4])([2, 2])), [[1, 2], [3, 4]])
        assert sess.run(tf.zeros_initializer()([2])).dtype == np.float32
    with pytest.raises(tf.ShapeError):
        tf.constant_initializer([1, 2, 3])([2, 2])


def test_tf_nn_dropout_keeps_with_keep_prob_and_scales():
    x = tf.placeholder(tf.float32, [10000])
    keep = tf.placeholder(tf.float32)
    y = tf.nn.dropout(x, keep)
    with tf.Session() as sess:
        a = sess.run(y, {x: np.ones(10000), keep: 0.25})
        assert set(np.unique(a)) == {0.0, 4.0} and abs((a > 0).mean() - 0.25) < 0.02
        np.testing.assert_array_equal(sess.run(y, {x: np.arange(10000.0), keep: 1.0}), np.arange(10000.0))
        b = sess.run(y, {x: np.ones(10000), keep: 0.25})
        assert (a != b).any()  # a new mask every run
        dx = sess.run(tf.gradients(tf.reduce_sum(y), [x])[0], {x: np.ones(10000), keep: 0.5})
        assert set(np.unique(dx)) == {0.0, 2.0}
        r = sess.run(tf.nn.dropout(x, rate=0.75), {x: np.ones(10000)})
        assert abs((r > 0).mean() - 0.25) < 0.02
    with pytest.raises(tf.ArgumentValueError):
        tf.nn.dropout(x)


def test_softmax_axis_and_l2_loss_as_tensorflow_1():
    a = np.array([[1.0, 2.0, 0.5], [-1.0, 0.0, 3.0]])
    x = tf.constant(a)
    e = np.exp(a - a.max(1, keepdims=True))
    with tf.Session() as sess:
        for kw in ({}, {"axis": -1}, {"dim": 1}):
            np.testing.assert_allclose(sess.run(tf.nn.softmax(x, **kw)), e / e.sum(1, keepdims=True), rtol=1e-12)
        np.testing.assert_allclose(sess.run(tf.nn.log_softmax(x, axis=1)), np.log(e / e.sum(1, keepdims=True)),
                                   rtol=1e-12)
        assert sess.run(tf.nn.l2_loss(x)) == pytest.approx((a ** 2).sum() / 2, rel=1e-15)
    with pytest.raises(tf.ArgumentValueError, match="last axis"):
        tf.nn.softmax(x, axis=0)


def test_softmax_cross_entropy_v1_sends_no_gradient_into_labels_and_v2_does():
    # TensorFlow 1.x: softmax_cross_entropy_with_logits back-propagates into logits only,
    # softmax_cross_entropy_with_logits_v2 into both; same loss
    L = np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])
    X = np.array([[1.0, 2.0, 3.0], [-1.0, 0.0, 5.0]])
    labels, logits = tf.placeholder(tf.float64, [2, 3]), tf.placeholder(tf.float64, [2, 3])
    v1 = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits, name="xent")
    v2 = tf.nn.softmax_cross_entropy_with_logits_v2(labels, logits, axis=-1)
    log_p = X - X.max(1, keepdims=True)
    log_p -= np.log(np.exp(log_p).sum(1, keepdims=True))
    weights = np.array([1.0, -2.0])  # d(sum(weights * loss)): each row's gradient scaled
    g1 = tf.gradients(tf.reduce_sum(v1 * weights), [labels, logits])
    g2 = tf.gradients(tf.reduce_sum(v2 * weights), [labels, logits])
    feed = {labels: L, logits: X}
    with tf.Session() as sess:
        r1, r2, (dl1, dx1), (dl2, dx2) = sess.run([v1, v2, g1, g2], feed)
        step, fd = 1e-6, np.zeros_like(L)  # float64 central differences of v2 in the labels
        for i in np.ndindex(L.shape):
            up, down = L.copy(), L.copy()
            up[i] += step
            down[i] -= step
            fd[i] = (weights @ sess.run(v2, {labels: up, logits: X}) - weights @ sess.run(v2, {labels: down, logits: X})) / (2 * step)
    assert v1.name == "xent"
    np.testing.assert_allclose(r1, -(L * log_p).sum(1), rtol=1e-12)
    np.testing.assert_array_equal(r1, r2)
    dx = weights[:, None] * (np.exp(log_p) * L.sum(1, keepdims=True) - L)
    np.testing.assert_allclose(dx1, dx, rtol=1e-12)
    np.testing.assert_allclose(dx2, dx, rtol=1e-12)
    np.testing.assert_array_equal(dl1, np.zeros_like(L))  # TensorFlow: None; tensorgraph: zeros
    np.testing.assert_allclose(dl2, -weights[:, None] * log_p, rtol=1e-12)
    np.testing.assert_allclose(dl2, fd, rtol=1e-7)
    with pytest.raises(tf.ArgumentValueError, match="last axis"):
        tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits, dim=0)
    with pytest.raises(tf.ArgumentValueError, match="labels= and logits="):
        tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits)


def test_tf_logging_writes_tensorflows_lines_at_the_verbosity_set(capsys):
    assert tf.logging.get_verbosity() == tf.logging.WARN  # TensorFlow 1.x's default
    try:
        tf.logging.info("hidden %d", 1)
        tf.logging.warn("shown %s", "warn")
        tf.logging.set_verbosity(tf.logging.INFO)
        tf.logging.debug("hidden too")
        tf.logging.info("step %d: loss %.3f", 10, 0.41234)
        for i in range(5):
            tf.logging.log_every_n(tf.logging.INFO, "every second %d", 2, i)
            tf.logging.log_first_n(tf.logging.ERROR, "first two %d", 2, i)
        tf.logging.fatal("not the end")  # TensorFlow 1.x's fatal logs and returns
        with pytest.raises(tf.ArgumentTypeError, match="'v'"):
            tf.logging.set_verbosity("INFO")
        with pytest.raises(tf.ArgumentValueError, match="at least 1"):
            tf.logging.log_every_n(tf.logging.INFO, "never", 0)
    finally:
        tf.logging.set_verbosity(tf.logging.WARN)
    assert capsys.readouterr().err.splitlines() == [
        "WARNING:tensorgraph:shown warn", "INFO:tensorgraph:step 10: loss 0.412", "INFO:tensorgraph:every second 0",
        "ERROR:tensorgraph:first two 0", "ERROR:tensorgraph:first two 1", "INFO:tensorgraph:every second 2",
        "INFO:tensorgraph:every second 4", "CRITICAL:tensorgraph:not the end"]
    from tensorgraph import logging
    assert logging is tf.logging and tf.logging.get_logger().name == "tensorgraph"


APP_PROGRAM = """
import sys
import tensorgraph as tf

flags = tf.app.flags
flags.DEFINE_integer("batch_size", 100, "examples per step")
flags.DEFINE_float("learning_rate", 0.01, "step size")
flags.DEFINE_string("data_dir", "/tmp/data", "where the data is")
flags.DEFINE_boolean("fake_data", True, "use fake data")
flags.DEFINE_list("layers", "64,32", "hidden sizes")
FLAGS = flags.FLAGS
if sys.argv[1:2] == ["early"]:
    print("early", FLAGS.batch_size, FLAGS.is_parsed())  # reading parses sys.argv, known flags only


def main(argv):
    print(FLAGS.batch_size, FLAGS.learning_rate, FLAGS.data_dir, FLAGS.fake_data, FLAGS.layers, argv[1:])
    return 3


if __name__ == "__main__":
    tf.app.run()
"""


@pytest.mark.parametrize("args, status, out, err", [
    (["--batch_size=7", "--learning_rate", "0.5", "--nofake_data", "--layers=8", "rest", "--", "--x"], 3,
     "7 0.5 /tmp/data False ['8'] ['rest', '--x']", ""),
    ([], 3, "100 0.01 /tmp/data True ['64', '32'] []", ""),
    (["early", "--batch_size=5", "--data_dir", "/d"], 3, "early 5 True\n5 0.01 /d True ['64', '32'] ['early']", ""),
    (["--fake_data=false", "--batch_size=0x10"], 3, "16 0.01 /tmp/data False ['64', '32'] []", ""),
    (["--batch_size=ten"], 1, "", "flag --batch_size: 'ten' is not an integer"),
    (["--epochs=3"], 1, "", "unknown flag --epochs"),
    (["--data_dir"], 1, "", "flag --data_dir needs a value"),
    (["--help"], 0, "--learning_rate: step size", ""),
])
def test_tf_app_run_parses_tf_app_flags_as_tensorflow_1(tmp_path, args, status, out, err):
    from conftest import run_python
    program = tmp_path / "program.py"
    program.write_text(APP_PROGRAM)
    proc = run_python(program, *args, cwd=tmp_path)
    assert proc.returncode == status, proc.stderr
    assert out in proc.stdout and err in proc.stderr, (proc.stdout, proc.stderr)


def test_tf_app_flags_refuse_bad_definitions():
    flags = tf.app.flags
    name = "tg_test_flag_defined_once"
    if name not in flags.FLAGS:
        flags.DEFINE_integer(name, 1, "a flag")
    with pytest.raises(tf.ArgumentValueError, match="defined twice"):
        flags.DEFINE_integer(name, 1, "again")
    with pytest.raises(tf.ArgumentValueError, match="is not an integer"):
        flags.DEFINE_integer("tg_test_bad_default", "x", "a flag")
    with pytest.raises(AttributeError, match="no flag --tg_test_never_defined"):
        flags.FLAGS.tg_test_never_defined


def test_range_size_rank():
    x = tf.placeholder(tf.float32, [None, 3])
    n = tf.shape(x)[0]
    with tf.Session() as sess:
        feed = {x: np.zeros((4, 3))}
        np.testing.assert_array_equal(sess.run(tf.range(5)), np.arange(5))
        assert sess.run(tf.range(5)).dtype == np.int32
        np.testing.assert_array_equal(sess.run(tf.range(0, n) * 20 + 1, feed), np.arange(4) * 20 + 1)
        np.testing.assert_allclose(sess.run(tf.range(1.0, 0.0, -0.25)), np.arange(1.0, 0.0, -0.25))
        assert sess.run(tf.range(3, 1)).shape == (0,)
        assert sess.run(tf.size(x), feed) == 12 and sess.run(tf.rank(x), feed) == 2
        with pytest.raises(tf.GraphError, match="delta"):
            sess.run(tf.range(0, 3, 0))


def test_set_random_seed_makes_other_reproducible_draws():
    def draws(seed):
        g = tf.Graph()
        with g.as_default():
            if seed is not None:
                tf.set_random_seed(seed)
            a, b = tf.random_normal([50]), tf.truncated_normal([50])
            d = tf.nn.dropout(tf.ones([50]), 0.5)
            with tf.Session() as sess:
                return np.concatenate(sess.run([a, b, d]))
    np.testing.assert_array_equal(draws(1), draws(1))
    np.testing.assert_array_equal(draws(None), draws(None))
    assert (draws(1) != draws(2)).mean() > 0.5 and (draws(1) != draws(None)).mean() > 0.5


def test_exponential_decay_is_tensorflows_formula():
    smooth = tf.train.exponential_decay(0.1, None, 100, 0.5)
    stairs = tf.train.exponential_decay(0.1, None, 100, 0.5, staircase=True)
    for t in (0, 1, 50, 100, 250):
        assert smooth(t) == pytest.approx(0.1 * 0.5 ** (t / 100), rel=1e-12)
        assert stairs(t) == pytest.approx(0.1 * 0.5 ** (t // 100), rel=1e-12)
    w = tf.Variable(np.array([1.0]))
    step = tf.Variable(0, trainable=False)
    train = tf.train.GradientDescentOptimizer(stairs).minimize(tf.reduce_sum(w), global_step=step)
    with tf.Session() as sess:
        for _ in range(150):
            sess.run(train)
        np.testing.assert_allclose(sess.run(w), 1 - 100 * 0.1 - 50 * 0.05, rtol=1e-12)
        assert sess.run(step) == 150


def _model(x, reuse=False):
    """A model builder as TF 1.x programs write them: layers inside a variable scope, called again
    with reuse=True to share the Variables."""
    with tf.variable_scope("net", reuse=reuse):
        h = tf.layers.conv2d(x, 3, 3, activation=tf.nn.relu)
        h = tf.layers.conv2d_transpose(h, 2, 2, strides=2)
        h = tf.layers.batch_normalization(h, training=True)
        h = tf.layers.dense(tf.layers.flatten(h), 4)
        return tf.layers.dense(h, 2, name="logits")


def test_layers_in_a_reused_variable_scope_share_their_variables():
    a = tf.placeholder(tf.float64, [None, 6, 6, 1])
    b = tf.placeholder(tf.float64, [None, 6, 6, 1])
    ya = _model(a)
    names = [v.name for v in tf.global_variables()]
    assert names == ["net/conv2d/kernel", "net/conv2d/bias", "net/conv2d_transpose/kernel",
                     "net/conv2d_transpose/bias", "net/batch_normalization/gamma", "net/batch_normalization/beta",
                     "net/batch_normalization/moving_mean", "net/batch_normalization/moving_variance",
                     "net/dense/kernel", "net/dense/bias", "net/logits/kernel",
                     "net/logits/bias"]
    yb = _model(b, reuse=True)
    assert [v.name for v in tf.global_variables()] == names  # nothing new: the same names met again
    x = np.random.RandomState(0).randn(5, 6, 6, 1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        ra, rb = sess.run([ya, yb], {a: x, b: x})
    np.testing.assert_array_equal(ra, rb)
    with pytest.raises(tf.GraphError, match="does not exist"):
        with tf.variable_scope("other", reuse=True):
            tf.layers.dense(ya, 2)
    with tf.variable_scope("net", reuse=tf.AUTO_REUSE):  # AUTO_REUSE: the existing ones, and new ones
        tf.layers.dense(tf.ones([1, 4], tf.float64), 2, name="logits", reuse=False)  # False inherits
        tf.layers.dense(ya, 3, name="head")
    assert [v.name for v in tf.global_variables()][len(names):] == ["net/head/kernel", "net/head/bias"]


def test_default_layer_names_count_per_variable_scope_entry():
    x = tf.placeholder(tf.float32, [None, 3])
    tf.layers.dense(x, 2)
    tf.layers.dense(x, 2)
    with tf.variable_scope("s"):
        tf.layers.dense(x, 2)
        tf.layers.dense(x, 2)
    with tf.variable_scope("s", reuse=True):  # the counts start again in each entry of "s"
        tf.layers.dense(x, 2)
    with tf.name_scope("block"):  # a name scope does not name Variables (TensorFlow's)
        tf.layers.dense(x, 2)
    kernels = [v.name for v in tf.global_variables() if v.name.endswith("kernel")]
    assert kernels == ["dense/kernel", "dense_1/kernel", "s/dense/kernel", "s/dense_1/kernel", "dense_2/kernel"]


def test_conv2d_transpose_layer_is_torchs_conv_transpose2d():
    torch = pytest.importorskip("torch")
    x = tf.placeholder(tf.float64, [None, 6, 5, 3])
    y = tf.layers.conv2d_transpose(x, 4, (4, 3), strides=(2, 3), activation=tf.nn.sigmoid)
    assert y.shape.as_list() == [None, 14, 15, 4]  # (6-1)·2 + 4, (5-1)·3 + max(3, 3)
    same = tf.layers.conv2d_transpose(x, 4, 3, strides=2, padding="same")
    assert same.shape.as_list() == [None, 12, 10, 4]
    kernel = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="conv2d_transpose/")[0]
    assert kernel.name == "conv2d_transpose/kernel" and kernel.shape == (4, 3, 4, 3)
    data = np.random.RandomState(1).randn(2, 6, 5, 3)
    bias = np.array([0.1, -0.2, 0.3, 0.0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.assign(tf.get_default_graph().get_node_by_name("conv2d_transpose/bias"), bias))
        got, k = sess.run([y, kernel], {x: data})
    want = torch.sigmoid(torch.nn.functional.conv_transpose2d(
        torch.from_numpy(data).permute(0, 3, 1, 2), torch.from_numpy(k).permute(3, 2, 0, 1), torch.from_numpy(bias),
        stride=(2, 3))).permute(0, 2, 3, 1).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_layers_take_initializer_objects():
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.layers.dense(x, 2, kernel_initializer=tf.constant_initializer(0.5),
                        bias_initializer=tf.constant_initializer(0.25))
    with tf.variable_scope("scoped", initializer=tf.constant_initializer(-1.0)):
        z = tf.layers.dense(x, 2)  # the variable scope's initializer for the kernel; the bias zeros
    c = tf.layers.conv2d(tf.ones([1, 4, 4, 2]), 3, 2, kernel_initializer=tf.truncated_normal_initializer(stddev=0.02))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, gz = sess.run([y, z], {x: [[1, 2, 3]]})
        np.testing.assert_allclose(got, [[3.25, 3.25]])
        np.testing.assert_allclose(gz, [[-6, -6]])
        k = sess.run(tf.get_default_graph().get_node_by_name("conv2d/kernel"))
    assert c.shape.as_list() == [1, 3, 3, 3] and k.shape == (2, 2, 2, 3) and 0 < np.abs(k).max() <= 0.04


def test_control_dependencies_order_runs_as_tensorflows():
    v = tf.Variable(0.0)
    x = tf.placeholder(tf.float32, [])
    inc = tf.assign_add(v, 1.0)
    with tf.control_dependencies([inc]):
        y = tf.identity(x)  # the TF 1.x idiom: a read that runs the update first
        with tf.control_dependencies(None):
            free = x * 2.0  # None lifts them
    later = x * 3.0
    assert y.control_inputs == [inc] and free.control_inputs == [] and later.control_inputs == []
    with tf.Session() as sess:
        assert sess.run(y, {x: 4.0}) == 4.0 and sess.run(v) == 1.0
        sess.run([free, later], {x: 4.0})
        assert sess.run(v) == 1.0
        sess.run(y, {x: 0.0})
        assert sess.run(v) == 2.0
    with pytest.raises(tf.ArgumentTypeError):
        tf.control_dependencies([1.0])
    other = tf.Graph()
    with other.as_default():
        c = tf.constant(1.0)
    with pytest.raises(tf.GraphError, match="not a node of this graph"):
        with tf.control_dependencies([c]):
            pass


def test_update_ops_under_control_dependencies_run_with_each_step():
    """The batch-normalization idiom of TF 1.x programs: minimize inside
    control_dependencies(UPDATE_OPS); the moving mean follows numpy's exponential average."""
    x = tf.placeholder(tf.float32, [None, 2])
    h = tf.layers.batch_normalization(x, momentum=0.5, training=True)
    loss = tf.reduce_mean(tf.square(tf.layers.dense(h, 1, kernel_initializer=tf.ones_initializer()) - 1.0))
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert len(update_ops) == 2
    with tf.control_dependencies(update_ops):
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    assert set(train.control_inputs) >= set(update_ops)
    mean = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="batch_normalization/moving_mean")[0]
    data = np.array([[1.0, 2.0], [3.0, 6.0]], np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train, {x: data})
        np.testing.assert_allclose(sess.run(mean), data.mean(0) * (1 - 0.5 ** 3), rtol=1e-6)


def test_session_takes_tensorflows_target_graph_and_config(capsys):
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(2.0) * 3.0
    before = tf.num_threads()
    try:
        config = tf.ConfigProto(allow_soft_placement=True, log_device_placement=True,
                                gpu_options=tf.GPUOptions(allow_growth=True), intra_op_parallelism_threads=1)
        with tf.Session("", g, config) as sess:  # TensorFlow's positional order
            assert sess.graph == g and sess.run(c) == 6.0
        assert tf.num_threads() == 1  # the library's thread budget
        assert "CPU" in capsys.readouterr().err
        with tf.Session(graph=g, config=tf.ConfigProto()) as sess:
            assert sess.run(c) == 6.0
        assert tf.Session(g).run(c) == 6.0  # tensorgraph's own order stays
        with pytest.raises(tf.ArgumentValueError, match="remote"):
            tf.Session("grpc://localhost:2222")
        with pytest.raises(tf.ArgumentValueError, match="twice"):
            tf.Session(g, g)
        with pytest.raises(tf.ArgumentValueError, match=">= 0"):
            tf.ConfigProto(intra_op_parallelism_threads=-1)
        with pytest.raises(tf.ArgumentTypeError):
            tf.Session(config={"allow_growth": True})
    finally:
        tf.set_num_threads(before)


def test_device_blocks_check_the_name_and_run_on_the_cpu():
    for name in ("/cpu:0", "/gpu:0", "/device:GPU:1", "/job:localhost/replica:0/task:0/device:CPU:0", "", None):
        with tf.device(name):
            y = tf.constant(3.0) * 2.0
    with tf.Session() as sess:
        assert sess.run(y) == 6.0
    with pytest.raises(tf.ArgumentValueError, match="not a device name"):
        tf.device("cpu")


def test_int16_and_uint8_are_tensorflows_storage_types(tmp_path):
    assert tf.int16 == np.int16 and tf.uint8 == "uint8" and tf.as_dtype(np.uint8) is tf.uint8
    assert tf.int16.is_integer and tf.uint8.is_unsigned and tf.int16.max == 32767 and tf.uint8.size == 1
    # a numpy scalar keeps its dtype, as an array does; a Python number is the tutorial's float64
    assert tf.constant(np.int16(7)).dtype == tf.int16 and tf.constant(np.float32(2)).dtype == tf.float32
    assert tf.constant(7).dtype == tf.float64 and tf.constant(np.uint8(7)).dtype == tf.uint8
    audio = tf.placeholder(tf.int16, [None])
    image = tf.placeholder(tf.uint8, [None, 2, 2, 1])
    wave = tf.cast(audio, tf.float32) / 32768.0  # the usual first step with int16 samples
    pixels = tf.cast(image, tf.float32) / 255.0
    back = tf.cast(wave * 32768.0, tf.int16)  # exact: a power of two
    loud = tf.greater(audio, tf.constant(np.int16(1000)))
    v = tf.Variable(np.array([[1, 2], [3, 250]], np.uint8), name="bytes")
    s = np.array([-32768, -5, 1000, 32767], np.int16)
    img = np.arange(8, dtype=np.uint8).reshape(2, 2, 2, 1) * 30
    with tf.Session() as sess:
        got_wave, got_pixels, got_back, got_loud = sess.run([wave, pixels, back, loud], {audio: s, image: img})
        np.testing.assert_array_equal(got_wave, s.astype(np.float32) / 32768)
        np.testing.assert_array_equal(got_pixels, img.astype(np.float32) / 255)
        assert got_back.dtype == np.int16
        np.testing.assert_array_equal(got_back, s)
        np.testing.assert_array_equal(got_loud, s > 1000)
        assert sess.run(audio[1:3], {audio: s}).tolist() == [-5, 1000]
        path = tf.train.Saver().save(sess, str(tmp_path / "m"))
        sess.run(tf.assign(v, np.zeros((2, 2), np.uint8)))
        tf.train.Saver().restore(sess, path)
        fetched = sess.run(v)
        assert fetched.dtype == np.uint8 and fetched.tolist() == [[1, 2], [3, 250]]
        with pytest.raises(tf.DTypeError, match="storage type"):
            sess.run(audio * audio, {audio: s})
        with pytest.raises(tf.DTypeError, match="int16's range"):
            sess.run(wave, {audio: [0, 40000]})  # numpy would wrap it to -25536


def test_checkpoints_keep_scoped_names_and_restore_into_a_rebuilt_graph(tmp_path):
    """TF 1.x's workflow: build the model in scopes, save; in a fresh graph build it again and restore
    by name — the names, not the creation order, match the values."""
    def build():
        x = tf.placeholder(tf.float32, [None, 3])
        with tf.variable_scope("enc"):
            h = tf.layers.dense(x, 4, activation=tf.nn.relu)
            w = tf.get_variable("w", [4, 2])
        with tf.name_scope("head"):  # a name scope does not name the Variable
            b = tf.Variable(tf.zeros([2]), name="b")
        return x, tf.matmul(h, w) + b

    data = np.random.RandomState(3).randn(5, 3).astype(np.float32)
    g1 = tf.Graph()
    with g1.as_default():
        x, y = build()
        names = sorted(v.name for v in tf.global_variables())
        with tf.Session() as sess:
            sess.run(tf.assign(tf.get_default_graph().get_node_by_name("head/b"), [0.5, -0.5]))
            want = sess.run(y, {x: data})
            path = tf.train.Saver().save(sess, str(tmp_path / "model.ckpt"), global_step=7)
    assert names == ["enc/dense/bias", "enc/dense/kernel", "enc/w", "head/b"]
    assert path.endswith("model.ckpt-7") and tf.train.latest_checkpoint(str(tmp_path)) == path
    g2 = tf.Graph()
    with g2.as_default():
        tf.Variable(tf.ones([7]), name="made_first")  # another creation order: names decide
        x, y = build()
        with tf.Session() as sess:
            tf.train.Saver([v for v in tf.global_variables() if v.name != "made_first"]).restore(sess, path)
            np.testing.assert_array_equal(sess.run(y, {x: data}), want)


def test_update_ops_wired_by_hand_are_exactly_the_ones_that_run():
    """Under control dependencies holding update ops, a step runs those and no others (TensorFlow's
    wiring: a GAN's generator step updates the generator's statistics only); without, every update
    the step can run runs (tensorgraph's default)."""
    x = tf.placeholder(tf.float32, [None, 2])
    with tf.variable_scope("a"):
        ha = tf.layers.batch_normalization(x, momentum=0.5, training=True)
    with tf.variable_scope("b"):
        hb = tf.layers.batch_normalization(x, momentum=0.5, training=True)
    loss = tf.reduce_sum(tf.square(ha + hb - 1.0))
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS, scope="a")):
        only_a = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    both = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    mean_a = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="a/batch_normalization/moving_mean")[0]
    mean_b = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="b/batch_normalization/moving_mean")[0]
    data = np.array([[1.0, 2.0], [3.0, 6.0]], np.float32)
    with tf.Session() as sess:
        sess.run(only_a, {x: data})
        np.testing.assert_allclose(sess.run(mean_a), data.mean(0) * 0.5)
        np.testing.assert_array_equal(sess.run(mean_b), [0, 0])
        sess.run(both, {x: data})
        np.testing.assert_allclose(sess.run(mean_a), data.mean(0) * 0.75)
        np.testing.assert_allclose(sess.run(mean_b), data.mean(0) * 0.5)


def test_a_read_made_after_an_update_by_control_dependencies_sees_it():
    """TensorFlow's idiom: `with tf.control_dependencies([assign]): y = tf.identity(v)` is the updated
    value in the same run (without control dependencies a run's reads see the value it started with)."""
    v = tf.Variable(0.0)
    inc = tf.assign(v, v + 1.0)
    with tf.control_dependencies([inc]):
        after = tf.identity(v)
        chained = tf.assign(v, v + 10.0)  # reads v after inc
    before = v * 1.0
    with tf.Session() as sess:
        assert sess.run(after) == 1.0 and sess.run(v) == 1.0
        sess.run(chained)
        assert sess.run(v) == 12.0  # 1 -> inc 2 -> 2 + 10
        assert sess.run([before, inc])[0] == 12.0 and sess.run(v) == 13.0  # no control edge: the run's start
