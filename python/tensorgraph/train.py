"""tensorgraph.train: the tutorial's optimizer and gradient table, TensorFlow's optimizers, the
training loop and the Saver.

Every optimizer is a tf.train.Optimizer: minimize(loss) is apply_gradients(compute_gradients(loss)),
and between the two the gradients can be clipped, scaled or averaged:

    opt = train.AdamOptimizer(0.01)
    grads_and_vars = opt.compute_gradients(loss)              # [(gradient node, Variable)]
    step = opt.apply_gradients([(g * 0.5, v) for g, v in grads_and_vars])
"""
import os
import re
import tempfile
import warnings

from . import _core
from ._args import BOOL, INT, NAME, NODE, NODES, NONE, PATH, REAL, SESSION, STR, TENSOR, FEED_DICT, Kind, checked, forward
from ._args import install
from ._core import Schedule, schedules
from ._nodes import as_node, name_arg

# MomentumOptimizer, RMSPropOptimizer and AdamOptimizer follow torch.optim's update rules (see
# include/tensorgraph/optimizers.h); their learning_rate is a number or a `schedules` schedule.
__all__ = ["Saver", "latest_checkpoint", "exponential_decay", "get_global_step", "get_or_create_global_step",
           "create_global_step", "fit", "evaluate", "Optimizer", "GradientDescentOptimizer", "MomentumOptimizer", "RMSPropOptimizer",
           "AdamOptimizer", "Schedule", "schedules", "compute_gradients"]

LEARNING_RATE = Kind("a number or a train.schedules schedule",
                     lambda x: isinstance(x, Schedule) or REAL.test(x))
GRADS_AND_VARS = Kind("a list of (gradient or None, Variable) pairs",
                      lambda x: isinstance(x, (list, tuple)) and all(
                          isinstance(p, (list, tuple)) and len(p) == 2 and (p[0] is None or TENSOR.test(p[0]))
                          and NODE.test(p[1]) for p in x))


_schedule_init, _schedule_call = Schedule.__init__, Schedule.__call__


@install(Schedule, "__init__")
@forward(_schedule_init)
def _schedule_new(self, learning_rate: REAL):
    """A constant learning rate (train.schedules makes the others)."""


@install(Schedule, "__call__")
@forward(_schedule_call)
def _schedule_at(self, step: INT):
    """The learning rate after `step` updates."""


@install(schedules, "step")
@forward(schedules.step)
def _schedule_step(lr: REAL, step_size: INT, gamma: REAL):
    """lr * gamma^floor(t / step_size) (torch StepLR)."""


@install(schedules, "exponential")
@forward(schedules.exponential)
def _schedule_exponential(lr: REAL, gamma: REAL):
    """lr * gamma^t (torch ExponentialLR)."""


@install(schedules, "cosine")
@forward(schedules.cosine)
def _schedule_cosine(lr: REAL, total_steps: INT, min_lr: REAL = 0.0):
    """min_lr + (lr - min_lr) (1 + cos(pi t / total_steps)) / 2 (torch CosineAnnealingLR)."""


@checked
def exponential_decay(learning_rate: REAL, global_step: NODE | NONE, decay_steps: INT, decay_rate: REAL,
                      staircase: BOOL = False, name: NAME = None):
    """TensorFlow 1.x's tf.train.exponential_decay as a schedule for an optimizer:
    learning_rate * decay_rate^(t / decay_steps) (t // decay_steps with staircase), t the optimizer's
    step count — the global_step given to its minimize. Unlike TensorFlow's it is not a node (an
    optimizer takes it; Session.run does not)."""
    if decay_steps <= 0:
        raise _core.ArgumentValueError(f"exponential_decay: decay_steps must be positive, got {decay_steps}")
    if staircase:
        return schedules.step(float(learning_rate), int(decay_steps), float(decay_rate))
    return schedules.exponential(float(learning_rate), float(decay_rate) ** (1.0 / decay_steps))


