"""tensorgraph.layers: graph pieces for models (the C++ tg::layers)."""
from . import _core
from ._nodes import as_node, name_arg

__all__ = ["dense", "dropout", "l2_loss", "accuracy"]


def _free_scope(graph, name):
    """name, or name_1, name_2, ...: the first whose "<scope>/kernel" the graph does not hold yet (TensorFlow's
    layer scopes: dense, dense_1, ...)."""
    taken = {n.name for n in graph.variables}
    scope, k = name, 0
    while scope + "/kernel" in taken:
        k += 1
        scope = f"{name}_{k}"
    return scope


def dense(x, units, activation=None, kernel_initializer=None, seed=None, name="dense"):
    """activation(x @ W + b): W [in, units] from a seeded Glorot-uniform (He-normal before a relu)
    initialiser, b zeros; the Variables are "<scope>/kernel" and "<scope>/bias" (TensorFlow's names), where the scope is `name`,
    or name_1, name_2, ... when taken. Without a seed, each layer draws its own (from its place in
    the graph: reproducible, and layers of the same shape start different)."""
    x = as_node(x)
    scope = _free_scope(x.graph, name_arg(name) or "dense")
    seed = _default_seed(x.graph) if seed is None else seed
    return _core.dense(x, int(units), int(seed), activation or "", kernel_initializer or "", scope)


def _default_seed(graph):
    """A seed from the layer's place in the graph: reproducible, and distinct for every layer (below
    2^53, which random_uniform_like keeps exactly)."""
    return 0x9E3779B97F4A7C15 * (graph.num_nodes + 1) % 2 ** 53


def dropout(x, rate, training, seed=None, name="dropout"):
    """Inverted dropout while `training` (a bool scalar node fed per run, or True / False): elements
    zeroed with probability `rate`, the rest scaled by 1 / (1 - rate); unchanged otherwise. Without a
    seed, each layer draws its own, so two dropout layers do not drop the same positions."""
    x = as_node(x)
    seed = _default_seed(x.graph) if seed is None else seed
    return _core.dropout(x, float(rate), as_node(training), int(seed), name_arg(name) or "dropout")


def l2_loss(weights):
    """sum(w ** 2) / 2 over the given nodes (TensorFlow's l2_loss)."""
    return _core.l2_loss([as_node(w) for w in weights])


def accuracy(logits, labels):
    """The fraction of rows whose argmax of logits equals the integer label."""
    return _core.accuracy(as_node(logits), as_node(labels))
