"""tensorgraph.train: the tutorial's optimizer and gradient table."""
import warnings

from . import _core
from ._core import AdamOptimizer, MomentumOptimizer, RMSPropOptimizer, Schedule, schedules
from ._nodes import as_node

# MomentumOptimizer, RMSPropOptimizer and AdamOptimizer follow torch.optim's update rules (see
# include/tensorgraph/optimizers.h); their learning_rate is a number or a `schedules` schedule.
__all__ = ["Saver", "fit", "evaluate", "GradientDescentOptimizer", "MomentumOptimizer", "RMSPropOptimizer", "AdamOptimizer", "Schedule",
           "schedules", "compute_gradients"]


def _compute_gradients_method(self, loss, var_list=None):
    """TensorFlow's Optimizer.compute_gradients: [(gradient node, variable)] for var_list (default:
    the graph's trainable Variables); the gradient is None for a Variable the loss does not reach."""
    loss = as_node(loss)
    table = _core.compute_gradients(loss)  # {node: gradient node}, built once per loss
    if var_list is None:
        var_list = loss.graph.trainable_variables()
    return [(table.get(as_node(v)), v) for v in var_list]


class GradientDescentOptimizer:
    """Plain gradient descent: every Variable moves by -learning_rate * gradient."""

    def __init__(self, learning_rate):
        self.learning_rate = float(learning_rate)
        if not 0 < self.learning_rate < float("inf"):  # GraphError (a ValueError), as the C++ optimizer
            raise _core.GraphError(f"GradientDescentOptimizer: learning_rate must be a positive finite number, "
                                   f"got {learning_rate!r}")

    def minimize(self, loss, var_list=None):
        """An operation whose run performs one step, from the feeds of that same run."""
        return _core.minimize(self.learning_rate, as_node(loss), [as_node(v) for v in (var_list or [])])


GradientDescentOptimizer.compute_gradients = _compute_gradients_method
for _optimizer in (MomentumOptimizer, RMSPropOptimizer, AdamOptimizer):
    _optimizer.compute_gradients = _compute_gradients_method


def compute_gradients(loss):
    """The tutorial's gradient table: {node: numpy array}, the gradient of sum(loss) with respect to
    the output of every node the backward walk from `loss` reaches (operations, Variables and
    placeholders), at the feeds and Variable values of the loss's most recent Session.run.

    Gradients from several consumers are summed and broadcasting is undone; float32 nodes get
    float32 gradients. Run the loss first: before its first run this raises tensorgraph.Error.
    The symbolic forms: tensorgraph.gradients(ys, xs) (tf.gradients) and the optimizers'
    compute_gradients(loss, var_list) method, which return gradient nodes.
    """
    return _core.gradient_values(loss)


Saver = _core.training.Saver  # Saver(var_list=None).save(session, path) / .restore(session, path, strict=False)


def _nodes(inputs, labels, loss, accuracy, train_op):
    return {"inputs": as_node(inputs), "labels": as_node(labels), "loss": as_node(loss),
            "accuracy": None if accuracy is None else as_node(accuracy),
            "train_op": None if train_op is None else as_node(train_op)}


def fit(session, inputs, labels, loss, train_op, train_data, validation_data=None, accuracy=None, epochs=10,
        batch_size=64, seed=0, patience=0, restore_best=True, train_feed_dict=None, eval_feed_dict=None,
        quiet=False, stop_on_non_finite=False):
    """Trains over `train_data` (a tensorgraph.data.Dataset) for `epochs`, feeding each minibatch
    to `inputs` and `labels`; reports train (and validation) loss and accuracy per epoch, with a
    progress bar on a terminal; with `patience` (which needs validation data), stops early and
    restores the best epoch's weights.

    Returns {"epochs": [{epoch, train_loss, train_accuracy, val_loss, val_accuracy, seconds}],
    "best_epoch", "stopped_early", "non_finite", "stopped_non_finite"}: a metric that was not
    computed (no validation data, no accuracy node) is None. The first NaN or infinite training
    loss is reported with a RuntimeWarning naming its epoch and step, and as
    "non_finite": {epoch, step, loss}; stop_on_non_finite=True ends training there. An empty
    training or validation set is refused (tensorgraph.Error) before anything runs."""
    history = _core.training.fit(session, _nodes(inputs, labels, loss, accuracy, train_op), train_data,
                                 validation_data, int(epochs), int(batch_size), int(seed), int(patience),
                                 bool(restore_best), train_feed_dict, eval_feed_dict, bool(quiet),
                                 bool(stop_on_non_finite))
    bad = history["non_finite"]
    if bad is not None:
        warnings.warn(f"fit: the training loss was {bad['loss']} at epoch {bad['epoch']}, step {bad['step']}: "
                      f"training diverged (a smaller learning rate?) or the data holds a NaN or Inf",
                      RuntimeWarning, stacklevel=2)
    return history


def evaluate(session, inputs, labels, loss, data, accuracy=None, batch_size=256, eval_feed_dict=None):
    """(mean loss, mean accuracy) of the model over `data`, without training; the accuracy is None
    without an accuracy node."""
    return _core.training.evaluate(session, _nodes(inputs, labels, loss, accuracy, None), data, int(batch_size),
                                   eval_feed_dict)