class Optimizer:
    """TensorFlow's tf.train.Optimizer over a C++ optimizer (self._impl): minimize(loss) is
    apply_gradients(compute_gradients(loss))."""

    _impl = None

    @checked
    def compute_gradients(self, loss: TENSOR, var_list: NODES | NONE = None):
        """[(gradient node, variable)] for var_list (default: the graph's trainable Variables); the
        gradient is None for a Variable the loss does not reach (TensorFlow's)."""
        loss = as_node(loss)
        table = _core.compute_gradients(loss)  # {node: gradient node}, built once per loss
        if var_list is None:
            var_list = loss.graph.trainable_variables()
        return [(table.get(as_node(v)), v) for v in var_list]

    @checked
    def apply_gradients(self, grads_and_vars: GRADS_AND_VARS, global_step: NODE | NONE = None, name: NAME = None):
        """An operation whose run performs one update with the given gradients (any nodes: clipped,
        scaled, averaged ...); a pair whose gradient is None is skipped. With global_step, an int64
        scalar Variable, each run adds 1 to it, and a learning-rate schedule reads it (it takes the
        place of the update's own step count)."""
        pairs = [(as_node(g), as_node(v)) for g, v in grads_and_vars if g is not None]
        if not pairs:
            raise _core.ArgumentValueError(
                f"{type(self).__name__}.apply_gradients: no gradient for any Variable in grads_and_vars "
                f"({', '.join(repr(as_node(v).name) for _, v in grads_and_vars) or 'an empty list'})")
        return self._impl.apply_gradients(pairs, name_arg(name), None if global_step is None else as_node(global_step))

    @checked
    def minimize(self, loss: TENSOR, var_list: NODES | NONE = None, *, global_step: NODE | NONE = None,
                 name: NAME = None):
        """An operation whose run performs one update of var_list (default: the trainable Variables
        the loss depends on), from the feeds of that same run; global_step and name as in
        apply_gradients."""
        loss, var_list = as_node(loss), [as_node(v) for v in var_list or []]
        if global_step is None and name is None:
            return self._impl.minimize(loss, var_list)
        return self._impl.apply_gradients(self._impl.compute_gradients(loss, var_list), name_arg(name),
                                          None if global_step is None else as_node(global_step))

    @property
    def learning_rate(self):
        return self._impl.learning_rate


class GradientDescentOptimizer(Optimizer):
    """Plain gradient descent: every Variable moves by -learning_rate * gradient. A schedule as the
    learning rate (exponential_decay's) runs as momentum 0, the same rule, with the schedule."""

    @checked
    def __init__(self, learning_rate: LEARNING_RATE):
        if isinstance(learning_rate, Schedule):
            self._impl = _core.MomentumOptimizer(learning_rate, 0.0, False)
            return
        if not 0 < learning_rate < float("inf"):  # GraphError (a ValueError), as the C++ optimizer
            raise _core.GraphError(f"GradientDescentOptimizer: learning_rate must be a positive finite number, "
                                   f"got {learning_rate!r}")
        self._impl = _core.GradientDescentOptimizer(float(learning_rate))


class MomentumOptimizer(Optimizer):
    """SGD with momentum, torch.optim.SGD's rule: buf = momentum buf + g; p -= lr buf (Nesterov:
    p -= lr (g + momentum buf)). State: "<var>/Momentum"."""

    @checked
    def __init__(self, learning_rate: LEARNING_RATE, momentum: REAL, use_nesterov: BOOL = False):
        self._impl = _core.MomentumOptimizer(learning_rate, float(momentum), bool(use_nesterov))

    momentum = property(lambda self: self._impl.momentum)
    use_nesterov = property(lambda self: self._impl.use_nesterov)


class RMSPropOptimizer(Optimizer):
    """RMSProp, torch.optim.RMSprop's rule (epsilon outside the root, ms from 0). State:
    "<var>/RMSProp_ms", "<var>/RMSProp_momentum"."""

    @checked
    def __init__(self, learning_rate: LEARNING_RATE, decay: REAL = 0.9, epsilon: REAL = 1e-8, momentum: REAL = 0.0):
        self._impl = _core.RMSPropOptimizer(learning_rate, float(decay), float(epsilon), float(momentum))

    decay = property(lambda self: self._impl.decay)
    epsilon = property(lambda self: self._impl.epsilon)
    momentum = property(lambda self: self._impl.momentum)


class AdamOptimizer(Optimizer):
    """Adam, torch.optim.Adam's rule, bias-corrected. State: "<var>/Adam_m", "<var>/Adam_v"."""

    @checked
    def __init__(self, learning_rate: LEARNING_RATE = 0.001, beta1: REAL = 0.9, beta2: REAL = 0.999,
                 epsilon: REAL = 1e-8):
        self._impl = _core.AdamOptimizer(learning_rate, float(beta1), float(beta2), float(epsilon))

    beta1 = property(lambda self: self._impl.beta1)
    beta2 = property(lambda self: self._impl.beta2)
    epsilon = property(lambda self: self._impl.epsilon)


