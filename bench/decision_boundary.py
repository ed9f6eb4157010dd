#!/usr/bin/env python3
"""Part V's decision-boundary call, side by side: one Session.run of the trained 2-2-2 network on a
single point (class probabilities out) in tensorgraph from Python and from C++, and the same
forward in PyTorch under torch.no_grad(). Same weights, float64, one thread, in one run with the
three measured in alternation; medians of the repeats. Writes the table to bench/results/.

Usage: /usr/bin/python3 bench/decision_boundary.py [--calls N] [--repeats R]
"""
import argparse
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "build", "python"))
import tensorgraph as ts  # noqa: E402


def tensorgraph_call(weights):
    W1, b1, W2, b2 = weights
    ts.Graph().as_default()
    X = ts.placeholder()
    p = ts.softmax(ts.add(ts.matmul(ts.sigmoid(ts.add(ts.matmul(X, ts.Variable(W1)), ts.Variable(b1))),
                                    ts.Variable(W2)), ts.Variable(b2)))
    session = ts.Session()
    return lambda x, y: session.run(p, feed_dict={X: [[x, y]]})[0]


def torch_call(weights):
    W1, b1, W2, b2 = weights
    net = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Sigmoid(), torch.nn.Linear(2, 2),
                              torch.nn.Softmax(dim=1)).double()
    with torch.no_grad():
        net[0].weight.copy_(torch.from_numpy(W1.T)), net[0].bias.copy_(torch.from_numpy(b1))
        net[2].weight.copy_(torch.from_numpy(W2.T)), net[2].bias.copy_(torch.from_numpy(b2))

    def call(x, y):
        with torch.no_grad():
            return net(torch.tensor([[x, y]], dtype=torch.float64))[0]
    return call


def torch_functional_call(weights):
    W1, b1, W2, b2 = (torch.from_numpy(w) for w in weights)

    def call(x, y):
        with torch.no_grad():
            h = torch.sigmoid(torch.tensor([[x, y]], dtype=torch.float64) @ W1 + b1)
            return torch.softmax(h @ W2 + b2, 1)[0]
    return call


def time_python(call, grid):
    t0 = time.perf_counter()
    for x, y in grid:
        call(x, y)
    return (time.perf_counter() - t0) / len(grid) * 1e6


def time_cpp(exe, calls):
    out = subprocess.run([exe, "boundary", str(calls)], check=True, capture_output=True, text=True).stdout
    values = dict(line.split() for line in out.splitlines())
    assert abs(float(values["prob_sum_per_call"]) - 1) < 1e-12, values  # probabilities sum to 1
    return float(values["us_per_call"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=2500, help="calls per repeat (the 50 x 50 grid)")
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--cpp", default=os.path.join(ROOT, "build", "bench", "bench_workloads"))
    args = ap.parse_args()
    torch.set_num_threads(1)
    rng = np.random.default_rng(3)
    weights = [rng.standard_normal(s) for s in ((2, 2), (2,), (2, 2), (2,))]
    tg_call, pt_call, pf_call = tensorgraph_call(weights), torch_call(weights), torch_functional_call(weights)
    axis = np.linspace(-2, 2, 50)
    grid = [(float(x), float(y)) for x in axis for y in axis][: args.calls]
    # The same work: both give the same probabilities on every grid point.
    worst = max(max(float(np.max(np.abs(tg_call(x, y) - pt_call(x, y).numpy()))),
                    float(np.max(np.abs(tg_call(x, y) - pf_call(x, y).numpy())))) for x, y in grid)
    assert worst < 1e-12, f"tensorgraph and PyTorch disagree by {worst}"
    times = {"tensorgraph C++": [], "tensorgraph Python": [], "PyTorch no_grad, nn.Sequential": [],
             "PyTorch no_grad, functional": []}
    for _ in range(args.repeats):  # alternate, so that machine noise hits all alike
        times["tensorgraph Python"].append(time_python(tg_call, grid))
        times["PyTorch no_grad, nn.Sequential"].append(time_python(pt_call, grid))
        times["PyTorch no_grad, functional"].append(time_python(pf_call, grid))
        times["tensorgraph C++"].append(time_cpp(args.cpp, args.calls))
    med = {k: statistics.median(v) for k, v in times.items()}
    # The peer is PyTorch's faster form.
    torch_us = min(med["PyTorch no_grad, nn.Sequential"], med["PyTorch no_grad, functional"])
    lines = [
        f"# Part V decision-boundary call: one run, single point in, probabilities out",
        f"date: {time.strftime('%Y-%m-%d %H:%M:%S')}  machine: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores  torch {torch.__version__} (1 thread)  numpy {np.__version__}",
        f"command: /usr/bin/python3 bench/decision_boundary.py --calls {args.calls} --repeats {args.repeats}",
        f"max |tensorgraph - PyTorch| over the grid: {worst:.2e}",
        "",
        "| implementation | median us/call | fastest PyTorch / this |",
        "| --- | ---: | ---: |",
    ]
    for name in times:
        lines.append(f"| {name} | {med[name]:.3f} | {torch_us / med[name]:.1f}x |")
    text = "\n".join(lines)
    print(text)
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "decision_boundary.md"), "w") as f:
        f.write(text + "\n")


if __name__ == "__main__":
    main()
