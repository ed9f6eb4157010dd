"""Run under mpirun by test_distributed.py: a data-parallel training program in Python.

  program.py equivalence OUT.json   20 float64 steps of fit over the ranks (DistributedOptimizer,
                                    global batch 32) and, on every rank, one process's 20 steps on
                                    the whole batches; writes rank 0's comparison to OUT.json
  program.py raise STEP             rank 1 raises at step STEP of a training loop
"""
import json
import sys

import numpy as np

import tensorgraph as tf
import tensorgraph.distributed as hvd


def mlp():
    rng = np.random.RandomState(7)
    x = tf.placeholder(tf.float64, [None, 6])
    y = tf.placeholder(tf.int64, [None])
    w1 = tf.Variable(rng.normal(0, 0.5, (6, 8)))
    b1 = tf.Variable(np.zeros(8))
    w2 = tf.Variable(rng.normal(0, 0.5, (8, 3)))
    b2 = tf.Variable(np.zeros(3))
    logits = tf.matmul(tf.tanh(tf.matmul(x, w1) + b1), w2) + b2
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    return x, y, loss, [w1, b1, w2, b2]


def data():
    rng = np.random.RandomState(11)
    x = rng.normal(size=(640, 6))
    y = ((x[:, 0] + x[:, 1] > 0).astype(np.int64) + (x[:, 2] > 1)).astype(np.int64)
    return tf.data.Dataset(x, y)


def equivalence(out):
    d = data()
    # One process on the whole batches: fit's own single-process order (epoch 1: seed + 1).
    with tf.Graph().as_default():
        x, y, loss, params = mlp()
        step = tf.train.AdamOptimizer(0.01).minimize(loss)
        with tf.Session() as s:
            for bx, by in d.batches(32, shuffle=True, seed=5 + 1):
                s.run(step, {x: bx, y: by})
            want = s.run(params)
    with tf.Graph().as_default():
        x, y, loss, params = mlp()
        step = hvd.DistributedOptimizer(tf.train.AdamOptimizer(0.01)).minimize(loss)
        with tf.Session() as s:
            hvd.broadcast_variables(s, 0)
            tf.train.fit(s, x, y, loss, step, d, epochs=1, batch_size=32, seed=5, quiet=True)
            got = s.run(params)
            # rank 0's values on every rank (a sum in which the other ranks give zeros)
            rank0 = [hvd.allreduce_array(g if hvd.rank() == 0 else np.zeros_like(g), op=hvd.Sum) for g in got]
    rel = max(float(np.max(np.abs(g - w) / (1e-12 + np.abs(w)))) for g, w in zip(got, want))
    same = all(bool(np.array_equal(g, r)) for g, r in zip(got, rank0))
    flags = hvd.allreduce_array(np.array([rel, 0.0 if same else 1.0]), op=hvd.Sum)
    if hvd.rank() == 0:
        with open(out, "w") as f:
            json.dump({"size": hvd.size(), "max_rel_summed_over_ranks": float(flags[0]),
                       "ranks_differing_from_rank0": int(flags[1])}, f)


def fail(step_at):
    x = tf.placeholder(tf.float32, [None, 4])
    w = tf.Variable(np.ones((4, 4), np.float32))
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w)))
    step = hvd.DistributedOptimizer(tf.train.GradientDescentOptimizer(0.01)).minimize(loss)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for i in range(1, 1000):
            if hvd.rank() == 1 and i == step_at:
                raise ValueError(f"rank 1 fails on purpose at step {i}")
            s.run(step, {x: np.ones((8, 4), np.float32)})


hvd.init()
if sys.argv[1] == "equivalence":
    equivalence(sys.argv[2])
else:
    fail(int(sys.argv[2]))
