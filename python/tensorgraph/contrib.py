"""tf.contrib as far as TensorFlow 1.x tutorials reach for it, and no further: `contrib.rnn` (the
cells of tensorgraph.nn.rnn_cell, static_rnn and static_bidirectional_rnn) and
`contrib.layers.flatten`. Nothing else of TensorFlow's contrib is here.

    from tensorgraph.contrib import rnn        # for: from tensorflow.contrib import rnn
    cell = rnn.BasicLSTMCell(128, forget_bias=1.0)
    outputs, states = rnn.static_rnn(cell, x, dtype=tf.float32)
"""
import sys
import types

from . import _core
from ._args import NAME, NONE, TENSOR, Kind, checked
from ._args import DTYPE as _DTYPE
from ._nodes import as_node
from . import nn as _nn
from .nn import rnn_cell as _cells

_STEPS = Kind("a list of nodes, one per step", lambda x: isinstance(x, (list, tuple)))
_CELL = Kind("an RNN cell", lambda x: isinstance(x, _cells.RNNCell))


@checked
def static_bidirectional_rnn(cell_fw: _CELL, cell_bw: _CELL, inputs: _STEPS, initial_state_fw: NONE = None,
                             initial_state_bw: NONE = None, dtype: _DTYPE | NONE = None,
                             sequence_length: NONE = None, scope: NAME = None):
    """TensorFlow 1.x's static_bidirectional_rnn: cell_fw over the steps, cell_bw over them reversed;
    returns (outputs, state_fw, state_bw), each step's output the two cells' outputs at that step
    joined along the features (forward first)."""
    from . import concat
    fw, state_fw = _nn.static_rnn(cell_fw, inputs, dtype=dtype)
    bw, state_bw = _nn.static_rnn(cell_bw, list(reversed(inputs)), dtype=dtype)
    outputs = [concat([f, b], 1) for f, b in zip(fw, reversed(bw))]
    return outputs, state_fw, state_bw


@checked
def flatten(inputs: TENSOR, outputs_collections: NONE = None, scope: NAME = None):
    """[batch, ...] to [batch, the product of the rest] (tf.contrib.layers.flatten; the same as
    tensorgraph.layers.flatten)."""
    from . import layers
    return layers.flatten(as_node(inputs))


def _module(name, doc, **members):
    m = types.ModuleType(f"{__name__}.{name}", doc)
    m.__dict__.update(members)
    m.__all__ = sorted(members)
    sys.modules[m.__name__] = m
    return m


rnn = _module("rnn", "tf.contrib.rnn: the RNN cells and static RNNs.", RNNCell=_cells.RNNCell,
              BasicRNNCell=_cells.BasicRNNCell, BasicLSTMCell=_cells.BasicLSTMCell, LSTMCell=_cells.LSTMCell,
              GRUCell=_cells.GRUCell, MultiRNNCell=_cells.MultiRNNCell, LSTMStateTuple=_cells.LSTMStateTuple,
              static_rnn=_nn.static_rnn, static_bidirectional_rnn=static_bidirectional_rnn)
layers = _module("layers", "tf.contrib.layers: flatten.", flatten=flatten)

del _core
__all__ = ["rnn", "layers"]
