"""A DCGAN with batch normalization on (Fashion-)MNIST, as TensorFlow 1.x's examples write it:
tf.layers.batch_normalization(training=is_training) with a bool placeholder, a hand-made leaky
relu, images scaled to [-1, 1] for a tanh generator, and each player's moving statistics updated
by wrapping its minimize in control_dependencies(get_collection(UPDATE_OPS, scope=...)); the
discriminator and the generator take turns, one run each."""
import numpy as np
import tensorgraph as tf

import input_data
mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)
np.random.seed(2)
tf.set_random_seed(2)

num_steps = 300
batch_size = 32
lr_generator = 0.002
lr_discriminator = 0.002

image_dim = 784
noise_dim = 100

noise_input = tf.placeholder(tf.float32, shape=[None, noise_dim])
real_image_input = tf.placeholder(tf.float32, shape=[None, 28, 28, 1])
is_training = tf.placeholder(tf.bool)


def leakyrelu(x, alpha=0.2):
    return 0.5 * (1 + alpha) * x + 0.5 * (1 - alpha) * abs(x)


def generator(x, reuse=False):
    with tf.variable_scope('Generator', reuse=reuse):
        x = tf.layers.dense(x, units=7 * 7 * 128)
        x = tf.layers.batch_normalization(x, training=is_training)
        x = tf.nn.relu(x)
        x = tf.reshape(x, shape=[-1, 7, 7, 128])
        x = tf.layers.conv2d_transpose(x, 64, 5, strides=2, padding='same')
        x = tf.layers.batch_normalization(x, training=is_training)
        x = tf.nn.relu(x)
        x = tf.layers.conv2d_transpose(x, 1, 5, strides=2, padding='same')
        x = tf.nn.tanh(x)
        return x


def discriminator(x, reuse=False):
    with tf.variable_scope('Discriminator', reuse=reuse):
        x = tf.layers.conv2d(x, 64, 5, strides=2, padding='same')
        x = tf.layers.batch_normalization(x, training=is_training)
        x = leakyrelu(x)
        x = tf.layers.conv2d(x, 128, 5, strides=2, padding='same')
        x = tf.layers.batch_normalization(x, training=is_training)
        x = leakyrelu(x)
        x = tf.reshape(x, shape=[-1, 7 * 7 * 128])
        x = tf.layers.dense(x, 1024)
        x = tf.layers.batch_normalization(x, training=is_training)
        x = leakyrelu(x)
        x = tf.layers.dense(x, 2)
    return x


gen_sample = generator(noise_input)
disc_real = discriminator(real_image_input)
disc_fake = discriminator(gen_sample, reuse=True)

stacked_gan = discriminator(gen_sample, reuse=True)

disc_loss_real = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
    logits=disc_real, labels=tf.ones([batch_size], dtype=tf.int32)))
disc_loss_fake = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
    logits=disc_fake, labels=tf.zeros([batch_size], dtype=tf.int32)))
disc_loss = disc_loss_real + disc_loss_fake
gen_loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
    logits=stacked_gan, labels=tf.ones([batch_size], dtype=tf.int32)))

optimizer_gen = tf.train.AdamOptimizer(learning_rate=lr_generator, beta1=0.5, beta2=0.999)
optimizer_disc = tf.train.AdamOptimizer(learning_rate=lr_discriminator, beta1=0.5, beta2=0.999)

gen_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope='Generator')
disc_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope='Discriminator')

gen_update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS, scope='Generator')
with tf.control_dependencies(gen_update_ops):
    train_gen = optimizer_gen.minimize(gen_loss, var_list=gen_vars)
disc_update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS, scope='Discriminator')
with tf.control_dependencies(disc_update_ops):
    train_disc = optimizer_disc.minimize(disc_loss, var_list=disc_vars)

init = tf.global_variables_initializer()

