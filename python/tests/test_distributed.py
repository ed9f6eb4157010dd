"""tensorgraph.distributed: a world of one in this process, and 2 ranks under mpirun (Open MPI,
installed by the setup): 20 float64 steps of fit over 2 ranks equal one process's steps on the
whole batches, every rank holds the same weights, and a rank that raises ends the job at once."""
import os
import pathlib
import shutil
import subprocess
import time

import numpy as np
import pytest

import tensorgraph as tf
import tensorgraph.distributed as hvd

PROGRAM = pathlib.Path(__file__).parent / "distributed" / "program.py"
MPIRUN = shutil.which("mpirun")


def mpirun(*args, timeout=120):
    """Runs program.py on 2 ranks; Open MPI may run as root, in a container, on fewer cores."""
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_btl_vader_single_copy_mechanism="none", OMPI_MCA_rmaps_base_oversubscribe="1")
    cmd = [MPIRUN, "--oversubscribe", "--bind-to", "none", "-np", "2", "/usr/bin/python3", str(PROGRAM), *args]
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout, env=env)


def test_a_process_without_mpirun_is_a_world_of_one():
    hvd.init()
    assert (hvd.size(), hvd.rank(), hvd.local_rank(), hvd.local_size()) == (1, 0, 0, 1)
    x = tf.placeholder(tf.float64, [3])
    s = tf.Session()
    v = np.array([1.0, -2.0, 3.5])
    assert np.array_equal(s.run(hvd.allreduce(x), {x: v}), v)
    assert np.array_equal(s.run(hvd.allreduce(x, op=hvd.Sum), {x: v}), v)
    assert np.array_equal(s.run(hvd.broadcast(x, 0), {x: v}), v)
    assert np.array_equal(hvd.allreduce_array(v), v)
    with pytest.raises(tf.GraphError, match="root 1 is not a rank"):
        hvd.broadcast(x, 1)
    # Horovod's TF1 forms: an operation to run
    w = tf.Variable(np.array([2.0, 3.0]))
    s.run(tf.global_variables_initializer())
    s.run(hvd.broadcast_variables([w], 0))
    s.run(hvd.broadcast_global_variables(0))
    assert np.array_equal(s.run(w), [2.0, 3.0])
    with pytest.raises(tf.ArgumentTypeError, match="broadcast_variables takes"):
        hvd.broadcast_variables("w", 0)


def test_distributed_optimizer_in_a_world_of_one_is_the_wrapped_optimizer():
    rng = np.random.RandomState(0)
    data = rng.normal(size=(16, 3))
    results = []
    for wrap in (False, True):
        with tf.Graph().as_default():
            x = tf.placeholder(tf.float64, [None, 3])
            w = tf.Variable(np.arange(6.0).reshape(3, 2) / 10)
            loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - 1.0))
            opt = tf.train.MomentumOptimizer(0.1, 0.9)
            step = (hvd.DistributedOptimizer(opt) if wrap else opt).minimize(loss)
            with tf.Session() as s:
                s.run(tf.global_variables_initializer())
                for _ in range(5):
                    s.run(step, {x: data})
                results.append(s.run(w))
    assert np.array_equal(results[0], results[1])


def test_allreduce_refuses_what_it_cannot_reduce():
    with pytest.raises(tf.DTypeError, match="mean"):
        hvd.allreduce(tf.placeholder(tf.int64, [2]))  # the mean of integers: use op=Sum
    with pytest.raises(tf.ArgumentValueError, match="Average or Sum"):
        hvd.allreduce(tf.placeholder(tf.float32, [2]), op="max")
    with pytest.raises(tf.ArgumentTypeError, match="tensorgraph.train optimizer"):
        hvd.DistributedOptimizer("adam")


@pytest.mark.skipif(MPIRUN is None, reason="Open MPI's mpirun is not installed (./scripts/setup.sh installs it)")
def test_two_ranks_train_as_one_process_on_the_whole_batch(tmp_path):
    out = tmp_path / "equivalence.json"
    p = mpirun("equivalence", str(out))
    assert p.returncode == 0, p.stdout
    import json
    r = json.loads(out.read_text())
    assert r["size"] == 2
    assert r["max_rel_summed_over_ranks"] < 1e-9, r   # Adam, 20 steps, float64
    assert r["ranks_differing_from_rank0"] == 0, r


