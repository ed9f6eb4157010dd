"""tensorgraph.distributed: data-parallel training on MPI (Open MPI), in Horovod's names.

Every process (rank) builds the same graph and trains on its own shard of each global batch; the
gradients of a step are averaged over the ranks before the update, so the ranks keep the same
weights. Run the program under mpirun:

    import tensorgraph as tf
    import tensorgraph.distributed as hvd
    hvd.init()
    opt = hvd.DistributedOptimizer(tf.train.AdamOptimizer(0.001))
    step = opt.minimize(loss)
    sess = tf.Session()
    hvd.broadcast_variables(sess, 0)               # every rank starts from rank 0's weights
    tf.train.fit(sess, x, y, loss, step, data, batch_size=64)   # 64 = the global batch

    mpirun -np 2 python3 train.py

Started without mpirun, a program is a world of size 1 and runs exactly as without this module.
After init(), an exception that nobody catches in one rank ends the whole job at once (its
message names the rank), and a rank that ends while others wait for it in a collective makes
them raise DistributedError naming it: a failing job ends, it never hangs.
"""
import sys

from . import _core
from ._args import INT, NAME, NODE, NODES, NONE, SESSION, STR, TENSOR, checked
from ._core import DistributedError
from ._nodes import as_node, name_arg
from . import train as _train
from ._variables import group as _group, assign as _assign, global_variables as _global_variables

__all__ = ["init", "rank", "size", "local_rank", "local_size", "is_initialized", "mpi_built", "allreduce",
           "allreduce_array", "broadcast", "broadcast_variables", "broadcast_global_variables", "DistributedOptimizer",
           "Average", "Sum", "DistributedError", "abort"]

_d = _core.distributed
Average, Sum = "mean", "sum"  # Horovod's hvd.Average and hvd.Sum
_previous_hook = None


def _end_job(kind, value, tb):
    """sys.excepthook under MPI: the traceback, then every rank ends (MPI_Abort) with a line naming this one."""
    (_previous_hook or sys.__excepthook__)(kind, value, tb)
    _d.abort(f"uncaught {kind.__name__}: {value}", 1)


def init():
    """Joins the MPI job started by mpirun (else a world of size 1); safe to call again."""
    global _previous_hook
    _d.init()
    if _d.size() > 1 and _previous_hook is None:
        _previous_hook, sys.excepthook = sys.excepthook, _end_job


def is_initialized():
    return _d.initialized()


def mpi_built():
    """True when tensorgraph was built with MPI."""
    return _d.built_with_mpi()


def rank():
    """This process's rank, 0..size()-1."""
    return _d.rank()


def size():
    """The number of processes of the job (1 without mpirun)."""
    return _d.size()


def local_rank():
    """This process's rank among those of its machine."""
    return _d.local_rank()


def local_size():
    """The number of processes on this machine."""
    return _d.local_size()


@checked
def abort(message: STR, code: INT = 1):
    """Ends every rank of the job now, printing `message` with this rank's number."""
    _d.abort(message, int(code))


@checked
def allreduce(tensor: TENSOR, average: object = None, name: NAME = None, op: STR | NONE = None):
    """The element-wise mean (op=Average, the default) or sum (op=Sum) of `tensor` over the ranks,
    as a graph op; Horovod's older average=True/False is accepted. Its gradient is the allreduce of
    the upstream gradient."""
    if op is None:
        op = Sum if average is False else Average
    elif average is not None:
        raise _core.ArgumentValueError("allreduce: give op or average, not both")
    if op not in (Average, Sum):
        raise _core.ArgumentValueError(f"allreduce: op must be tensorgraph.distributed.Average or Sum, got {op!r}")
    return _d.allreduce(as_node(tensor), op, name_arg(name))


def allreduce_array(array, op=Average):
    """The mean (or sum) over the ranks of a numpy array, now (a metric computed outside the graph);
    every rank must call it with the same shape and dtype."""
    if op not in (Average, Sum):
        raise _core.ArgumentValueError(f"allreduce_array: op must be tensorgraph.distributed.Average or Sum, got {op!r}")
    return _d.allreduce_array(array, op)


@checked
def broadcast(tensor: TENSOR, root_rank: INT = 0, name: NAME = None):
    """Rank root_rank's value of `tensor` on every rank, as a graph op."""
    return _d.broadcast(as_node(tensor), int(root_rank), name_arg(name))


def broadcast_variables(session_or_variables, root_rank=0, variables=None):
    """broadcast_variables(session, root_rank=0, variables=None): sets every Variable (default: all
    of the session's graph) in `session` to its value on rank root_rank, now (one packed broadcast
    per dtype); call it after initialising or restoring.
    broadcast_variables(variables, root_rank): Horovod's TF1 form, an operation whose run does the
    same for `variables`."""
    if isinstance(session_or_variables, _core.Session):
        _d.broadcast_variables(session_or_variables, int(root_rank),
                               None if variables is None else [as_node(v) for v in variables])
        return None
    if variables is not None or not isinstance(session_or_variables, (list, tuple)):
        raise _core.ArgumentTypeError("broadcast_variables takes (session, root_rank=0, variables=None) or "
                                      f"(variables, root_rank), got {type(session_or_variables).__name__}")
    return _group(*[_assign(v, broadcast(v, root_rank)) for v in session_or_variables])


def broadcast_global_variables(root_rank=0):
    """Horovod's TF1 form: an operation whose run sets every global Variable of the default graph
    to rank root_rank's value (run it once, after the initializer)."""
    return broadcast_variables(list(_global_variables()), root_rank)


class DistributedOptimizer(_train.Optimizer):
    """Wraps a tensorgraph.train optimizer: compute_gradients averages the gradients over the
    ranks, packed into one allreduce (or a few buckets of at most bucket_bytes for large models);
    apply_gradients and minimize then update as the wrapped optimizer does. With the global batch
    split over the ranks, each step is the single-process step on the whole batch, so the learning
    rate stays that of one process at that global batch."""

    def __init__(self, optimizer, name=None, bucket_bytes=64 << 20):
        if not isinstance(optimizer, _train.Optimizer):
            raise _core.ArgumentTypeError(
                f"DistributedOptimizer: optimizer must be a tensorgraph.train optimizer, got {type(optimizer).__name__}")
        self._optimizer = optimizer
        self._impl = optimizer._impl
        self._bucket_bytes = int(bucket_bytes)

    def compute_gradients(self, loss, var_list=None):
        pairs = self._optimizer.compute_gradients(loss, var_list)
        return _d.average_gradients(pairs, self._bucket_bytes)

    def minimize(self, loss, var_list=None, *, global_step=None, name=None):
        return self.apply_gradients(self.compute_gradients(loss, var_list), global_step=global_step, name=name)

    @property
    def optimizer(self):
        return self._optimizer
