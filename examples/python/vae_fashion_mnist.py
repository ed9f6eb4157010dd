"""A variational autoencoder 784-400-20 for Fashion-MNIST written as a TensorFlow 1.x program (the
model of `tensorgraph train --task vae`): an encoder with a mean and a log-variance head, the
reparameterization z = mean + e^(logvar / 2) eps with eps drawn by tf.random_normal in the graph
(new on every run), a decoder to Bernoulli logits, and the loss -ELBO = cross-entropy summed over
the pixels + KL(q(z|x) || N(0, I)), per image. Adam 1e-3 on batches of 128 for the given number of
epochs (argument 1, default 5), printing the test -ELBO in nats per image after each; with a second
argument, writes 64 samples from the prior to that PNG."""
import sys

import numpy as np
import tensorgraph as tf

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
train_set, test_set = tf.data.Dataset.fashion_mnist("train"), tf.data.Dataset.fashion_mnist("test")
rng = np.random.default_rng(0)


def dense(x, n_in, n_out):  # x W + b, both from U(+-1/sqrt(n_in)) as torch.nn.Linear draws them
    bound = 1 / np.sqrt(n_in)
    W = tf.Variable(rng.uniform(-bound, bound, (n_in, n_out)).astype(np.float32))
    b = tf.Variable(rng.uniform(-bound, bound, n_out).astype(np.float32))
    return tf.matmul(x, W) + b


images = tf.placeholder(tf.float32, [None, 784])
h = tf.nn.relu(dense(images, 784, 400))
mean, logvar = dense(h, 400, 20), dense(h, 400, 20)
z = mean + tf.exp(0.5 * logvar) * tf.random_normal_like(mean, seed=1)
logits = dense(tf.nn.relu(dense(z, 20, 400)), 400, 784)
decoded = tf.sigmoid(logits)
cross_entropy = tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(labels=images, logits=logits), axis=1)
kl = -0.5 * tf.reduce_sum(1 + logvar - tf.square(mean) - tf.exp(logvar), axis=1)
neg_elbo = tf.reduce_mean(cross_entropy + kl)
train_op = tf.train.AdamOptimizer(0.001).minimize(neg_elbo)

with tf.Session() as sess:
    for epoch in range(epochs):
        for x, _ in train_set.batches(128, shuffle=True, seed=epoch):
            sess.run(train_op, {images: x})
        test = np.mean([sess.run(neg_elbo, {images: x}) for x, _ in test_set.batches(1000)])
        print(f"epoch {epoch + 1}: test -ELBO {test:.2f} nats per image")
    if len(sys.argv) > 2:  # decode z ~ N(0, I): feed the sampled node z itself
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        samples = sess.run(decoded, {z: np.random.default_rng(1).standard_normal((64, 20)).astype(np.float32)})
        fig, axes = plt.subplots(8, 8, figsize=(6, 6))
        for ax, picture in zip(axes.flat, samples):
            ax.imshow(picture.reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
            ax.axis("off")
        fig.suptitle("64 samples from the prior")
        fig.savefig(sys.argv[2], dpi=100)
