"""`tensorgraph train` under the configurations a new user tries on day one (issue 11): a diverging
step size with early stopping, an output folder it cannot write, patience without validation data,
no validation data at all. Never a crash; errors before any training; outputs that say the truth."""
import json
import os
import pathlib
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
