"""tensorgraph.train: the tutorial's optimizer and gradient table."""
from . import _core
from ._core import AdamOptimizer, MomentumOptimizer, RMSPropOptimizer, Schedule, schedules
from ._nodes import as_node

# MomentumOptimizer, RMSPropOptimizer and AdamOptimizer follow torch.optim's update rules (see
# include/tensorgraph/optimizers.h); their learning_rate is a number or a `schedules` schedule.
__all__ = ["GradientDescentOptimizer", "MomentumOptimizer", "RMSPropOptimizer", "AdamOptimizer", "Schedule",
           "schedules", "compute_gradients"]


class GradientDescentOptimizer:
    """Plain gradient descent: every Variable moves by -learning_rate * gradient."""

    def __init__(self, learning_rate):
        self.learning_rate = float(learning_rate)
        if not self.learning_rate > 0:
            raise ValueError(f"learning_rate must be positive, got {learning_rate!r}")

    def minimize(self, loss, var_list=None):
        """An operation whose run performs one step, from the feeds of that same run."""
        return _core.minimize(self.learning_rate, as_node(loss), [as_node(v) for v in (var_list or [])])


def compute_gradients(loss):
    """{node: gradient node} for every node the loss depends on.

    Unlike the tutorial's numeric table, the gradients are graph nodes: run them with a Session
    (with the same feeds as the loss) to get their values.
    """
    return dict(_core.compute_gradients(as_node(loss)))
