"""TensorFlow 1.x's session conveniences around tensorgraph.Session: a default session per thread,
entered by `with Session() as sess:` (which also makes the session's graph the default, and
closes the session at the end, as TensorFlow's) or `with sess.as_default():` (which does not
close it), or made by InteractiveSession(); Node.eval() and Node.run() on it; Session.close().

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(accuracy.eval({x: images, y: labels}))
"""
import re
import sys
import threading

from . import _core
from ._args import ANY, BOOL, FEED_DICT, GRAPH, INT, NONE, REAL, SESSION, STR, Kind, install, checked

Session = _core.Session
Node = _core.Node
_local = threading.local()


class GPUOptions:
    """TensorFlow's GPUOptions, accepted so that programs written for a GPU run: tensorgraph runs on
    the CPU, where none of them means anything."""

    @checked
    def __init__(self, allow_growth: BOOL = False, per_process_gpu_memory_fraction: REAL = 0.0,
                 visible_device_list: STR = ""):
        self.allow_growth, self.visible_device_list = allow_growth, visible_device_list
        self.per_process_gpu_memory_fraction = per_process_gpu_memory_fraction


class ConfigProto:
    """TensorFlow 1.x's session configuration, as Session(config=...) takes it. What it means here:
    intra_op_parallelism_threads > 0 sets the library's one thread budget (set_num_threads: every
    session's kernels, from the Session's construction on); log_device_placement prints, once per
    Session, that every node runs on the CPU (the only device). inter_op_parallelism_threads (a run
    computes its nodes in order), allow_soft_placement, device_count and gpu_options are accepted
    and mean nothing on a CPU."""

    @checked
    def __init__(self, device_count: Kind("a dict of device counts", lambda x: isinstance(x, dict)) | NONE = None,
                 intra_op_parallelism_threads: INT = 0, inter_op_parallelism_threads: INT = 0,
                 allow_soft_placement: BOOL = False, log_device_placement: BOOL = False,
                 gpu_options: Kind("a tf.GPUOptions", lambda x: isinstance(x, GPUOptions)) | NONE = None,
                 operation_timeout_in_ms: INT = 0, graph_options: ANY = None):
        if intra_op_parallelism_threads < 0 or inter_op_parallelism_threads < 0:
            raise _core.ArgumentValueError("ConfigProto: the parallelism thread counts must be >= 0 (0: the default)")
        self.device_count = dict(device_count or {})
        self.intra_op_parallelism_threads = intra_op_parallelism_threads
        self.inter_op_parallelism_threads = inter_op_parallelism_threads
        self.allow_soft_placement, self.log_device_placement = allow_soft_placement, log_device_placement
        self.gpu_options = gpu_options if gpu_options is not None else GPUOptions()
        self.operation_timeout_in_ms, self.graph_options = operation_timeout_in_ms, graph_options


_DEVICE = re.compile(r"^(/job:\w+)?(/replica:\d+)?(/task:\d+)?(/device:(CPU|GPU|cpu|gpu):(\d+|\*)|/(cpu|gpu|CPU|GPU):(\d+|\*))?$")


class device:
    """TensorFlow's tf.device(name) block, as a program written for a GPU machine runs on a CPU with
    soft placement: the name is checked ("/cpu:0", "/device:GPU:0", "/job:localhost/replica:0/task:0
    /device:CPU:0", "" or None) and every node made inside runs on the CPU, the one device there is."""

    @checked
    def __init__(self, device_name_or_function: STR | NONE):
        name = device_name_or_function or ""
        if not _DEVICE.match(name):
            raise _core.ArgumentValueError(f"device: {name!r} is not a device name such as '/cpu:0', "
                                           f"'/device:GPU:0' or '/job:localhost/replica:0/task:0/device:CPU:0'")
        self.name = name

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


_session_init = Session.__init__
_CONFIG = Kind("a tf.ConfigProto", lambda x: isinstance(x, ConfigProto))
_TARGET = Kind("a tensorgraph.Graph, TensorFlow's target string (\"\") or None",
               lambda x: x is None or isinstance(x, (str, _core.Graph)))


