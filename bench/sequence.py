#!/usr/bin/env python3
"""bench/sequence.py: the sequence models of issue 15 in tensorgraph (TensorFlow-1.x Python API,
tf.nn.dynamic_rnn over tf.nn.rnn_cell.LSTMCell, unrolled) and PyTorch (torch.nn.LSTM): the
training step's time and peak memory.

  row-LSTM  Fashion-MNIST read row by row: 28 steps of 28 pixels, LSTM 128, the last output to a
            dense layer of 10, softmax cross-entropy, Adam 1e-3, batch 64.

Both sides start from the same weights (TensorFlow's Glorot-uniform kernel [in + units, 4 units],
gates i, j, f, o, zero bias, forget bias 1; rearranged into torch's i, f, g, o with the forget bias
in b_ih and b_hh frozen at zero, TensorFlow having one bias) and see the same batches. Each side runs in a process of its own at 1 and at 2 threads;
the best is reported. Step time: the mean over 200 steps after 20 of warm-up.
Usage: /usr/bin/python3 bench/sequence.py [--quick]   (bench/run.py runs it too and appends its rows)
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
B, T, IN, U, CLASSES = 64, 28, 28, 128, 10


def initial_weights():
    rng = np.random.default_rng(15)
    bound = np.sqrt(6 / (IN + U + 4 * U))
    kernel = rng.uniform(-bound, bound, (IN + U, 4 * U)).astype(np.float32)
    bound = np.sqrt(6 / (U + CLASSES))
    dense = rng.uniform(-bound, bound, (U, CLASSES)).astype(np.float32)
    return kernel, dense


def batches(steps):
    sys.path.insert(0, HERE)
    from run import load_idx  # noqa: E402 (run.py's reader)
    x = load_idx("train-images-idx3-ubyte.gz").reshape(-1, T, IN).astype(np.float32) / 255
    y = load_idx("train-labels-idx1-ubyte.gz").astype(np.int64)
    order = np.random.default_rng(0).permutation(len(x))
    for s in range(steps):
        idx = order[(s * B) % (len(x) - B):][:B]
        yield x[idx], y[idx]


def tg_side(threads, steps, warmup, optimizer):
    import tensorgraph as tf
    tf.set_num_threads(threads)
    kernel, dense = initial_weights()
    rows = tf.placeholder(tf.float32, [None, T, IN])
    labels = tf.placeholder(tf.int64, [None])
    cell = tf.nn.rnn_cell.LSTMCell(U)
    _, state = tf.nn.dynamic_rnn(cell, rows, dtype=tf.float32)
    W, b = tf.Variable(dense), tf.Variable(np.zeros(CLASSES, np.float32))
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels,
                                                                         logits=tf.matmul(state.h, W) + b))
    opt = tf.train.AdamOptimizer(1e-3) if optimizer == "adam" else tf.train.GradientDescentOptimizer(0.1)
    step = opt.minimize(loss)
    sess = tf.Session()
    sess.assign(cell.variables[0], kernel)
    losses, t0 = [], None
    for s, (x, y) in enumerate(batches(steps + warmup)):
        if s == warmup:
            t0 = time.perf_counter()
        losses.append(float(sess.run([loss, step], {rows: x, labels: y})[0]))
    return (time.perf_counter() - t0) / steps, losses


def torch_side(threads, steps, warmup, optimizer):
    import torch
    torch.set_num_threads(threads)
    kernel, dense = initial_weights()
    lstm, fc = torch.nn.LSTM(IN, U, batch_first=True), torch.nn.Linear(U, CLASSES)
    i, j, f, o = np.split(kernel, 4, axis=1)
    w = np.concatenate([i, f, j, o], axis=1).T
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(torch.from_numpy(w[:, :IN]))
        lstm.weight_hh_l0.copy_(torch.from_numpy(w[:, IN:]))
        lstm.bias_ih_l0.zero_()
        lstm.bias_hh_l0.zero_()
        lstm.bias_ih_l0[U:2 * U] = 1.0
        fc.weight.copy_(torch.from_numpy(dense.T))
        fc.bias.zero_()
    # TensorFlow's LSTM has one bias; torch's two (b_ih, b_hh) would learn the sum twice as fast
    lstm.bias_hh_l0.requires_grad_(False)
    params = [p for p in list(lstm.parameters()) + list(fc.parameters()) if p.requires_grad]
    opt = torch.optim.Adam(params, 1e-3) if optimizer == "adam" else torch.optim.SGD(params, 0.1)
    losses, t0 = [], None
    for s, (x, y) in enumerate(batches(steps + warmup)):
        if s == warmup:
            t0 = time.perf_counter()
        _, (h, _) = lstm(torch.from_numpy(x))
        loss = torch.nn.functional.cross_entropy(fc(h[0]), torch.from_numpy(y))
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss))
    return (time.perf_counter() - t0) / steps, losses


def child(side, threads, steps, warmup, optimizer="adam"):
    out = subprocess.run([sys.executable, __file__, "--child", side, str(threads), str(steps), str(warmup), optimizer],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def rows(quick=False):
    steps, warmup = (30, 5) if quick else (200, 20)
    runs = {(side, th): child(side, th, steps, warmup) for side in ("tg", "torch") for th in (1, 2)}
    best = {side: min(((runs[(side, th)], th) for th in (1, 2)), key=lambda r: r[0]["s"]) for side in ("tg", "torch")}
    (tg, tg_th), (pt, pt_th) = best["tg"], best["torch"]
    # the same weights and batches: the losses of 10 plain gradient-descent steps agree to float32
    # rounding. (Adam's differ from the second step by up to 2e-3: TensorFlow's Adam, which tensorgraph
    # follows, adds epsilon to sqrt(v) before the bias correction, torch after it, and the pixel rows
    # at an image's border give many weights gradients near epsilon.)
    sgd = [child(side, 1, 10, 0, "sgd")["losses"] for side in ("tg", "torch")]
    drift = max(abs(a - b) for a, b in zip(*sgd))
    ratio = tg["s"] / pt["s"]
    return [
        ("10. row-LSTM 128 (28 x 28, batch 64), training step", f"unrolled LSTMCell ({tg_th} thr)",
         f"{tg['s'] * 1e3:.1f} ms", f"{pt['s'] * 1e3:.1f} ms ({pt_th} thr)", f"{ratio:.2f}x the time", "<= 1.5x",
         "met" if ratio <= 1.5 else "MISSED"),
        ("10b. row-LSTM, peak RSS", "tensorgraph Python", f"{tg['rss_mb']:.0f} MB", f"{pt['rss_mb']:.0f} MB",
         f"{tg['rss_mb'] / pt['rss_mb']:.2f}x", "(reported)", ""),
        ("10c. row-LSTM, 10 SGD steps' losses from the same weights", "max difference", f"{drift:.1e}", "", "",
         "< 1e-4", "met" if drift < 1e-4 else "MISSED"),
    ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="30 steps (a smoke run)")
    ap.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        side, threads, steps, warmup, optimizer = args.child[0], *map(int, args.child[1:4]), args.child[4]
        s, losses = (tg_side if side == "tg" else torch_side)(threads, steps, warmup, optimizer)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"s": s, "losses": losses, "rss_mb": rss}))
        return
    header = ["workload", "implementation", "median", "PyTorch", "ratio", "target", "status"]
    print("| " + " | ".join(header) + " |\n|" + " --- |" * len(header))
    for r in rows(args.quick):
        print("| " + " | ".join(r) + " |", flush=True)


if __name__ == "__main__":
    main()
