"""A row-by-row LSTM classifier of Fashion-MNIST as a TensorFlow 1.x program: each image is a sequence
of 28 rows of 28 pixels, read by an LSTMCell(128) through tf.nn.dynamic_rnn; the last output goes
to a dense layer of 10. Adam on batches of 64 for the given number of epochs (argument 1, default 1;
a float trains a fraction of one), its learning rate falling from 2e-3 to 0 on a cosine over the
run, the gradients clipped to a global norm of 5 (tf.clip_by_global_norm); prints the mean loss every
200 steps and the test accuracy after each epoch. 10 epochs: 90.2% here."""
import sys
import time

import numpy as np
import tensorgraph as tf

epochs = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
train_set, test_set = tf.data.Dataset.fashion_mnist("train"), tf.data.Dataset.fashion_mnist("test")

images = tf.placeholder(tf.float32, [None, 784])
labels = tf.placeholder(tf.int64, [None])
rows = tf.reshape(images, [-1, 28, 28])                     # [batch, time = 28 rows, 28 pixels]
cell = tf.nn.rnn_cell.LSTMCell(128, seed=1)
outputs, state = tf.nn.dynamic_rnn(cell, rows, dtype=tf.float32)
logits = tf.layers.dense(state.h, 10, seed=2)               # the last step's output
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
steps_per_epoch = train_set.size // 64
optimizer = tf.train.AdamOptimizer(tf.train.schedules.cosine(0.002, max(1, int(epochs * steps_per_epoch))))
gradients, variables = zip(*optimizer.compute_gradients(loss))
clipped, _ = tf.clip_by_global_norm(list(gradients), 5.0)
train_op = optimizer.apply_gradients(list(zip(clipped, variables)))
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), labels), tf.float32))

with tf.Session() as sess:
    done, total, start = 0, 0.0, time.perf_counter()
    for epoch in range(int(np.ceil(epochs))):
        for x, y in train_set.batches(64, shuffle=True, seed=epoch, drop_last=True):
            value, _ = sess.run([loss, train_op], {images: x, labels: y})
            total += value
            done += 1
            if done % 200 == 0:
                print(f"step {done}: loss {total / 200:.4f} ({(time.perf_counter() - start) / done * 1000:.1f} ms/step)",
                      flush=True)
                total = 0.0
            if done >= epochs * steps_per_epoch:
                break
        correct = sum(sess.run(accuracy, {images: x, labels: y}) * len(y) for x, y in test_set.batches(1000))
        print(f"epoch {epoch + 1}: test accuracy {correct / test_set.size:.4f}", flush=True)
