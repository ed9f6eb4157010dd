"""tensorgraph.data: read_csv on good and malformed files, Dataset batches and splits, and the
real Fashion-MNIST files when installed."""
import os

import numpy as np
import pytest

import tensorgraph as tg
from tensorgraph import data

FASHION = "/usr/share/datasets/fashion-mnist"


def write(tmp_path, text, name="t.csv"):
    p = tmp_path / name
    p.write_bytes(text.encode("latin-1"))
    return str(p)


def test_read_csv_values(tmp_path):
    a = data.read_csv(write(tmp_path, "a,b\r\n1,2.5\r\n-3,4e1\r\n"))
    assert a.dtype == np.float64
    np.testing.assert_array_equal(a, [[1, 2.5], [-3, 40]])
    np.testing.assert_array_equal(data.read_csv(write(tmp_path, "1\t2\n3\t4"), header=False, delimiter="\t"),
                                  [[1, 2], [3, 4]])


@pytest.mark.parametrize("text, needles", [
    ("a,b\n1,2\n3\n", ["line 3", "column 2"]),
    ("a,b\n1,2\n3,abc\n", ["line 3", "column 2", "'abc' is not a number"]),
    ("", ["empty file"]),
])
def test_read_csv_malformed(tmp_path, text, needles):
    path = write(tmp_path, text)
    with pytest.raises(tg.IoError) as e:
        data.read_csv(path)
    assert path in str(e.value)
    for n in needles:
        assert n in str(e.value)
    assert isinstance(e.value, OSError)


def test_read_csv_missing_file(tmp_path):
    with pytest.raises(tg.IoError, match="nope.csv"):
        data.read_csv(str(tmp_path / "nope.csv"))


def arange_dataset(n):
    x = np.stack([np.arange(n, dtype=np.float32), -np.arange(n, dtype=np.float32)], axis=1)
    return data.Dataset(x, np.arange(n))


def test_batches_in_order():
    d = arange_dataset(10)
    assert d.size == 10
    pairs = list(d.batches(4, shuffle=False))
    assert [len(y) for _, y in pairs] == [4, 4, 2]
    np.testing.assert_array_equal(np.concatenate([y for _, y in pairs]), np.arange(10))
    for x, y in pairs:
        assert x.dtype == np.float32 and x.shape == (len(y), 2)
        np.testing.assert_array_equal(x[:, 0], y)
    assert [len(y) for _, y in d.batches(4, shuffle=False, drop_last=True)] == [4, 4]


def test_shuffled_batches_are_seeded_permutations():
    d = arange_dataset(100)
    order = lambda seed: np.concatenate([y for _, y in d.batches(16, seed=seed)])
    a = order(1)
    np.testing.assert_array_equal(np.sort(a), np.arange(100))
    assert not np.array_equal(a, np.arange(100))
    np.testing.assert_array_equal(order(1), a)
    assert not np.array_equal(order(2), a)


def test_split():
    d = arange_dataset(50)
    tr, va = d.split(0.2, 5)
    assert (tr.size, va.size) == (40, 10)
    assert set(tr.labels) | set(va.labels) == set(range(50))
    assert not set(tr.labels) & set(va.labels)
    np.testing.assert_array_equal(tr.features[:, 0], tr.labels)
    with pytest.raises(tg.Error):
        d.split(1.5, 0)


def test_mismatched_shapes():
    with pytest.raises(tg.ShapeError, match=r"\[3, 2\].*\[4\]"):
        data.Dataset(np.zeros((3, 2)), np.zeros(4))


@pytest.mark.skipif(not os.path.exists(FASHION + "/train-images-idx3-ubyte.gz"), reason="dataset-fashion-mnist absent")
def test_fashion_mnist():
    for which, n in [("train", 60000), ("test", 10000)]:
        d = data.Dataset.fashion_mnist(which)
        assert d.features.shape == (n, 784) and d.features.dtype == np.float32
        assert d.labels.shape == (n,) and d.labels.dtype == np.int64
        assert d.features.min() == 0.0 and d.features.max() == 1.0
        assert sorted(set(d.labels.tolist())) == list(range(10))
    with pytest.raises(tg.IoError):
        data.Dataset.fashion_mnist("train", dir="/nonexistent")
