"""`tensorgraph train --task charlm` and `tensorgraph generate` on its checkpoints: the model learns a
Debian fortunes file (validation loss in nats per character well below the bytes' own entropy),
the outputs are written, sampling is reproducible from its seed and follows the temperature, and
options that do not fit are refused."""
import json
import math
import subprocess
from collections import Counter

import pytest

from test_cli_robustness import cli

TEXT = "/usr/share/games/fortunes/computers"


def run_cli(*args, timeout=600, text=True):
    return subprocess.run([cli(), *map(str, args)], capture_output=True, text=text, timeout=timeout)


def entropy(path):
    data = open(path, "rb").read()
    return -sum(n / len(data) * math.log(n / len(data)) for n in Counter(data).values())


def test_charlm_trains_writes_its_outputs_and_generates(tmp_path):
    out = tmp_path / "lm"
    done = run_cli("train", "--task", "charlm", "--text", TEXT, "--epochs", "3", "--output", out)
    assert done.returncode == 0, done.stderr
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["task"] == "charlm" and metrics["model"] == "64-256"
    assert metrics["options"]["batch-size"] == "32" and metrics["options"]["schedule"] == "cosine"
    epochs = metrics["epochs"]
    assert len(epochs) == 3 and epochs[2]["train_loss"] < epochs[0]["train_loss"]
    assert metrics["validation_loss"] == epochs[2]["validation_loss"]
    # 3 epochs (312 steps): about 2.65 nats; the bytes' entropy is 3.33, a uniform guess ln 108 = 4.68
    assert metrics["validation_loss"] < entropy(TEXT) - 0.4, metrics
    assert (out / "metrics.csv").read_text().splitlines()[0] == "epoch,train_loss,validation_loss,seconds"
    assert (out / "loss.png").stat().st_size > 1000
    assert len((out / "sample.txt").read_bytes()) >= 1000
    # bytes: a sampled sequence need not be valid UTF-8
    gen = [run_cli("generate", "--checkpoint", out / "model.safetensors", "--length", 300, "--seed", s,
                   "--temperature", t, text=False) for s, t in ((1, 0.8), (1, 0.8), (2, 0.8), (1, 0.2))]
    assert all(g.returncode == 0 for g in gen), [g.stderr for g in gen]
    texts = [g.stdout[:-1] for g in gen]  # the text, then a newline
    assert all(len(t) == 300 for t in texts)
    assert texts[0] == texts[1] and texts[0] != texts[2]  # the seed decides
    letters = [sum(chr(ch).isalpha() or ch == 32 for ch in t) / len(t) for t in texts]
    assert letters[0] > 0.7, texts[0]
    # a low temperature picks the likeliest characters: fewer distinct ones
    assert len(set(texts[3])) < len(set(texts[0])), (texts[3], texts[0])


@pytest.mark.parametrize("args, code, message", [
    (["--seq-len", "1"], 2, "--seq-len"),
    (["--model", "64"], 2, "the embedding's size and one or more LSTM layers' units"),
    (["--optimizer", "sgd"], 2, "trains with Adam"),
    (["--text", "/nonexistent/text"], 1, "cannot read --text '/nonexistent/text'"),
])
def test_charlm_options_that_do_not_fit_are_refused(tmp_path, args, code, message):
    done = run_cli("train", "--task", "charlm", "--text", TEXT, *args, "--output", tmp_path / "out")
    assert done.returncode == code, done.stderr
    assert message in done.stderr
    assert not (tmp_path / "out" / "model.safetensors").exists()


def test_generate_refuses_a_temperature_of_zero(tmp_path):
    done = run_cli("generate", "--checkpoint", tmp_path / "none.safetensors", "--temperature", "0")
    assert done.returncode == 2 and "--temperature" in done.stderr


def test_ctrl_c_keeps_the_last_whole_epoch(tmp_path):
    import signal
    import time
    out = tmp_path / "lm"
    p = subprocess.Popen([cli(), "train", "--task", "charlm", "--text", TEXT, "--epochs", "50", "--output", out],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    saved = out / "model.safetensors"
    deadline = time.time() + 120
    while not saved.exists() and time.time() < deadline:
        time.sleep(0.2)
    time.sleep(0.5)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=120)
    assert p.returncode == 130, err
    assert "interrupted; " in err and "holds the model after epoch" in err
    gen = run_cli("generate", "--checkpoint", saved, "--length", 50, text=False)
    assert gen.returncode == 0 and len(gen.stdout) == 51, gen.stderr


def test_a_diverging_run_exits_3_and_says_so(tmp_path):
    """At an absurd learning rate the clipped gradients keep the losses finite but millions of nats:
    the run stops after the first epoch with status 3, its metrics written, no sample."""
    out = tmp_path / "lm"
    done = run_cli("train", "--task", "charlm", "--text", TEXT, "--epochs", "3", "--learning-rate", "1e6",
                   "--output", out)
    assert done.returncode == 3, done.stderr
    assert "training diverged: in epoch 1" in done.stderr and "--learning-rate" in done.stderr
    assert len(json.loads((out / "metrics.json").read_text())["epochs"]) == 1
    assert not (out / "sample.txt").exists()
