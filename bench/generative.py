#!/usr/bin/env python3
"""bench/generative.py: the autoencoder and the variational autoencoder of issue 14 in tensorgraph
(C++) and PyTorch: the same models, initial weights (PyTorch's nn.Linear default, drawn here once),
batch order and optimizer (Adam 1e-3); the median epoch time and the final test metric.

  AE   784-64-784, relu then sigmoid, mean squared error; batch 32, 10 epochs; test MSE.
  VAE  784-400-(20 mean, 20 log-variance)-400-784, relu; z = mean + e^(log-variance / 2) eps;
       loss = Bernoulli cross-entropy summed over the pixels + KL(q(z|x) || N(0, I)), per image
       averaged over the batch; batch 128, 5 epochs; the test negative ELBO in nats per image
       (one z per image, as PyTorch's example measures it).

Each side runs in a process of its own, PyTorch at its best thread setting (1 or 2). The metrics are
compared over 3 setups (initial weights, batch order, noise): one run's differ by a few tenths of a
nat from another's on either side.
Usage: /usr/bin/python3 bench/generative.py [--quick]   (bench/run.py runs it too and appends its rows)
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CPP = os.path.join(ROOT, "build", "bench", "bench_generative")
LAYERS = {"ae": [("enc", 784, 64), ("dec", 64, 784)],
          "vae": [("enc", 784, 400), ("mean", 400, 20), ("logvar", 400, 20), ("dec1", 20, 400), ("dec2", 400, 784)]}
BATCH = {"ae": 32, "vae": 128}
EPOCHS = {"ae": 10, "vae": 5}


def setup(folder, model, epochs, variant=0):
    """Initial weights as nn.Linear draws them (U(+-1/sqrt(fan_in)) for W [in, out] and b) and each
    epoch's shuffled order, written for every side; `variant` draws another set."""
    rng = np.random.default_rng(14 + 1000 * variant)
    for name, n_in, n_out in LAYERS[model]:
        bound = 1 / np.sqrt(n_in)
        rng.uniform(-bound, bound, (n_in, n_out)).astype(np.float32).tofile(f"{folder}/{name}_W.f32")
        rng.uniform(-bound, bound, n_out).astype(np.float32).tofile(f"{folder}/{name}_b.f32")
    np.stack([rng.permutation(60000) for _ in range(epochs)]).astype(np.int64).tofile(f"{folder}/order.i64")


def images(name):
    sys.path.insert(0, HERE)
    from run import load_idx  # noqa: E402 (run.py's reader: bytes in place)
    return load_idx(name).reshape(-1, 784)


def torch_side(folder, model, epochs, threads, seed=0):
    import torch
    F = torch.nn.functional
    if threads > 0:
        torch.set_num_threads(threads)
    torch.manual_seed(seed)  # the VAE's noise
    x = torch.from_numpy(images("train-images-idx3-ubyte.gz"))
    tx = torch.from_numpy(images("t10k-images-idx3-ubyte.gz")).float() / 255
    layers = {}
    for name, n_in, n_out in LAYERS[model]:
        lin = torch.nn.Linear(n_in, n_out)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(np.fromfile(f"{folder}/{name}_W.f32", np.float32).reshape(n_in, n_out).T))
            lin.bias.copy_(torch.from_numpy(np.fromfile(f"{folder}/{name}_b.f32", np.float32)))
        layers[name] = lin
    params = [p for lin in layers.values() for p in lin.parameters()]
    opt = torch.optim.Adam(params, lr=1e-3)
    L = layers

    def loss_of(xb):
        if model == "ae":
            return F.mse_loss(torch.sigmoid(L["dec"](torch.relu(L["enc"](xb)))), xb)
        h = torch.relu(L["enc"](xb))
        mean, logvar = L["mean"](h), L["logvar"](h)
        z = mean + torch.exp(0.5 * logvar) * torch.randn_like(mean)
        logits = L["dec2"](torch.relu(L["dec1"](z)))
        bce = F.binary_cross_entropy_with_logits(logits, xb, reduction="sum")
        kl = -0.5 * torch.sum(1 + logvar - mean * mean - torch.exp(logvar))
        return (bce + kl) / xb.shape[0]
    order = np.fromfile(f"{folder}/order.i64", np.int64).reshape(epochs, -1)
    batch, times = BATCH[model], []
    for e in range(epochs):
        t0 = time.perf_counter()
        for start in range(0, 60000, batch):
            idx = torch.from_numpy(order[e, start:start + batch])
            opt.zero_grad()
            loss_of(x[idx].float() / 255).backward()
            opt.step()
        times.append(time.perf_counter() - t0)
    with torch.no_grad():
        metric = float(loss_of(tx))
    return statistics.median(times), metric


