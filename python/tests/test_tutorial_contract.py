"""The tutorial's library to the letter (issue 10): the numeric gradient table of part IV, a graph's
three lists, one Python object per node, and feed-dict keys that are not nodes. The oracle for
gradients is PyTorch autograd in float64."""
import gc
import textwrap
import weakref

import numpy as np
import pytest
import torch

import tensorgraph as ts
from conftest import run_python

RTOL = 1e-10


def part4_perceptron(W0, b0):
    """Part IV's perceptron and loss, built as the tutorial builds it; returns its nodes by name."""
    X, c = ts.placeholder(), ts.placeholder()
    W, b = ts.Variable(W0), ts.Variable(b0)
    mm = ts.matmul(X, W)
    z = ts.add(mm, b)
    p = ts.softmax(z)
    lp = ts.log(p)
    m = ts.multiply(c, lp)
    r1 = ts.reduce_sum(m, axis=1)
    r0 = ts.reduce_sum(r1)
    J = ts.negative(r0)
    return dict(X=X, c=c, W=W, b=b, matmul=mm, add=z, softmax=p, log=lp, multiply=m, sum1=r1, sum0=r0, J=J)


def torch_table(X0, c0, W0, b0):
    """The same loss in PyTorch: {name: gradient of J w.r.t. that node's output}, float64."""
    t = {k: torch.tensor(np.asarray(v, dtype=np.float64), requires_grad=True)
         for k, v in dict(X=X0, c=c0, W=W0, b=b0).items()}
    v = dict(t)
    v["matmul"] = t["X"] @ t["W"]
    v["add"] = v["matmul"] + t["b"]
    v["softmax"] = torch.softmax(v["add"], -1)
    v["log"] = torch.log(v["softmax"])
    v["multiply"] = t["c"] * v["log"]
    v["sum1"] = v["multiply"].sum(1)
    v["sum0"] = v["sum1"].sum()
    v["J"] = -v["sum0"]
    for name, value in v.items():
        if name not in t:
            value.retain_grad()
    v["J"].backward()
    return {name: value.grad.numpy() for name, value in v.items()}


def clusters(rng, n=6):
    X0 = np.concatenate((rng.standard_normal((n, 2)) + 2, rng.standard_normal((n, 2)) - 2))
    c0 = [[1, 0]] * n + [[0, 1]] * n  # the tutorial feeds the labels as a nested list
    return X0, c0


def assert_table(table, nodes, want):
    assert set(map(id, table)) == set(map(id, nodes.values())), "one entry for every node the walk reached"
    for name, node in nodes.items():
        got = table[node]
        assert isinstance(got, np.ndarray) and got.dtype == np.float64, name
        np.testing.assert_allclose(got, want[name], rtol=RTOL, atol=0, err_msg=name)


# 1. compute_gradients returns numbers ------------------------------------------------------------------

def test_part4_table_matches_torch_entry_by_entry(rng):
    W0, b0 = rng.standard_normal((2, 2)), rng.standard_normal(2)
    X0, c0 = clusters(rng)
    nodes = part4_perceptron(W0, b0)
    session = ts.Session()
    session.run(nodes["J"], {nodes["X"]: X0, nodes["c"]: c0})
    table = ts.train.compute_gradients(nodes["J"])
    assert isinstance(table, dict)
    assert_table(table, nodes, torch_table(X0, c0, W0, b0))
    assert table[nodes["b"]].shape == (2,), "broadcasting undone: the bias gradient is summed over rows"
    assert table[nodes["J"]] == 1.0


def test_table_after_a_second_run_with_other_feeds_reflects_that_run(rng):
    W0, b0 = rng.standard_normal((2, 2)), rng.standard_normal(2)
    nodes = part4_perceptron(W0, b0)
    session = ts.Session()
    (X1, c1), (X2, c2) = clusters(rng, 4), clusters(rng, 7)
    session.run(nodes["J"], {nodes["X"]: X1, nodes["c"]: c1})
    first = ts.train.compute_gradients(nodes["J"])
    session.run(nodes["J"], {nodes["X"]: X2, nodes["c"]: c2})
    second = ts.train.compute_gradients(nodes["J"])
    assert_table(first, nodes, torch_table(X1, c1, W0, b0))
    assert_table(second, nodes, torch_table(X2, c2, W0, b0))
    assert second[nodes["X"]].shape == (14, 2)


