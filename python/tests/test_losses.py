"""tf.losses (issue 16) against numpy: each loss per element, its weights and every reduction, and
the LOSSES collection."""
import numpy as np
import pytest

import tensorgraph as tf

R = tf.losses.Reduction
rng = np.random.default_rng(16)
Y = rng.uniform(0, 1, (4, 3))
P = rng.uniform(0.05, 0.95, (4, 3))
W = np.array([[1.0], [0.0], [2.0], [0.5]])  # a weight per row, broadcast over the columns


def reduce_np(per, weights, reduction):
    weighted = per * weights
    spread = np.broadcast_to(weights, per.shape)
    return {R.NONE: weighted, R.SUM: weighted.sum(), R.MEAN: weighted.sum() / spread.sum(),
            R.SUM_OVER_BATCH_SIZE: weighted.sum() / per.size,
            R.SUM_BY_NONZERO_WEIGHTS: weighted.sum() / max(1, np.count_nonzero(spread))}[reduction]


def huber_np(y, p, delta):
    e = np.abs(p - y)
    return np.where(e <= delta, 0.5 * e ** 2, delta * (e - 0.5 * delta))


ELEMENTWISE = [
    ("mean_squared_error", lambda y, p: (p - y) ** 2, {}),
    ("absolute_difference", lambda y, p: np.abs(p - y), {}),
    ("huber_loss", lambda y, p: huber_np(y, p, 0.3), {"delta": 0.3}),
    ("log_loss", lambda y, p: -y * np.log(p + 1e-7) - (1 - y) * np.log(1 - p + 1e-7), {}),
]


@pytest.mark.parametrize("reduction", R.all())
@pytest.mark.parametrize("name, ref, kw", ELEMENTWISE)
def test_elementwise_losses_weights_and_reductions(name, ref, kw, reduction):
    fn = getattr(tf.losses, name)
    loss = fn(tf.constant(Y), tf.constant(P), weights=tf.constant(W), reduction=reduction, **kw)
    got = tf.Session().run(loss)
    np.testing.assert_allclose(got, reduce_np(ref(Y, P), W, reduction), rtol=1e-12)
    assert tf.losses.get_losses() == [loss]


def test_cross_entropies_default_to_the_mean():
    logits = rng.normal(size=(5, 4))
    labels = rng.integers(0, 4, 5)
    onehot = np.eye(4)[labels]
    log_softmax = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    sess = tf.Session()
    got = sess.run(tf.losses.softmax_cross_entropy(onehot, logits))
    np.testing.assert_allclose(got, -(onehot * log_softmax).sum(1).mean(), rtol=1e-12)
    smooth = onehot * 0.8 + 0.2 / 4
    got = sess.run(tf.losses.softmax_cross_entropy(onehot, logits, label_smoothing=0.2))
    np.testing.assert_allclose(got, -(smooth * log_softmax).sum(1).mean(), rtol=1e-12)
    got = sess.run(tf.losses.sparse_softmax_cross_entropy(labels, logits, weights=2.0))
    np.testing.assert_allclose(got, -2 * log_softmax[np.arange(5), labels].mean(), rtol=1e-12)
    z = rng.uniform(0, 1, (5, 4))
    sig = 1 / (1 + np.exp(-logits))
    got = sess.run(tf.losses.sigmoid_cross_entropy(z, logits))
    np.testing.assert_allclose(got, (-(z * np.log(sig) + (1 - z) * np.log(1 - sig))).mean(), rtol=1e-10)
    total = sess.run(tf.losses.get_total_loss())
    assert total == pytest.approx(sum(sess.run(tf.losses.get_losses())), rel=1e-12)
    assert len(tf.losses.get_losses()) == 4 and tf.get_collection(tf.GraphKeys.LOSSES) == tf.losses.get_losses()


def test_all_zero_weights_give_zero_and_no_losses_is_an_error():
    loss = tf.losses.mean_squared_error(tf.constant(Y), tf.constant(P), weights=0.0)
    assert tf.Session().run(loss) == 0.0
    g = tf.Graph()
    with g.as_default():
        with pytest.raises(tf.GraphError, match="no losses"):
            tf.losses.get_total_loss()
        tf.losses.mean_squared_error(tf.constant(Y), tf.constant(P), loss_collection=None)
        assert tf.losses.get_losses() == []
