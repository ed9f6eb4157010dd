"""An autoencoder on (Fashion-)MNIST, as TensorFlow 1.x's examples write it: two sigmoid layers down
to 128 units and two back, weights drawn by tf.random_normal in dicts, the mean squared error,
RMSProp."""
import numpy as np
import tensorgraph as tf

import input_data
mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)
np.random.seed(8)

learning_rate = 0.01
num_steps = 400
batch_size = 128
display_step = 100

num_hidden_1 = 256
num_hidden_2 = 128
num_input = 784

X = tf.placeholder("float", [None, num_input])

weights = {
    'encoder_h1': tf.Variable(tf.random_normal([num_input, num_hidden_1], stddev=0.05)),
    'encoder_h2': tf.Variable(tf.random_normal([num_hidden_1, num_hidden_2], stddev=0.05)),
    'decoder_h1': tf.Variable(tf.random_normal([num_hidden_2, num_hidden_1], stddev=0.05)),
    'decoder_h2': tf.Variable(tf.random_normal([num_hidden_1, num_input], stddev=0.05)),
}
biases = {
    'encoder_b1': tf.Variable(tf.random_normal([num_hidden_1], stddev=0.05)),
    'encoder_b2': tf.Variable(tf.random_normal([num_hidden_2], stddev=0.05)),
    'decoder_b1': tf.Variable(tf.random_normal([num_hidden_1], stddev=0.05)),
    'decoder_b2': tf.Variable(tf.random_normal([num_input], stddev=0.05)),
}


def encoder(x):
    layer_1 = tf.nn.sigmoid(tf.add(tf.matmul(x, weights['encoder_h1']), biases['encoder_b1']))
    layer_2 = tf.nn.sigmoid(tf.add(tf.matmul(layer_1, weights['encoder_h2']), biases['encoder_b2']))
    return layer_2


def decoder(x):
    layer_1 = tf.nn.sigmoid(tf.add(tf.matmul(x, weights['decoder_h1']), biases['decoder_b1']))
    layer_2 = tf.nn.sigmoid(tf.add(tf.matmul(layer_1, weights['decoder_h2']), biases['decoder_b2']))
    return layer_2


encoder_op = encoder(X)
decoder_op = decoder(encoder_op)

y_pred = decoder_op
y_true = X

loss = tf.reduce_mean(tf.pow(y_true - y_pred, 2))
optimizer = tf.train.RMSPropOptimizer(learning_rate).minimize(loss)

init = tf.global_variables_initializer()

with tf.Session() as sess:
    sess.run(init)
    losses = []
    for i in range(1, num_steps + 1):
        batch_x, _ = mnist.train.next_batch(batch_size)
        _, l = sess.run([optimizer, loss], feed_dict={X: batch_x})
        if i % display_step == 0 or i == 1:
            losses.append(float(l))
            print('Step %i: Minibatch Loss: %f' % (i, l))
    test_loss = sess.run(loss, feed_dict={X: mnist.test.images})
    baseline = float(np.mean((mnist.test.images - mnist.train.images.mean(0)) ** 2))
    print("Test loss:", test_loss, "(the mean image's:", baseline, ")")
    print("RESULT", {"losses": losses, "test_loss": float(test_loss), "mean_image_loss": baseline})
