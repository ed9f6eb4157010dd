"""A character-level language model as a TensorFlow 1.x program: an embedding of 64 per character,
an LSTMCell(256) over windows of 64 characters (tf.nn.dynamic_rnn), a dense layer to the next
character's logits. Adam 2e-3 (cosine to 0 over the run), gradients clipped to a global norm of 5,
batches of 32 windows drawn at random from the first 90% of the text; the last 10% is the validation
text. Prints the mean loss every 100 steps, the validation loss in nats per character, and then
`length` characters sampled one at a time at the given temperature.

    /usr/bin/python3 examples/python/charlm.py [TEXT] [STEPS] [LENGTH] [TEMPERATURE]
    (defaults: /usr/share/games/fortunes/computers from Debian's fortunes package, 1000, 400, 0.8)
"""
import sys

import numpy as np
import tensorgraph as tf

path = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/games/fortunes/computers"
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
length = int(sys.argv[3]) if len(sys.argv) > 3 else 400
temperature = float(sys.argv[4]) if len(sys.argv) > 4 else 0.8
B, T, E, U = 32, 64, 64, 256

with open(path, encoding="utf-8", errors="replace") as f:
    text = f.read()
chars = sorted(set(text))
index = {c: i for i, c in enumerate(chars)}
data = np.array([index[c] for c in text], np.int64)
train_ids, val_ids = data[:int(0.9 * len(data))], data[int(0.9 * len(data)):]
V = len(chars)
print(f"{path}: {len(text)} characters, {V} distinct; {len(train_ids)} to train on, {len(val_ids)} to validate")

rng = np.random.default_rng(0)
embedding = tf.Variable(rng.uniform(-0.1, 0.1, (V, E)).astype(np.float32), name="embedding")
W = tf.Variable(rng.uniform(-1, 1, (U, V)).astype(np.float32) * np.float32(np.sqrt(6 / (U + V))), name="softmax/W")
b = tf.Variable(np.zeros(V, np.float32), name="softmax/b")
cell = tf.nn.rnn_cell.LSTMCell(U, seed=1)

# training: windows of T characters, each predicting the next
x = tf.placeholder(tf.int64, [None, T])
y = tf.placeholder(tf.int64, [None, T])
outputs, _ = tf.nn.dynamic_rnn(cell, tf.nn.embedding_lookup(embedding, x), dtype=tf.float32)
logits = tf.matmul(tf.reshape(outputs, [-1, U]), W) + b
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.reshape(y, [-1]), logits=logits))
optimizer = tf.train.AdamOptimizer(tf.train.schedules.cosine(0.002, steps))
gradients, variables = zip(*optimizer.compute_gradients(loss))
clipped, _ = tf.clip_by_global_norm(list(gradients), 5.0)
train_op = optimizer.apply_gradients(list(zip(clipped, variables)))

# sampling: one character at a time, the state fed back
char = tf.placeholder(tf.int64, [1])
c0, h0 = tf.placeholder(tf.float32, [1, U]), tf.placeholder(tf.float32, [1, U])
out1, state1 = cell(tf.nn.embedding_lookup(embedding, char), tf.nn.rnn_cell.LSTMStateTuple(c0, h0))
logits1 = tf.matmul(out1, W) + b


def windows(ids, starts):
    return np.stack([ids[s:s + T] for s in starts]), np.stack([ids[s + 1:s + T + 1] for s in starts])


with tf.Session() as sess:
    total = 0.0
    for step in range(1, steps + 1):
        xs, ys = windows(train_ids, rng.integers(0, len(train_ids) - T - 1, B))
        value, _ = sess.run([loss, train_op], {x: xs, y: ys})
        total += value
        if step % 100 == 0:
            print(f"step {step}: loss {total / 100:.4f}", flush=True)
            total = 0.0
    starts = np.arange(0, len(val_ids) - T - 1, T)
    val = [sess.run(loss, dict(zip((x, y), windows(val_ids, starts[i:i + 256])))) * len(starts[i:i + 256])
           for i in range(0, len(starts), 256)]
    print(f"validation loss {sum(val) / len(starts):.4f} nats/char", flush=True)

    c, h = np.zeros((1, U), np.float32), np.zeros((1, U), np.float32)
    current, out = index["\n"] if "\n" in index else 0, []
    for _ in range(length):
        lg, (c, h) = sess.run([logits1, state1], {char: [current], c0: c, h0: h})
        p = np.exp((lg[0] - lg[0].max()) / temperature)
        current = int(rng.choice(V, p=p / p.sum()))
        out.append(chars[current])
    print("sample:\n" + "".join(out))
