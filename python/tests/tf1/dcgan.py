"""A deep convolutional GAN on (Fashion-)MNIST built on tf.layers, as TensorFlow 1.x's examples write
it: the generator and the discriminator are functions that build their layers inside
variable_scope('Generator' / 'Discriminator', reuse=reuse), the discriminator is built three times
sharing one set of Variables, each optimizer takes its var_list from get_collection(scope=...),
and a two-class softmax discriminator is trained with sparse softmax cross-entropy."""
import numpy as np
import tensorgraph as tf

import input_data
mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)
np.random.seed(1)
tf.set_random_seed(1)

num_steps = 600
batch_size = 32

image_dim = 784
gen_hidden_dim = 256
disc_hidden_dim = 256
noise_dim = 200


def generator(x, reuse=False):
    with tf.variable_scope('Generator', reuse=reuse):
        x = tf.layers.dense(x, units=6 * 6 * 128)
        x = tf.nn.tanh(x)
        x = tf.reshape(x, shape=[-1, 6, 6, 128])
        x = tf.layers.conv2d_transpose(x, 64, 4, strides=2)
        x = tf.layers.conv2d_transpose(x, 1, 2, strides=2)
        x = tf.nn.sigmoid(x)
        return x


def discriminator(x, reuse=False):
    with tf.variable_scope('Discriminator', reuse=reuse):
        x = tf.layers.conv2d(x, 64, 5)
        x = tf.nn.tanh(x)
        x = tf.layers.average_pooling2d(x, 2, 2)
        x = tf.layers.conv2d(x, 128, 5)
        x = tf.nn.tanh(x)
        x = tf.layers.average_pooling2d(x, 2, 2)
        x = tf.contrib.layers.flatten(x)
        x = tf.layers.dense(x, 1024)
        x = tf.nn.tanh(x)
        x = tf.layers.dense(x, 2)
    return x


noise_input = tf.placeholder(tf.float32, shape=[None, noise_dim])
real_image_input = tf.placeholder(tf.float32, shape=[None, 28, 28, 1])

gen_sample = generator(noise_input)

disc_real = discriminator(real_image_input)
disc_fake = discriminator(gen_sample, reuse=True)
disc_concat = tf.concat([disc_real, disc_fake], axis=0)

stacked_gan = discriminator(gen_sample, reuse=True)

disc_target = tf.placeholder(tf.int32, shape=[None])
gen_target = tf.placeholder(tf.int32, shape=[None])

disc_loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
    logits=disc_concat, labels=disc_target))
gen_loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
    logits=stacked_gan, labels=gen_target))

optimizer_gen = tf.train.AdamOptimizer(learning_rate=0.001)
optimizer_disc = tf.train.AdamOptimizer(learning_rate=0.001)

gen_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope='Generator')
disc_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope='Discriminator')

train_gen = optimizer_gen.minimize(gen_loss, var_list=gen_vars)
train_disc = optimizer_disc.minimize(disc_loss, var_list=disc_vars)

init = tf.global_variables_initializer()

with tf.Session() as sess:
    sess.run(init)
    for i in range(1, num_steps + 1):
        batch_x, _ = mnist.train.next_batch(batch_size)
        batch_x = np.reshape(batch_x, newshape=[-1, 28, 28, 1])
        z = np.random.uniform(-1., 1., size=[batch_size, noise_dim])
        batch_disc_y = np.concatenate([np.ones([batch_size]), np.zeros([batch_size])], axis=0)
        batch_gen_y = np.ones([batch_size])
        feed_dict = {real_image_input: batch_x, noise_input: z,
                     disc_target: batch_disc_y, gen_target: batch_gen_y}
        _, _, gl, dl = sess.run([train_gen, train_disc, gen_loss, disc_loss], feed_dict=feed_dict)
        if i % 100 == 0 or i == 1:
            print('Step %i: Generator Loss: %f, Discriminator Loss: %f' % (i, gl, dl))

    z = np.random.uniform(-1., 1., size=[500, noise_dim])
    samples, fake = sess.run([gen_sample, tf.nn.softmax(disc_fake)], feed_dict={noise_input: z})
    real = sess.run(tf.nn.softmax(disc_real),
                    feed_dict={real_image_input: mnist.test.images[:500].reshape(-1, 28, 28, 1)})
    samples = samples.reshape(-1, 784)
    print("RESULT", {"generator_loss": float(gl), "discriminator_loss": float(dl),
                     "gen_vars": [v.name for v in gen_vars], "disc_vars": [v.name for v in disc_vars],
                     "num_variables": len(tf.trainable_variables()), "sample_shape": list(samples.shape),
                     "sample_mean": float(samples.mean()), "data_mean": float(mnist.test.images.mean()),
                     "sample_spread": float(samples.std(0).mean()), "d_fake": float(fake[:, 1].mean()),
                     "d_real": float(real[:, 1].mean()),
                     "pixel_correlation": float(np.corrcoef(samples.mean(0), mnist.test.images.mean(0))[0, 1])})