def test_table_keeps_the_variable_values_of_the_loss_run_after_training_steps(rng):
    """Part IV's loop: the loss is run, then the step; the table is that of the last loss run."""
    W0, b0 = rng.standard_normal((2, 2)), rng.standard_normal(2)
    X0, c0 = clusters(rng)
    nodes = part4_perceptron(W0, b0)
    step = ts.train.GradientDescentOptimizer(learning_rate=0.01).minimize(nodes["J"])
    feed = {nodes["X"]: X0, nodes["c"]: c0}
    session = ts.Session()
    for _ in range(5):
        session.run(nodes["J"], feed)
        W_seen, b_seen = session.run(nodes["W"]), session.run(nodes["b"])
        session.run(step, feed)
    assert not np.allclose(session.run(nodes["W"]), W_seen), "the step moved W after the loss run"
    table = ts.train.compute_gradients(nodes["J"])
    assert_table(table, nodes, torch_table(X0, c0, W_seen, b_seen))
    session.assign(nodes["W"], np.zeros((2, 2)))  # a later write changes nothing in a taken table...
    assert_table(ts.train.compute_gradients(nodes["J"]), nodes, torch_table(X0, c0, W_seen, b_seen))
    session.run(nodes["J"], feed)  # ...and the next loss run is what the next table reads
    b_now = session.run(nodes["b"])
    assert_table(ts.train.compute_gradients(nodes["J"]), nodes, torch_table(X0, c0, np.zeros((2, 2)), b_now))


def test_the_most_recent_run_wins_across_sessions(rng):
    W0, b0 = rng.standard_normal((2, 2)), rng.standard_normal(2)
    nodes = part4_perceptron(W0, b0)
    (X1, c1), (X2, c2) = clusters(rng, 3), clusters(rng, 5)
    s1, s2 = ts.Session(), ts.Session()
    s2.assign(nodes["W"], 2 * W0)
    s1.run(nodes["J"], {nodes["X"]: X1, nodes["c"]: c1})
    s2.run(nodes["J"], {nodes["X"]: X2, nodes["c"]: c2})
    assert_table(ts.train.compute_gradients(nodes["J"]), nodes, torch_table(X2, c2, 2 * W0, b0))
    s1.run([nodes["J"], nodes["softmax"]], {nodes["X"]: X1, nodes["c"]: c1})
    assert_table(ts.train.compute_gradients(nodes["J"]), nodes, torch_table(X1, c1, W0, b0))
    del s1
    gc.collect()
    with pytest.raises(ts.Error, match="has not been run: run the loss first"):
        ts.train.compute_gradients(nodes["J"])  # the session of its last run is gone


def test_before_the_first_run_a_clear_error_says_to_run_the_loss_first():
    nodes = part4_perceptron(np.eye(2), np.zeros(2))
    with pytest.raises(ts.Error, match=r"'negative' has not been run: run the loss first \(session.run\(loss"):
        ts.train.compute_gradients(nodes["J"])
    with pytest.raises(ts.ArgumentTypeError, match="compute_gradients: argument 'loss' must be a graph node, got str 'J'"):
        ts.train.compute_gradients("J")


def test_a_loss_run_together_with_a_step_is_refused_not_guessed(rng):
    nodes = part4_perceptron(rng.standard_normal((2, 2)), rng.standard_normal(2))
    step = ts.train.GradientDescentOptimizer(0.1).minimize(nodes["J"])
    X0, c0 = clusters(rng)
    session = ts.Session()
    session.run([nodes["J"], step], {nodes["X"]: X0, nodes["c"]: c0})
    with pytest.raises(ts.Error, match="also wrote the Variables .* run the loss on its own"):
        ts.train.compute_gradients(nodes["J"])
    session.run(nodes["J"], {nodes["X"]: X0, nodes["c"]: c0})
    W1, b1 = session.run(nodes["W"]), session.run(nodes["b"])
    assert_table(ts.train.compute_gradients(nodes["J"]), nodes, torch_table(X0, c0, W1, b1))


