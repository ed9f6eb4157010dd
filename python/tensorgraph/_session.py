"""TensorFlow 1.x's session conveniences around tensorgraph.Session: a default session per thread,
entered by `with Session() as sess:` (which also makes the session's graph the default, and
closes the session at the end, as TensorFlow's) or `with sess.as_default():` (which does not
close it), or made by InteractiveSession(); Node.eval() and Node.run() on it; Session.close().

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(accuracy.eval({x: images, y: labels}))
"""
import threading

from . import _core
from ._args import FEED_DICT, GRAPH, NONE, SESSION, install, checked

Session = _core.Session
Node = _core.Node
_local = threading.local()


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
def InteractiveSession(graph: GRAPH | NONE = None):
    """A Session (on `graph`, the default graph when None) that is this thread's default session
    until it is closed (TensorFlow's tf.InteractiveSession, for shells and notebooks)."""
    session = Session(graph)
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


__all__ = ["get_default_session", "InteractiveSession"]
