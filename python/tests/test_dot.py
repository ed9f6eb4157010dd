"""Graph.to_dot(): Graphviz DOT text of the graph (docs/graphs.md), and its forward-only view that
leaves out gradient nodes, what is computed from them, optimizer updates and optimizer state."""
import re

import numpy as np
import pytest

import tensorgraph as tg
from tensorgraph import layers, train


def node_names(dot):
    """The first label line (the node's name) of every box."""
    return set(re.findall(r'\[label="([^"\\]+)\\n', dot))


def edges(dot):
    return re.findall(r"(n\d+) -> (n\d+);", dot)


@pytest.fixture
def trained_model(fresh_graph):
    x = tg.placeholder(tg.float64, [None, 2], name="x")
    labels = tg.placeholder(tg.int64, [None], name="labels")
    hidden = layers.dense(x, 4, activation=tg.relu, seed=1, name="hidden")
    logits = layers.dense(hidden, 3, seed=2, name="out")
    loss = tg.reduce_mean(tg.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits), name="loss")
    opt = train.AdamOptimizer(0.01)
    grads_and_vars = opt.compute_gradients(loss)
    step = opt.apply_gradients([(g * 0.5, v) for g, v in grads_and_vars], name="train")
    momentum_step = train.MomentumOptimizer(0.1, 0.9).minimize(loss)
    return fresh_graph, {"x": x, "loss": loss, "step": step, "momentum": momentum_step}


def test_the_full_view_has_every_node_and_edge(trained_model):
    g, nodes = trained_model
    dot = g.to_dot()
    assert dot.startswith("digraph tensorgraph {") and dot.rstrip().endswith("}")
    assert node_names(dot) == {n.name for n in g.nodes()}
    assert len(edges(dot)) == sum(len(n.input_nodes) for n in g.nodes())
    assert "style=dashed" in dot  # gradient nodes


def test_forward_only_hides_gradients_updates_and_optimizer_state(trained_model):
    g, nodes = trained_model
    dot = g.to_dot(forward_only=True)
    shown = node_names(dot)
    for name in ("x", "labels", "hidden/kernel", "hidden/bias", "out/kernel", "out/bias", "loss"):
        assert name in shown, f"{name} missing from the forward view"
    hidden = {n.name for n in g.nodes()} - shown
    for name in ("train", "train/step", "hidden/kernel/Adam_m", "out/bias/Adam_v",
                 "hidden/kernel/Momentum", nodes["momentum"].name, nodes["step"].name):
        assert name in hidden, f"{name} shown in the forward view"
    assert not any(name.startswith("gradients") for name in shown)
    assert "style=dashed" not in dot
    # What is left is exactly what the loss is computed from: its ancestors and itself.
    ancestors, todo = set(), [nodes["loss"]]
    while todo:
        n = todo.pop()
        if n.name not in ancestors:
            ancestors.add(n.name)
            todo.extend(n.input_nodes)
    assert shown == ancestors
    # Every edge joins two nodes shown.
    ids = set(re.findall(r"(n\d+) \[label=", dot))
    assert edges(dot) and all(a in ids and b in ids for a, b in edges(dot))


def test_forward_only_of_a_graph_without_training_is_the_whole_graph(fresh_graph):
    x = tg.placeholder(tg.float32, [None, 3], name="x")
    y = tg.reduce_sum(tg.sigmoid(tg.matmul(x, tg.Variable(np.ones((3, 1), np.float32), name="w"))), name="y")
    assert fresh_graph.to_dot(forward_only=True) == fresh_graph.to_dot()
    assert node_names(fresh_graph.to_dot()) == {"x", "w", y.input_nodes[0].name, y.input_nodes[0].input_nodes[0].name,
                                                "y"}
