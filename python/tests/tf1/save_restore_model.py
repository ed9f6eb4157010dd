"""Saving and restoring a model, as TensorFlow 1.x's examples write it: train a perceptron, save with
tf.train.Saver (a global step in the file's name), then in a new session initialise, restore the
latest checkpoint and continue training."""
import os
import tempfile

import numpy as np
import tensorgraph as tf

import input_data
mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)
np.random.seed(11)

learning_rate = 0.001
batch_size = 100
display_step = 1
checkpoint_dir = tempfile.mkdtemp()
model_path = os.path.join(checkpoint_dir, "model.ckpt")

n_hidden_1 = 256
n_input = 784
n_classes = 10

x = tf.placeholder("float", [None, n_input])
y = tf.placeholder("float", [None, n_classes])


def multilayer_perceptron(x, weights, biases):
    layer_1 = tf.add(tf.matmul(x, weights['h1']), biases['b1'])
    layer_1 = tf.nn.relu(layer_1)
    out_layer = tf.matmul(layer_1, weights['out']) + biases['out']
    return out_layer


weights = {
    'h1': tf.Variable(tf.truncated_normal([n_input, n_hidden_1], stddev=0.05)),
    'out': tf.Variable(tf.truncated_normal([n_hidden_1, n_classes], stddev=0.05))
}
biases = {
    'b1': tf.Variable(tf.zeros([n_hidden_1])),
    'out': tf.Variable(tf.zeros([n_classes]))
}

pred = multilayer_perceptron(x, weights, biases)
cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=pred, labels=y))
global_step = tf.Variable(0, name='global_step', trainable=False)
optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate).minimize(cost, global_step=global_step)
correct_prediction = tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1))
accuracy = tf.reduce_mean(tf.cast(correct_prediction, "float"))

init = tf.global_variables_initializer()
saver = tf.train.Saver()


def train(sess, epochs):
    for epoch in range(epochs):
        avg_cost = 0.
        total_batch = int(mnist.train.num_examples / batch_size)
        for i in range(total_batch):
            batch_x, batch_y = mnist.train.next_batch(batch_size)
            _, c = sess.run([optimizer, cost], feed_dict={x: batch_x, y: batch_y})
            avg_cost += c / total_batch
        if epoch % display_step == 0:
            print("Epoch:", '%04d' % (epoch + 1), "cost=", "{:.9f}".format(avg_cost))


print("Starting 1st session...")
with tf.Session() as sess:
    sess.run(init)
    train(sess, 2)
    print("First Optimization Finished!")
    acc1 = accuracy.eval({x: mnist.test.images, y: mnist.test.labels})
    print("Accuracy:", acc1)
    save_path = saver.save(sess, model_path, global_step=global_step)
    print("Model saved in file: %s" % save_path)
    step1 = sess.run(global_step)

print("Starting 2nd session...")
with tf.Session() as sess:
    sess.run(init)
    acc_fresh = accuracy.eval({x: mnist.test.images, y: mnist.test.labels})
    latest = tf.train.latest_checkpoint(checkpoint_dir)
    saver.restore(sess, latest)
    print("Model restored from file: %s" % latest)
    acc_restored = accuracy.eval({x: mnist.test.images, y: mnist.test.labels})
    train(sess, 2)
    print("Second Optimization Finished!")
    acc2 = accuracy.eval({x: mnist.test.images, y: mnist.test.labels})
    print("Accuracy:", acc2)
    print("RESULT", {"accuracy_1": float(acc1), "accuracy_fresh": float(acc_fresh),
                     "accuracy_restored": float(acc_restored), "accuracy_2": float(acc2), "saved": save_path,
                     "latest": latest, "step_1": int(step1), "step_2": int(sess.run(global_step))})
