"""Issue 16: TensorFlow 1.x programs, written as TF 1.x's popular tutorials write them, run with only
their import line changed (`import tensorgraph as tf`; MNIST's `input_data` replaced by the small
Fashion-MNIST reader beside them in tf1/). Each prints a RESULT line; the checks are learning
(losses falling, accuracy well above chance's 0.1) and, where an oracle fits, numpy's numbers."""
import ast
import pathlib
import re

import numpy as np
import pytest

from conftest import run_python

HERE = pathlib.Path(__file__).parent / "tf1"
PROGRAMS = sorted(p.stem for p in HERE.glob("*.py") if p.stem != "input_data")


def run(name):
    proc = run_python(HERE / f"{name}.py", cwd=HERE, timeout=900)
    assert proc.returncode == 0, f"{name}.py failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    results = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    assert results, f"{name}.py printed no RESULT line:\n{proc.stdout[-2000:]}"
    return ast.literal_eval(results[-1][len("RESULT "):])


@pytest.mark.parametrize("name", PROGRAMS)
def test_only_the_import_line_is_tensorgraphs(name):
    source = (HERE / f"{name}.py").read_text()
    assert "tensorflow" not in re.sub(r'""".*?"""', "", source, flags=re.S)
    assert re.search(r"^import tensorgraph as tf$", source, re.M)
    # TensorFlow's `from tensorflow.contrib import rnn` becomes tensorgraph's
    rest = source.replace("import tensorgraph as tf", "").replace("from tensorgraph.contrib import rnn", "")
    assert "tensorgraph" not in rest


def test_linear_regression_follows_numpys_stochastic_gradient_descent():
    r = run("linear_regression")
    assert r["dtype"] == "float64"  # a Python float's Variable: the tutorial's float64
    X = np.asarray([3.3, 4.4, 5.5, 6.71, 6.93, 4.168, 9.779, 6.182, 7.59, 2.167, 7.042, 10.791, 5.313, 7.997, 5.654,
                    9.27, 3.1])
    Y = np.asarray([1.7, 2.76, 2.09, 3.19, 1.694, 1.573, 3.366, 2.596, 2.53, 1.221, 2.827, 3.465, 1.65, 2.904, 2.42,
                    2.94, 1.3])
    rng = np.random
    rng.seed(1)
    W, b = rng.randn(), rng.randn()
    for _ in range(500):  # the program's loop in numpy: one sample a step, the cost divided by 2n
        for x, y in zip(X, Y):
            err = W * x + b - y
            W, b = W - 0.01 * err * x / len(X), b - 0.01 * err / len(X)
    assert r["W"] == pytest.approx(W, rel=1e-4) and r["b"] == pytest.approx(b, rel=1e-4)
    assert r["training_cost"] == pytest.approx(((W * X + b - Y) ** 2).sum() / (2 * len(X)), rel=1e-3)


def test_logistic_regression_learns():
    r = run("logistic_regression")
    assert all(a > b for a, b in zip(r["costs"], r["costs"][1:])), r["costs"]
    assert r["accuracy"] > 0.75


def test_nearest_neighbor_is_numpys():
    r = run("nearest_neighbor")
    assert r["accuracy"] == pytest.approx(r["numpy_accuracy"]) and r["accuracy"] > 0.7


def test_multilayer_perceptron_learns():
    r = run("multilayer_perceptron")
    assert all(a > b for a, b in zip(r["costs"], r["costs"][1:])), r["costs"]
    assert r["accuracy"] > 0.8


def test_convolutional_network_learns():
    r = run("convolutional_network")
    assert r["losses"][-1] < 0.6 * r["losses"][0], r["losses"]
    assert r["accuracy"] > 0.75


@pytest.mark.parametrize("name", ["recurrent_network", "bidirectional_rnn"])
def test_recurrent_networks_learn(name):
    r = run(name)
    assert r["losses"][-1] < 0.6 * r["losses"][0], r["losses"]
    assert r["accuracy"] > 0.65


def test_autoencoder_reconstructs_better_than_the_mean_image():
    r = run("autoencoder")
    assert r["losses"][-1] < 0.5 * r["losses"][0], r["losses"]
    assert r["test_loss"] < 0.6 * r["mean_image_loss"], r


def test_variational_autoencoder_learns():
    r = run("variational_autoencoder")
    assert r["losses"][-1] < 0.6 * r["losses"][0], r["losses"]
    assert r["test_loss"] < 300, r  # nats per image; an untrained decoder scores about 550


def test_gan_generates_images_like_the_data():
    r = run("gan")
    assert np.isfinite(r["generator_loss"]) and np.isfinite(r["discriminator_loss"])
    assert abs(r["sample_mean"] - r["data_mean"]) < 0.1, r   # the garments' brightness, not noise's 0.5
    assert r["sample_spread"] > 0.05, r  # the samples differ (not one collapsed image)
    assert r["pixel_correlation"] > 0.3, r  # the mean sample takes the garments' shape (noise: about 0)
    assert r["d_real"] > r["d_fake"], r


