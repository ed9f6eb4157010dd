"""A bidirectional recurrent network on (Fashion-)MNIST read row by row, as TensorFlow 1.x's examples
write it: a forward and a backward BasicLSTMCell over the unstacked rows through
tf.contrib.rnn.static_bidirectional_rnn, the last joined output to a dense layer."""
import numpy as np
import tensorgraph as tf
from tensorgraph.contrib import rnn

import input_data
mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)
np.random.seed(7)

learning_rate = 0.005
training_steps = 200
batch_size = 64
display_step = 50

num_input = 28
timesteps = 28
num_hidden = 32
num_classes = 10

X = tf.placeholder("float", [None, timesteps, num_input])
Y = tf.placeholder("float", [None, num_classes])

weights = {'out': tf.Variable(tf.random_normal([2 * num_hidden, num_classes], stddev=0.1))}
biases = {'out': tf.Variable(tf.random_normal([num_classes], stddev=0.1))}


def RNN(x, weights, biases):
    x = tf.unstack(x, timesteps, 1)
    lstm_fw_cell = rnn.BasicLSTMCell(num_hidden, forget_bias=1.0)
    lstm_bw_cell = rnn.BasicLSTMCell(num_hidden, forget_bias=1.0)
    outputs, _, _ = rnn.static_bidirectional_rnn(lstm_fw_cell, lstm_bw_cell, x, dtype=tf.float32)
    return tf.matmul(outputs[-1], weights['out']) + biases['out']


logits = RNN(X, weights, biases)
prediction = tf.nn.softmax(logits)

loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate)
train_op = optimizer.minimize(loss_op)

correct_pred = tf.equal(tf.argmax(prediction, 1), tf.argmax(Y, 1))
accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))

init = tf.global_variables_initializer()

with tf.Session() as sess:
    sess.run(init)
    losses = []
    for step in range(1, training_steps + 1):
        batch_x, batch_y = mnist.train.next_batch(batch_size)
        batch_x = batch_x.reshape((batch_size, timesteps, num_input))
        sess.run(train_op, feed_dict={X: batch_x, Y: batch_y})
        if step % display_step == 0 or step == 1:
            loss, acc = sess.run([loss_op, accuracy], feed_dict={X: batch_x, Y: batch_y})
            losses.append(float(loss))
            print("Step " + str(step) + ", Minibatch Loss= " + "{:.4f}".format(loss) + ", Training Accuracy= " +
                  "{:.3f}".format(acc))
    print("Optimization Finished!")
    test_len = 1000
    test_data = mnist.test.images[:test_len].reshape((-1, timesteps, num_input))
    test_label = mnist.test.labels[:test_len]
    acc = sess.run(accuracy, feed_dict={X: test_data, Y: test_label})
    print("Testing Accuracy:", acc)
    print("RESULT", {"losses": losses, "accuracy": float(acc)})
