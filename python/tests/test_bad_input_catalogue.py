"""The bad-input catalogue through the Python API: one row per misuse, each with the EXACT exception
class it raises (tg.ShapeError, tg.DTypeError, ..., tg.ArgumentTypeError/ArgumentValueError for
Python-level argument mistakes) and words its message must contain. After every row the same
session keeps working: a healthy computation gives the right value and a training step moves its
Variable by the right amount. A second table holds inputs that must WORK (strided, Fortran-order,
unaligned and byte-swapped arrays, int arrays where floats are expected, empty tensors, NaN/Inf),
each asserting values. Every row runs alone and all of them run on one session.

test_errors.py checks the basic cases (missing feed, feed shapes, mixed graphs) and that nothing
crashes the interpreter; this table extends it with exact classes and many more misuses.
"""
import gzip
import pathlib
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import pytest

import tensorgraph as tg


class World:
    """One graph, one session, a healthy computation y = sum(x * w) with a training step."""

    def __init__(self, graph, tmp_path):
        self.g, self.tmp = graph, tmp_path
        self.x = tg.placeholder(np.float64, [None, 3], name="x")
        self.ux = tg.placeholder(name="ux")  # no dtype, no shape: checked when fed
        self.i16 = tg.placeholder(tg.int16, name="i16")
        self.w = tg.Variable([1.0, 2.0, 3.0], name="w")
        self.y = tg.reduce_sum(self.x * self.w, name="y")
        self.step = tg.train.GradientDescentOptimizer(0.5).minimize(self.y)
        self.s = tg.Session(graph)

    def run(self, fetches, feeds=None):
        return self.s.run(fetches, feeds)

    def path(self, name):
        return str(self.tmp / name)

    def write(self, name, data):
        (self.tmp / name).write_bytes(data if isinstance(data, bytes) else data.encode())
        return self.path(name)

    def check_healthy(self):
        before = self.s.run(self.w)
        xv = np.array([[1.0, 2.0, 3.0], [-1.0, 0.0, 2.0]])
        assert self.s.run(self.y, {self.x: xv}) == float((xv * before).sum()), "the session no longer computes y"
        self.s.run(self.step, {self.x: xv})
        np.testing.assert_array_equal(self.s.run(self.w), before - 0.5 * xv.sum(axis=0))


@pytest.fixture
def world(fresh_graph, tmp_path):
    w = World(fresh_graph, tmp_path)
    w.check_healthy()
    return w


@dataclass
class Row:
    id: str
    category: str
    error: type                  # the exact class raised
    words: Sequence[str]         # substrings of the message
    act: Callable[[World], object]


def P(shape, name, dtype=np.float64):
    return tg.placeholder(dtype, shape, name=name)


def foreign(make):
    """A node made by `make` in a new graph (the default graph comes back)."""
    with tg.Graph().as_default():
        return make()


def idx_bytes(type_code, dims, data=b""):
    head = bytes([0, 0, type_code, len(dims)]) + b"".join(int(d).to_bytes(4, "big") for d in dims)
    return head + data


def fashion_dir(w, images, labels):
    """A folder holding Fashion-MNIST-named gzip files with the given raw contents."""
    d = w.tmp / "fashion"
    d.mkdir(exist_ok=True)
    (d / "train-images-idx3-ubyte.gz").write_bytes(gzip.compress(images))
    (d / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(labels))
    return str(d)


def saved(w, name="w.safetensors"):
    tg.train.Saver([w.w]).save(w.s, w.path(name))
    return w.path(name)


def other_graph_session(make_vars):
    """(session, variables) of a new graph holding the Variables make_vars() creates."""
    g = tg.Graph()
    with g.as_default():
        vs = make_vars()
    return tg.Session(g), vs


class NoCompute(tg.Operation):
    def __init__(self, x):
        super().__init__([x])


R = Row
NAN, INF = float("nan"), float("inf")

