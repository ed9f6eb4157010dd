"""Datasets and minibatches: numeric CSV files, Fashion-MNIST, seeded splits and batches.

    train, valid = data.Dataset.fashion_mnist("train").split(0.1, seed=42)
    for x, y in train.batches(128, shuffle=True, seed=epoch):
        session.run(step, {X: x, Y: y})
"""
from ._core import data as _data

read_csv = _data.read_csv  # read_csv(path, header=True, delimiter=",") -> float64 [rows, cols]
Dataset = _data.Dataset  # Dataset(features, labels): .size, .split, .batches, .fashion_mnist
Batches = _data.Batches  # a sequence of (features, labels) numpy pairs: one epoch

__all__ = ["read_csv", "Dataset", "Batches"]