@install(Session, "__init__")
def _session_new(self, target: _TARGET = None, graph: GRAPH | NONE = None, config: _CONFIG | NONE = None,
                 *, check_numerics: BOOL = False):
    """A session on `graph` (the default graph when None): Session(), Session(graph) or TensorFlow
    1.x's Session(target="", graph=None, config=None) — target "" (this process; a remote one is an
    error), config a tf.ConfigProto. check_numerics=True: every run raises NumericsError naming the
    first node whose value holds a NaN or Inf."""
    if isinstance(target, _core.Graph):  # Session(graph): the tutorial's and tensorgraph's own order
        if graph is not None:
            raise _core.ArgumentValueError("Session: the graph given twice (first argument and graph=)")
        target, graph = None, target
    if target:
        raise _core.ArgumentValueError(f"Session: target {target!r} names a remote TensorFlow server; tensorgraph "
                                       f"runs in this process (target \"\" or None)")
    if config is not None and config.intra_op_parallelism_threads > 0:
        _core.set_num_threads(config.intra_op_parallelism_threads)
    _session_init(self, graph, check_numerics=check_numerics)
    if config is not None and config.log_device_placement:
        print("Device mapping: every node runs on /job:localhost/replica:0/task:0/device:CPU:0 (tensorgraph runs on "
              "the CPU)", file=sys.stderr)


def _stack():
    return _local.__dict__.setdefault("sessions", [])


@checked
def get_default_session():
    """The session of this thread's innermost `with Session()`/`as_default()` block, or the latest
    open InteractiveSession; None when there is none (TensorFlow's tf.get_default_session)."""
    stack = _stack()
    return stack[-1] if stack else None


class _AsDefault:
    """What Session.as_default() returns: the session is this thread's default inside the block."""

    def __init__(self, session, close_on_exit):
        self.session, self._close = session, close_on_exit
        self._graphs = []

    def __enter__(self):
        _stack().append(self.session)
        graph_block = self.session.graph.as_default()
        graph_block.__enter__()
        self._graphs.append(graph_block)
        return self.session

    def __exit__(self, *exc):
        self._graphs.pop().__exit__(*exc)
        stack = _stack()
        for i in range(len(stack) - 1, -1, -1):  # this block's entry (a block may close the session early)
            if stack[i] is self.session:
                del stack[i]
                break
        if self._close:
            self.session.close()
        return False


@install(Session, "as_default")
def _session_as_default(self):
    """A context manager: inside its block this session is the default (Node.eval and Node.run use
    it) and its graph the default graph; the session stays open afterwards."""
    return _AsDefault(self, close_on_exit=False)


_blocks = threading.local()


def _session_enter(self):
    """`with Session() as sess:` makes sess the default session and its graph the default graph
    inside the block, and closes sess at its end (TensorFlow's)."""
    block = _AsDefault(self, close_on_exit=True)
    _blocks.__dict__.setdefault("stack", []).append(block)
    return block.__enter__()


def _session_exit(self, *exc):
    return _blocks.stack.pop().__exit__(*exc)


Session.__enter__, Session.__exit__ = _session_enter, _session_exit


@install(Session, "close")
def _session_close(self):
    """Frees nothing yet held elsewhere and makes later run/assign calls raise; no longer a default
    session (TensorFlow's Session.close). Closing twice is allowed."""
    self._close()
    stack = _stack()
    stack[:] = [s for s in stack if s is not self]


Session.closed = property(lambda self: self._closed, doc="Whether close() was called.")


@checked
def InteractiveSession(target: _TARGET = None, graph: GRAPH | NONE = None, config: _CONFIG | NONE = None):
    """A Session (as Session(target, graph, config) makes it) that is this thread's default session
    until it is closed (TensorFlow's tf.InteractiveSession, for shells and notebooks)."""
    session = Session(target, graph, config)
    _stack().append(session)
    return session


def _session_for(node, session, what):
    if session is None:
        session = get_default_session()
        if session is None:
            raise _core.GraphError(f"Cannot {what} '{node.name}': no default session is registered. Use "
                                   f"`with tf.Session() as sess:` or `with sess.as_default():`, or pass the "
                                   f"session: {what}(session=sess)")
    return session


@install(Node, "eval")
def _node_eval(self, feed_dict: FEED_DICT = None, session: SESSION | NONE = None):
    """The node's value, from `session` or the default session (TensorFlow's Tensor.eval)."""
    return _session_for(self, session, "eval").run(self, feed_dict)


@install(Node, "run")
def _node_run(self, feed_dict: FEED_DICT = None, session: SESSION | NONE = None):
    """Runs the node (an update, an initializer) in `session` or the default session; returns None
    (TensorFlow's Operation.run)."""
    _session_for(self, session, "run").run(self, feed_dict)


@install(Node, "load")
def _node_load(self, value: ANY, session: SESSION | NONE = None):
    """Writes `value` into this Variable in `session` or the default session, adding no node to
    the graph (TensorFlow's Variable.load; Session.assign is the same)."""
    _session_for(self, session, "load").assign(self, value)


__all__ = ["get_default_session", "InteractiveSession", "ConfigProto", "GPUOptions", "device"]
