"""tensorgraph.float32, float64, int32, int64 and bool: TensorFlow's dtype constants, taken wherever a
dtype is, compared with numpy's dtypes as TensorFlow's are, and what a node's dtype is."""
import pickle
import subprocess
import sys

import numpy as np
import pytest

import tensorgraph as tg

CONSTANTS = {"float32": np.float32, "float64": np.float64, "int32": np.int32, "int64": np.int64, "bool": np.bool_}


@pytest.mark.parametrize("name", list(CONSTANTS))
def test_a_constant_equals_its_numpy_dtype_type_and_name(name):
    d = getattr(tg, name)
    np_type = CONSTANTS[name]
    assert isinstance(d, tg.DType) and d.name == name and str(d) == name and repr(d) == f"tensorgraph.{name}"
    assert d == np_type and np_type == d and d == np.dtype(np_type) and np.dtype(np_type) == d and d == name
    assert d.as_numpy_dtype is np_type and np.dtype(d) == np.dtype(np_type)
    assert np.zeros(2, dtype=d).dtype == np.dtype(np_type)
    assert tg.as_dtype(np_type) is d and tg.as_dtype(name) is d and tg.as_dtype(d) is d
    assert tg.as_dtype(np.dtype(np_type)) is d and tg.DType(name) == d
    assert d.size == np.dtype(np_type).itemsize
    others = [getattr(tg, n) for n in CONSTANTS if n != name]
    assert all(d != o and not d == o for o in others)
    assert d != np.float16 and d != "complex64" and d != None and d != 3  # noqa: E711 (TF's DType == None is False)
    assert pickle.loads(pickle.dumps(d)) is d
    assert {d: 1}[tg.as_dtype(name)] == 1


def test_properties_as_tensorflow_has_them():
    assert tg.float32.is_floating and not tg.float32.is_integer and not tg.float32.is_bool
    assert tg.int64.is_integer and not tg.int64.is_floating
    assert tg.bool.is_bool
    assert tg.int32.min == np.iinfo(np.int32).min and tg.int32.max == np.iinfo(np.int32).max
    assert tg.float64.max == np.finfo(np.float64).max and tg.float32.min == np.finfo(np.float32).min
    assert tg.bool.min is False and tg.bool.max is True
    assert tg.as_dtype(float) is tg.float64 and tg.as_dtype(int) is tg.int64 and tg.as_dtype(bool) is tg.bool


def test_as_dtype_refuses_what_tensorgraph_has_not():
    for bad in (np.float16, "complex64", "not_a_dtype", None, 3):
        with pytest.raises(tg.DTypeError, match="as_dtype: argument 'value'"):
            tg.as_dtype(bad)
    with pytest.raises(tg.ArgumentValueError, match="DType: argument 'name' must be one of"):
        tg.DType("float16")


@pytest.mark.parametrize("name", list(CONSTANTS))
def test_usable_wherever_a_dtype_is_taken(name, session):
    d = getattr(tg, name)
    p = tg.placeholder(d, [None], name="p")
    assert p.dtype is d and p.dtype == CONSTANTS[name]
    c = tg.constant([1, 0, 1], dtype=d)
    v = tg.Variable([0, 1], dtype=d)
    assert c.dtype is d and v.dtype is d
    assert session.run(c).dtype == np.dtype(CONSTANTS[name]) and session.run(v).dtype == np.dtype(CONSTANTS[name])
    np.testing.assert_array_equal(session.run(p, {p: [1, 0]}), np.array([1, 0], dtype=CONSTANTS[name]))
    f = tg.cast(tg.constant([0.0, 2.0]), d)
    assert f.dtype is d
    np.testing.assert_array_equal(session.run(f), np.array([0.0, 2.0]).astype(CONSTANTS[name]))
    if d.is_integer:
        assert tg.one_hot(tg.constant([0, 2], dtype=d), 3, dtype=tg.float64).dtype is tg.float64


def test_a_dtype_attribute_is_a_constant_too():
    c = tg.cast(tg.constant([1.0]), tg.int32)
    assert c.get_attr("dtype") is tg.int32 and c.attrs == {"dtype": tg.int32} and c.get_attr("dtype") == np.int32


def test_a_nodes_dtype_is_a_constant_and_unknown_is_none():
    assert tg.placeholder().dtype is None
    x = tg.placeholder(np.float32)
    assert x.dtype is tg.float32 and (x * 2).dtype is tg.float32
    assert tg.argmax(tg.constant([[1.0, 2.0]]), axis=1).dtype is tg.int64
    assert tg.equal(x, x).dtype is tg.bool


def test_star_import_keeps_pythons_bool():
    """The tutorial's `from tensorgraph import *` brings float32 and friends but not bool: Python's
    bool must stay bool."""
    code = ("import builtins\n"
            "from tensorgraph import *\n"
            "assert bool is builtins.bool and float32 == 'float32' and int64 == 'int64'\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