ROWS = [
    # --- Python values that are not arrays of numbers -----------------------------------------------
    R("feed ragged lists", "python value", tg.ShapeError, ["feed of 'x", "inhomogeneous"],
      lambda w: w.run(w.y, {w.x: [[1.0, 2.0, 3.0], [4.0, 5.0]]})),
    R("feed ragged nested lists, untyped", "python value", tg.ShapeError, ["feed of 'ux", "inhomogeneous"],
      lambda w: w.run(w.ux * 2.0, {w.ux: [[[1.0], [2.0, 3.0]]]})),
    R("feed a string", "python value", tg.DTypeError, ["feed of 'ux", "expected numbers", "<U3"],
      lambda w: w.run(w.ux * 2.0, {w.ux: "abc"})),
    R("feed bytes", "python value", tg.DTypeError, ["feed of 'ux", "|S3"],
      lambda w: w.run(w.ux * 2.0, {w.ux: b"abc"})),
    R("feed None to a typed placeholder", "python value", tg.DTypeError, ["feed of 'x", "dtype object"],
      lambda w: w.run(w.y, {w.x: None})),
    R("feed a dict", "python value", tg.DTypeError, ["feed of 'ux", "dtype object"],
      lambda w: w.run(w.ux * 2.0, {w.ux: {"a": 1.0}})),
    R("feed complex values to a float64 placeholder", "python value", tg.DTypeError,
      ["feed of 'x", "complex128", "not supported", ".real"],
      lambda w: w.run(w.y, {w.x: np.ones((1, 3)) * (1 + 2j)})),
    R("feed a complex scalar to an untyped placeholder", "python value", tg.DTypeError, ["feed of 'ux", "complex"],
      lambda w: w.run(w.ux * 2.0, {w.ux: 1 + 2j})),
    R("feed uint16 to an untyped placeholder", "python value", tg.DTypeError,
      ["feed of 'ux", "unsupported dtype uint16", "float32, float64, int32, int64, bool, int16 or uint8"],
      lambda w: w.run(w.ux * 2.0, {w.ux: np.arange(3, dtype=np.uint16)})),
    R("arithmetic on uint8 (a storage type)", "python value", tg.DTypeError,
      ["uint8 is a storage type", "cast it to int32 or a float first"],
      lambda w: w.run(w.ux + w.ux, {w.ux: np.arange(3, dtype=np.uint8)})),
    R("feed 40000 to an int16 placeholder (numpy would wrap it to -25536)", "python value", tg.DTypeError,
      ["40000", "int16's range"],
      lambda w: w.run(tg.cast(w.i16, tg.float32), {w.i16: np.array([1, 40000])})),
    R("feed float16", "python value", tg.DTypeError, ["feed of 'ux", "float16"],
      lambda w: w.run(w.ux * 2.0, {w.ux: np.ones(3, np.float16)})),
    R("feed a 9-dimensional array", "python value", tg.ShapeError, ["feed of 'ux", "9 dimensions", "more than the 8"],
      lambda w: w.run(w.ux * 2.0, {w.ux: np.ones((1,) * 9)})),
    R("feed floats with a fraction to an int64 placeholder (numpy would truncate 1.7 to 1)", "python value",
      tg.DTypeError, ["feed of 'i64f'", "1.7 (flat index 0) is not a whole number in int64's range", "2 such values"],
      lambda w: (lambda p: w.run(p, {p: [1.7, -1.7, 2.0]}))(P([3], "i64f", np.int64))),
    R("feed an int beyond int64 to an int64 placeholder", "python value", tg.DTypeError,
      ["feed of 'big", "dtype object", "beyond int64"],
      lambda w: (lambda p: w.run(p, {p: 2 ** 70}))(P(None, "big", np.int64))),
    R("Variable of strings", "python value", tg.DTypeError, ["Variable", "<U3"],
      lambda w: tg.Variable("abc")),
    R("Variable of ragged lists", "python value", tg.ShapeError, ["Variable", "inhomogeneous"],
      lambda w: tg.Variable([[1.0, 2.0], [3.0]])),
    R("constant of complex numbers", "python value", tg.DTypeError, ["constant", "complex128"],
      lambda w: tg.constant(np.array([1j]))),
    R("assign a string", "python value", tg.DTypeError, ["assign", "<U1"],
      lambda w: w.s.assign(w.w, ["a", "b", "c"])),
    # --- Python-level argument mistakes: ArgumentTypeError / ArgumentValueError naming the argument --------
    R("feed_dict is a list", "python argument", tg.ArgumentTypeError, ["Session.run: feed_dict must be a dict"],
      lambda w: w.run(w.y, [1.0, 2.0, 3.0])),
    R("fetch a string", "python argument", tg.ArgumentTypeError, ["Session.run: the fetch 'y' (a str) is not a node"],
      lambda w: w.run("y")),
    R("fetch list holding an int", "python argument", tg.ArgumentTypeError, ["Session.run: the fetch 3 (a int) is not a node"],
      lambda w: w.run([w.y, 3], {w.x: [[1.0, 2.0, 3.0]]})),
    R("feed key is a string", "python argument", tg.ArgumentTypeError,
      ["Session.run: the feed_dict key 'x' (a str) is not a placeholder or node"],
      lambda w: w.run(w.y, {"x": [[1.0, 2.0, 3.0]]})),
    R("Session of a non-graph", "python argument", tg.ArgumentTypeError, ["Session: argument 'target' must be a tensorgraph.Graph", "int"],
      lambda w: tg.Session(5)),
    R("placeholder dtype that numpy does not know", "python argument", tg.ArgumentTypeError,
      ["placeholder: argument 'dtype' must be a dtype", "not_a_dtype"],
      lambda w: tg.placeholder("not_a_dtype")),
    R("placeholder shape is a string", "python argument", tg.ArgumentTypeError,
      ["placeholder: argument 'shape' must be None or a list of ints", "str"],
      lambda w: tg.placeholder(np.float64, "ab")),
    R("placeholder shape holds a float", "python argument", tg.ArgumentTypeError,
      ["placeholder: argument 'shape' must be None or a list of ints", "3.5"],
      lambda w: tg.placeholder(np.float64, [2, 3.5])),
    R("reshape to a string", "python argument", tg.ArgumentTypeError,
      ["reshape: argument 'shape' must be a list of ints", "'abc'"],
      lambda w: tg.reshape(w.x, "abc")),
    R("reduce_sum axis is a float", "python argument", tg.ArgumentTypeError,
      ["reduce_sum: argument 'axis' must be None, an int or a list of ints", "float"],
      lambda w: tg.reduce_sum(w.x, axis=1.5)),
    R("reduce_mean axis is a string", "python argument", tg.ArgumentTypeError,
      ["reduce_mean: argument 'axis' must be None, an int or a list of ints", "str"],
      lambda w: tg.reduce_mean(w.x, axis="a")),
    R("reduce_max axes hold a string", "python argument", tg.ArgumentTypeError, ["reduce_max: argument 'axis'", "'a'"],
      lambda w: tg.reduce_max(w.x, axis=[0, "a"])),
    R("node name is not a string", "python argument", tg.ArgumentTypeError,
      ["add: argument 'name' must be a string or None, got int"],
      lambda w: tg.add(w.x, w.x, name=5)),
    R("check_numerics message is not a string", "python argument", tg.ArgumentTypeError,
      ["check_numerics: argument 'message' must be a string, got int"],
      lambda w: tg.check_numerics(w.x, 5)),
    R("cross-entropy without logits=", "python argument", tg.ArgumentValueError, ["needs labels= and logits="],
      lambda w: tg.softmax_cross_entropy_with_logits(labels=w.x)),
    R("RegisterGradient of a non-string", "python argument", tg.ArgumentTypeError,
      ["RegisterGradient: argument 'op_type' must be a string, got int"],
      lambda w: tg.RegisterGradient(5)),
    R("Adam learning rate is a string", "python argument", tg.ArgumentTypeError,
      ["AdamOptimizer: argument 'learning_rate' must be a number", "got str"],
      lambda w: tg.train.AdamOptimizer("0.1")),
    R("an Operation without compute()", "python argument", NotImplementedError, ["NoCompute.compute is not implemented"],
      lambda w: w.run(NoCompute(w.ux), {w.ux: [1.0]})),
    # --- dtypes ------------------------------------------------------------------------------------------
    R("placeholder of complex64", "dtype", tg.DTypeError, ["unsupported dtype complex64"],
      lambda w: tg.placeholder(np.complex64)),
    R("cast to float16", "dtype", tg.DTypeError, ["unsupported dtype float16"],
      lambda w: tg.cast(w.x, np.float16)),
    R("int32 + float64 placeholders", "dtype", tg.DTypeError, ["add", "'i32", "'x", "int32", "float64"],
      lambda w: tg.add(P([3], "i32", np.int32), w.x)),
    R("softmax of int64", "dtype", tg.DTypeError, ["softmax", "int64"],
      lambda w: tg.softmax(P([2, 2], "ids", np.int64))),
    R("one_hot of float indices", "dtype", tg.DTypeError, ["one_hot", "int32 or int64", "float64"],
      lambda w: tg.one_hot(P([3], "fidx"), 4)),
    R("sparse cross-entropy with float labels", "dtype", tg.DTypeError, ["labels must be int32 or int64", "float64"],
      lambda w: tg.sparse_softmax_cross_entropy_with_logits(labels=P([2], "lab"), logits=P([2, 3], "lg"))),
    R("log of an int array fed to an untyped placeholder", "dtype", tg.DTypeError, ["log", "int64"],
      lambda w: w.run(tg.log(w.ux), {w.ux: np.array([1, 2], np.int64)})),
    R("float32 array fed to an untyped placeholder, added to float64", "dtype", tg.DTypeError, ["add", "float32", "float64"],
      lambda w: w.run(w.ux + w.w, {w.ux: np.ones(3, np.float32)})),
    # --- shapes at build time ------------------------------------------------------------------------------
    R("matmul of a rank-3 operand", "shape", tg.ShapeError, ["matmul", "'r3", "[2, 2, 2]"],
      lambda w: tg.matmul(P([2, 2], "m22"), P([2, 2, 2], "r3"))),
    R("[2,3,4] * [3,5] do not broadcast", "shape", tg.ShapeError, ["multiply", "[2, 3, 4]", "[3, 5]", "broadcast"],
      lambda w: P([2, 3, 4], "q") * P([3, 5], "r")),
    R("reshape 6 elements to [4,2]", "shape", tg.ShapeError, ["reshape", "'six", "6 elements", "8 elements"],
      lambda w: tg.reshape(P([2, 3], "six"), [4, 2])),
    R("softmax of a scalar", "shape", tg.ShapeError, ["softmax", "scalar"],
      lambda w: tg.softmax(P([], "s0"))),
    R("cross-entropy labels [2,3] logits [2,4]", "shape", tg.ShapeError, ["softmax_cross_entropy_with_logits", "[2, 3]", "[2, 4]"],
      lambda w: tg.softmax_cross_entropy_with_logits(labels=P([2, 3], "lab"), logits=P([2, 4], "lg"))),
    R("sparse cross-entropy labels [3] for logits [2,4]", "shape", tg.ShapeError, ["[3]", "[2, 4]", "without the class axis"],
      lambda w: tg.sparse_softmax_cross_entropy_with_logits(labels=P([3], "lab", np.int64), logits=P([2, 4], "lg"))),
    R("transpose perm naming axis 2 of rank 2", "shape", tg.ShapeError, ["transpose", "axis 2", "rank 2"],
      lambda w: tg.transpose(w.x, [0, 2])),
    R("argmax along an empty axis", "shape", tg.ShapeError, ["argmax", "empty axis", "[0, 3]"],
      lambda w: tg.argmax(P([0, 3], "e"), 0)),
    R("reduce_max over an empty axis", "shape", tg.ShapeError, ["reduce_max", "zero-size axis", "[0, 3]"],
      lambda w: tg.reduce_max(P([0, 3], "e"), axis=0)),
    R("one_hot depth 0", "shape", tg.ShapeError, ["one_hot", "depth must be at least 1, got 0"],
      lambda w: tg.one_hot(P([3], "ids", np.int64), 0)),
    R("placeholder of rank 9", "shape", tg.ShapeError, ["rank above the maximum of 8"],
      lambda w: tg.placeholder(np.float64, [1] * 9)),
    R("placeholder with a negative dimension", "shape", tg.ShapeError, ["negative dimension -2"],
      lambda w: tg.placeholder(np.float64, [3, -2])),
    R("reshape to [2^62, 8]", "overflow", tg.ShapeError, ["reshape", "[4611686018427387904, 8]", "int64"],
      lambda w: tg.reshape(P([2, 3], "six"), [2 ** 62, 8])),
    R("[2^32,1] + [1,2^32] overflows int64", "overflow", tg.ShapeError, ["add", "'col", "'row", "overflows int64"],
      lambda w: P([2 ** 32, 1], "col") + P([1, 2 ** 32], "row")),
    # --- feeds and run-time shapes ----------------------------------------------------------------------------
    R("missing feed", "feed", tg.FeedError, ["placeholder 'x'", "float64 [?, 3]", "must be fed"],
      lambda w: w.run(w.y)),
    R("feed [2,4] for [None,3]", "feed", tg.ShapeError, ["'x'", "expects shape [?, 3]", "[2, 4]"],
      lambda w: w.run(w.y, {w.x: np.zeros((2, 4))})),
    R("feed the Variable a training step updates", "feed", tg.FeedError, ["updates Variable 'w'", "which this run feeds"],
      lambda w: w.run(w.step, {w.x: np.zeros((1, 3)), w.w: np.zeros(3)})),
    R("feed an op node a value of another shape", "feed", tg.ShapeError, ["'y'", "expects shape []", "[2]"],
      lambda w: w.run(w.y + 1.0, {w.y: [1.0, 2.0]})),
    R("reshape of an untyped feed of 6 to [4,2]", "run shape", tg.ShapeError, ["reshape", "'r42", "[2, 3]", "[4, 2]"],
      lambda w: w.run(tg.reshape(w.ux, [4, 2], name="r42"), {w.ux: np.zeros((2, 3))})),
    R("matmul of untyped feeds [2,3].[2,3]", "run shape", tg.ShapeError, ["matmul", "'mm", "[2, 3]"],
      lambda w: (lambda b: w.run(tg.matmul(w.ux, b, name="mm"), {w.ux: np.zeros((2, 3)), b: np.zeros((2, 3))}))(tg.placeholder(name="ub"))),
    # --- values at run time -------------------------------------------------------------------------------------
    R("one_hot index 5 for depth 3", "run value", tg.ShapeError, ["one_hot", "'oh", "index 5 at position 1", "outside [0, 3)"],
      lambda w: (lambda i: w.run(tg.one_hot(i, 3, name="oh"), {i: np.array([0, 5, 1])}))(P([3], "ids", np.int64))),
    R("sparse cross-entropy label 3 of 3 classes", "run value", tg.ShapeError, ["'sce", "label 3 in row 1", "outside [0, 3)"],
      lambda w: (lambda l, x: w.run(tg.sparse_softmax_cross_entropy_with_logits(labels=l, logits=x, name="sce"),
                                    {l: np.array([0, 3]), x: np.zeros((2, 3))}))(P([2], "ids", np.int64), P([2, 3], "lg"))),
    R("integer division by zero", "run value", tg.Error, ["divide", "'idiv", "integer division by zero"],
      lambda w: (lambda a: w.run(tg.divide(a, a, name="idiv"), {a: np.array([2, 0], np.int32)}))(P([2], "ints", np.int32))),
    # --- check_numerics -----------------------------------------------------------------------------------------
    R("check_numerics of NaN and Inf", "numerics", tg.NumericsError,
      ["check_numerics 'cn", "after the input layer", "1 NaN and 2 Inf values among 6", "float64 [2, 3]", "flat index 2 [0, 2] is inf"],
      lambda w: w.run(tg.check_numerics(w.x, "after the input layer", name="cn"), {w.x: [[0.0, 1.0, INF], [NAN, 2.0, -INF]]})),
    R("check_numerics after log(0) in float32", "numerics", tg.NumericsError, ["log of the input", "0 NaN and 1 Inf", "float32 [3]", "-inf"],
      lambda w: (lambda a: w.run(tg.check_numerics(tg.log(a), "log of the input"), {a: np.array([1, 0, 2], np.float32)}))(P([3], "f32", np.float32))),
    R("check_numerics on the gradient path", "numerics", tg.NumericsError, ["gradient of cn", "input check", "1 Inf"],
      lambda w: w.run(tg.gradients(tg.reduce_sum(tg.log(tg.check_numerics(w.ux, "input check", name="cn"))), w.ux), {w.ux: [0.0, 1.0]})),
    # --- graph misuse -------------------------------------------------------------------------------------------
    R("an op on nodes of two graphs", "graph", tg.GraphError, ["add", "'far", "another graph"],
      lambda w: tg.add(w.x, foreign(lambda: tg.constant([1.0, 2.0, 3.0], name="far")))),
    R("consume the value of a training step", "graph", tg.GraphError, ["'GradientDescent", "update operation"],
      lambda w: tg.add(w.step, w.step)),
    R("a node name that does not exist", "graph", tg.GraphError, ["no node named 'nope'"],
      lambda w: w.g.get_node_by_name("nope")),
    R("assign to a placeholder", "graph", tg.GraphError, ["assign", "'x'", "is not a Variable"],
      lambda w: w.s.assign(w.x, np.zeros((1, 3)))),
    R("assign a value of another shape", "graph", tg.ShapeError, ["assign", "'w'", "float64 [3]", "float64 [2]"],
      lambda w: w.s.assign(w.w, [1.0, 2.0])),
    # --- optimizers -----------------------------------------------------------------------------------------------
    R("minimize a loss that depends on no Variable", "optimizer", tg.GraphError, ["'lonely", "no trainable Variable"],
      lambda w: tg.train.GradientDescentOptimizer(0.1).minimize(tg.reduce_sum(w.x, name="lonely"))),
    R("Adam on a loss of a frozen Variable only", "optimizer", tg.GraphError, ["AdamOptimizer.minimize", "no trainable Variable"],
      lambda w: tg.train.AdamOptimizer(0.1).minimize(tg.reduce_sum(tg.square(tg.Variable([1.0], trainable=False))))),
    R("gradient descent with learning rate 0", "optimizer", tg.GraphError, ["GradientDescentOptimizer", "positive finite", "0"],
      lambda w: tg.train.GradientDescentOptimizer(0)),
    R("gradient descent with an infinite learning rate", "optimizer", tg.GraphError, ["learning_rate", "inf"],
      lambda w: tg.train.GradientDescentOptimizer(INF)),
    R("Nesterov without momentum", "optimizer", tg.GraphError, ["MomentumOptimizer", "use_nesterov"],
      lambda w: tg.train.MomentumOptimizer(0.1, 0.0, use_nesterov=True)),
    R("RMSProp with decay 1", "optimizer", tg.GraphError, ["RMSPropOptimizer", "decay", "[0, 1)"],
      lambda w: tg.train.RMSPropOptimizer(0.1, decay=1.0)),
    # --- checkpoints ------------------------------------------------------------------------------------------------
    R("restore into a Variable of another shape", "checkpoint", tg.IoError,
      ["Saver.restore", "Variable 'w'", "expects float64 [2]", "holds float64 [3]", "no Variable was restored"],
      lambda w: (lambda s, vs: tg.train.Saver(vs).restore(s, saved(w)))(*other_graph_session(lambda: [tg.Variable([0.0, 0.0], name="w")]))),
    R("restore a Variable missing from the file", "checkpoint", tg.IoError, ["Variable 'b'", "missing from the file"],
      lambda w: (lambda s, vs: tg.train.Saver(vs).restore(s, saved(w)))(
          *other_graph_session(lambda: [tg.Variable([0.0, 0.0, 0.0], name="w"), tg.Variable([0.0], name="b")]))),
    R("strict restore of a file with an extra tensor", "checkpoint", tg.IoError, ["\"w2", "matches no Variable (strict)"],
      lambda w: (lambda p: tg.train.Saver([w.w]).restore(w.s, p, strict=True))(
          (tg.train.Saver([w.w, tg.Variable([5.0], name="w2")]).save(w.s, w.path("two.safetensors")), w.path("two.safetensors"))[1])),
    R("restore a truncated checkpoint", "checkpoint", tg.IoError, ["cut.safetensors", "past the end", "truncated"],
      lambda w: tg.train.Saver([w.w]).restore(w.s, w.write("cut.safetensors", pathlib.Path(saved(w)).read_bytes()[:-4]))),
    R("restore a text file", "checkpoint", tg.IoError, ["notes.safetensors", "header length"],
      lambda w: tg.train.Saver([w.w]).restore(w.s, w.write("notes.safetensors", "these are not the weights you are looking for"))),
    R("restore a missing file", "checkpoint", tg.IoError, ["cannot open", "missing.safetensors"],
      lambda w: tg.train.Saver([w.w]).restore(w.s, w.path("missing.safetensors"))),
    R("save into a folder that does not exist", "checkpoint", tg.IoError, ["cannot write", "no_dir"],
      lambda w: tg.train.Saver([w.w]).save(w.s, w.path("no_dir/w.safetensors"))),
    # --- data files -----------------------------------------------------------------------------------------------------
    R("read_csv of a ragged file", "data file", tg.IoError, ["ragged.csv", "line 3, column 3", "2 fields"],
      lambda w: tg.data.read_csv(w.write("ragged.csv", "a,b,c\n1,2,3\n4,5\n"))),
    R("read_csv of a word", "data file", tg.IoError, ["text.csv", "'abc' is not a number"],
      lambda w: tg.data.read_csv(w.write("text.csv", "a,b\n1,abc\n"))),
    R("read_csv of an empty file", "data file", tg.IoError, ["empty.csv", "empty file"],
      lambda w: tg.data.read_csv(w.write("empty.csv", ""))),
    R("Fashion-MNIST files truncated", "data file", tg.IoError, ["read_idx", "train-images-idx3-ubyte.gz", "truncated", "needs 8 bytes"],
      lambda w: tg.data.Dataset.fashion_mnist("train", fashion_dir(w, idx_bytes(8, [2, 2, 2], b"\x01\x02"), idx_bytes(8, [2], b"\x00\x01")))),
    R("Fashion-MNIST images that are not IDX", "data file", tg.IoError, ["read_idx", "not an IDX file"],
      lambda w: tg.data.Dataset.fashion_mnist("train", fashion_dir(w, b"\x89PNG....", idx_bytes(8, [2], b"\x00\x01")))),
    R("Fashion-MNIST folder without the files", "data file", tg.IoError, ["not found"],
      lambda w: tg.data.Dataset.fashion_mnist("train", w.path("nowhere"))),
    R("Dataset of 3 examples and 4 labels", "data file", tg.ShapeError, ["Dataset", "[3, 2]", "[4]"],
      lambda w: tg.data.Dataset(np.ones((3, 2)), np.ones(4))),
]


