"""Nearest neighbour on (Fashion-)MNIST, as TensorFlow 1.x's examples write it: the L1 distance of
one test image to 5000 training images in the graph, tf.arg_min over them."""
import numpy as np
import tensorgraph as tf

import input_data
mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)
np.random.seed(3)

Xtr, Ytr = mnist.train.next_batch(5000)
Xte, Yte = mnist.test.next_batch(100)

xtr = tf.placeholder("float", [None, 784])
xte = tf.placeholder("float", [784])

distance = tf.reduce_sum(tf.abs(tf.add(xtr, tf.negative(xte))), reduction_indices=1)
pred = tf.arg_min(distance, 0)

accuracy = 0.
init = tf.global_variables_initializer()

with tf.Session() as sess:
    sess.run(init)
    for i in range(len(Xte)):
        nn_index = sess.run(pred, feed_dict={xtr: Xtr, xte: Xte[i, :]})
        if i % 25 == 0:
            print("Test", i, "Prediction:", np.argmax(Ytr[nn_index]), "True Class:", np.argmax(Yte[i]))
        if np.argmax(Ytr[nn_index]) == np.argmax(Yte[i]):
            accuracy += 1. / len(Xte)
    print("Done!")
    print("Accuracy:", accuracy)
    # numpy's answer for the same images
    want = np.mean([np.argmax(Ytr[np.argmin(np.abs(Xtr - t).sum(1))]) == np.argmax(y) for t, y in zip(Xte, Yte)])
    print("RESULT", {"accuracy": accuracy, "numpy_accuracy": float(want)})
