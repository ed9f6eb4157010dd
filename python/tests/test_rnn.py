"""The recurrent cells and loops against PyTorch (torch.nn.LSTM and RNN given the same weights, the GRU
as TensorFlow's formula in torch; forward and gradients in float64), TensorFlow's state structures and variable names, masking by
sequence length, and argument errors."""
import numpy as np
import pytest

import tensorgraph as tf

torch = pytest.importorskip("torch")
R = np.random.default_rng(2026)
B, T, IN, U = 3, 5, 4, 6


def _values(cell, feeds):
    return tf.Session().run(cell.variables, feeds)


def _torch_lstm_from_tf(kernel, bias, forget_bias):
    """torch.nn.LSTM with TensorFlow's LSTMCell weights: TF's kernel [in + u, 4u] has gates i, j, f, o;
    torch's weight_ih [4u, in], weight_hh [4u, u] have i, f, g(=j), o; the forget bias goes into b_ih."""
    lstm = torch.nn.LSTM(IN, U, batch_first=True).double()
    i, j, f, o = np.split(kernel, 4, axis=1)
    bi, bj, bf, bo = np.split(bias, 4)
    w = np.concatenate([i, f, j, o], axis=1).T  # [4u, in + u]
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(torch.tensor(w[:, :IN]))
        lstm.weight_hh_l0.copy_(torch.tensor(w[:, IN:]))
        lstm.bias_ih_l0.copy_(torch.tensor(np.concatenate([bi, bf + forget_bias, bj, bo])))
        lstm.bias_hh_l0.zero_()
    return lstm


