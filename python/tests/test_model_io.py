"""export_model / import_model from Python, and across languages with tests/model_io_tool."""
import json
import os
import pathlib
import struct
import subprocess

import numpy as np
import pytest

import tensorgraph as tg

_CODES = {"F32": np.float32, "F64": np.float64, "I32": np.int32, "I64": np.int64}


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, a in tensors.items():
        a = np.ascontiguousarray(a)
        code = {v: k for k, v in _CODES.items()}[a.dtype.type]
        header[name] = {"dtype": code, "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        blobs.append(a.tobytes())
        offset += a.nbytes
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    pathlib.Path(path).write_bytes(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def read_safetensors(path):
    data = pathlib.Path(path).read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    out = {}
    for name, e in header.items():
        b, end = e["data_offsets"]
        out[name] = np.frombuffer(data[8 + n + b:8 + n + end], dtype=_CODES[e["dtype"]]).reshape(e["shape"])
    return out


def tool():
    env = os.environ.get("TG_MODEL_IO_TOOL")
    candidates = [pathlib.Path(env)] if env else []
    for p in os.environ.get("PYTHONPATH", "").split(os.pathsep):
        if p:
            candidates.append(pathlib.Path(p).resolve().parent / "tests" / "model_io_tool")
    for c in candidates:
        if c.is_file():
            return str(c)
    pytest.skip("model_io_tool not built")


def train_mlp():
    rng = np.random.default_rng(5)
    x = tg.placeholder(np.float32, [None, 4], name="x")
    y = tg.placeholder(np.float32, [None, 3], name="y")
    w1 = tg.Variable(rng.normal(0, 0.5, (4, 8)).astype(np.float32), name="w1")
    b1 = tg.Variable(np.zeros(8, np.float32), name="b1")
    w2 = tg.Variable(rng.normal(0, 0.5, (8, 3)).astype(np.float32), name="w2")
    b2 = tg.Variable(np.zeros(3, np.float32), name="b2")
    logits = tg.add(tg.matmul(tg.relu(tg.add(tg.matmul(x, w1), b1)), w2), b2, name="logits")
    probs = tg.softmax(logits, name="probs")
    loss = tg.reduce_mean(tg.softmax_cross_entropy_with_logits(labels=y, logits=logits))
    step = tg.train.GradientDescentOptimizer(0.1).minimize(loss)
    xs = rng.normal(size=(12, 4)).astype(np.float32)
    ys = np.eye(3, dtype=np.float32)[np.arange(12) % 3]
    s = tg.Session()
    for _ in range(20):
        s.run(step, {x: xs, y: ys})
    return s, x, probs, xs


def test_round_trip_in_python(tmp_path):
    s, x, probs, xs = train_mlp()
    want = s.run(probs, {x: xs})
    tg.export_model(s, [probs], str(tmp_path / "m"))
    graph, nodes, outputs = tg.import_model(str(tmp_path / "m"))
    assert [o.name for o in outputs] == ["probs"]
    got = tg.Session(graph).run(outputs[0], {nodes["x"]: xs})
    np.testing.assert_array_equal(got, want)
    assert got.tobytes() == want.tobytes()


def test_bad_files_raise_io_error(tmp_path):
    s, x, probs, xs = train_mlp()
    prefix = str(tmp_path / "m")
    tg.export_model(s, [probs], prefix)
    text = pathlib.Path(prefix + ".json").read_text()
    assert '"op":"softmax"' in text
    pathlib.Path(prefix + ".json").write_text(text.replace('"op":"softmax"', '"op":"custom"'))
    with pytest.raises(tg.IoError, match="custom"):
        tg.import_model(prefix)
    pathlib.Path(prefix + ".json").write_text(text[:-20])
    with pytest.raises(tg.IoError, match="malformed JSON"):
        tg.import_model(prefix)
    with pytest.raises(tg.IoError):
        tg.import_model(str(tmp_path / "missing"))


def test_python_export_cpp_import(tmp_path):
    s, x, probs, xs = train_mlp()
    want = s.run(probs, {x: xs})
    tg.export_model(s, [probs], str(tmp_path / "py"))
    write_safetensors(tmp_path / "in.safetensors", {"x": xs})
    subprocess.run([tool(), "predict", str(tmp_path / "py"), str(tmp_path / "in.safetensors"),
                    str(tmp_path / "out.safetensors")], check=True, timeout=120)
    got = read_safetensors(tmp_path / "out.safetensors")["probs"]
    assert got.dtype == want.dtype and got.tobytes() == want.tobytes()


def test_cpp_export_python_import(tmp_path):
    xs = np.random.default_rng(9).normal(size=(7, 4)).astype(np.float32)
    write_safetensors(tmp_path / "in.safetensors", {"x": xs})
    subprocess.run([tool(), "train", str(tmp_path / "cc"), str(tmp_path / "in.safetensors"),
                    str(tmp_path / "out.safetensors")], check=True, timeout=120)
    want = read_safetensors(tmp_path / "out.safetensors")["probs"]
    graph, nodes, outputs = tg.import_model(str(tmp_path / "cc"))
    got = tg.Session(graph).run(outputs[0], {nodes["x"]: xs})
    assert got.dtype == want.dtype and got.tobytes() == want.tobytes()