@checked
def compute_gradients(loss: NODE):
    """The tutorial's gradient table: {node: numpy array}, the gradient of sum(loss) with respect to
    the output of every node the backward walk from `loss` reaches (operations, Variables and
    placeholders), at the feeds and Variable values of the loss's most recent Session.run.

    Gradients from several consumers are summed and broadcasting is undone; float32 nodes get
    float32 gradients. Run the loss first: before its first run this raises tensorgraph.Error.
    The symbolic forms: tensorgraph.gradients(ys, xs) (tf.gradients) and the optimizers'
    compute_gradients(loss, var_list) method, which return gradient nodes.
    """
    return _core.gradient_values(loss)


_saver_init, _saver_save, _saver_restore = (_core.training.Saver.__init__, _core.training.Saver.save,
                                             _core.training.Saver.restore)
_STATE = "checkpoint"  # TensorFlow's state file beside the checkpoints, which latest_checkpoint reads


class Saver(_core.training.Saver):
    """Saves and restores the Variables of var_list (default: every Variable of the default graph,
    optimizer state included) as safetensors files, written atomically. As TensorFlow 1.x's:
    save(sess, path, global_step=n) writes `path-n`, records it in the folder's `checkpoint` file
    (what latest_checkpoint reads) and deletes the oldest beyond max_to_keep (None or 0: keeps all)."""

    @checked
    def __init__(self, var_list: NODES | NONE = None, max_to_keep: INT | NONE = 5):
        _saver_init(self, var_list)
        self._max_to_keep, self._kept = max_to_keep, []

    @checked
    def save(self, session: SESSION, path: PATH | NONE = None, global_step: INT | NODE | NONE = None,
             save_path: PATH | NONE = None, write_state: BOOL = True):
        """Writes the Variables' values in `session` to `path` (save_path: TensorFlow's name for it),
        `path-<global_step>` when a step (a number or a Variable) is given; returns the path written."""
        if (path is None) == (save_path is None):
            raise _core.ArgumentValueError("Saver.save: give path (or save_path, TensorFlow's name), one of them")
        path = os.fspath(path if path is not None else save_path)
        if global_step is not None:
            step = session.run(global_step) if isinstance(global_step, _core.Node) else global_step
            path = f"{path}-{int(step)}"
        _saver_save(self, session, path)
        if write_state:
            self._record(path)
        return path

    @checked
    def restore(self, session: SESSION, path: PATH | NONE = None, strict: BOOL = False, save_path: PATH | NONE = None):
        """Sets the Variables in `session` from `path` (save_path: TensorFlow's name for it); strict:
        every Variable must be in the file."""
        if (path is None) == (save_path is None):
            raise _core.ArgumentValueError("Saver.restore: give path (or save_path, TensorFlow's name), one of them")
        _saver_restore(self, session, os.fspath(path if path is not None else save_path), strict)

    def _record(self, path):
        folder = os.path.dirname(path) or "."
        self._kept = [p for p in self._kept if p != path] + [path]
        if self._max_to_keep:
            for old in self._kept[:-self._max_to_keep]:
                if os.path.exists(old):
                    os.remove(old)
            self._kept = self._kept[-self._max_to_keep:]
        lines = [f'model_checkpoint_path: "{os.path.basename(path)}"']
        lines += [f'all_model_checkpoint_paths: "{os.path.basename(p)}"' for p in self._kept
                  if os.path.dirname(p) == os.path.dirname(path)]
        fd, tmp = tempfile.mkstemp(prefix=".checkpoint.", dir=folder)
        try:
            with os.fdopen(fd, "w") as f:
                f.write("\n".join(lines) + "\n")
            os.replace(tmp, os.path.join(folder, _STATE))
        except BaseException:
            if os.path.exists(tmp):
                os.remove(tmp)
            raise


GLOBAL_STEP = "global_step"  # the collection holding the graph's global step (tf.GraphKeys.GLOBAL_STEP)
_GRAPH = Kind("a tensorgraph.Graph", lambda x: isinstance(x, _core.Graph))


@checked
def get_global_step(graph: _GRAPH | NONE = None):
    """The graph's global step (the default graph's when None): the Variable in the GLOBAL_STEP
    collection, else one named "global_step"; None when there is none (TensorFlow's)."""
    g = graph if graph is not None else _core.Graph.get_default()
    held = g._get_collection(GLOBAL_STEP)
    if len(held) > 1:
        raise _core.GraphError(f"get_global_step: the {GLOBAL_STEP} collection holds {len(held)} nodes, not one")
    if held:
        return held[0]
    if g._has_node("global_step"):
        step = g.get_node_by_name("global_step")
        if step.type == "Variable" and step.dtype in ("int64", "int32") and step.shape == ():
            return step
    return None


