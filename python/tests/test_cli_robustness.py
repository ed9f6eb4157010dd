"""`tensorgraph train` under the configurations a new user tries on day one (issue 11): a diverging
step size with early stopping, an output folder it cannot write, patience without validation data,
no validation data at all. Never a crash; errors before any training; outputs that say the truth."""
import json
import os
import pathlib
import re
import subprocess

import pytest

from conftest import repo_root

DATA = pathlib.Path("/usr/share/datasets/fashion-mnist")


def cli():
    path = os.environ.get("TG_CLI") or str(repo_root() / "build" / "cli" / "tensorgraph")
    if not pathlib.Path(path).is_file():
        pytest.skip(f"no tensorgraph program at {path}")
    if not (DATA / "train-images-idx3-ubyte.gz").is_file():
        pytest.skip("dataset-fashion-mnist is not installed")
    return path


def train(tmp_path, *args):
    """Runs `tensorgraph train` on a small MLP for one or two epochs; returns the CompletedProcess."""
    cmd = [cli(), "train", "--model", "784-32-10", "--epochs", "2", "--output", str(tmp_path / "out"), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


def test_a_diverging_step_with_patience_exits_3_with_a_warning_and_truthful_outputs(tmp_path):
    done = train(tmp_path, "--optimizer", "sgd", "--learning-rate", "1e9", "--patience", "2")
    assert done.returncode == 3, f"{done.returncode}\n{done.stdout}\n{done.stderr}"  # was 139 (SIGSEGV)
    assert "warning: the training loss is " in done.stderr and "at epoch 1, step " in done.stderr
    assert "tensorgraph: training diverged" in done.stderr
    assert "-nan" not in done.stderr + done.stdout
    metrics = json.loads((tmp_path / "out" / "metrics.json").read_text())  # valid JSON: no bare nan
    assert metrics["diverged"] is True
    assert any(e["train_loss"] is None for e in metrics["epochs"])


def test_an_unwritable_output_folder_is_refused_before_training(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    done = subprocess.run([cli(), "train", "--output", str(blocker / "out")], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1
    assert f"cannot write to the output folder '{blocker / 'out'}'" in done.stderr
    assert "training" not in done.stderr.replace("output folder", "")  # nothing was loaded or trained


def test_patience_without_validation_is_refused_up_front(tmp_path):
    done = train(tmp_path, "--validation", "0", "--patience", "2")
    assert done.returncode == 2
    assert "--patience needs validation data" in done.stderr
    assert not (tmp_path / "out" / "model.safetensors").exists()


def test_no_validation_data_leaves_those_metrics_empty(tmp_path):
    done = train(tmp_path, "--validation", "0", "--epochs", "1")
    assert done.returncode == 0, done.stderr
    assert "validating on 0" in done.stderr
    rows = (tmp_path / "out" / "metrics.csv").read_text().splitlines()
    assert rows[0] == "epoch,train_loss,train_accuracy,val_loss,val_accuracy,seconds"
    fields = rows[1].split(",")
    assert fields[3] == "" and fields[4] == "" and float(fields[1]) > 0
    epoch = json.loads((tmp_path / "out" / "metrics.json").read_text())["epochs"][0]
    assert epoch["val_loss"] is None and epoch["val_accuracy"] is None and epoch["train_accuracy"] > 0.5


def test_evaluating_a_diverged_checkpoint_is_an_error_and_a_damaged_one_is_named(tmp_path):
    done = train(tmp_path, "--optimizer", "sgd", "--learning-rate", "1e9", "--epochs", "1")
    assert done.returncode == 3, done.stderr
    checkpoint = tmp_path / "out" / "model.safetensors"
    ev = subprocess.run([cli(), "evaluate", "--checkpoint", str(checkpoint)], capture_output=True, text=True, timeout=120)
    assert ev.returncode == 1
    assert "holds" in ev.stderr and "NaN or infinite value" in ev.stderr and "diverged run" in ev.stderr
    assert "test loss" not in ev.stdout
    # A healthy checkpoint with one byte flipped inside a tensor: refused, naming the tensor.
    good = train(tmp_path / "good", "--epochs", "1")
    assert good.returncode == 0, good.stderr
    path = tmp_path / "good" / "out" / "model.safetensors"
    data = bytearray(path.read_bytes())
    data[-5] ^= 0x01  # inside the last tensor's bytes
    path.write_bytes(bytes(data))
    ev = subprocess.run([cli(), "evaluate", "--checkpoint", str(path)], capture_output=True, text=True, timeout=120)
    assert ev.returncode == 1 and "is damaged: its bytes' CRC-32 is" in ev.stderr, ev.stderr


def safetensors_tensors(path):
    """{name: raw bytes} of a safetensors file (the format is an 8-byte header length, JSON, data)."""
    data = pathlib.Path(path).read_bytes()
    n = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    return {k: data[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]] for k, v in header.items()}


@pytest.mark.parametrize("how", ["ctrl-c", "kill -9"])
def test_an_interrupted_run_resumes_to_the_uninterrupted_result(tmp_path, how):
    """Ctrl-C stops after the current step and writes a checkpoint; a killed run keeps the last epoch's.
    Either way --resume ends with the weights, bit for bit, of a run that was never stopped."""
    import random
    import signal
    import time

    args = [cli(), "train", "--model", "784-64-10", "--epochs", "4", "--patience", "3", "--optimizer", "adam",
            "--dropout", "0.2"]  # dropout's masks, too, must continue where they stopped
    whole = subprocess.run(args + ["--output", str(tmp_path / "whole")], capture_output=True, text=True, timeout=300)
    assert whole.returncode == 0, whole.stderr
    out = tmp_path / "cut"
    proc = subprocess.Popen(args + ["--output", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Stop it somewhere in epochs 2-4: after the first epoch's checkpoint, before the end.
    deadline = time.time() + 120
    while not (out / "checkpoint.safetensors").exists() and time.time() < deadline:
        time.sleep(0.01)
    time.sleep(random.uniform(0.05, 0.6))
    proc.send_signal(signal.SIGINT if how == "ctrl-c" else signal.SIGKILL)
    stdout, stderr = proc.communicate(timeout=120)
    if proc.returncode == 0:
        pytest.skip("the run ended before the signal (a fast machine)")
    if how == "ctrl-c":
        assert proc.returncode == 130, stderr
        assert "interrupted;" in stderr and "--resume" in stderr
    else:
        assert proc.returncode == -signal.SIGKILL
    assert not (out / "model.safetensors").exists()
    resumed = subprocess.run(args + ["--output", str(out), "--resume"], capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming at epoch " in resumed.stderr
    want, got = safetensors_tensors(tmp_path / "whole" / "model.safetensors"), safetensors_tensors(out / "model.safetensors")
    assert want.keys() == got.keys() and all(want[k] == got[k] for k in want), "weights differ after resuming"
    rows = lambda p: [r.split(",")[:5] for r in (p / "metrics.csv").read_text().splitlines()]
    assert rows(tmp_path / "whole") == rows(out)  # every epoch's metrics too (seconds aside)


def test_resume_refuses_other_options(tmp_path):
    first = train(tmp_path, "--epochs", "1")
    assert first.returncode == 0, first.stderr
    again = train(tmp_path, "--epochs", "2", "--optimizer", "sgd", "--resume")
    assert again.returncode == 1
    assert "--resume: " in again.stderr and "was trained with --optimizer adam, this run asks for sgd" in again.stderr


def test_a_cosine_schedule_trains_is_recorded_and_resume_holds_to_it(tmp_path):
    """--schedule cosine (here on plain SGD, which then runs as momentum 0) is written with the
    run's options, and a resume that asks for another schedule is refused."""
    first = train(tmp_path, "--epochs", "1", "--optimizer", "sgd", "--learning-rate", "0.1", "--schedule", "cosine")
    assert first.returncode == 0, first.stderr
    metrics = json.loads((tmp_path / "out" / "metrics.json").read_text())
    assert metrics["options"]["schedule"] == "cosine", metrics
    assert metrics["test_accuracy"] > 0.7, metrics  # it learned (the 32-unit MLP: about 0.8 after an epoch)
    again = train(tmp_path, "--epochs", "2", "--optimizer", "sgd", "--learning-rate", "0.1", "--resume")
    assert again.returncode == 1
    assert "was trained with --schedule cosine, this run asks for constant" in again.stderr


@pytest.mark.parametrize("option, value, message", [
    ("--epochs", "2.5", "--epochs: expects a whole number from 1 to 1000000, got '2.5'"),
    ("--epochs", "2.7", "--epochs: expects a whole number from 1 to 1000000, got '2.7'"),  # was 2 epochs
    ("--epochs", "0", "--epochs: expects a whole number from 1 to 1000000, got '0'"),
    ("--epochs", "1e3", "--epochs: expects a whole number from 1 to 1000000, got '1e3'"),
    ("--learning-rate", "0", "--learning-rate: expects a number above 0, got '0'"),
    ("--learning-rate", "nan", "--learning-rate: expects a number above 0, got 'nan'"),
    ("--learning-rate", "fast", "--learning-rate: expects a number above 0, got 'fast'"),
    ("--batch-size", "-3", "--batch-size: expects a whole number from 1 to 60000, got '-3'"),
    ("--seed", "-1", "--seed: expects a whole number from 0 to 18446744073709551615, got '-1'"),
    ("--validation", "1", "--validation: expects a number in [0, 1), got '1'"),
    ("--dropout", "1.5", "--dropout: expects a number in [0, 1), got '1.5'"),
    ("--optimizer", "adagrad", "--optimizer: expects sgd, momentum, rmsprop or adam, got 'adagrad'"),
    ("--schedule", "linear", "--schedule: expects constant or cosine, got 'linear'"),
    ("--model", "100-32-10", "--model 100-32-10: Fashion-MNIST has 784 inputs (28 x 28 pixels) and 10 classes"),
    ("--model", "784-32-7", "--model 784-32-7: Fashion-MNIST has 784 inputs"),
    ("--threads", "-2", "--threads: expects a whole number from 0 to 1024, got '-2'"),
])
@pytest.mark.parametrize("form", ["--opt value", "--opt=value"])
def test_options_are_typed_and_ranged_before_anything_runs(tmp_path, option, value, message, form):
    given = [f"{option}={value}"] if form == "--opt=value" else [option, value]
    done = subprocess.run([cli(), "train", "--output", str(tmp_path / "out"), *given], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert f"tensorgraph: {message}" in done.stderr
    assert "Traceback" not in done.stderr and "terminate called" not in done.stderr
    assert "images, validating on" not in done.stderr and not (tmp_path / "out").exists()  # nothing loaded or written


@pytest.mark.parametrize("args, message", [
    (["train", "--bogus", "1"], "tensorgraph: unknown option '--bogus' for train"),
    (["evaluate", "--epochs", "3"], "tensorgraph: unknown option '--epochs' for evaluate"),  # train's, not evaluate's
    (["predict", "--count=0"], "tensorgraph: --count: expects a whole number from 1 to 1000000000, got '0'"),
    (["predict", "--index", "-1"], "tensorgraph: --index: expects a whole number from 0 to 1000000000, got '-1'"),
    (["train", "--epochs"], "tensorgraph: --epochs"),  # no value: named
    (["fit"], "tensorgraph: unknown command 'fit' (train, evaluate, predict or generate)"),
    ([], "tensorgraph: A subcommand is required"),
])
def test_a_bad_command_line_exits_2_naming_what_is_wrong(args, message):
    done = subprocess.run([cli(), *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert message in done.stderr, done.stderr
    assert "--help' for the options." in done.stderr and done.stdout == ""


def test_help_per_command_and_version():
    top = subprocess.run([cli(), "--help"], capture_output=True, text=True, timeout=60)
    assert top.returncode == 0 and all(c in top.stdout for c in ("train", "evaluate", "predict", "generate", "--version"))
    helps = {c: subprocess.run([cli(), c, "--help"], capture_output=True, text=True, timeout=60)
             for c in ("train", "evaluate", "predict", "generate")}
    assert all(h.returncode == 0 and h.stderr == "" for h in helps.values())
    train = helps["train"].stdout
    for option, default in [("--epochs", "10"), ("--batch-size", "64"), ("--optimizer", "adam"),
                            ("--learning-rate", "0.001"), ("--validation", "0.1"), ("--output", "out/fashion-mnist")]:
        assert re.search(rf"^\s+{re.escape(option)} [A-Z]+={re.escape(default)}\s", train, re.MULTILINE), option
    assert "--resume" in train and "--checkpoint" not in train
    assert "--checkpoint" in helps["evaluate"].stdout and "--epochs" not in helps["evaluate"].stdout
    assert "--index" in helps["predict"].stdout and "--count" in helps["predict"].stdout
    assert "--task" in train and all(o in helps["generate"].stdout for o in ("--checkpoint", "--classifier", "--seed"))
    version = subprocess.run([cli(), "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0
    project = (repo_root() / "CMakeLists.txt").read_text().split("project(tensorgraph VERSION ", 1)[1].split()[0]
    assert version.stdout.strip() == project  # CMake's PROJECT_VERSION


def strict_json(text):
    """json.loads that refuses NaN and Infinity, which Python's json module accepts by default."""
    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")
    return json.loads(text, parse_constant=refuse)


def test_metrics_json_is_strict_json_for_a_diverged_run_and_a_quote_in_the_path(tmp_path):
    out = tmp_path / 'a "quoted" \\ folder'
    done = subprocess.run([cli(), "train", "--model", "784-32-10", "--epochs", "2", "--optimizer", "sgd",
                           "--learning-rate", "1e9", "--output", str(out)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 3, done.stderr
    text = (out / "metrics.json").read_text()
    metrics = strict_json(text)  # no bare nan or inf; the path's quote and backslash escaped
    assert metrics["options"]["output"] == str(out)
    assert metrics["diverged"] is True
    assert any(e["train_loss"] is None for e in metrics["epochs"])
    assert not re.search(r":\s*-?(nan|inf)", text, re.IGNORECASE)
    with pytest.raises(ValueError):
        strict_json('{"loss": NaN}')  # the check itself refuses what a hand-made writer printed
    rows = (out / "metrics.csv").read_text().splitlines()
    assert rows[0] == "epoch,train_loss,train_accuracy,val_loss,val_accuracy,seconds" and len(rows) == 3


def test_evaluate_and_predict_take_a_model_made_in_python(tmp_path):
    """A tutorial-style float64 network trained in Python and saved with export_model: the CLI's
    evaluate prints the accuracy Python computes, and predict prints every class's probability."""
    import numpy as np

    import tensorgraph as ts

    cli()
    g = ts.Graph()
    with g.as_default():
        x = ts.placeholder(np.float64, [None, 784], name="images")
        y = ts.placeholder(np.int64, [None], name="y")
        logits = ts.layers.dense(ts.layers.dense(x, 32, activation="relu", seed=1), 10, seed=2)
        probs = ts.softmax(logits, name="probs")
        loss = ts.reduce_mean(ts.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        step = ts.train.AdamOptimizer(0.003).minimize(loss)
        train = ts.data.Dataset.fashion_mnist("train")
        session = ts.Session()
        batches = train.batches(128, seed=1)
        for i in range(150):
            xb, yb = batches[i]
            session.run(step, {x: xb.astype(np.float64), y: yb})
        ts.export_model(session, [probs], str(tmp_path / "net"))
        test = ts.data.Dataset.fashion_mnist("test")
        p = session.run(probs, {x: test.features.astype(np.float64)})
    accuracy = (p.argmax(1) == test.labels).mean()
    assert accuracy > 0.7
    for path in ("net.json", "net.safetensors"):
        ev = subprocess.run([cli(), "evaluate", "--checkpoint", str(tmp_path / path)], capture_output=True, text=True,
                            timeout=120)
        assert ev.returncode == 0, ev.stderr
        assert f"test accuracy: {accuracy:.4f}" in ev.stdout, (ev.stdout, accuracy)
    pr = subprocess.run([cli(), "predict", "--checkpoint", str(tmp_path / "net.json"), "--index", "3", "--count", "2"],
                        capture_output=True, text=True, timeout=120)
    assert pr.returncode == 0, pr.stderr
    lines = pr.stdout.splitlines()
    assert lines[0].startswith("image 3: predicted ") and lines[2].startswith("image 4: predicted ")
    shown = [float(part.rsplit(" ", 1)[1]) for part in lines[1].split(":", 1)[1].split(",")]
    np.testing.assert_allclose(shown, p[3], atol=5e-4)


def test_an_empty_validation_split_is_refused_naming_the_sizes(tmp_path):
    done = train(tmp_path, "--validation", "0.000001")
    assert done.returncode == 1
    assert "fit: the validation set is empty (training set 60000 examples)" in done.stderr
    assert "epoch 1/" not in done.stderr and not (tmp_path / "out" / "model.safetensors").exists()


def test_a_checkpoint_from_before_tensorflow_names_still_evaluates(tmp_path):
    """Checkpoints written before the layers took TensorFlow's names hold "hidden1/W" and "hidden1/b"."""
    done = train(tmp_path, "--epochs", "1", "--model", "784-32-10")
    assert done.returncode == 0, done.stderr
    new = tmp_path / "out" / "model.safetensors"
    data = new.read_bytes()
    n = int.from_bytes(data[:8], "little")
    header, body = json.loads(data[8:8 + n]), data[8 + n:]
    rename = lambda k: k.replace("/kernel", "/W").replace("/bias", "/b")
    header = {("__metadata__" if k == "__metadata__" else rename(k)): v for k, v in header.items()}
    header["__metadata__"] = {rename(k): v for k, v in header["__metadata__"].items()}
    assert "hidden1/W" in header and "crc32:hidden1/W" in header["__metadata__"]
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    old = tmp_path / "old.safetensors"
    old.write_bytes(len(text).to_bytes(8, "little") + text + body)
    outs = [subprocess.run([cli(), "evaluate", "--checkpoint", str(p)], capture_output=True, text=True, timeout=120)
            for p in (new, old)]
    assert all(o.returncode == 0 for o in outs), outs[1].stderr
    assert outs[0].stdout == outs[1].stdout


def small_fashion_mnist(folder, train=640, test=200):
    """The first images of Fashion-MNIST as a --data folder of their own (gzip'd IDX files)."""
    import gzip
    folder.mkdir()
    for split, n in (("train", train), ("t10k", test)):
        for kind, item in (("images-idx3", 784), ("labels-idx1", 1)):
            with gzip.open(DATA / f"{split}-{kind}-ubyte.gz") as f:
                head = f.read(4)
                dims = [int.from_bytes(f.read(4), "big") for _ in range(head[3])]
                body = f.read(n * item)
            dims[0] = n
            with gzip.open(folder / f"{split}-{kind}-ubyte.gz", "wb") as out:
                out.write(head + b"".join(d.to_bytes(4, "big") for d in dims) + body)
    return folder


@pytest.mark.parametrize("model", ["cnn", "cnn-bn"])
def test_the_convolutional_models_train_evaluate_and_predict(tmp_path, model):
    """--model cnn and cnn-bn on a small part of the data: the checkpoint names the model, dropout
    defaults to 0.4 for them and the schedule to cosine, and evaluate rebuilds the network from the checkpoint (batch
    normalisation's moving statistics included) to print the test accuracy train printed."""
    data = small_fashion_mnist(tmp_path / "data")
    cli()
    done = train(tmp_path, "--model", model, "--epochs", "1", "--data", str(data), "--batch-size", "32")
    assert done.returncode == 0, done.stderr
    metrics = json.loads((tmp_path / "out" / "metrics.json").read_text())
    assert metrics["model"] == model and metrics["options"]["dropout"] == "0.4", metrics
    assert metrics["options"]["schedule"] == "cosine", metrics
    trained = re.search(r"test accuracy: ([0-9.]+)", done.stdout + done.stderr).group(1)
    ev = subprocess.run([cli(), "evaluate", "--checkpoint", str(tmp_path / "out" / "model.safetensors"), "--data",
                         str(data)], capture_output=True, text=True, timeout=120)
    assert ev.returncode == 0, ev.stderr
    assert f"test accuracy: {trained}" in ev.stdout
    pred = subprocess.run([cli(), "predict", "--checkpoint", str(tmp_path / "out" / "model.safetensors"), "--data",
                           str(data), "--count", "2"], capture_output=True, text=True, timeout=120)
    assert pred.returncode == 0, pred.stderr