def cpp_side(folder, model, epochs, seed=1):
    out = subprocess.run([CPP, model, folder, str(epochs), str(seed)], check=True, capture_output=True,
                         text=True).stdout
    r = {k: float(v) for k, v in (line.split() for line in out.splitlines())}
    return r["s_per_epoch"], r["test_metric"]


def torch_child(folder, model, epochs, threads, seed=0):
    out = subprocess.run([sys.executable, __file__, "--torch", folder, model, str(epochs), str(threads), str(seed)],
                         check=True, capture_output=True, text=True).stdout.split()
    return tuple(map(float, out))


def measure(model, epochs, setups):
    """Epoch times from the first setup (PyTorch at its best of 1 and 2 threads), and each side's
    metric over `setups` sets of initial weights, batch order and noise: [(tensorgraph, PyTorch)]."""
    metrics = []
    with tempfile.TemporaryDirectory() as folder:
        for variant in range(setups):
            setup(folder, model, epochs, variant)
            if variant == 0:
                runs = {threads: torch_child(folder, model, epochs, threads) for threads in (1, 2)}
                threads = min(runs, key=lambda t: runs[t][0])
                t_s, t_m = runs[threads]
                tg_s, tg_m = cpp_side(folder, model, epochs)
            else:
                t_m = torch_child(folder, model, epochs, threads, variant)[1]
                tg_m = cpp_side(folder, model, epochs, variant + 1)[1]
            metrics.append((tg_m, t_m))
    return (tg_s, t_s, threads), metrics


def rows(quick=False):
    out = []
    for model in ("ae", "vae"):
        epochs, setups = (1, 1) if quick else (EPOCHS[model], 3)
        (tg_s, t_s, thr), metrics = measure(model, epochs, setups)
        what = "test MSE" if model == "ae" else "test -ELBO (nats)"
        fmt = (lambda v: f"{v:.5f}") if model == "ae" else (lambda v: f"{v:.2f}")
        name = "8. AE 784-64-784, batch 32" if model == "ae" else "9. VAE 784-400-20, batch 128"
        out.append((f"{name}, epoch", "tensorgraph C++", f"{tg_s:.2f} s", f"{t_s:.2f} s ({thr} thr)",
                    f"{tg_s / t_s:.2f}x the time", "<= 0.5x", "met" if tg_s <= 0.5 * t_s else "MISSED"))
        tg_mean, t_mean = (statistics.mean(m[k] for m in metrics) for k in (0, 1))
        each = lambda k: ", ".join(fmt(m[k]) for m in metrics)  # noqa: E731
        if model == "ae":
            target, ok = "<= PyTorch's", tg_mean <= t_mean
        else:
            target, ok = "<= 247", tg_mean <= 247.0
        out.append((f"{name}, {what} after {epochs} epochs, mean of {setups} setups", "tensorgraph C++",
                    f"{fmt(tg_mean)} ({each(0)})", f"{fmt(t_mean)} ({each(1)})", f"{tg_mean - t_mean:+.4g}",
                    target, "met" if ok else "MISSED"))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="one epoch of each (a smoke run)")
    ap.add_argument("--torch", nargs=5, metavar=("FOLDER", "MODEL", "EPOCHS", "THREADS", "SEED"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.torch:
        print(*torch_side(args.torch[0], args.torch[1], int(args.torch[2]), int(args.torch[3]), int(args.torch[4])))
        return
    header = ["workload", "implementation", "median", "PyTorch", "ratio", "target", "status"]
    print("| " + " | ".join(header) + " |\n|" + " --- |" * len(header))
    for r in rows(args.quick):
        print("| " + " | ".join(r) + " |", flush=True)


if __name__ == "__main__":
    main()
