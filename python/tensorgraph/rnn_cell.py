"""tensorgraph.nn.rnn_cell: TensorFlow 1.x's recurrent cells (BasicRNNCell, BasicLSTMCell, LSTMCell,
GRUCell, MultiRNNCell, LSTMStateTuple), with its math, gate order (i, j, f, o for the LSTM) and
variable names ("lstm_cell/kernel", "lstm_cell/bias", ...). The C++ cells (tensorgraph/rnn.h) do the
work; a cell makes its Variables on its first call and reuses them on every later one.

    cell = tf.nn.rnn_cell.LSTMCell(128)
    outputs, state = tf.nn.dynamic_rnn(cell, x, sequence_length=lengths, dtype=tf.float32)
"""
import collections

from . import _core
from ._args import BOOL, DTYPE, INT, NAME, NONE, REAL, TENSOR, Kind, checked, _is_node, _is_value
from ._nodes import as_node, name_arg

__all__ = ["RNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell", "LSTMStateTuple"]

LSTMStateTuple = collections.namedtuple("LSTMStateTuple", ["c", "h"])
LSTMStateTuple.__doc__ = "An LSTM's state: c (the memory) and h (the output), each [batch, num_units]."

def _is_state(x):
    return isinstance(x, (list, tuple)) and len(x) > 0 and all(_is_state(e) for e in x) or _is_node(x) or _is_value(x)


STATE = Kind("a state: a node, or a tuple of them (an LSTMStateTuple, a MultiRNNCell's tuple)", _is_state)
_ACTIVATIONS = {"tanh", "relu", "sigmoid"}
ACTIVATION = Kind("None, 'tanh', 'relu', 'sigmoid' or one of tensorgraph's tanh, relu, sigmoid",
                  lambda a: a is None or a in _ACTIVATIONS or getattr(a, "__name__", None) in _ACTIVATIONS)


def _activation_name(activation):
    return "" if activation is None else activation if isinstance(activation, str) else activation.__name__


def _seed(seed):
    from .layers import _default_seed  # noqa: PLC0415 (layers imports this package's namespace)
    from . import get_default_graph  # noqa: PLC0415
    return _default_seed(get_default_graph()) if seed is None else int(seed)


def _unsupported(cell, **given):
    for name, value in given.items():
        if value:
            raise _core.ArgumentValueError(f"{cell}: argument '{name}' is not supported (got {value!r})")


class RNNCell:
    """A recurrent cell: cell(inputs, state) -> (output, new_state); inputs [batch, features]."""

    def __init__(self, core):
        self._cell = core

    @property
    def output_size(self):
        return self._cell.output_size

    @property
    def state_size(self):
        return self._pack(self._cell.state_size)

    @checked
    def __call__(self, inputs: TENSOR, state: STATE, scope: NAME = None):
        """One step: (output, new state), the state shaped as state_size (an LSTMStateTuple for an LSTM)."""
        out, flat = self._cell.step(as_node(inputs), _flatten(state))
        return out, self._pack(flat)

    @checked
    def zero_state(self, batch_size: INT, dtype: DTYPE):
        """Zeros [batch_size, n] of dtype for every part of the state (batch_size an int; dynamic_rnn
        without an initial_state starts from zeros of the inputs' run-time batch)."""
        from . import zeros  # noqa: PLC0415
        return self._pack([zeros([int(batch_size), n], dtype) for n in self._cell.state_size])

    @property
    def variables(self):
        """The cell's Variables (none before its first call)."""
        return self._cell.variables()

    trainable_variables = trainable_weights = weights = variables

    def _pack(self, flat):
        return flat[0]


class BasicRNNCell(RNNCell):
    """h' = activation(concat(x, h) @ kernel + bias), activation tanh by default."""

    @checked
    def __init__(self, num_units: INT, activation: ACTIVATION = None, reuse: BOOL | NONE = None, name: NAME = None,
                 dtype: DTYPE | NONE = None, seed: INT | NONE = None):
        super().__init__(_core.basic_rnn_cell(int(num_units), _activation_name(activation), 1.0, _seed(seed),
                                              name_arg(name)))


class LSTMCell(RNNCell):
    """TensorFlow's LSTMCell without peepholes or projection: [i, j, f, o] = concat(x, h) @ kernel + bias;
    c' = sigmoid(f + forget_bias) c + sigmoid(i) tanh(j); h' = sigmoid(o) tanh(c'); the state is
    LSTMStateTuple(c', h'), the output h'."""

    @checked
    def __init__(self, num_units: INT, use_peepholes: BOOL = False, cell_clip: NONE = None, initializer: NONE = None,
                 num_proj: NONE = None, proj_clip: NONE = None, num_unit_shards: NONE = None,
                 num_proj_shards: NONE = None, forget_bias: REAL = 1.0, state_is_tuple: BOOL = True,
                 activation: ACTIVATION = None, reuse: BOOL | NONE = None, name: NAME = None, dtype: DTYPE | NONE = None,
                 seed: INT | NONE = None):
        _unsupported("LSTMCell", use_peepholes=use_peepholes, state_is_tuple_False=not state_is_tuple)
        super().__init__(_core.lstm_cell(int(num_units), _activation_name(activation), float(forget_bias), _seed(seed),
                                         name_arg(name)))

    def _pack(self, flat):
        return LSTMStateTuple(*flat)


class BasicLSTMCell(LSTMCell):
    """TensorFlow's BasicLSTMCell: LSTMCell's math (variables under "basic_lstm_cell/")."""

    @checked
    def __init__(self, num_units: INT, forget_bias: REAL = 1.0, state_is_tuple: BOOL = True,
                 activation: ACTIVATION = None, reuse: BOOL | NONE = None, name: NAME = None, dtype: DTYPE | NONE = None,
                 seed: INT | NONE = None):
        LSTMCell.__init__(self, num_units, forget_bias=forget_bias, state_is_tuple=state_is_tuple,
                          activation=activation, name=name or "basic_lstm_cell", seed=seed)


class GRUCell(RNNCell):
    """TensorFlow's GRUCell: [r, u] = sigmoid(concat(x, h) @ gates/kernel + gates/bias) (bias ones);
    c = tanh(concat(x, r h) @ candidate/kernel + candidate/bias); h' = u h + (1 - u) c."""

    @checked
    def __init__(self, num_units: INT, activation: ACTIVATION = None, reuse: BOOL | NONE = None,
                 kernel_initializer: NONE = None, bias_initializer: NONE = None, name: NAME = None, dtype: DTYPE | NONE = None,
                 seed: INT | NONE = None):
        super().__init__(_core.gru_cell(int(num_units), _activation_name(activation), 1.0, _seed(seed), name_arg(name)))


class MultiRNNCell(RNNCell):
    """Cells stacked: each one's output feeds the next; the state is a tuple of theirs."""

    @checked
    def __init__(self, cells: Kind("a list of cells", lambda c: isinstance(c, (list, tuple)) and len(c) > 0
                                   and all(isinstance(e, RNNCell) for e in c)),
                 state_is_tuple: BOOL = True):
        _unsupported("MultiRNNCell", state_is_tuple_False=not state_is_tuple)
        self._cells = list(cells)
        super().__init__(_core.multi_rnn_cell([c._cell for c in self._cells]))

    def _pack(self, flat):
        out, at = [], 0
        for c in self._cells:
            n = len(c._cell.state_size)
            out.append(c._pack(list(flat[at:at + n])))
            at += n
        return tuple(out)


def _flatten(state):
    if isinstance(state, (list, tuple)):
        return [n for part in state for n in _flatten(part)]
    return [as_node(state)]
