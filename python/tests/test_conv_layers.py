"""tf.layers.conv2d, max_pooling2d, average_pooling2d and flatten: values against torch with the same
kernel, TensorFlow's names and scopes, argument spellings."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

import tensorgraph as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def test_conv2d_layer_matches_torch_with_its_kernel():
    x = tf.placeholder(tf.float64, [None, 7, 6, 3])
    y = tf.layers.conv2d(x, 4, (3, 2), strides=2, padding="same", activation=tf.nn.relu, seed=5)
    assert y.shape == (None, 4, 3, 4)
    g = tf.get_default_graph()
    kernel, bias = g.get_node_by_name("conv2d/kernel"), g.get_node_by_name("conv2d/bias")
    v = np.random.default_rng(0).normal(size=(2, 7, 6, 3))
    with tf.Session() as sess:
        sess.assign(bias, np.array([0.1, -0.2, 0.3, 0.0]))
        out, k = sess.run([y, kernel], {x: v})
    # TensorFlow's SAME for 7 rows, window 3, stride 2: 4 outputs, 2 padding rows (1 before, 1 after);
    # for 6 columns, window 2, stride 2: 3 outputs, no padding
    xt = F.pad(torch.from_numpy(v).permute(0, 3, 1, 2), (0, 0, 1, 1))
    ref = F.conv2d(xt, torch.from_numpy(k).permute(3, 2, 0, 1), torch.tensor([0.1, -0.2, 0.3, 0.0],
                   dtype=torch.float64), stride=2)
    np.testing.assert_allclose(out, torch.relu(ref).permute(0, 2, 3, 1).numpy(), rtol=1e-12, atol=1e-12)


def test_layer_scopes_are_tensorflows():
    x = tf.placeholder(tf.float32, [None, 8, 8, 1])
    tf.layers.conv2d(x, 2, 3)
    tf.layers.conv2d(x, 2, 3)
    names = {n.name for n in tf.get_default_graph().variables}
    assert {"conv2d/kernel", "conv2d/bias", "conv2d_1/kernel", "conv2d_1/bias"} <= names


def test_channels_first_and_pooling_layers():
    x = tf.placeholder(tf.float64, [None, 2, 5, 5])
    v = np.random.default_rng(1).normal(size=(3, 2, 5, 5))
    mp = tf.layers.max_pooling2d(x, 2, 2, data_format="channels_first")
    ap = tf.layers.average_pooling2d(x, 3, 2, padding="same", data_format="channels_first")
    with tf.Session() as sess:
        m, a = sess.run([mp, ap], {x: v})
    t = torch.from_numpy(v)
    np.testing.assert_allclose(m, F.max_pool2d(t, 2, 2).numpy())
    # SAME for 5, window 3, stride 2: 3 outputs, padding 1 before and 1 after, not counted in the mean
    np.testing.assert_allclose(a, F.avg_pool2d(t, 3, 2, padding=1, count_include_pad=False).numpy(), rtol=1e-12)


def test_flatten_and_its_errors():
    x = tf.placeholder(tf.float64, [None, 2, 3, 4])
    f = tf.layers.flatten(x)
    assert f.shape == (None, 24)
    v = np.arange(48.0).reshape(2, 2, 3, 4)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(f, {x: v}), v.reshape(2, 24))
    with pytest.raises(tf.GraphError, match="flatten"):
        tf.layers.flatten(tf.placeholder(tf.float64, [None, None, 3]))


def test_bad_layer_arguments_name_the_layer():
    x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    with pytest.raises(tf.GraphError, match="padding"):
        tf.layers.conv2d(x, 4, 3, padding="full")
    with pytest.raises(tf.GraphError, match="data_format"):
        tf.layers.max_pooling2d(x, 2, 2, data_format="NHWC")
    with pytest.raises(tf.ArgumentValueError, match="activation"):
        tf.layers.conv2d(x, 4, 3, activation="swish")
