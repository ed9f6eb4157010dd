"""tf.summary: scalar, histogram and image summaries of nodes, merge_all / merge, and FileWriter,
which writes TensorBoard event files that TensorBoard on another machine opens.

    tf.summary.scalar("loss", cost)
    merged = tf.summary.merge_all()
    writer = tf.summary.FileWriter("logs", graph=tf.get_default_graph())
    summary, _ = sess.run([merged, train_op], feed_dict)
    writer.add_summary(summary, step)

A summary is a node (an identity of the tensor, named by the summary's tag, in the SUMMARIES
collection); merge_all() is a dict {(kind, tag): node}, which Session.run fetches as any nested
fetch, and add_summary turns the fetched values into a Summary. The file is TensorFlow's: TFRecord
records (length, its masked CRC32C, the data, the data's masked CRC32C) holding Event protocol
buffers (the field numbers of TensorBoard's event.proto and summary.proto), encoded by Debian's
python3-protobuf from descriptors built here. Histograms use 30 equal-width buckets between the
values' minimum and maximum; images are PNG, float images scaled as TensorFlow's (non-negative:
the largest becomes 255; else the largest magnitude 127 around 127).
"""
import os
import socket
import struct
import time
import zlib

import numpy as np

from . import _core
from ._args import INT, NAME, NONE, PATH, STR, TENSOR, Kind, checked
from ._nodes import as_node

SUMMARIES = "summaries"  # the name tf.GraphKeys.SUMMARIES holds too
_KINDS = ("scalar", "histogram", "image", "images")  # images: max_outputs above 1 (tags name/image/i)


def _kind_key(kind):
    return f"{SUMMARIES}/{kind}"  # internal collections: which summaries are of which kind


def _add(kind, name, tensor, collections):
    from . import identity
    node = identity(tensor, name=name)
    g = node.graph
    for key in (collections if collections is not None else [SUMMARIES]):
        g._add_to_collection(key, node)
    g._add_to_collection(_kind_key(kind), node)
    return node

_COLLECTIONS = Kind("None or a list of collection names", lambda x: x is None or (isinstance(x, (list, tuple)) and
                                                                                  all(isinstance(k, str) for k in x)))


@checked
def scalar(name: STR, tensor: TENSOR, collections: _COLLECTIONS = None, family: NONE = None):
    """The scalar `tensor` under the tag `name` (scoped as node names are)."""
    return _add("scalar", name, as_node(tensor), collections)


@checked
def histogram(name: STR, values: TENSOR, collections: _COLLECTIONS = None, family: NONE = None):
    """A histogram of `values` (any shape) under the tag `name`."""
    return _add("histogram", name, as_node(values), collections)


@checked
def image(name: STR, tensor: TENSOR, max_outputs: INT = 3, collections: _COLLECTIONS = None, family: NONE = None):
    """Up to max_outputs images of `tensor` [batch, height, width, channels] (1, 3 or 4 channels),
    tagged name/image/0, name/image/1, ... (name/image for one)."""
    if max_outputs < 1:
        raise _core.ArgumentValueError(f"image: max_outputs must be at least 1, got {max_outputs}")
    first = as_node(tensor)[:int(max_outputs)]  # only these are fetched
    return _add("image" if max_outputs == 1 else "images", name, first, collections)


def _kind_of(graph, node):
    for kind in _KINDS:
        if node in graph._get_collection(_kind_key(kind)):
            return kind
    raise _core.GraphError(f"'{node.name}' is not a summary (tf.summary.scalar, histogram or image)")


@checked
def merge(inputs: Kind("a list of summaries", lambda x: isinstance(x, (list, tuple))), collections: NONE = None,
          name: NAME = None):
    """The summaries of `inputs` (summary nodes or merged summaries) as one merged summary: a dict
    {(kind, tag): node} that Session.run fetches."""
    merged = {}
    for x in inputs:
        if isinstance(x, dict):
            merged.update(x)
            continue
        node = as_node(x)
        merged[(_kind_of(node.graph, node), node.name)] = node
    return merged


