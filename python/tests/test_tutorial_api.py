"""The tutorial's API (shared/seed/api.md beside the repository): both import styles, parts I, IV and V, and the
Session / Graph / feed / operator behaviour the tutorial's programs rely on."""
import pathlib
import re
import textwrap

import numpy as np
import pytest

import tensorgraph as ts
from conftest import repo_root, run_python

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

TUTORIAL_NAMES = ["Graph", "Operation", "RegisterGradient", "Session", "Variable", "placeholder", "add", "matmul",
                  "sigmoid", "softmax", "log", "multiply", "reduce_sum", "negative"]
TRAIN_NAMES = ["GradientDescentOptimizer", "compute_gradients"]


# numpy re-implementations (the oracle for whole programs) -------------------------------------------

def np_sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def np_softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def np_perceptron_step(X, c, W, b, lr):
    """One gradient-descent step of part IV's perceptron; returns (loss before the step, W, b)."""
    p = np_softmax(X @ W + b)
    J = -np.sum(c * np.log(p))
    dz = p - c  # rows of c sum to 1
    return J, W - lr * X.T @ dz, b - lr * dz.sum(0)


def np_mlp_forward(X, W1, b1, W2, b2):
    h = np_sigmoid(X @ W1 + b1)
    return h, np_softmax(h @ W2 + b2)


def np_mlp_step(X, c, params, lr):
    """One gradient-descent step of part V's two-layer network (hand-derived backpropagation)."""
    W1, b1, W2, b2 = params
    h, p = np_mlp_forward(X, W1, b1, W2, b2)
    J = -np.sum(c * np.log(p))
    dz2 = p - c
    dz1 = (dz2 @ W2.T) * h * (1 - h)
    grads = (X.T @ dz1, dz1.sum(0), h.T @ dz2, dz2.sum(0))
    return J, [v - lr * g for v, g in zip(params, grads)]


def two_clusters(rng, n=50):
    red = rng.standard_normal((n, 2)) - 2
    blue = rng.standard_normal((n, 2)) + 2
    X = np.concatenate((blue, red))
    c = np.array([[1.0, 0.0]] * n + [[0.0, 1.0]] * n)
    return X, c


def xor_clusters(rng, n=25):
    def around(cx, cy):
        return 0.2 * rng.standard_normal((n, 2)) + np.array([cx, cy])
    red = np.concatenate((around(0, 0), around(1, 1)))
    blue = np.concatenate((around(0, 1), around(1, 0)))
    return np.concatenate((blue, red)), np.array([[1.0, 0.0]] * 2 * n + [[0.0, 1.0]] * 2 * n)


# Import styles ----------------------------------------------------------------------------------------

def test_star_imports_give_the_tutorial_names():
    ns = {}
    exec("from tensorgraph import *\nfrom tensorgraph.train import *", ns)
    missing = [n for n in TUTORIAL_NAMES + TRAIN_NAMES if n not in ns]
    assert not missing, f"names the tutorial uses bare are not exported: {missing}"
    assert ns["GradientDescentOptimizer"] is ts.train.GradientDescentOptimizer
    assert ns["matmul"] is ts.matmul


PART1_BARE = """
from tensorgraph import *
from tensorgraph.train import *

# Create a new graph
Graph().as_default()

# Create variables
A = Variable([[1, 0], [0, -1]])
b = Variable([1, 1])

# Create placeholder
x = placeholder()

# Create hidden node y
y = matmul(A, x)

# Create output node z
z = add(y, b)

session = Session()
output = session.run(z, {
    x: [1, 2]
})
print(repr(output.tolist()))
"""


