#!/usr/bin/env python3
"""bench/vae_init.py: does another initialisation bring issue 14's VAE below its target?

The VAE of bench/generative.py (784-400-(20 mean, 20 log-variance)-400-784, relu; Bernoulli
cross-entropy summed over the pixels + KL, per image averaged over the batch; Adam 1e-3, batch 128,
5 epochs), in PyTorch on one thread, trained from several initialisations on the first 50,000
training images and measured on the last 10,000 (the negative ELBO in nats per image, the mean of
4 draws of z per image): the test set is not looked at, so the choice is not tuned on it.

  torch          nn.Linear's default: W and b from U(+-1/sqrt(fan_in)) (what the CLI, the examples and
                 bench/generative.py use)
  torch_zero_b   the same weights, zero biases
  torch_x0.5     both halved;  torch_x0.25  both quartered
  logvar_zero    torch, but the log-variance head starts at 0 (every q(z|x) starts as N(mean, I))
  glorot         Glorot-uniform weights, zero biases (the classifiers' dense layers)
  he             He-normal weights N(0, 2/fan_in) before a relu, torch's bound elsewhere, zero biases
  he_torch_b     He-normal before a relu, torch's draws elsewhere and for the biases

Each variant runs with seeds 0..N-1 (the seed draws the weights, the batch order and the noise);
the table gives the mean, its standard error and the runs.
Usage: /usr/bin/python3 bench/vae_init.py [--seeds 5] [--jobs 2]   (about 30 s a run and job here)
"""
import argparse
import multiprocessing
import statistics

import numpy as np

from generative import images  # bench/generative.py's reader (run.py's load_idx), [n, 784] bytes
LAYERS = [("enc", 784, 400, True), ("mean", 400, 20, False), ("logvar", 400, 20, False),
          ("dec1", 20, 400, True), ("dec2", 400, 784, False)]  # (name, in, out, a relu follows)
VARIANTS = ["torch", "torch_zero_b", "torch_x0.5", "torch_x0.25", "logvar_zero", "glorot", "he", "he_torch_b"]


def initial(variant, rng):
    params = {}
    for name, n_in, n_out, relu in LAYERS:
        bound = 1 / np.sqrt(n_in)
        W, b = rng.uniform(-bound, bound, (n_in, n_out)), rng.uniform(-bound, bound, n_out)
        if variant.startswith("torch_x"):
            W, b = W * float(variant[7:]), b * float(variant[7:])
        elif variant == "glorot":
            g = np.sqrt(6 / (n_in + n_out))
            W = rng.uniform(-g, g, (n_in, n_out))
        elif variant.startswith("he") and relu:
            W = rng.normal(0, np.sqrt(2 / n_in), (n_in, n_out))
        if variant in ("torch_zero_b", "glorot", "he") or (variant == "logvar_zero" and name == "logvar"):
            b = np.zeros_like(b)
        if variant == "logvar_zero" and name == "logvar":
            W = np.zeros_like(W)
        params[name] = (W, b)
    return params


def run(job):
    variant, seed = job
    import torch
    F = torch.nn.functional
    torch.set_num_threads(1)
    x = torch.from_numpy(images("train-images-idx3-ubyte.gz").astype(np.float32) / 255)
    train, valid = x[:50000], x[50000:]
    rng = np.random.default_rng(100 + seed)
    torch.manual_seed(seed)
    P = {k: [torch.tensor(a, dtype=torch.float32, requires_grad=True) for a in wb]
         for k, wb in initial(variant, rng).items()}

    def dense(name, h):
        return h @ P[name][0] + P[name][1]

    def loss(xb):
        h = torch.relu(dense("enc", xb))
        mean, logvar = dense("mean", h), dense("logvar", h)
        z = mean + torch.exp(0.5 * logvar) * torch.randn_like(mean)
        logits = dense("dec2", torch.relu(dense("dec1", z)))
        bce = F.binary_cross_entropy_with_logits(logits, xb, reduction="sum")
        kl = -0.5 * torch.sum(1 + logvar - mean * mean - torch.exp(logvar))
        return (bce + kl) / xb.shape[0]
    opt = torch.optim.Adam([p for wb in P.values() for p in wb], lr=1e-3)
    for _ in range(5):
        order = torch.from_numpy(rng.permutation(len(train)))
        for start in range(0, len(train), 128):
            opt.zero_grad()
            loss(train[order[start:start + 128]]).backward()
            opt.step()
    with torch.no_grad():
        return variant, seed, statistics.mean(float(loss(valid)) for _ in range(4))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--variants", default=",".join(VARIANTS))
    args = ap.parse_args()
    jobs = [(v, s) for v in args.variants.split(",") for s in range(args.seeds)]
    with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
        results = pool.map(run, jobs, chunksize=1)
    print("| initialisation | validation -ELBO (nats), mean ± s.e. | runs |\n| --- | --- | --- |")
    for v in args.variants.split(","):
        r = [m for (w, _, m) in results if w == v]
        se = statistics.stdev(r) / np.sqrt(len(r)) if len(r) > 1 else float("nan")
        print(f"| {v} | {statistics.mean(r):.2f} ± {se:.2f} | {', '.join(f'{m:.2f}' for m in r)} |", flush=True)


if __name__ == "__main__":
    main()