@checked
def create_global_step(graph: _GRAPH | NONE = None):
    """A new global step: the int64 scalar Variable "global_step", 0, not trainable, in the GLOBAL_STEP
    collection; an error when the graph has one (TensorFlow's). Optimizers count it with
    minimize(loss, global_step=step)."""
    import numpy as np
    from . import Variable
    g = graph if graph is not None else _core.Graph.get_default()
    if get_global_step(g) is not None:
        raise _core.GraphError("create_global_step: the graph has a global step already")
    with g.as_default():
        outer = g._name_scope()
        g._set_name_scope("")
        try:
            step = Variable(np.int64(0), name="global_step", trainable=False)
        finally:
            g._set_name_scope(outer)
    g._add_to_collection(GLOBAL_STEP, step)
    return step


@checked
def get_or_create_global_step(graph: _GRAPH | NONE = None):
    """The graph's global step, made by create_global_step when it has none (TensorFlow's)."""
    step = get_global_step(graph)
    return step if step is not None else create_global_step(graph)


@checked
def latest_checkpoint(checkpoint_dir: PATH, latest_filename: STR | NONE = None):
    """The path of the newest checkpoint a Saver recorded in checkpoint_dir (its `checkpoint` file,
    TensorFlow's), or None when there is none or its file is gone."""
    state = os.path.join(os.fspath(checkpoint_dir), latest_filename or _STATE)
    try:
        with open(state) as f:
            text = f.read()
    except OSError:
        return None
    found = re.search(r'^model_checkpoint_path:\s*"(.*)"\s*$', text, re.M)
    if not found:
        return None
    path = os.path.join(os.fspath(checkpoint_dir), found.group(1))
    return path if os.path.exists(path) else None


DATASET = Kind("a tensorgraph.data.Dataset", lambda x: isinstance(x, _core.data.Dataset))


def _nodes(inputs, labels, loss, accuracy, train_op):
    return {"inputs": as_node(inputs), "labels": as_node(labels), "loss": as_node(loss),
            "accuracy": None if accuracy is None else as_node(accuracy),
            "train_op": None if train_op is None else as_node(train_op)}


@checked
def fit(session: SESSION, inputs: NODE, labels: NODE, loss: NODE, train_op: NODE | NONE, train_data: DATASET,
        validation_data: DATASET | NONE = None, accuracy: NODE | NONE = None, epochs: INT = 10, batch_size: INT = 64,
        seed: INT = 0, patience: INT = 0, restore_best: BOOL = True, train_feed_dict: FEED_DICT = None,
        eval_feed_dict: FEED_DICT = None, quiet: BOOL = False, stop_on_non_finite: BOOL = False):
    """Trains over `train_data` (a tensorgraph.data.Dataset) for `epochs`, feeding each minibatch
    to `inputs` and `labels`; reports train (and validation) loss and accuracy per epoch, with a
    progress bar on a terminal; with `patience` (which needs validation data), stops early and
    restores the best epoch's weights.

    Returns {"epochs": [{epoch, train_loss, train_accuracy, val_loss, val_accuracy, seconds}],
    "best_epoch", "stopped_early", "non_finite", "stopped_non_finite"}: a metric that was not
    computed (no validation data, no accuracy node) is None. The first NaN or infinite training
    loss is reported with a RuntimeWarning naming its epoch and step, and as
    "non_finite": {epoch, step, loss}; stop_on_non_finite=True ends training there. An empty
    training or validation set is refused (tensorgraph.Error) before anything runs.

    Under mpirun, after tensorgraph.distributed.init(), the same call trains data-parallel: each
    rank a shard of every global batch of batch_size, the metrics reduced over the ranks, rank 0
    alone printing; train_op must come from a tensorgraph.distributed.DistributedOptimizer."""
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


@checked
def evaluate(session: SESSION, inputs: NODE, labels: NODE, loss: NODE, data: DATASET, accuracy: NODE | NONE = None,
             batch_size: INT = 256, eval_feed_dict: FEED_DICT = None):
    """(mean loss, mean accuracy) of the model over `data`, without training; the accuracy is None
    without an accuracy node."""
    return _core.training.evaluate(session, _nodes(inputs, labels, loss, accuracy, None), data, int(batch_size),
                                   eval_feed_dict)
