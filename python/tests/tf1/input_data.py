"""TensorFlow 1.x's `tensorflow.examples.tutorials.mnist.input_data`, reading Fashion-MNIST from
Debian's dataset-fashion-mnist: the helper the TF 1.x programs in this folder import in place of
TensorFlow's (MNIST replaced by Fashion-MNIST, same sizes and layout).

    mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)
    batch_x, batch_y = mnist.train.next_batch(100)   # images [100, 784] float32 in [0, 1]

As TensorFlow's: the first `validation_size` training images form the validation set; next_batch
shuffles once per epoch (numpy's global generator, so np.random.seed fixes it); `reshape=False`
keeps the images [N, 28, 28, 1].
"""
import collections
import gzip
import os

import numpy as np

DATA = os.environ.get("TG_FASHION_MNIST", "/usr/share/datasets/fashion-mnist")


def _read(name):
    with gzip.open(os.path.join(DATA, name), "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[:4], "big")
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(magic & 0xFF)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


class DataSet:
    def __init__(self, images, labels, one_hot, reshape):
        images = images.astype(np.float32) / 255.0
        self._images = images.reshape(len(images), -1) if reshape else images[..., None]
        self._labels = np.eye(10, dtype=np.float64)[labels] if one_hot else labels.astype(np.uint8)
        self._epochs_completed = 0
        self._index_in_epoch = 0
        self._order = np.arange(len(images))

    images = property(lambda self: self._images)
    labels = property(lambda self: self._labels)
    num_examples = property(lambda self: len(self._images))
    epochs_completed = property(lambda self: self._epochs_completed)

    def next_batch(self, batch_size, shuffle=True):
        """The next batch_size examples; an epoch's tail joins the next epoch's head, as TensorFlow's."""
        if self._index_in_epoch == 0 and self._epochs_completed == 0 and shuffle:
            self._order = np.random.permutation(self.num_examples)
        start = self._index_in_epoch
        if start + batch_size > self.num_examples:
            self._epochs_completed += 1
            rest = self._order[start:]
            if shuffle:
                self._order = np.random.permutation(self.num_examples)
            self._index_in_epoch = batch_size - len(rest)
            idx = np.concatenate([rest, self._order[:self._index_in_epoch]])
        else:
            self._index_in_epoch += batch_size
            idx = self._order[start:self._index_in_epoch]
        return self._images[idx], self._labels[idx]


Datasets = collections.namedtuple("Datasets", ["train", "validation", "test"])


def read_data_sets(train_dir=None, one_hot=False, reshape=True, validation_size=5000):
    """train_dir is accepted and ignored (the data comes from the Debian package)."""
    images, labels = _read("train-images-idx3-ubyte.gz"), _read("train-labels-idx1-ubyte.gz")
    test = DataSet(_read("t10k-images-idx3-ubyte.gz"), _read("t10k-labels-idx1-ubyte.gz"), one_hot, reshape)
    return Datasets(train=DataSet(images[validation_size:], labels[validation_size:], one_hot, reshape),
                    validation=DataSet(images[:validation_size], labels[:validation_size], one_hot, reshape),
                    test=test)
