"""tensorgraph.nn holds the tf.nn names; the activations and softmax family are the top-level functions
(but for TensorFlow 1.x's softmax_cross_entropy_with_logits)."""
import numpy as np

import tensorgraph as tf


def test_nn_names_are_the_top_level_functions():
    for name in ["relu", "sigmoid", "tanh", "softmax", "log_softmax", "sparse_softmax_cross_entropy_with_logits"]:
        assert getattr(tf.nn, name) is getattr(tf, name), name
    # TensorFlow 1.x's exception: tf.nn's sends no gradient into the labels (test_tf1_basics.py checks it)
    assert tf.nn.softmax_cross_entropy_with_logits is not tf.softmax_cross_entropy_with_logits


def test_nn_relu_and_softmax_values():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float64)
    v = np.array([[-1.0, 0.5, 2.0]])
    with tf.Session() as sess:
        relu, soft = sess.run([tf.nn.relu(x), tf.nn.softmax(x)], {x: v})
    np.testing.assert_allclose(relu, np.maximum(v, 0))
    np.testing.assert_allclose(soft, np.exp(v) / np.exp(v).sum(axis=1, keepdims=True), rtol=1e-12)
