"""A convolutional network for Fashion-MNIST written as a TensorFlow 1.x program, built by hand from
the tf.nn ops (the network of `tensorgraph train --model cnn`, without its dropout): conv 3x3 (32) +
relu, max pool 2x2, conv 3x3 (64) + relu, max pool 2x2, dense 128 + relu, dense 10. Trains with Adam
on batches of 128 for the given number of steps (argument 1, default 1000), printing the mean loss
every 100 steps, then prints the test accuracy."""
import sys

import numpy as np
import tensorgraph as tf

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
train_set, test_set = tf.data.Dataset.fashion_mnist("train"), tf.data.Dataset.fashion_mnist("test")
rng = np.random.default_rng(1)


def kernel(shape):  # He normal, [kh, kw, in, out] for a convolution (TensorFlow's HWIO)
    return tf.Variable(rng.normal(0, np.sqrt(2 / np.prod(shape[:-1])), shape).astype(np.float32))


def bias(n):
    return tf.Variable(np.zeros(n, np.float32))


images = tf.placeholder(tf.float32, [None, 784])
labels = tf.placeholder(tf.int64, [None])
h = tf.reshape(images, [-1, 28, 28, 1])
h = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(h, kernel([3, 3, 1, 32]), strides=[1, 1, 1, 1], padding="SAME"), bias(32)))
h = tf.nn.max_pool(h, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID")
h = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(h, kernel([3, 3, 32, 64]), strides=[1, 1, 1, 1], padding="SAME"), bias(64)))
h = tf.nn.max_pool(h, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID")
h = tf.nn.relu(tf.matmul(tf.reshape(h, [-1, 7 * 7 * 64]), kernel([3136, 128])) + bias(128))
logits = tf.matmul(h, kernel([128, 10])) + bias(10)
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
train_op = tf.train.AdamOptimizer(0.001).minimize(loss)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), labels), tf.float32))

with tf.Session() as sess:
    done, total, epoch = 0, 0.0, 0
    while done < steps:
        for x, y in train_set.batches(128, shuffle=True, seed=epoch, drop_last=True):
            value, _ = sess.run([loss, train_op], {images: x, labels: y})
            total += value
            done += 1
            if done % 100 == 0:
                print(f"step {done}: loss {total / 100:.4f}")
                total = 0.0
            if done == steps:
                break
        epoch += 1
    # NOTE: the test set in batches of 1000: at once, the first convolution's output alone would take 1 GB.
    correct = sum(sess.run(accuracy, {images: x, labels: y}) * len(y) for x, y in test_set.batches(1000))
    print(f"test accuracy {correct / test_set.size:.4f}")
