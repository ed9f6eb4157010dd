"""A dense autoencoder 784-64-784 for Fashion-MNIST written as a TensorFlow 1.x program (the model of
`tensorgraph train --task autoencoder`): relu code, sigmoid output, mean squared error, Adam 1e-3 on
batches of 32. Trains for the given number of epochs (argument 1, default 10), printing the training
loss and the test MSE after each; with a second argument, writes originals above their
reconstructions to that PNG."""
import sys

import numpy as np
import tensorgraph as tf

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
train_set, test_set = tf.data.Dataset.fashion_mnist("train"), tf.data.Dataset.fashion_mnist("test")
rng = np.random.default_rng(0)


def dense(x, n_in, n_out):  # x W + b, both from U(+-1/sqrt(n_in)) as torch.nn.Linear draws them
    bound = 1 / np.sqrt(n_in)
    W = tf.Variable(rng.uniform(-bound, bound, (n_in, n_out)).astype(np.float32))
    b = tf.Variable(rng.uniform(-bound, bound, n_out).astype(np.float32))
    return tf.matmul(x, W) + b


images = tf.placeholder(tf.float32, [None, 784])
code = tf.nn.relu(dense(images, 784, 64))
reconstruction = tf.sigmoid(dense(code, 64, 784))
loss = tf.reduce_mean(tf.square(reconstruction - images))
train_op = tf.train.AdamOptimizer(0.001).minimize(loss)

with tf.Session() as sess:
    for epoch in range(epochs):
        total = 0.0
        for x, _ in train_set.batches(32, shuffle=True, seed=epoch):
            value, _ = sess.run([loss, train_op], {images: x})
            total += value * len(x)
        test_mse = sess.run(loss, {images: test_set.features})
        print(f"epoch {epoch + 1}: train loss {total / train_set.size:.5f}, test MSE {test_mse:.5f}")
    if len(sys.argv) > 2:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        x = test_set.features[:16]
        y = sess.run(reconstruction, {images: x})
        fig, axes = plt.subplots(2, 16, figsize=(16, 2.4))
        for i in range(16):
            for row, pictures in enumerate((x, y)):
                axes[row, i].imshow(pictures[i].reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
                axes[row, i].axis("off")
        fig.suptitle("test images (top) and their reconstructions (bottom)")
        fig.savefig(sys.argv[2], dpi=100)