sess = tf.Session()
sess.run(init)
moving = {v.name: v for v in tf.global_variables() if "moving_mean" in v.name}
for i in range(1, num_steps + 1):
    batch_x, _ = mnist.train.next_batch(batch_size)
    batch_x = np.reshape(batch_x, newshape=[-1, 28, 28, 1])
    batch_x = batch_x * 2. - 1.

    z = np.random.uniform(-1., 1., size=[batch_size, noise_dim])
    _, dl = sess.run([train_disc, disc_loss], feed_dict={real_image_input: batch_x, noise_input: z,
                                                         is_training: True})
    z = np.random.uniform(-1., 1., size=[batch_size, noise_dim])
    _, gl = sess.run([train_gen, gen_loss], feed_dict={noise_input: z, is_training: True})
    if i % 100 == 0 or i == 1:
        print('Step %i: Generator Loss: %f, Discriminator Loss: %f' % (i, gl, dl))

z = np.random.uniform(-1., 1., size=[500, noise_dim])
samples = sess.run(gen_sample, feed_dict={noise_input: z, is_training: False})  # the moving statistics
fake = sess.run(tf.nn.softmax(disc_fake), feed_dict={noise_input: z[:batch_size], is_training: False})
real = sess.run(tf.nn.softmax(disc_real), feed_dict={
    real_image_input: mnist.test.images[:500].reshape(-1, 28, 28, 1) * 2. - 1., is_training: False})
samples = (samples.reshape(-1, 784) + 1.) / 2.

# The generator's moving statistics where no trajectory matters: reset, one update on a fixed batch,
# then K - 1 more; with momentum 0.99 the k-th value is (1 - 0.99^k) times the batch's statistic
# (plus 0.99^k for the variance, which restarts at 1), so both readings give the batch's statistics
gen_moving = [v for v in tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope='Generator') if 'moving_' in v.name]
z = np.random.uniform(-1., 1., size=[batch_size, noise_dim])
sess.run(tf.variables_initializer(gen_moving))
in_training = sess.run(gen_sample, feed_dict={noise_input: z, is_training: True})
gap_reset = np.abs(sess.run(gen_sample, feed_dict={noise_input: z, is_training: False}) - in_training).mean()
sess.run(gen_update_ops, feed_dict={noise_input: z, is_training: True})
once = dict(zip([v.name for v in gen_moving], sess.run(gen_moving)))
K = 1000
for _ in range(K - 1):
    sess.run(gen_update_ops, feed_dict={noise_input: z, is_training: True})
after_k = dict(zip([v.name for v in gen_moving], sess.run(gen_moving)))
gap_after_k = np.abs(sess.run(gen_sample, feed_dict={noise_input: z, is_training: False}) - in_training).mean()
statistic_error = 0.
for name in once:
    if name.endswith('moving_mean'):
        a, b = once[name] / 0.01, after_k[name] / (1 - 0.99 ** K)
    else:
        a, b = (once[name] - 0.99) / 0.01, (after_k[name] - 0.99 ** K) / (1 - 0.99 ** K)
    statistic_error = max(statistic_error, float(np.abs(a - b).max() / np.abs(a).max()))
print("RESULT", {"generator_loss": float(gl), "discriminator_loss": float(dl),
                 "gen_update_ops": len(gen_update_ops), "disc_update_ops": len(disc_update_ops),
                 "num_variables": len(tf.global_variables()),
                 "moving_means": {k: float(np.abs(sess.run(v)).mean()) for k, v in moving.items()},
                 "sample_mean": float(samples.mean()), "data_mean": float(mnist.test.images.mean()),
                 "sample_spread": float(samples.std(0).mean()), "d_fake": float(fake[:, 1].mean()),
                 "d_real": float(real[:, 1].mean()), "moving_statistics": sorted(once),
                 "statistic_error": statistic_error, "gap_reset": float(gap_reset), "gap_after_k": float(gap_after_k),
                 "pixel_correlation": float(np.corrcoef(samples.mean(0), mnist.test.images.mean(0))[0, 1])})
sess.close()