def _ids(rows):
    return [f"{r.category}: {r.id}" for r in rows]


def _expect_row(row, w):
    with pytest.raises(Exception) as info:
        row.act(w)
    e = info.value
    assert type(e) is row.error, f"{row.id}: raised {type(e).__name__} ({e}), expected {row.error.__name__}"
    for word in row.words:
        assert word in str(e), f"{row.id}: {word!r} missing from: {e}"
    w.check_healthy()


@pytest.mark.parametrize("row", ROWS, ids=_ids(ROWS))
def test_misuse_raises_the_exact_error_and_the_session_keeps_working(world, row):
    _expect_row(row, world)


# --- inputs that must WORK ---------------------------------------------------------------------------


def _strided():
    base = np.arange(12.0).reshape(2, 6)
    return base[:, ::2]  # [[0, 2, 4], [6, 8, 10]], not contiguous


def _unaligned():
    buf = np.zeros(6 * 8 + 1, np.uint8)
    buf[1:] = np.arange(6.0).view(np.uint8)
    a = np.frombuffer(buf, dtype=np.float64, count=6, offset=1).reshape(2, 3)
    assert not a.flags["ALIGNED"]
    return a


def _read_only():
    a = np.arange(6.0).reshape(2, 3)
    a.flags.writeable = False
    return a