def test_part1_with_bare_names_in_a_fresh_interpreter(tmp_path):
    result = run_python(PART1_BARE, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[2.0, -1.0]"


def test_part1_with_bare_names_exec_in_a_fresh_namespace():
    ns = {}
    exec(PART1_BARE.replace("print(repr(output.tolist()))", ""), ns)
    np.testing.assert_array_equal(ns["output"], [2.0, -1.0])
    assert isinstance(ns["output"], np.ndarray)


def test_part1_qualified():
    ts.Graph().as_default()
    A = ts.Variable([[1, 0], [0, -1]])
    b = ts.Variable([1, 1])
    x = ts.placeholder()
    z = ts.add(ts.matmul(A, x), b)
    out = ts.Session().run(z, {x: [1, 2]})
    assert isinstance(out, np.ndarray) and out.dtype == np.float64
    np.testing.assert_array_equal(out, [2.0, -1.0])


def test_qualified_train_module():
    assert ts.train.GradientDescentOptimizer is not None
    x = ts.Variable([3.0])
    step = ts.train.GradientDescentOptimizer(0.25).minimize(ts.reduce_sum(ts.square(x)))
    s = ts.Session()
    s.run(step)
    np.testing.assert_allclose(s.run(x), [3.0 - 0.25 * 6.0], rtol=1e-15)


# Part IV: the perceptron trains, and matches a numpy re-implementation step for step ---------------

def test_part4_perceptron_trains_like_numpy(rng):
    X0, c0 = two_clusters(rng)
    W0, b0 = rng.standard_normal((2, 2)), rng.standard_normal(2)

    ts.Graph().as_default()
    X, c = ts.placeholder(), ts.placeholder()
    W, b = ts.Variable(W0), ts.Variable(b0)
    p = ts.softmax(ts.add(ts.matmul(X, W), b))
    J = ts.negative(ts.reduce_sum(ts.reduce_sum(ts.multiply(c, ts.log(p)), axis=1)))
    minimization_op = ts.train.GradientDescentOptimizer(learning_rate=0.01).minimize(J)
    feed_dict = {X: X0, c: c0.tolist()}
    session = ts.Session()

    losses, Wn, bn = [], W0, b0
    for step in range(100):
        J_value = session.run(J, feed_dict)
        J_np, Wn, bn = np_perceptron_step(X0, c0, Wn, bn, 0.01)
        np.testing.assert_allclose(J_value, J_np, rtol=1e-10, err_msg=f"loss at step {step}")
        losses.append(float(J_value))
        session.run(minimization_op, feed_dict)
    np.testing.assert_allclose(session.run(W), Wn, rtol=1e-10)
    np.testing.assert_allclose(session.run(b), bn, rtol=1e-10)
    assert losses[-1] < 0.5 * losses[0]
    assert all(b <= a + 1e-12 for a, b in zip(losses, losses[1:])), "loss should fall at every step"


# Part V -------------------------------------------------------------------------------------------------

def test_part5_network_forward_matches_numpy(rng):
    X0, c0 = xor_clusters(rng)
    params = [rng.standard_normal((2, 2)), rng.standard_normal(2), rng.standard_normal((2, 2)), rng.standard_normal(2)]

    ts.Graph().as_default()
    X, c = ts.placeholder(), ts.placeholder()
    W_hidden, b_hidden, W_output, b_output = [ts.Variable(v) for v in params]
    p_hidden = ts.sigmoid(ts.add(ts.matmul(X, W_hidden), b_hidden))
    p_output = ts.softmax(ts.add(ts.matmul(p_hidden, W_output), b_output))
    J = ts.negative(ts.reduce_sum(ts.reduce_sum(ts.multiply(c, ts.log(p_output)), axis=1)))
    session = ts.Session()

    h_np, p_np = np_mlp_forward(X0, *params)
    h, p, j = session.run([p_hidden, p_output, J], {X: X0, c: c0})
    np.testing.assert_allclose(h, h_np, rtol=1e-12)
    np.testing.assert_allclose(p, p_np, rtol=1e-12)
    np.testing.assert_allclose(j, -np.sum(c0 * np.log(p_np)), rtol=1e-12)
    # the decision-boundary plot runs the network on single points fed as [[x, y]]
    for x, y in [(-2.0, -2.0), (0.5, 0.5), (1.2, -0.3)]:
        single = session.run(p_output, feed_dict={X: [[x, y]]})[0]
        np.testing.assert_allclose(single, np_mlp_forward(np.array([[x, y]]), *params)[1][0], rtol=1e-12)

    minimization_op = ts.train.GradientDescentOptimizer(learning_rate=0.03).minimize(J)
    for step in range(50):
        J_value = session.run(J, {X: X0, c: c0})
        J_np, params = np_mlp_step(X0, c0, params, 0.03)
        np.testing.assert_allclose(J_value, J_np, rtol=1e-10, err_msg=f"loss at step {step}")
        session.run(minimization_op, {X: X0, c: c0})
    for node, want in zip([W_hidden, b_hidden, W_output, b_output], params):
        np.testing.assert_allclose(session.run(node), want, rtol=1e-10)


def test_part5_program_trains_and_writes_its_plot(tmp_path):
    script = repo_root() / "examples" / "python" / "part5_multilayer_perceptron.py"
    assert script.is_file(), f"missing {script}"
    result = run_python(script, cwd=tmp_path, timeout=600)
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    losses = [float(v) for v in re.findall(r"Step:\s*\d+\s+Loss:\s*([-+0-9.eE]+)", result.stdout)]
    assert len(losses) == 10, result.stdout
    assert all(np.isfinite(losses))
    assert losses[-1] < 0.3 * losses[0], f"loss did not fall enough: {losses}"
    png = tmp_path / "part5_decision_boundary.png"
    assert png.is_file(), f"no plot written; files: {sorted(p.name for p in tmp_path.iterdir())}"
    data = png.read_bytes()
    assert data[:8] == PNG_SIGNATURE and len(data) > 1000


def test_part1_program_prints_its_value(tmp_path):
    result = run_python(repo_root() / "examples" / "python" / "part1_computational_graph.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-4000:]
    assert result.stdout.strip() == "[ 2. -1.]"


def test_perceptron_program_trains_and_writes_its_plot(tmp_path):
    """Parts II-IV as one program: the loss every 10 steps falls, and the figure is written."""
    result = run_python(repo_root() / "examples" / "python" / "perceptron.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-4000:]
    losses = [float(v) for v in re.findall(r"Step:\s*\d+\s+Loss:\s*([-+0-9.eE]+)", result.stdout)]
    assert len(losses) == 10 and all(b < a for a, b in zip(losses, losses[1:])), result.stdout
    assert "Weight matrix:" in result.stdout and "Bias:" in result.stdout
    assert (tmp_path / "perceptron.png").read_bytes()[:8] == PNG_SIGNATURE


# Session ------------------------------------------------------------------------------------------------

def test_run_returns_numpy_arrays_and_lists_for_lists(session):
    x = ts.placeholder()
    y = ts.reduce_sum(x)
    out = session.run(y, {x: [1.0, 2.0]})
    assert isinstance(out, (np.ndarray, np.generic)) and float(out) == 3.0
    both = session.run([x, y], {x: [1.0, 2.0]})
    assert isinstance(both, list) and len(both) == 2
    assert all(isinstance(v, np.ndarray) for v in both)
    np.testing.assert_array_equal(both[0], [1.0, 2.0])
    assert session.run([], {}) == []


@pytest.mark.parametrize("n", [1, 2, 32, 33, 1000])  # results of up to 256 bytes are copied, larger ones shared
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32, np.int64, np.bool_])
def test_results_keep_their_values_shape_and_dtype_across_later_runs(session, n, dtype):
    x = ts.placeholder(dtype)
    y = ts.reshape(x, [n, 1])
    first_in = (np.arange(n) % 3 == 1).astype(dtype) if dtype == np.bool_ else np.arange(n).astype(dtype)
    first = session.run(y, {x: first_in})
    assert first.dtype == np.dtype(dtype) and first.shape == (n, 1)
    second = session.run(y, {x: np.logical_not(first_in) if dtype == np.bool_ else first_in + 1})
    np.testing.assert_array_equal(first[:, 0], first_in)  # not overwritten by the second run
    assert not np.array_equal(first, second)
    first[0, 0] = second[0, 0]  # the caller owns it: writable, and nothing else changes
    np.testing.assert_array_equal(session.run(y, {x: first_in})[:, 0], first_in)
    scalar = session.run(ts.reduce_sum(ts.cast(x, np.float64)), {x: first_in})
    assert scalar.shape == () and float(scalar) == float(np.sum(first_in.astype(np.float64)))


def test_running_a_variable_returns_its_current_value(session):
    W = ts.Variable([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(session.run(W), [[1.0, 2.0], [3.0, 4.0]])
    step = ts.train.GradientDescentOptimizer(0.5).minimize(ts.reduce_sum(W))
    session.run(step)
    np.testing.assert_array_equal(session.run(W), [[0.5, 1.5], [2.5, 3.5]])
    # the returned array is a copy: writing to it leaves the variable alone
    session.run(W)[:] = 100.0
    np.testing.assert_array_equal(session.run(W), [[0.5, 1.5], [2.5, 3.5]])
    # a new session starts from the initial value
    np.testing.assert_array_equal(ts.Session().run(W), [[1.0, 2.0], [3.0, 4.0]])


FEEDS = [
    # (placeholder dtype, value fed, expected dtype of x * 2)
    (None, np.array([1.5, 2.0], dtype=np.float64), np.float64),
    (None, np.array([1.5, 2.0], dtype=np.float32), np.float32),
    (None, np.array([1, 2], dtype=np.int64), np.int64),
    (None, np.array([1, 2], dtype=np.int32), np.int32),
    (None, [1, 2], np.float64),                       # Python lists are float64, as in the tutorial
    (None, [[1.5, 2], [3, 4]], np.float64),
    (None, 2.5, np.float64),
    (np.float64, np.array([1.5, 2.0], dtype=np.float32), np.float64),
    (np.float64, np.array([1, 2], dtype=np.int32), np.float64),
    (np.float64, [[1, 2], [3, 4.5]], np.float64),
    (np.float32, np.array([1.5, 2.0]), np.float32),
    (np.float32, [1.5, 2.0], np.float32),
    (np.int32, [1, 2], np.int32),
    (np.int64, np.array([1, 2], dtype=np.int32), np.int64),
]


@pytest.mark.parametrize("dtype,value,want_dtype", FEEDS, ids=[f"{d and np.dtype(d).name}<-{type(v).__name__}:{np.asarray(v).dtype}{np.shape(v)}" for d, v, _ in FEEDS])
def test_feed_values(session, dtype, value, want_dtype):
    x = ts.placeholder(dtype)
    out = session.run(x * 2, {x: value})
    assert out.dtype == want_dtype
    assert out.shape == np.shape(value)
    np.testing.assert_array_equal(out, np.asarray(value, dtype=np.float64) * 2)


def test_feed_non_contiguous_and_read_only_arrays(session):
    x = ts.placeholder()
    base = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(session.run(x + 0.0, {x: base.T}), base.T)
    np.testing.assert_array_equal(session.run(x + 0.0, {x: base[:, ::2]}), base[:, ::2])
    ro = np.arange(3.0)
    ro.setflags(write=False)
    np.testing.assert_array_equal(session.run(x * 3, {x: ro}), [0.0, 3.0, 6.0])


def test_a_fed_array_changed_between_runs_is_read_again(session):
    x = ts.placeholder()
    y = x * 2
    a = np.ones(3)
    np.testing.assert_array_equal(session.run(y, {x: a}), [2.0, 2.0, 2.0])
    a[:] = 5.0
    np.testing.assert_array_equal(session.run(y, {x: a}), [10.0, 10.0, 10.0])
    assert np.all(a == 5.0), "running must not write into the fed array"


def test_only_the_nodes_a_fetch_depends_on_run(session):
    x, unused = ts.placeholder(), ts.placeholder()
    _ = unused * 2
    np.testing.assert_array_equal(session.run(x + 1.0, {x: [1.0]}), [2.0])  # `unused` needs no feed


# Graphs ---------------------------------------------------------------------------------------------------

def test_as_default_as_a_statement():
    g = ts.Graph()
    g.as_default()
    assert ts.get_default_graph() == g
    x = ts.placeholder()
    assert x.graph == g
    np.testing.assert_array_equal(ts.Session().run(x * 2, {x: [1.0]}), [2.0])


def test_as_default_in_a_with_block_restores_the_previous_default(fresh_graph):
    g = ts.Graph()
    with g.as_default() as entered:
        assert entered == g
        a = ts.constant([1.0, 2.0])
        assert ts.get_default_graph() == g
    b = ts.constant([3.0])
    assert a.graph == g
    assert b.graph == fresh_graph and ts.get_default_graph() == fresh_graph
    np.testing.assert_array_equal(ts.Session(g).run(a), [1.0, 2.0])


def test_sessions_share_a_graph_but_not_variables():
    v = ts.Variable([1.0])
    step = ts.train.GradientDescentOptimizer(1.0).minimize(ts.reduce_sum(v))
    s1, s2 = ts.Session(), ts.Session()
    s1.run(step)
    s1.run(step)
    np.testing.assert_array_equal(s1.run(v), [-1.0])
    np.testing.assert_array_equal(s2.run(v), [1.0])


# Operators -----------------------------------------------------------------------------------------------

A0 = np.array([[1.5, -2.0, 3.0], [0.5, 4.0, -1.0]])
B0 = np.array([[2.0, 0.5, -4.0], [1.0, -8.0, 2.5]])
V0 = np.array([0.5, -1.5, 2.0])
M0 = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.25]])

