"""tensorgraph.nn: the neural-network ops under TensorFlow 1.x's ``tf.nn`` names.

    import tensorgraph as tf
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))

The activations and the softmax family are the top-level functions themselves (``tf.nn.relu is
tf.relu``); the top-level names stay.
"""
from . import log_softmax, relu, sigmoid, softmax, softmax_cross_entropy_with_logits
from . import sparse_softmax_cross_entropy_with_logits, tanh

__all__ = [
    "relu", "sigmoid", "tanh", "softmax", "log_softmax", "softmax_cross_entropy_with_logits",
    "sparse_softmax_cross_entropy_with_logits",
]
