"""A GAN for Fashion-MNIST written as a TensorFlow 1.x program (the model of `tensorgraph train --task
gan`): a dense generator 64-256-512-784 (leaky relu, sigmoid images) and a dense discriminator
784-512-256-1, each with its own Adam (2e-4, beta1 0.5) over its own var_list, in alternating steps:
the discriminator on a batch of 64 real images and 64 generated ones, then the generator on fresh
noise (the non-saturating loss -ln D(G(z))). Prints both players' mean losses per epoch (argument 1:
epochs, default 30); with a second argument, writes 64 samples to that PNG."""
import sys

import numpy as np
import tensorgraph as tf

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
train_set = tf.data.Dataset.fashion_mnist("train")
rng = np.random.default_rng(0)


def layer(n_in, n_out, name):  # W and b from U(+-1/sqrt(n_in)), shared by every call of the layer
    bound = 1 / np.sqrt(n_in)
    return (tf.Variable(rng.uniform(-bound, bound, (n_in, n_out)).astype(np.float32), name=name + "/kernel"),
            tf.Variable(rng.uniform(-bound, bound, n_out).astype(np.float32), name=name + "/bias"))


def stack(x, layers, dropout=0.0):
    for i, (W, b) in enumerate(layers):
        x = tf.matmul(x, W) + b
        if i + 1 < len(layers):
            x = tf.nn.leaky_relu(x, alpha=0.2)
            if dropout:
                x = tf.layers.dropout(x, rate=dropout, training=training)
    return x


G = [layer(64, 256, "g1"), layer(256, 512, "g2"), layer(512, 784, "g3")]
D = [layer(784, 512, "d1"), layer(512, 256, "d2"), layer(256, 1, "d3")]
images, noise = tf.placeholder(tf.float32, [None, 784]), tf.placeholder(tf.float32, [None, 64])
training = tf.placeholder(tf.bool, [])
generated = tf.sigmoid(stack(noise, G))
real, fake = stack(images, D, dropout=0.3), stack(generated, D, dropout=0.3)
xent = tf.nn.sigmoid_cross_entropy_with_logits
d_loss = tf.reduce_mean(xent(labels=0.9 * tf.ones_like(real), logits=real)) + \
    tf.reduce_mean(xent(labels=tf.zeros_like(fake), logits=fake))
g_loss = tf.reduce_mean(xent(labels=tf.ones_like(fake), logits=fake))
d_step = tf.train.AdamOptimizer(0.0002, beta1=0.5).minimize(d_loss, var_list=[v for l in D for v in l])
g_step = tf.train.AdamOptimizer(0.0002, beta1=0.5).minimize(g_loss, var_list=[v for l in G for v in l])

with tf.Session() as sess:
    for epoch in range(epochs):
        totals, batches = np.zeros(2), 0
        for x, _ in train_set.batches(64, shuffle=True, seed=epoch, drop_last=True):
            d, _ = sess.run([d_loss, d_step], {images: x, noise: rng.standard_normal((64, 64), np.float32), training: True})
            g, _ = sess.run([g_loss, g_step], {noise: rng.standard_normal((64, 64), np.float32), training: True})
            totals += (d, g)
            batches += 1
        d, g = totals / batches
        print(f"epoch {epoch + 1}: discriminator loss {d:.4f}, generator loss {g:.4f}")
    samples = sess.run(generated, {noise: np.random.default_rng(1).standard_normal((64, 64), np.float32)})
    print(f"mean grey level of 64 samples {samples.mean():.4f} (training images: {train_set.features.mean():.4f})")
    if len(sys.argv) > 2:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, axes = plt.subplots(8, 8, figsize=(6, 6))
        for ax, picture in zip(axes.flat, samples):
            ax.imshow(picture.reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
            ax.axis("off")
        fig.suptitle(f"64 GAN samples after {epochs} epochs")
        fig.savefig(sys.argv[2], dpi=100)