@checked
def merge_all(key: STR = SUMMARIES, scope: NONE = None, name: NAME = None):
    """Every summary of the default graph's collection `key` merged (None when there is none, as
    TensorFlow's)."""
    nodes = _core.Graph.get_default()._get_collection(key)
    return merge(nodes) if nodes else None


# --- the file format --------------------------------------------------------------------------------

def _crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC_TABLE = _crc32c_table()


def crc32c(data):
    """CRC-32C (Castagnoli) of `data`, as TFRecord frames use."""
    crc = 0xFFFFFFFF
    for b in bytes(data):
        crc = _CRC_TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc32c(data):
    """TFRecord's masked CRC: ((crc >> 15) | (crc << 17)) + 0xa282ead8, mod 2^32."""
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def tfrecord(data):
    """One TFRecord: length (uint64 LE), its masked CRC32C, the data, the data's masked CRC32C."""
    length = struct.pack("<Q", len(data))
    return length + struct.pack("<I", masked_crc32c(length)) + data + struct.pack("<I", masked_crc32c(data))


def _message_classes():
    """Event, Summary, HistogramProto, GraphDef (and their parts) with TensorBoard's field numbers,
    made from a descriptor built here in a pool of its own."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
    F = descriptor_pb2.FieldDescriptorProto
    f = descriptor_pb2.FileDescriptorProto(name="tensorgraph_events.proto", package="tensorflow", syntax="proto3")

    def message(name, *fields, parent=None):
        m = (parent.nested_type if parent is not None else f.message_type).add(name=name)
        for number, field, kind, *rest in fields:
            d = m.field.add(name=field, number=number, type=kind,
                            label=F.LABEL_REPEATED if rest and rest[0] == "repeated" else F.LABEL_OPTIONAL)
            if kind == F.TYPE_MESSAGE:
                d.type_name = rest[-1]
        return m

    message("HistogramProto", (1, "min", F.TYPE_DOUBLE), (2, "max", F.TYPE_DOUBLE), (3, "num", F.TYPE_DOUBLE),
            (4, "sum", F.TYPE_DOUBLE), (5, "sum_squares", F.TYPE_DOUBLE),
            (6, "bucket_limit", F.TYPE_DOUBLE, "repeated"), (7, "bucket", F.TYPE_DOUBLE, "repeated"))
    summary = message("Summary", (1, "value", F.TYPE_MESSAGE, "repeated", ".tensorflow.Summary.Value"))
    message("Image", (1, "height", F.TYPE_INT32), (2, "width", F.TYPE_INT32), (3, "colorspace", F.TYPE_INT32),
            (4, "encoded_image_string", F.TYPE_BYTES), parent=summary)
    message("Value", (7, "node_name", F.TYPE_STRING), (1, "tag", F.TYPE_STRING), (2, "simple_value", F.TYPE_FLOAT),
            (4, "image", F.TYPE_MESSAGE, ".tensorflow.Summary.Image"),
            (5, "histo", F.TYPE_MESSAGE, ".tensorflow.HistogramProto"), parent=summary)
    message("Event", (1, "wall_time", F.TYPE_DOUBLE), (2, "step", F.TYPE_INT64), (3, "file_version", F.TYPE_STRING),
            (4, "graph_def", F.TYPE_BYTES), (5, "summary", F.TYPE_MESSAGE, ".tensorflow.Summary"))
    message("NodeDef", (1, "name", F.TYPE_STRING), (2, "op", F.TYPE_STRING), (3, "input", F.TYPE_STRING, "repeated"),
            (4, "device", F.TYPE_STRING))
    message("VersionDef", (1, "producer", F.TYPE_INT32))
    message("GraphDef", (1, "node", F.TYPE_MESSAGE, "repeated", ".tensorflow.NodeDef"),
            (4, "versions", F.TYPE_MESSAGE, ".tensorflow.VersionDef"))
    pool = descriptor_pool.DescriptorPool()
    pool.Add(f)

    def cls(full_name):
        d = pool.FindMessageTypeByName(full_name)
        get = getattr(message_factory, "GetMessageClass", None)
        return get(d) if get else message_factory.MessageFactory(pool).GetPrototype(d)

    classes = {n: cls(f"tensorflow.{n}") for n in ("Event", "Summary", "HistogramProto", "GraphDef")}
    classes.update(Value=cls("tensorflow.Summary.Value"), Image=cls("tensorflow.Summary.Image"))
    return classes


_MESSAGES = None


def messages():
    """The protocol-buffer classes of the event file: {"Event", "Summary", "Value" (Summary.Value),
    "Image" (Summary.Image), "HistogramProto", "GraphDef"}."""
    global _MESSAGES
    if _MESSAGES is None:
        try:
            _MESSAGES = _message_classes()
        except ImportError as e:
            raise _core.IoError("tf.summary needs Debian's python3-protobuf (apt-get install python3-protobuf): "
                                f"{e}") from None
    return _MESSAGES


def _png(pixels):
    """A PNG of uint8 pixels [height, width, channels] (1: grey, 3: RGB, 4: RGBA)."""
    h, w, c = pixels.shape
    raw = b"".join(b"\x00" + pixels[y].tobytes() for y in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, {1: 0, 3: 2, 4: 6}[c], 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _as_uint8(images):
    if images.dtype == np.uint8:
        return images
    x = np.nan_to_num(np.asarray(images, np.float64))
    if x.min() >= 0:
        scaled = x * (255.0 / x.max()) if x.max() > 0 else x
    else:
        scaled = x * (127.0 / np.abs(x).max()) + 127.0
    return np.clip(np.round(scaled), 0, 255).astype(np.uint8)


def _values(summary):
    """Summary.Value messages of a fetched merged summary {(kind, tag): value}."""
    m = messages()
    out = []
    for (kind, tag), value in summary.items():
        v = np.asarray(value)
        if kind == "scalar":
            if v.size != 1:
                raise _core.ShapeError(f"summary '{tag}': a scalar summary needs one value, got shape {v.shape}")
            out.append(m["Value"](tag=tag, simple_value=float(v.reshape(()))))
        elif kind == "histogram":
            flat = v.astype(np.float64).ravel()
            flat = flat[np.isfinite(flat)]
            h = m["HistogramProto"](num=float(flat.size))
            if flat.size:
                counts, edges = np.histogram(flat, bins=30)
                h.min, h.max = float(flat.min()), float(flat.max())
                h.sum, h.sum_squares = float(flat.sum()), float((flat ** 2).sum())
                h.bucket_limit.extend(edges[1:].tolist())
                h.bucket.extend(counts.astype(np.float64).tolist())
            out.append(m["Value"](tag=tag, histo=h))
        elif kind in ("image", "images"):
            if v.ndim != 4 or v.shape[-1] not in (1, 3, 4):
                raise _core.ShapeError(f"summary '{tag}': images are [batch, height, width, 1, 3 or 4], got {v.shape}")
            for i, img in enumerate(_as_uint8(v)):
                image = m["Image"](height=img.shape[0], width=img.shape[1], colorspace=img.shape[2],
                                           encoded_image_string=_png(img))
                out.append(m["Value"](tag=f"{tag}/image/{i}" if kind == "images" else f"{tag}/image",
                                              image=image))
        else:
            raise _core.ArgumentValueError(f"add_summary: '{kind}' is not a summary kind ({', '.join(_KINDS)})")
    return out


class FileWriter:
    """Writes events to logdir/events.out.tfevents.<time>.<host> (TensorFlow's name and format):
    add_summary(summary, global_step), add_graph(graph); flush() and close() (also on leaving a
    `with` block). Each event is one whole record, flushed to the file at flush/close and every
    flush_secs seconds."""

    @checked
    def __init__(self, logdir: PATH, graph: Kind("None or a Graph", lambda x: x is None or isinstance(x, _core.Graph)) = None,
                 max_queue: INT = 10, flush_secs: INT = 120, filename_suffix: STR | NONE = None,
                 session: NONE = None):
        messages()  # python3-protobuf is there
        self.logdir = os.fspath(logdir)
        os.makedirs(self.logdir, exist_ok=True)
        name = f"events.out.tfevents.{int(time.time())}.{socket.gethostname()}{filename_suffix or ''}"
        self.path = os.path.join(self.logdir, name)
        self._file = open(self.path, "ab")
        self._flush_secs, self._last_flush = flush_secs, time.time()
        self._write(messages()["Event"](wall_time=time.time(), file_version="brain.Event:2"))
        if graph is not None:
            self.add_graph(graph)

    def _write(self, event):
        if self._file is None:
            raise _core.IoError(f"FileWriter '{self.path}': closed")
        self._file.write(tfrecord(event.SerializeToString()))
        if time.time() - self._last_flush >= self._flush_secs:
            self.flush()

    @checked
    def add_summary(self, summary: Kind("a fetched merged summary (a dict)", lambda x: isinstance(x, dict)),
                    global_step: INT | NONE = None):
        """Writes the fetched values of a merged summary as one event at global_step."""
        m = messages()
        self._write(m["Event"](wall_time=time.time(), step=int(global_step or 0),
                               summary=m["Summary"](value=_values(summary))))

    @checked
    def add_graph(self, graph: Kind("a Graph", lambda x: isinstance(x, _core.Graph)), global_step: INT | NONE = None):
        """Writes the graph (each node's name, type and inputs) for TensorBoard's graph view."""
        m = messages()
        g = m["GraphDef"]()
        g.versions.producer = 27
        for node in graph.nodes():
            g.node.add(name=node.name, op=node.type, input=[n.name for n in node.input_nodes] +
                       ["^" + n.name for n in node.control_inputs])  # GraphDef's control inputs
        self._write(m["Event"](wall_time=time.time(), step=int(global_step or 0), graph_def=g.SerializeToString()))

    @checked
    def flush(self):
        """Writes what is buffered to the file."""
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._last_flush = time.time()

    @checked
    def close(self):
        """Flushes and closes the file (again: nothing)."""
        if self._file is not None:
            self.flush()
            self._file.close()
            self._file = None

    @checked
    def get_logdir(self):
        """The folder the events go to."""
        return self.logdir

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def read_events(path):
    """The Event messages of an event file, each record's length and data checked against its CRCs
    (an IoError names the first bad record)."""
    m = messages()
    events = []
    with open(os.fspath(path), "rb") as f:
        data = f.read()
    at = 0
    while at < len(data):
        if len(data) - at < 12:
            raise _core.IoError(f"{path}: a record cut short at byte {at}")
        length_bytes = data[at:at + 8]
        (length,) = struct.unpack("<Q", length_bytes)
        (length_crc,) = struct.unpack("<I", data[at + 8:at + 12])
        if length_crc != masked_crc32c(length_bytes):
            raise _core.IoError(f"{path}: the length CRC of the record at byte {at} is wrong")
        body = data[at + 12:at + 12 + length]
        if len(body) != length or len(data) < at + 16 + length:
            raise _core.IoError(f"{path}: a record cut short at byte {at}")
        (body_crc,) = struct.unpack("<I", data[at + 12 + length:at + 16 + length])
        if body_crc != masked_crc32c(body):
            raise _core.IoError(f"{path}: the data CRC of the record at byte {at} is wrong")
        events.append(m["Event"].FromString(body))
        at += 16 + length
    return events


__all__ = ["scalar", "histogram", "image", "merge", "merge_all", "FileWriter"]