def test_dcgan_on_tf_layers_shares_the_discriminator_and_learns():
    r = run("dcgan")
    # TensorFlow's layer names: counted per entry of each variable scope, so the two reused
    # discriminators found the first's Variables and made none (14 = 6 + 8)
    assert r["gen_vars"] == [f"Generator/{layer}/{v}" for layer in ("dense", "conv2d_transpose", "conv2d_transpose_1")
                             for v in ("kernel", "bias")]
    assert r["disc_vars"] == [f"Discriminator/{layer}/{v}" for layer in ("conv2d", "conv2d_1", "dense", "dense_1")
                              for v in ("kernel", "bias")]
    assert r["num_variables"] == 14 and r["sample_shape"] == [500, 784]
    assert np.isfinite(r["generator_loss"]) and np.isfinite(r["discriminator_loss"])
    assert abs(r["sample_mean"] - r["data_mean"]) < 0.1, r
    assert r["sample_spread"] > 0.05, r
    assert r["pixel_correlation"] > 0.5, r
    # neither player has won outright. NOTE: not d_real > d_fake + 0.2, as this test asked before: the
    # better the generator, the nearer both come to 0.5; with one thread, seeds 0, 2, 3 and 4 gave
    # pixel correlations of 0.95-0.98 with d_real 0.47-0.59 and d_fake 0.42-0.52 (seed 1: 0.83, 0.16)
    assert 0.05 < r["d_fake"] and r["d_real"] < 0.95, r


def test_dcgan_with_batch_normalization_updates_what_its_control_dependencies_say():
    r = run("dcgan_batch_norm")
    # each player's minimize runs its own UPDATE_OPS: 2 batch normalizations in the generator, 3 in
    # the discriminator built three times, 2 moving averages each
    assert r["gen_update_ops"] == 4 and r["disc_update_ops"] == 18
    assert len(r["moving_means"]) == 5 and all(m > 0 for m in r["moving_means"].values()), r["moving_means"]
    assert np.isfinite(r["generator_loss"]) and np.isfinite(r["discriminator_loss"])
    # the generator's UPDATE_OPS move its moving statistics with momentum 0.99 towards the batch's: one
    # update and 1000 updates from reset statistics imply the same batch mean and variance (float32's
    # rounding over 1000 updates: 4e-5 measured); is_training=False normalizes with them (0.26-0.32 off
    # the training-mode output just after the reset, 0.0003-0.0017 once they hold the batch's)
    assert r["moving_statistics"] == [f"Generator/batch_normalization{k}/moving_{s}" for k in ("", "_1")
                                      for s in ("mean", "variance")]
    assert r["statistic_error"] < 1e-3, r
    assert r["gap_reset"] > 0.05 and r["gap_after_k"] < min(0.02, 0.1 * r["gap_reset"]), r
    # NOTE: the samples' quality after the 300 steps (sample_mean, pixel_correlation, d_real/d_fake in
    # the RESULT) is not asserted: it rests on one chaotic trajectory. A PyTorch twin of this program
    # (same layers, TF's initialisers and batch-norm settings) collapses to one flat image for seeds 0, 3,
    # 4 and 6 and learns garments for 1, 2 and 5; tensorgraph fails and passes the same seeds of 3-5,
    # and seed 2 with one thread fails here where it passes with two (a single pre-activation within
    # rounding of 0 flips abs's gradient; every gradient otherwise matches float64 to 6e-6). Learning
    # by a GAN is asserted by the dcgan and gan programs' tests.


def test_save_restore_continues_training():
    r = run("save_restore_model")
    assert r["step_1"] == 2 * 550 and r["saved"].endswith("model.ckpt-1100") and r["latest"] == r["saved"]
    assert r["accuracy_fresh"] < 0.35  # a new initialisation
    assert r["accuracy_restored"] == r["accuracy_1"] > 0.8  # the trained model came back
    assert r["step_2"] == 4 * 550 and r["accuracy_2"] > r["accuracy_1"] - 0.01


def test_dynamic_rnn_with_lengths_learns():
    r = run("dynamic_rnn")
    assert r["losses"][-1] < 0.5 * r["losses"][0], r["losses"]
    assert r["accuracy"] > 0.85


def test_tensorboard_summaries_are_written_and_read_back():
    import tensorgraph as tf
    r = run("tensorboard_basic")
    assert r["accuracy"] > 0.75
    events = tf.summary.read_events(r["events"])  # every record's CRCs checked
    assert events[0].file_version == "brain.Event:2" and events[1].graph_def
    steps = events[2:]
    assert [e.step for e in steps] == list(range(r["steps"]))
    loss = [next(v.simple_value for v in e.summary.value if v.tag == "loss") for e in steps]
    accuracy = [next(v.simple_value for v in e.summary.value if v.tag == "accuracy") for e in steps]
    assert np.mean(loss[-50:]) < 0.5 * np.mean(loss[:50]) and np.mean(accuracy[-50:]) > 0.75