ROWS6 = np.arange(6.0).reshape(2, 3)  # what the layouts below hold


@dataclass
class Works:
    id: str
    category: str
    check: Callable[[World], None]


def same_as(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype, f"{got.dtype}{got.shape} != {want.dtype}{want.shape}"
    np.testing.assert_array_equal(got, want)  # NaN equals NaN here


def _layout(array_of, want=ROWS6):
    def check(w):
        a = array_of()
        same_as(w.run(w.x * 1.0, {w.x: a}), want)
        same_as(w.run(w.ux * 1.0, {w.ux: a}), np.asarray(a) * 1.0)
        np.testing.assert_array_equal(np.asarray(a), want)  # the caller's array is untouched
    return check


WORKS = [
    Works("a strided view x[:, ::2]", "array layout", _layout(_strided, np.array([[0.0, 2, 4], [6, 8, 10]]))),
    Works("a Fortran-order array", "array layout", _layout(lambda: np.asfortranarray(ROWS6))),
    Works("a transposed view", "array layout", _layout(lambda: np.ascontiguousarray(ROWS6.T).T)),
    Works("negative strides", "array layout", _layout(lambda: ROWS6[::-1, ::-1], ROWS6[::-1, ::-1])),
    Works("an unaligned array", "array layout", _layout(_unaligned)),
    Works("a big-endian (byte-swapped) array", "array layout", _layout(lambda: ROWS6.astype(">f8"))),
    Works("a big-endian int32 array into an int32 placeholder", "array layout",
          lambda w: (lambda p: same_as(w.run(p + 0, {p: np.array([1, -2, 70000], ">i4")}), np.array([1, -2, 70000], np.int32)))(
              P([3], "i", np.int32))),
    Works("a read-only array", "array layout", _layout(_read_only)),
    Works("int64 array into a float64 placeholder (converted, as TensorFlow)", "conversion",
          lambda w: same_as(w.run(w.x * 1.0, {w.x: np.arange(6).reshape(2, 3)}), ROWS6)),
    Works("bools into a float64 placeholder are 0 and 1", "conversion",
          lambda w: same_as(w.run(w.x * 1.0, {w.x: [[True, False, True]]}), np.array([[1.0, 0.0, 1.0]]))),
    Works("whole floats into an int64 placeholder become ints", "conversion",
          lambda w: (lambda p: same_as(w.run(p, {p: [1.0, -1.0, 2.0]}), np.array([1, -1, 2])))(P([3], "i64", np.int64))),
    Works("tuples of tuples", "conversion", lambda w: same_as(w.run(w.x * 1.0, {w.x: ((0, 1, 2), (3, 4, 5))}), ROWS6)),
    Works("a list of numpy rows", "conversion", lambda w: same_as(w.run(w.x * 1.0, {w.x: [ROWS6[0], ROWS6[1]]}), ROWS6)),
    Works("a 0-d float32 array stays float32", "conversion",
          lambda w: same_as(w.run(w.ux * 2, {w.ux: np.array(1.25, np.float32)}), np.float32(2.5))),
    Works("a Python int into an untyped placeholder is float64", "conversion",
          lambda w: same_as(w.run(w.ux * 2, {w.ux: 3}), np.float64(6.0))),
    Works("an unused extra feed is ignored", "feed",
          lambda w: same_as(w.run(w.y, {w.x: [[1.0, 1.0, 1.0]], P([2], "unused"): [9.0, 9.0]}), w.run(w.w).sum())),
    Works("a [0,3] batch", "empty", lambda w: same_as(w.run(w.y, {w.x: np.zeros((0, 3))}), np.float64(0.0))),
    Works("reduce_sum of [0,3] over axis 0 is zeros, reduce_mean NaN (numpy)", "empty",
          lambda w: (same_as(w.run(tg.reduce_sum(w.x, axis=0), {w.x: np.zeros((0, 3))}), np.zeros(3)),
                     same_as(w.run(tg.reduce_mean(w.x, axis=0), {w.x: np.zeros((0, 3))}), np.full(3, np.nan)))),
    Works("matmul [2,0].[0,3] is zeros", "empty",
          lambda w: same_as(w.run(tg.matmul(w.ux, tg.constant(np.zeros((0, 3)))), {w.ux: np.zeros((2, 0))}), np.zeros((2, 3)))),
    Works("softmax, one_hot and argmax of empty inputs", "empty",
          lambda w: (same_as(w.run(tg.softmax(w.x), {w.x: np.zeros((0, 3))}), np.zeros((0, 3))),
                     same_as(w.run(tg.argmax(w.x, 1), {w.x: np.zeros((0, 3))}), np.zeros(0, np.int64)),
                     same_as(w.run(tg.one_hot(w.ux, 4), {w.ux: np.zeros(0, np.int64)}), np.zeros((0, 4), np.float32)))),
    Works("NaN and Inf propagate (IEEE, as numpy)", "ieee",
          lambda w: (same_as(w.run(tg.relu(w.ux), {w.ux: [NAN, -INF, INF, -1.0]}), np.array([NAN, 0.0, INF, 0.0])),
                     same_as(w.run(tg.log(w.ux), {w.ux: [0.0, -1.0, INF]}), np.array([-INF, NAN, INF])),
                     same_as(w.run(1.0 / w.ux, {w.ux: [0.0, -0.0]}), np.array([INF, -INF])),
                     same_as(w.run(tg.reduce_max(w.ux), {w.ux: [1.0, NAN, 3.0]}), np.float64(NAN)),
                     same_as(w.run(tg.argmax(w.ux, 0), {w.ux: [1.0, NAN, 3.0]}), np.int64(1)),
                     same_as(w.run(tg.softmax(w.ux), {w.ux: [-INF, 0.0]}), np.array([0.0, 1.0])))),
    Works("gradients at 0: d log(x) = +inf, d (1/x) = -inf", "ieee",
          lambda w: (same_as(w.run(tg.gradients(tg.reduce_sum(tg.log(w.x)), w.x), {w.x: [[0.0, 1.0, 4.0]]}), np.array([[INF, 1.0, 0.25]])),
                     same_as(w.run(tg.gradients(tg.reduce_sum(1.0 / w.x), w.x), {w.x: [[0.0, 1.0, 2.0]]}), np.array([[-INF, -1.0, -0.25]])))),
    Works("check_numerics passes finite floats and any ints", "numerics",
          lambda w: (same_as(w.run(tg.check_numerics(w.x, "m"), {w.x: ROWS6}), ROWS6),
                     same_as(w.run(tg.check_numerics(w.ux, "m"), {w.ux: np.array([2 ** 62, -1])}), np.array([2 ** 62, -1])))),
    Works("a returned array survives later runs", "results",
          lambda w: (lambda first: (w.run(w.x * 2.0, {w.x: ROWS6 + 100}), same_as(first, ROWS6 * 2.0)))(w.run(w.x * 2.0, {w.x: ROWS6}))),
]


@pytest.mark.parametrize("case", WORKS, ids=_ids(WORKS))
def test_input_that_must_work_gives_the_right_values(world, case):
    case.check(world)
    world.check_healthy()


def test_every_row_on_one_session(world):
    """All misuses and edge cases in sequence on ONE session: no error leaves it unusable."""
    for row in ROWS:
        _expect_row(row, world)
    for case in WORKS:
        case.check(world)
        world.check_healthy()


def test_the_catalogue_is_big_and_distinct():
    assert len(ROWS) >= 45
    assert len({r.id for r in ROWS}) == len(ROWS), "duplicate row ids"
    assert all(r.words for r in ROWS)
    assert len({r.category for r in ROWS}) >= 10


def test_numerics_error_is_a_floating_point_error():
    assert issubclass(tg.NumericsError, tg.Error)
    assert issubclass(tg.NumericsError, FloatingPointError) and issubclass(tg.NumericsError, ArithmeticError)
