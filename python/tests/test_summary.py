"""tf.summary and FileWriter (issue 16): the event file decoded record by record — every length and
data CRC checked with a CRC-32C computed here bit by bit, every Event parsed — and each value
against what the graph computed: scalars, histograms (against numpy), PNG images (decoded here
with zlib), the graph's nodes."""
import struct
import zlib

import numpy as np
import pytest

import tensorgraph as tf


def crc32c_bitwise(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def masked(crc):
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def records(path):
    """Each record's data, its CRCs checked here."""
    data, at, out = open(path, "rb").read(), 0, []
    while at < len(data):
        length_bytes = data[at:at + 8]
        (length,) = struct.unpack("<Q", length_bytes)
        assert struct.unpack("<I", data[at + 8:at + 12])[0] == masked(crc32c_bitwise(length_bytes))
        body = data[at + 12:at + 12 + length]
        assert struct.unpack("<I", data[at + 12 + length:at + 16 + length])[0] == masked(crc32c_bitwise(body))
        out.append(body)
        at += 16 + length
    assert at == len(data)
    return out


def png_pixels(png):
    """The pixels of an 8-bit PNG without interlacing or filters other than none (what we write)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat, header = 8, b"", None
    while at < len(png):
        (n,) = struct.unpack(">I", png[at:at + 4])
        kind, body = png[at + 4:at + 8], png[at + 8:at + 8 + n]
        assert struct.unpack(">I", png[at + 8 + n:at + 12 + n])[0] == zlib.crc32(kind + body) & 0xFFFFFFFF
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        at += 12 + n
    w, h, depth, color = header[:4]
    channels = {0: 1, 2: 3, 6: 4}[color]
    raw = zlib.decompress(idat)
    rows = [raw[y * (1 + w * channels):(y + 1) * (1 + w * channels)] for y in range(h)]
    assert all(r[0] == 0 for r in rows)
    return np.frombuffer(b"".join(r[1:] for r in rows), np.uint8).reshape(h, w, channels)


def test_crc32c_check_value():
    assert tf.summary.crc32c(b"123456789") == 0xE3069283 == crc32c_bitwise(b"123456789")


def test_event_file_holds_every_summary_and_the_graph(tmp_path):
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    w = tf.Variable(np.linspace(-1, 1, 8, dtype=np.float32).reshape(4, 2), name="w")
    with tf.name_scope("train"):
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w)))
        tf.summary.scalar("loss", loss)
    tf.summary.histogram("weights", w)
    tf.summary.image("inputs", tf.reshape(x, [-1, 2, 2, 1]), max_outputs=2)
    merged = tf.summary.merge_all()
    assert set(merged) == {("scalar", "train/loss"), ("histogram", "weights"), ("images", "inputs")}
    step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    feeds = [np.array([[0, 0.5, 1, 0.25], [1, 1, 0, 0], [0.5, 0.5, 0.5, 0.5]], np.float32) * k for k in (1, 2, 3)]
    want = []
    with tf.Session() as sess, tf.summary.FileWriter(tmp_path / "logs", graph=sess.graph) as writer:
        for i, feed in enumerate(feeds):
            values, _ = sess.run([merged, step], {x: feed})
            want.append((values, sess.run(w)))
            writer.add_summary(values, global_step=10 * i)
        path = writer.path
    bodies = records(path)
    Event = tf.summary.messages()["Event"]
    events = [Event.FromString(b) for b in bodies]
    assert [e.step for e in tf.summary.read_events(path)] == [e.step for e in events]
    assert events[0].file_version == "brain.Event:2"
    graph = tf.summary.messages()["GraphDef"].FromString(events[1].graph_def)
    names = {n.name: n for n in graph.node}
    assert names["w"].op == "Variable" and names["x"].op == "Placeholder"
    assert names["train/matmul"].op == "matmul" and list(names["train/matmul"].input) == ["x", "w"]
    assert names["train/loss"].op == "identity" and list(names["train/loss"].input) == [loss.name]
    assert len(graph.node) == len(sess.graph.nodes())
    assert [e.step for e in events[2:]] == [0, 10, 20]
    for e, (values, _), feed in zip(events[2:], want, feeds):
        by_tag = {v.tag: v for v in e.summary.value}
        assert set(by_tag) == {"train/loss", "weights", "inputs/image/0", "inputs/image/1"}
        assert by_tag["train/loss"].simple_value == pytest.approx(float(values[("scalar", "train/loss")]), rel=1e-7)
        h, wv = by_tag["weights"].histo, values[("histogram", "weights")].astype(np.float64)
        assert (h.num, h.min, h.max) == (8, wv.min(), wv.max())
        assert h.sum == pytest.approx(wv.sum()) and h.sum_squares == pytest.approx((wv ** 2).sum())
        counts, edges = np.histogram(wv, bins=30)
        assert list(h.bucket) == counts.tolist() and list(h.bucket_limit) == pytest.approx(edges[1:].tolist())
        for i in range(2):
            img = by_tag[f"inputs/image/{i}"].image
            assert (img.height, img.width, img.colorspace) == (2, 2, 1)
            pixels = png_pixels(img.encoded_image_string)[..., 0]
            batch = feed[:2].reshape(2, 2, 2)
            np.testing.assert_array_equal(pixels, np.round(batch[i] * 255 / batch.max()).astype(np.uint8))


def test_a_damaged_record_is_named(tmp_path):
    tf.summary.scalar("s", tf.constant(1.0))
    with tf.Session() as sess, tf.summary.FileWriter(tmp_path) as writer:
        writer.add_summary(sess.run(tf.summary.merge_all()), 1)
        path = writer.path
    data = bytearray(open(path, "rb").read())
    data[-6] ^= 0x40
    open(path, "wb").write(bytes(data))
    with pytest.raises(tf.IoError, match="data CRC of the record at byte"):
        tf.summary.read_events(path)
    open(path, "wb").write(bytes(data[:-3]))
    with pytest.raises(tf.IoError, match="cut short"):
        tf.summary.read_events(path)


def test_summaries_refuse_what_they_cannot_write(tmp_path):
    with pytest.raises(tf.GraphError, match="not a summary"):
        tf.summary.merge([tf.constant(1.0)])
    assert tf.summary.merge_all() is None
    bad = tf.summary.scalar("two", tf.constant([1.0, 2.0]))
    with tf.Session() as sess, tf.summary.FileWriter(tmp_path) as writer:
        with pytest.raises(tf.ShapeError, match="one value"):
            writer.add_summary(sess.run(tf.summary.merge([bad])))
    with pytest.raises(tf.IoError, match="closed"):
        writer.add_summary({})
    assert tf.get_collection(tf.GraphKeys.SUMMARIES) == [bad]
