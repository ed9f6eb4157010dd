"""Datasets and minibatches: numeric CSV files, Fashion-MNIST, seeded splits and batches.

    train, valid = data.Dataset.fashion_mnist("train").split(0.1, seed=42)
    for x, y in train.batches(128, shuffle=True, seed=epoch):
        session.run(step, {X: x, Y: y})
"""
from ._core import data as _data
from ._args import BOOL, INT, PATH, REAL, STR, TENSOR, Kind, checked, forward, install

CHARACTER = Kind("one character", lambda x: isinstance(x, str) and len(x) == 1)

Dataset = _data.Dataset  # Dataset(features, labels): .size, .split, .batches, .fashion_mnist
Batches = _data.Batches  # a sequence of (features, labels) numpy pairs: one epoch

__all__ = ["read_csv", "Dataset", "Batches"]


@checked
@forward(_data.read_csv)
def read_csv(path: PATH, header: BOOL = True, delimiter: CHARACTER = ","):
    """A float64 [rows, cols] array of the numbers in a CSV file (the first line skipped as a header)."""


@install(Dataset, "__init__")
@forward(Dataset.__init__)
def _dataset_new(self, features: TENSOR, labels: TENSOR):
    """Examples and their labels, one per row (the first dimension of both)."""


@install(Dataset, "split")
@forward(Dataset.split)
def _dataset_split(self, validation_fraction: REAL, seed: INT):
    """(train, validation) after a seeded shuffle."""


@install(Dataset, "batches")
@forward(Dataset.batches)
def _dataset_batches(self, batch_size: INT, shuffle: BOOL = True, seed: INT = 0, drop_last: BOOL = False):
    """One epoch of (features, labels) numpy pairs."""


@install(Dataset, "fashion_mnist", static=True)
@forward(Dataset.fashion_mnist)
def _dataset_fashion_mnist(which: STR = "train", dir: PATH = "/usr/share/datasets/fashion-mnist"):
    """Fashion-MNIST's "train" or "test" split from the IDX files in `dir` (Debian's location by default)."""


@install(Batches, "__getitem__")
@forward(Batches.__getitem__)
def _batches_getitem(self, index: INT):
    """The (features, labels) pair of batch `index` (negative: from the end)."""