@pytest.mark.skipif(MPIRUN is None, reason="Open MPI's mpirun is not installed (./scripts/setup.sh installs it)")
def test_a_rank_that_raises_ends_the_job_within_seconds_naming_it():
    t0 = time.monotonic()
    p = mpirun("raise", "5", timeout=60)
    seconds = time.monotonic() - t0
    assert p.returncode != 0, p.stdout
    assert "rank 1 of 2: uncaught ValueError: rank 1 fails on purpose at step 5" in p.stdout, p.stdout
    assert seconds < 30, (seconds, p.stdout)


def safetensors_tensors(path):
    import json
    import struct
    data = path.read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    return {k: data[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]] for k, v in header.items()}


@pytest.mark.skipif(MPIRUN is None, reason="Open MPI's mpirun is not installed (./scripts/setup.sh installs it)")
@pytest.mark.parametrize("how", ["ctrl-c", "kill -9"])
def test_cli_on_two_ranks_stopped_or_failed_resumes_to_the_same_weights(tmp_path, how):
    """`mpirun -np 2 tensorgraph train`: rank 0 alone writes the outputs. Ctrl-C reaching one rank stops
    both after the same step (rank 0 checkpoints); a rank killed ends the job at once (non-zero, naming
    it), the checkpoint still the last epoch's whole file. Either way --resume on 2 ranks ends, bit for
    bit, with the weights of a run that was never stopped."""
    import signal
    from conftest import repo_root
    cli = os.environ.get("TG_CLI") or str(repo_root() / "build" / "cli" / "tensorgraph")
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_btl_vader_single_copy_mechanism="none", OMPI_MCA_rmaps_base_oversubscribe="1")
    # NOTE: 6 epochs, not 3: an epoch of this model takes about 0.15 s on 2 idle cores, and with 3 the
    # signal could land after the last one (the job then ends by the signal, with no resume to test).
    args = [MPIRUN, "--oversubscribe", "--bind-to", "none", "-np", "2", cli, "train", "--model", "784-32-10",
            "--epochs", "6", "--validation", "0.5", "--threads", "1"]
    whole = subprocess.run(args + ["--output", str(tmp_path / "whole")], capture_output=True, text=True,
                           timeout=300, env=env)
    assert whole.returncode == 0, whole.stderr
    assert "data-parallel over 2 processes (1 thread each)" in whole.stderr
    assert whole.stderr.count("epoch 6/6") == 1, whole.stderr  # one rank speaks
    out = tmp_path / "cut"
    proc = subprocess.Popen(args + ["--output", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    deadline = time.time() + 120
    while not (out / "checkpoint.safetensors").exists() and time.time() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)
    ranks = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    assert len(ranks) == 2, ranks
    t0 = time.monotonic()
    os.kill(int(ranks[1]), signal.SIGINT if how == "ctrl-c" else signal.SIGKILL)  # one rank only
    stdout, stderr = proc.communicate(timeout=120)
    if proc.returncode == 0 or "epoch 6/6" in stderr:
        pytest.skip("the training ended before the signal (a fast machine)")
    if how == "ctrl-c":  # the other rank learns it at the next step
        assert "interrupted;" in stderr and "--resume" in stderr, stderr
    else:
        assert time.monotonic() - t0 < 30 and "rank 1" in stderr, stderr
    assert not (out / "model.safetensors").exists()
    resumed = subprocess.run(args + ["--output", str(out), "--resume"], capture_output=True, text=True,
                             timeout=300, env=env)
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming at epoch " in resumed.stderr
    want, got = safetensors_tensors(tmp_path / "whole" / "model.safetensors"), safetensors_tensors(out / "model.safetensors")
    assert want.keys() == got.keys() and all(want[k] == got[k] for k in want), "weights differ after resuming"


@pytest.mark.skipif(MPIRUN is None, reason="Open MPI's mpirun is not installed (./scripts/setup.sh installs it)")
def test_the_data_parallel_example_learns_on_two_ranks_and_rank_0_alone_speaks():
    from conftest import repo_root
    example = repo_root() / "examples" / "python" / "data_parallel_mlp.py"
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_btl_vader_single_copy_mechanism="none", OMPI_MCA_rmaps_base_oversubscribe="1")
    p = subprocess.run([MPIRUN, "--oversubscribe", "--bind-to", "none", "-np", "2", "/usr/bin/python3", str(example), "1"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300, env=env)
    assert p.returncode == 0, p.stdout
    lines = [line for line in p.stdout.splitlines() if line.startswith("ranks ")]
    assert len(lines) == 1, p.stdout  # rank 0 alone
    assert p.stdout.count("epoch 1/1") == 1, p.stdout
    assert lines[0].startswith("ranks 2: test accuracy ") and float(lines[0].split()[-1]) > 0.8, lines
