"""Data-parallel training of an MLP on Fashion-MNIST, Horovod's way, over as many processes as
mpirun starts (one process alone: a world of one, the same program):

    mpirun -np 2 /usr/bin/python3 examples/python/data_parallel_mlp.py [EPOCHS]

Every rank builds the same graph; DistributedOptimizer averages each step's gradients over the ranks
(one allreduce); fit gives each rank its part of every global batch of 64, reduces the metrics over
the ranks and prints from rank 0. Rank 0 then prints the test accuracy that evaluate reduced."""
import sys

import numpy as np
import tensorgraph as tf
import tensorgraph.distributed as hvd

hvd.init()
epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
train_set, test_set = tf.data.Dataset.fashion_mnist("train"), tf.data.Dataset.fashion_mnist("test")
rng = np.random.default_rng(1)  # the same weights on every rank (broadcast_variables makes sure)


def dense(x, n_in, n_out, activation=None):
    w = tf.Variable(rng.uniform(-1, 1, (n_in, n_out)).astype(np.float32) * np.sqrt(6 / n_in))
    y = tf.matmul(x, w) + tf.Variable(np.zeros(n_out, np.float32))
    return activation(y) if activation else y


images = tf.placeholder(tf.float32, [None, 784])
labels = tf.placeholder(tf.int64, [None])
logits = dense(dense(images, 784, 256, tf.nn.relu), 256, 10)
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), labels), tf.float32))
# The global batch stays 64 however many ranks split it, so the learning rate stays one process's.
train_op = hvd.DistributedOptimizer(tf.train.AdamOptimizer(0.001)).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    hvd.broadcast_variables(sess, 0)
    tf.train.fit(sess, images, labels, loss, train_op, train_set, accuracy=accuracy, epochs=epochs,
                 batch_size=64, seed=1)
    test_loss, test_accuracy = tf.train.evaluate(sess, images, labels, loss, test_set, accuracy=accuracy)
    if hvd.rank() == 0:
        print(f"ranks {hvd.size()}: test accuracy {test_accuracy:.4f}")