def test_float32_in_float32_out_and_fan_out_summed(session):
    """x feeds two consumers (a diamond); its entry is the sum of both paths. float32 stays float32."""
    x = ts.placeholder(np.float32)
    w = ts.Variable(np.array([0.5, -1.5, 2.0], dtype=np.float32))
    a = ts.multiply(x, w)
    y = ts.reduce_sum(ts.add(ts.square(a), ts.sigmoid(a)))
    x0 = np.array([[1.0, 2.0, -1.0], [0.5, 0.0, 3.0]], dtype=np.float32)
    session.run(y, {x: x0})
    table = ts.train.compute_gradients(y)
    for node in (x, w, a, y):
        assert table[node].dtype == np.float32
    xt = torch.tensor(x0.astype(np.float64), requires_grad=True)
    wt = torch.tensor(np.array([0.5, -1.5, 2.0]), requires_grad=True)
    at = xt * wt
    at.retain_grad()
    (at ** 2 + torch.sigmoid(at)).sum().backward()
    np.testing.assert_allclose(table[a], at.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(table[x], xt.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(table[w], wt.grad.numpy(), rtol=1e-6)
    assert table[w].shape == (3,)


def test_repeated_tables_do_not_grow_the_graph(session):
    x = ts.placeholder(np.float64)
    y = ts.reduce_sum(ts.square(x))
    session.run(y, {x: [1.0, 2.0]})
    ts.train.compute_gradients(y)
    n = ts.get_default_graph().num_nodes
    for value in ([3.0], [4.0, 5.0, 6.0]):
        session.run(y, {x: value})
        np.testing.assert_allclose(ts.train.compute_gradients(y)[x], 2 * np.array(value), rtol=RTOL)
    assert ts.get_default_graph().num_nodes == n


def test_bare_names_after_star_imports(tmp_path):
    """Part IV's program style: from tensorgraph.train import * gives the numeric compute_gradients."""
    code = textwrap.dedent("""
        import numpy as np
        from tensorgraph import *
        from tensorgraph.train import *
        Graph().as_default()
        x = placeholder()
        W = Variable([[1.0, 2.0], [3.0, 4.0]])
        y = reduce_sum(matmul(x, W))
        session = Session()
        session.run(y, {x: [[1.0, -1.0]]})
        grad_table = compute_gradients(y)
        print(grad_table[W].tolist(), grad_table[x].tolist(), len(grad_table))
    """)
    done = run_python(code, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[[1.0, 1.0], [-1.0, -1.0]] [[3.0, 7.0]] 4"


def test_a_user_operation_is_a_key_of_the_table(session):
    class Cube(ts.Operation):
        def __init__(self, x):
            super().__init__([x])

        def compute(self, x_value):
            return x_value ** 3

    @ts.RegisterGradient("Cube")
    def _cube_gradient(op, grad):
        return grad * 3 * op.inputs[0] ** 2

    x = ts.placeholder()
    cube = Cube(x)
    y = ts.reduce_sum(ts.multiply(cube, 2.0))
    session.run(y, {x: [1.0, -2.0]})
    table = ts.train.compute_gradients(y)
    assert any(key is cube for key in table)
    np.testing.assert_allclose(table[cube], [2.0, 2.0], rtol=RTOL)
    np.testing.assert_allclose(table[x], [6.0, 24.0], rtol=RTOL)


def test_symbolic_forms_stay(session):
    x = ts.placeholder(np.float64)
    W = ts.Variable([[1.0, 2.0], [3.0, 4.0]])
    y = ts.reduce_sum(ts.matmul(x, W))
    gW = ts.gradients(y, W)
    assert isinstance(gW, ts.Node)
    np.testing.assert_allclose(session.run(gW, {x: [[1.0, -1.0]]}), [[1.0, 1.0], [-1.0, -1.0]], rtol=RTOL)
    ((g, v),) = ts.train.GradientDescentOptimizer(0.1).compute_gradients(y)
    assert v is W and isinstance(g, ts.Node)
    np.testing.assert_allclose(session.run(g, {x: [[2.0, 0.0]]}), [[2.0, 2.0], [0.0, 0.0]], rtol=RTOL)


# 2. A graph's lists -------------------------------------------------------------------------------------

def test_graph_lists_in_creation_order_across_two_graphs():
    g1, g2 = ts.Graph(), ts.Graph()
    with g1.as_default():
        a = ts.placeholder(name="a")
        v = ts.Variable([1.0, 2.0], name="v")
    with g2.as_default():
        b = ts.placeholder(name="b")
        w = ts.Variable([[1.0]], name="w")
    with g1.as_default():
        s = ts.add(a, v)
        a2 = ts.placeholder(name="a2")
        m = ts.multiply(s, a2)
        u = ts.Variable(3.0, name="u")
    with g2.as_default():
        n = ts.matmul(b, w)
    for lst in (g1.operations, g1.placeholders, g1.variables):
        assert type(lst) is list
    assert [x.name for x in g1.placeholders] == ["a", "a2"]
    assert [x.name for x in g1.variables] == ["v", "u"]
    assert [x.name for x in g1.operations] == [s.name, m.name]
    assert all(x is y for x, y in zip(g1.operations, [s, m]))
    assert all(x is y for x, y in zip(g1.placeholders + g1.variables, [a, a2, v, u]))
    assert len(g2.operations) == 1 and g2.operations[0] is n
    assert g2.placeholders[0] is b and g2.variables[0] is w
    assert len(g1.operations) == 2
    assert [x for x in g1.variables] == [v, u]


def test_graph_lists_hold_user_operations_and_constants_as_operations():
    class Twice(ts.Operation):
        def compute(self, x):
            return 2 * x

    g = ts.Graph()
    with g.as_default():
        x = ts.placeholder()
        t = Twice([x])
        y = ts.add(t, ts.constant(1.0))  # a constant is an operation, as TensorFlow's Const
    ops = g.operations
    assert ops[0] is t and ops[-1] is y and len(ops) == 3 and ops[1].type == "Const"


# 3. One Python object per node ----------------------------------------------------------------------------

def test_builder_results_are_the_objects_every_accessor_hands_out(session):
    A = ts.Variable([[1, 0], [0, -1]], name="A")
    b = ts.Variable([1, 1], name="b")
    x = ts.placeholder(name="x")
    mm = ts.matmul(A, x)
    z = ts.add(mm, b)
    assert mm.input_nodes[0] is A and mm.input_nodes[1] is x and z.input_nodes[0] is mm
    assert A.consumers[0] is mm and x.consumers[0] is mm and mm.consumers[0] is z
    g = ts.get_default_graph()
    assert g.variables[0] is A and g.placeholders[0] is x and g.operations[-1] is z
    assert g.get_node_by_name("A") is A and g.nodes()[2] is x and g.trainable_variables()[1] is b
    assert A.graph is g and ts.get_default_graph() is g and session.graph is g
    np.testing.assert_allclose(session.run(z, {x: [1, 2]}), [2, -1])
    table = ts.train.compute_gradients(z)
    assert {id(k) for k in table} == {id(n) for n in (A, b, x, mm, z)}
    assert ts.gradients(z, [A])[0].input_nodes  # gradient nodes are objects of the same kind
    assert ts.train.GradientDescentOptimizer(0.1).compute_gradients(z)[0][1] is A


def test_identity_survives_garbage_collection_and_objects_are_not_kept_alive():
    x = ts.placeholder()
    y = ts.negative(ts.exp(x))
    gc.collect()
    assert y.input_nodes[0].input_nodes[0] is x
    # A node object nobody holds is freed; the node (in its graph) lives on, and a new object for
    # it is handed out next time, then that one every time.
    ref = weakref.ref(y.input_nodes[0])
    gc.collect()
    assert ref() is None
    first = y.input_nodes[0]
    assert first is y.input_nodes[0] and first.type == "exp"


def test_graph_objects_are_one_object_too():
    g = ts.Graph()
    with g.as_default() as entered:
        assert entered is g and ts.get_default_graph() is g
        x = ts.placeholder()
    assert x.graph is g
    del g
    gc.collect()
    assert x.graph is x.graph  # the graph lives while its nodes do, with one object


def test_a_user_operation_keeps_its_identity_and_attributes(session):
    class Scale(ts.Operation):
        def __init__(self, x, factor):
            super().__init__([x])
            self.factor = factor

        def compute(self, x_value):
            return self.factor * x_value

    x = ts.placeholder()
    s = Scale(x, 3.0)
    s.note = "mine"
    y = ts.reduce_sum(s)
    gc.collect()
    found = y.input_nodes[0]
    assert found is s and found.factor == 3.0 and found.note == "mine"
    assert x.consumers[0] is s and s.input_nodes[0] is x and s.consumers[0] is y
    assert ts.get_default_graph().operations[0] is s
    assert float(session.run(y, {x: [1.0, 2.0]})) == 9.0


# 4. Feed-dict keys that are not nodes ---------------------------------------------------------------------

@pytest.mark.parametrize("key, described", [("x", "'x' (a str)"), (3, "3 (a int)"), (None, "None (a NoneType)")])
def test_a_feed_dict_key_that_is_not_a_node_is_named(session, key, described):
    x = ts.placeholder(name="x")
    y = ts.negative(x)
    with pytest.raises(TypeError) as info:
        session.run(y, {key: 1.0})
    assert str(info.value) == (f"Session.run: the feed_dict key {described} is not a placeholder or node "
                               "(feed_dict maps nodes to values)")
    assert float(session.run(y, {x: 1.0})) == -1.0  # the session keeps working


def test_tables_are_exact_while_another_thread_trains(rng):
    """One thread runs training steps; another runs the loss (with W and b in the same read-only run)
    and takes the table: each table is that of its own loss run, never of a later step."""
    import threading

    W0, b0 = rng.standard_normal((2, 2)), rng.standard_normal(2)
    X0, c0 = clusters(rng)
    nodes = part4_perceptron(W0, b0)
    step = ts.train.GradientDescentOptimizer(0.001).minimize(nodes["J"])
    feed = {nodes["X"]: X0, nodes["c"]: c0}
    session = ts.Session()
    stop = threading.Event()

    def train():
        while not stop.is_set():
            session.run(step, feed)

    trainer = threading.Thread(target=train)
    trainer.start()
    exact = refused = 0
    try:
        for _ in range(30):
            _, W_seen, b_seen = session.run([nodes["J"], nodes["W"], nodes["b"]], feed)
            try:
                table = ts.train.compute_gradients(nodes["J"])
            except ts.Error as e:  # a step landed between the run's end and its record: said, not guessed
                assert "also wrote the Variables" in str(e)
                refused += 1
                continue
            assert_table(table, nodes, torch_table(X0, c0, W_seen, b_seen))
            exact += 1
    finally:
        stop.set()
        trainer.join()
    assert session.stats()["writes"] > 0
    print(f"{exact} exact tables, {refused} refused")
    assert exact >= 15, f"{exact} exact tables, {refused} refused"


def test_a_fed_intermediate_node_ends_the_walk(session):
    """Feeding an operation replaces it in that run: the table stops there, as the run did."""
    x = ts.placeholder()
    W = ts.Variable([[1.0, 2.0], [3.0, 4.0]])
    h = ts.matmul(x, W)
    y = ts.reduce_sum(ts.square(h))
    session.run(y, {h: [[1.0, -2.0]]})
    table = ts.train.compute_gradients(y)
    assert set(map(id, table)) == {id(h), id(y), id(y.input_nodes[0])}
    np.testing.assert_allclose(table[h], [[2.0, -4.0]], rtol=RTOL)
    session.run(y, {x: [[1.0, 0.0]]})  # the next run computes h, and the walk goes through it
    table = ts.train.compute_gradients(y)
    np.testing.assert_allclose(table[W], [[2.0, 4.0], [0.0, 0.0]], rtol=RTOL)
    np.testing.assert_allclose(table[x], [[2 * 1 + 4 * 2, 2 * 3 + 4 * 4]], rtol=RTOL)


def test_operation_attributes_are_read_through_the_ops_schema():
    g = ts.Graph()
    g.as_default()
    x = ts.placeholder(np.float32, (None, 3))
    w = ts.Variable(np.ones((4, 3), np.float32))
    y = ts.matmul(x, w, transpose_b=True)
    s = ts.reduce_sum(y, 1, keepdims=True)
    assert y.get_attr("transpose_b") is True and y.get_attr("transpose_a") is False
    assert y.attrs == {"transpose_a": False, "transpose_b": True}
    assert s.attrs == {"axes": [1], "all_axes": False, "keepdims": True}
    c = ts.cast(s, np.float64)
    assert c.get_attr("dtype") == np.float64
    assert x.attrs == {}  # a placeholder has no op, so no attributes
    with pytest.raises(ts.GraphError, match="has no attribute 'perm'"):
        y.get_attr("perm")
