"""tensorgraph.layers: graph pieces for models (the C++ tg::layers)."""
from . import _core
from ._nodes import as_node, name_arg

__all__ = ["dense", "dropout", "l2_loss", "accuracy"]


def dense(x, units, activation=None, kernel_initializer=None, seed=0, name="dense"):
    """activation(x @ W + b): W [in, units] from a seeded Glorot-uniform (He-normal before a relu)
    initialiser, b zeros; the Variables are named "<name>/W" and "<name>/b"."""
    return _core.dense(as_node(x), int(units), int(seed), activation or "", kernel_initializer or "",
                       name_arg(name) or "dense")


def dropout(x, rate, training, seed=0, name="dropout"):
    """Inverted dropout while `training` (a bool scalar node, fed per run): elements zeroed with
    probability `rate`, the rest scaled by 1 / (1 - rate); unchanged otherwise."""
    return _core.dropout(as_node(x), float(rate), as_node(training), int(seed), name_arg(name) or "dropout")


def l2_loss(weights):
    """sum(w ** 2) / 2 over the given nodes (TensorFlow's l2_loss)."""
    return _core.l2_loss([as_node(w) for w in weights])


def accuracy(logits, labels):
    """The fraction of rows whose argmax of logits equals the integer label."""
    return _core.accuracy(as_node(logits), as_node(labels))