OPERATORS = [
    ("a + b", lambda a, b: a + b), ("a - b", lambda a, b: a - b), ("a * b", lambda a, b: a * b),
    ("a / b", lambda a, b: a / b), ("-a", lambda a, b: -a), ("a @ m", lambda a, b: a @ M0),
    ("m @ a", lambda a, b: M0 @ a), ("a + 2", lambda a, b: a + 2), ("2 + a", lambda a, b: 2 + a),
    ("a - 1.5", lambda a, b: a - 1.5), ("1.5 - a", lambda a, b: 1.5 - a), ("a * 3", lambda a, b: a * 3),
    ("3 * a", lambda a, b: 3 * a), ("a / 4", lambda a, b: a / 4), ("4 / a", lambda a, b: 4 / a),
    ("a + v", lambda a, b: a + V0), ("v + a", lambda a, b: V0 + a), ("v - a", lambda a, b: V0 - a),
    ("v * a", lambda a, b: V0 * a), ("v / a", lambda a, b: V0 / a), ("a @ v", lambda a, b: a @ V0),
    ("np.float64(2) * a", lambda a, b: np.float64(2.0) * a), ("-(a * b) + b / a", lambda a, b: -(a * b) + b / a),
]


@pytest.mark.parametrize("expr,f", OPERATORS, ids=[o[0] for o in OPERATORS])
def test_operators_on_nodes_match_numpy(session, expr, f):
    a, b = ts.placeholder(), ts.Variable(B0)
    node = f(a, b)
    assert isinstance(node, ts.Node), f"{expr} gave {type(node).__name__}, not a graph node"
    np.testing.assert_allclose(session.run(node, {a: A0}), f(A0, B0), rtol=1e-15)


