"""tf.losses (TensorFlow 1.x): each loss is computed per element, multiplied by `weights` (a number
or a node broadcastable to the per-element losses), reduced as `reduction` says — by default
SUM_BY_NONZERO_WEIGHTS: the weighted sum divided by the number of non-zero weights, which with
weights 1 is the mean — and added to the LOSSES collection (get_losses, get_total_loss).

    loss = tf.losses.softmax_cross_entropy(onehot_labels=y, logits=logits)
"""
from . import _core
from ._args import BOOL, NAME, NONE, REAL, STR, TENSOR, Kind, checked
from ._nodes import as_node

LOSSES = "losses"  # the name tf.GraphKeys.LOSSES holds too


class _Reductions:
    """How a loss's weighted per-element values become the result (tf.losses.Reduction)."""
    NONE = "none"  # the weighted per-element losses
    SUM = "weighted_sum"
    MEAN = "weighted_mean"  # the weighted sum over the sum of the weights
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"  # over the number of elements
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"  # over the number of non-zero weights (default)

    def all(self):
        return (self.NONE, self.SUM, self.MEAN, self.SUM_OVER_BATCH_SIZE, self.SUM_BY_NONZERO_WEIGHTS)


Reduction = _Reductions()


_REDUCTION = Kind("a tf.losses.Reduction", lambda x: x in Reduction.all())
_COLLECTION = Kind("a collection name or None", lambda x: x is None or isinstance(x, str))


def _reduce(per_element, weights, reduction, collection, scope):
    from . import cast, divide, maximum, multiply, not_equal, ones_like, reduce_sum
    w = as_node(weights, per_element)
    weighted = multiply(per_element, w)
    if reduction == Reduction.NONE:
        loss = weighted
    else:
        total = reduce_sum(weighted)
        spread = multiply(ones_like(per_element), w)  # the weights broadcast to every element
        if reduction == Reduction.SUM:
            loss = total
        elif reduction == Reduction.MEAN:
            loss = divide(total, reduce_sum(spread))
        elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
            loss = divide(total, reduce_sum(ones_like(per_element)))
        else:
            nonzero = reduce_sum(cast(not_equal(spread, 0.0), per_element.dtype))
            loss = divide(total, maximum(nonzero, 1.0))  # 0 when every weight is 0 (TensorFlow's safe division)
    if collection is not None:
        loss.graph._add_to_collection(collection, loss)
    return loss


def _pair(labels, predictions):
    from ._nodes import operands
    return operands(labels, predictions)


@checked
def mean_squared_error(labels: TENSOR, predictions: TENSOR, weights: TENSOR = 1.0, scope: NAME = None,
                       loss_collection: _COLLECTION = LOSSES, reduction: _REDUCTION = Reduction.SUM_BY_NONZERO_WEIGHTS):
    """(predictions - labels)^2 per element, weighted and reduced."""
    from . import square, subtract
    y, p = _pair(labels, predictions)
    return _reduce(square(subtract(p, y)), weights, reduction, loss_collection, scope)


@checked
def absolute_difference(labels: TENSOR, predictions: TENSOR, weights: TENSOR = 1.0, scope: NAME = None,
                        loss_collection: _COLLECTION = LOSSES, reduction: _REDUCTION = Reduction.SUM_BY_NONZERO_WEIGHTS):
    """|predictions - labels| per element, weighted and reduced."""
    from . import abs as abs_, subtract
    y, p = _pair(labels, predictions)
    return _reduce(abs_(subtract(p, y)), weights, reduction, loss_collection, scope)


@checked
def huber_loss(labels: TENSOR, predictions: TENSOR, weights: TENSOR = 1.0, delta: REAL = 1.0, scope: NAME = None,
               loss_collection: _COLLECTION = LOSSES, reduction: _REDUCTION = Reduction.SUM_BY_NONZERO_WEIGHTS):
    """0.5 e^2 where |e| <= delta, else delta (|e| - 0.5 delta), e = predictions - labels."""
    from . import abs as abs_, add, minimum, multiply, square, subtract
    y, p = _pair(labels, predictions)
    err = abs_(subtract(p, y))
    quadratic = minimum(err, float(delta))
    linear = subtract(err, quadratic)
    return _reduce(add(multiply(square(quadratic), 0.5), multiply(linear, float(delta))), weights, reduction,
                   loss_collection, scope)