def test_lstm_forward_and_gradients_match_torch(fresh_graph):
    xv = R.standard_normal((B, T, IN))
    wv = R.standard_normal((B, T, U))
    x = tf.placeholder(tf.float64, [B, T, IN])
    cell = tf.nn.rnn_cell.LSTMCell(U, forget_bias=1.0)
    out, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float64)
    assert isinstance(state, tf.nn.rnn_cell.LSTMStateTuple)
    assert [v.name for v in cell.variables] == ["lstm_cell/kernel", "lstm_cell/bias"]
    loss = tf.reduce_sum(out * wv) + tf.reduce_sum(tf.square(state.c))
    grads = tf.gradients(loss, [x] + cell.variables)
    kernel, bias = _values(cell, {x: xv})
    got = tf.Session().run([out, state.c, state.h] + grads, {x: xv})

    lstm = _torch_lstm_from_tf(kernel, bias, 1.0)
    xt = torch.tensor(xv, requires_grad=True)
    to, (th, tc) = lstm(xt)
    np.testing.assert_allclose(got[0], to.detach().numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(got[1], tc[0].detach().numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(got[2], th[0].detach().numpy(), rtol=1e-12, atol=1e-14)
    ((to * torch.tensor(wv)).sum() + (tc[0] ** 2).sum()).backward()
    np.testing.assert_allclose(got[3], xt.grad.numpy(), rtol=1e-10, atol=1e-12)
    # the kernel's gradient, rearranged as torch's: [in + u, 4u] (i, j, f, o) -> [4u, in + u] (i, f, j, o)
    i, j, f, o = np.split(got[4], 4, axis=1)
    dk = np.concatenate([i, f, j, o], axis=1).T
    np.testing.assert_allclose(dk[:, :IN], lstm.weight_ih_l0.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dk[:, IN:], lstm.weight_hh_l0.grad.numpy(), rtol=1e-10, atol=1e-12)
    bi, bj, bf, bo = np.split(got[5], 4)
    np.testing.assert_allclose(np.concatenate([bi, bf, bj, bo]), lstm.bias_ih_l0.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_gru_and_basic_rnn_match_torch(fresh_graph):
    xv = R.standard_normal((B, T, IN))
    x = tf.placeholder(tf.float64, [B, T, IN])
    gru, basic = tf.nn.rnn_cell.GRUCell(U), tf.nn.rnn_cell.BasicRNNCell(U)
    g_out, g_state = tf.nn.dynamic_rnn(gru, x, dtype=tf.float64)
    b_out, b_state = tf.nn.dynamic_rnn(basic, x, dtype=tf.float64)
    gk, gb, ck, cb = _values(gru, {x: xv})
    bk, bb = _values(basic, {x: xv})
    got = tf.Session().run([g_out, b_out, tf.gradients(tf.reduce_sum(g_out ** 2) + tf.reduce_sum(b_out), x)],
                           {x: xv})
    # torch.nn.GRU resets after the recurrent product (r * (W_hn h)); TensorFlow's GRUCell before it
    # (W (r * h)), so torch's module is no oracle here: the same formula in torch's autograd is.
    def torch_gru(xt):
        h = torch.zeros(B, U, dtype=torch.float64)
        outs = []
        for t in range(T):
            ru = torch.sigmoid(torch.cat([xt[:, t], h], 1) @ torch.tensor(gk) + torch.tensor(gb))
            r, u = ru[:, :U], ru[:, U:]
            c = torch.tanh(torch.cat([xt[:, t], r * h], 1) @ torch.tensor(ck) + torch.tensor(cb))
            h = u * h + (1 - u) * c
            outs.append(h)
        return torch.stack(outs, 1)

    rnn = torch.nn.RNN(IN, U, batch_first=True).double()
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.tensor(bk[:IN].T))
        rnn.weight_hh_l0.copy_(torch.tensor(bk[IN:].T))
        rnn.bias_ih_l0.copy_(torch.tensor(bb))
        rnn.bias_hh_l0.zero_()
    xt = torch.tensor(xv, requires_grad=True)
    go = torch_gru(xt)
    bo, _ = rnn(xt)
    np.testing.assert_allclose(got[0], go.detach().numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(got[1], bo.detach().numpy(), rtol=1e-12, atol=1e-14)
    ((go ** 2).sum() + bo.sum()).backward()
    np.testing.assert_allclose(got[2], xt.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_sequence_length_masks_outputs_and_freezes_the_state(fresh_graph):
    xv = R.standard_normal((B, T, IN))
    lengths = np.array([5, 2, 0])
    x = tf.placeholder(tf.float64, [None, T, IN])
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(U), tf.nn.rnn_cell.GRUCell(3)])
    out, state = tf.nn.dynamic_rnn(cell, x, sequence_length=lengths, dtype=tf.float64)
    assert isinstance(state, tuple) and isinstance(state[0], tf.nn.rnn_cell.LSTMStateTuple)
    full, fstate = tf.nn.dynamic_rnn(cell, x, dtype=tf.float64)  # the same Variables, unmasked
    assert len(cell.variables) == 6
    o, h, fo = tf.Session().run([out, state[1], full], {x: xv})
    for b, n in enumerate(lengths):
        np.testing.assert_array_equal(o[b, n:], 0.0)
        np.testing.assert_allclose(o[b, :n], fo[b, :n], rtol=1e-13)
        np.testing.assert_allclose(h[b], fo[b, n - 1] if n else 0.0, rtol=1e-13)  # the GRU's state is its output


def test_static_rnn_time_major_and_a_given_initial_state(fresh_graph):
    xv = R.standard_normal((T, B, IN))
    x = tf.placeholder(tf.float64, [T, B, IN])
    cell = tf.nn.rnn_cell.BasicLSTMCell(U)
    init = cell.zero_state(B, tf.float64)
    assert init.c.shape == (B, U)
    outs, st = tf.nn.static_rnn(cell, tf.unstack(x), initial_state=init)
    tm, st2 = tf.nn.dynamic_rnn(cell, x, time_major=True, initial_state=st)  # continues from the first pass
    assert cell.variables[0].name == "basic_lstm_cell/kernel"
    s = tf.Session()
    o, c1, tmv = s.run([tf.stack(outs), st.c, tm], {x: xv})
    twice, _ = tf.nn.static_rnn(cell, tf.unstack(x) + tf.unstack(x), initial_state=init)
    np.testing.assert_allclose(tmv, s.run(tf.stack(twice[T:]), {x: xv}), rtol=1e-13)
    assert o.shape == (T, B, U) and c1.shape == (B, U)


def test_cell_step_by_hand_and_errors(fresh_graph):
    x = tf.placeholder(tf.float32, [2, 3])
    cell = tf.nn.rnn_cell.GRUCell(4, name="g")
    h, state = cell(x, cell.zero_state(2, tf.float32))
    assert h.dtype == tf.float32 and state is not None
    assert cell.output_size == 4 and tf.nn.rnn_cell.LSTMCell(5).state_size == (5, 5)
    with pytest.raises(tf.ArgumentValueError, match="use_peepholes.*not supported"):
        tf.nn.rnn_cell.LSTMCell(4, use_peepholes=True)
    with pytest.raises(tf.ArgumentTypeError, match="activation"):
        tf.nn.rnn_cell.BasicRNNCell(4, activation="softmax")
    with pytest.raises(tf.ShapeError, match="time dimension known"):
        tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(2), tf.placeholder(tf.float32, [2, None, 3]))
    with pytest.raises(tf.GraphError, match="num_units must be at least 1"):
        tf.nn.rnn_cell.LSTMCell(0)