def test_a_python_number_takes_the_node_dtype(session):
    x = ts.placeholder(np.float32)
    y = 2 * x + 1.5
    assert y.dtype == np.float32
    out = session.run(y, {x: np.array([1.0, 2.0], np.float32)})
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [3.5, 5.5])


def test_operators_build_the_named_ops():
    a, b = ts.placeholder(), ts.placeholder()
    assert [n.type for n in (a + b, a - b, a * b, a / b, -a, a @ b)] == \
        ["add", "subtract", "multiply", "divide", "negative", "matmul"]


@pytest.mark.parametrize("value", [3.0, 3, np.float64(3.0), np.array(3.0)], ids=["float", "int", "np.float64", "0-d array"])
def test_scalars_stay_scalars(session, value):
    """numpy semantics: a scalar Variable/constant/feed has shape (), not (1,)."""
    v, c, x = ts.Variable(value), ts.constant(value), ts.placeholder()
    assert v.shape == () and c.shape == ()
    for out in session.run([v, c, x, x * v], {x: value}):
        assert out.shape == () and out.dtype == np.float64
    assert session.run(ts.reduce_sum(ts.Variable([1.0, 2.0]) * v)).shape == ()


def test_cnn_program_learns_fashion_mnist(tmp_path):
    """The TensorFlow-style CNN example for 200 steps of 128: the loss falls, most test images are right."""
    result = run_python(repo_root() / "examples" / "python" / "cnn_fashion_mnist.py", "200", cwd=tmp_path, timeout=600)
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    losses = [float(v) for v in re.findall(r"step \d+: loss ([-+0-9.eE]+)", result.stdout)]
    assert len(losses) == 2 and losses[1] < 0.85 * losses[0], result.stdout
    assert float(re.search(r"test accuracy ([0-9.]+)", result.stdout).group(1)) >= 0.75, result.stdout