@checked
def log_loss(labels: TENSOR, predictions: TENSOR, weights: TENSOR = 1.0, epsilon: REAL = 1e-7, scope: NAME = None,
             loss_collection: _COLLECTION = LOSSES, reduction: _REDUCTION = Reduction.SUM_BY_NONZERO_WEIGHTS):
    """-y ln(p + epsilon) - (1 - y) ln(1 - p + epsilon) per element, weighted and reduced."""
    from . import add, log, multiply, negative, subtract
    y, p = _pair(labels, predictions)
    per = subtract(negative(multiply(y, log(add(p, float(epsilon))))),
                   multiply(subtract(1.0, y), log(add(subtract(1.0, p), float(epsilon)))))
    return _reduce(per, weights, reduction, loss_collection, scope)


@checked
def sigmoid_cross_entropy(multi_class_labels: TENSOR, logits: TENSOR, weights: TENSOR = 1.0,
                          label_smoothing: REAL = 0, scope: NAME = None, loss_collection: _COLLECTION = LOSSES,
                          reduction: _REDUCTION = Reduction.SUM_BY_NONZERO_WEIGHTS):
    """tf.nn.sigmoid_cross_entropy_with_logits per element (labels smoothed towards 1/2 by
    label_smoothing), weighted and reduced."""
    from . import add, multiply
    from .nn import sigmoid_cross_entropy_with_logits
    y, x = _pair(multi_class_labels, logits)
    if label_smoothing:
        y = add(multiply(y, 1.0 - float(label_smoothing)), 0.5 * float(label_smoothing))
    return _reduce(sigmoid_cross_entropy_with_logits(labels=y, logits=x), weights, reduction, loss_collection, scope)


@checked
def softmax_cross_entropy(onehot_labels: TENSOR, logits: TENSOR, weights: TENSOR = 1.0, label_smoothing: REAL = 0,
                          scope: NAME = None, loss_collection: _COLLECTION = LOSSES,
                          reduction: _REDUCTION = Reduction.SUM_BY_NONZERO_WEIGHTS):
    """tf.nn.softmax_cross_entropy_with_logits_v2 per row (labels smoothed towards uniform over the
    classes by label_smoothing; a gradient into them too, as TensorFlow 1.x's), weighted (a weight per
    row or one) and reduced."""
    from . import add, multiply, softmax_cross_entropy_with_logits
    y, x = _pair(onehot_labels, logits)
    if label_smoothing:
        classes = x.shape[-1] if x.shape is not None else None
        if classes is None:
            raise _core.ShapeError("softmax_cross_entropy: label_smoothing needs the number of classes known")
        y = add(multiply(y, 1.0 - float(label_smoothing)), float(label_smoothing) / classes)
    return _reduce(softmax_cross_entropy_with_logits(labels=y, logits=x), weights, reduction, loss_collection, scope)


@checked
def sparse_softmax_cross_entropy(labels: TENSOR, logits: TENSOR, weights: TENSOR = 1.0, scope: NAME = None,
                                 loss_collection: _COLLECTION = LOSSES,
                                 reduction: _REDUCTION = Reduction.SUM_BY_NONZERO_WEIGHTS):
    """tf.nn.sparse_softmax_cross_entropy_with_logits per row (integer labels), weighted and reduced."""
    from . import sparse_softmax_cross_entropy_with_logits
    x = as_node(logits)
    per = sparse_softmax_cross_entropy_with_logits(labels=labels, logits=x)
    return _reduce(per, weights, reduction, loss_collection, scope)


@checked
def add_loss(loss: TENSOR, loss_collection: STR = LOSSES):
    """Adds `loss` to the LOSSES collection (what get_total_loss sums)."""
    node = as_node(loss)
    node.graph._add_to_collection(loss_collection, node)


@checked
def get_losses(scope: STR | NONE = None, loss_collection: STR = LOSSES):
    """The losses added so far (tf.losses' results and add_loss's), in order."""
    from . import get_collection
    return get_collection(loss_collection, scope)


@checked
def get_regularization_losses(scope: STR | NONE = None):
    """[]: tensorgraph's layers add no regularization losses (layers.l2_loss is explicit)."""
    return []


@checked
def get_total_loss(add_regularization_losses: BOOL = True, name: STR = "total_loss"):
    """The sum of get_losses() (and of the regularization losses, none here)."""
    from . import add, identity
    losses = get_losses()
    if not losses:
        raise _core.GraphError("get_total_loss: no losses were added (tf.losses' functions or add_loss)")
    total = losses[0]
    for loss in losses[1:]:
        total = add(total, loss)
    return identity(total, name=name)


__all__ = ["Reduction", "mean_squared_error", "absolute_difference", "huber_loss", "log_loss",
           "sigmoid_cross_entropy", "softmax_cross_entropy", "sparse_softmax_cross_entropy", "add_loss",
           "get_losses", "get_regularization_losses", "get_total_loss"]