def test_lstm_program_reads_fashion_mnist_row_by_row(tmp_path):
    """The TensorFlow-style row-by-row LSTM example for 0.45 of an epoch (421 steps of 64): the loss
    falls from the first 200 steps to the next 200, and most test images are right (chance: 0.10)."""
    result = run_python(repo_root() / "examples" / "python" / "lstm_fashion_mnist.py", "0.45", cwd=tmp_path, timeout=600)
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    losses = [float(v) for v in re.findall(r"step \d+: loss ([-+0-9.eE]+)", result.stdout)]
    assert len(losses) == 2 and losses[1] < 0.8 * losses[0], result.stdout
    assert float(re.search(r"test accuracy ([0-9.]+)", result.stdout).group(1)) >= 0.72, result.stdout


def test_charlm_program_learns_a_fortunes_file_and_writes_text(tmp_path):
    """The character-level LSTM example for 300 steps on Debian's fortunes: the loss falls, the
    validation loss is far below a uniform guess over the file's characters (ln 106 = 4.66 nats) and
    below the characters' own entropy (3.3 nats here), and the sample is mostly letters and spaces."""
    text = pathlib.Path("/usr/share/games/fortunes/computers")
    result = run_python(repo_root() / "examples" / "python" / "charlm.py", str(text), "300", "300", "0.8",
                        cwd=tmp_path, timeout=600)
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    losses = [float(v) for v in re.findall(r"step \d+: loss ([-+0-9.eE]+)", result.stdout)]
    assert len(losses) == 3 and losses[2] < 0.85 * losses[0], result.stdout
    chars = text.read_text(encoding="utf-8", errors="replace")
    counts = np.unique(list(chars), return_counts=True)[1] / len(chars)
    entropy = float(-(counts * np.log(counts)).sum())
    val = float(re.search(r"validation loss ([0-9.]+)", result.stdout).group(1))
    assert val < entropy - 0.3, (val, entropy)
    sample = result.stdout.split("sample:\n", 1)[1]
    assert len(sample) >= 300
    assert sum(c.isalpha() or c == " " for c in sample) / len(sample) > 0.75, sample
