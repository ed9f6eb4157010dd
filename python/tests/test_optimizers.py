"""train.MomentumOptimizer / RMSPropOptimizer / AdamOptimizer and train.schedules against PyTorch:
the same two-layer net with biases (broadcast adds), the same initial values and mini-batches in
float64, 10 steps, every variable compared after every step to 1e-6. Plus convergence on a
least-squares problem, where the state lives, var_list, and hyper-parameter errors."""
import numpy as np
import pytest

import tensorgraph as ts
from tensorgraph import train

torch = pytest.importorskip("torch")

STEPS = 10

# name -> (tensorgraph optimizer from a learning rate, torch optimizer from params and a float rate)
OPTIMIZERS = {
    "momentum": (lambda lr: train.MomentumOptimizer(lr, momentum=0.9),
                 lambda p, lr: torch.optim.SGD(p, lr=lr, momentum=0.9)),
    "nesterov": (lambda lr: train.MomentumOptimizer(lr, momentum=0.8, use_nesterov=True),
                 lambda p, lr: torch.optim.SGD(p, lr=lr, momentum=0.8, nesterov=True)),
    "plain sgd": (lambda lr: train.MomentumOptimizer(learning_rate=lr, momentum=0.0),
                  lambda p, lr: torch.optim.SGD(p, lr=lr)),
    "rmsprop": (lambda lr: train.RMSPropOptimizer(lr, decay=0.95, epsilon=1e-6),
                lambda p, lr: torch.optim.RMSprop(p, lr=lr, alpha=0.95, eps=1e-6)),
    "rmsprop momentum": (lambda lr: train.RMSPropOptimizer(lr, momentum=0.7),
                         lambda p, lr: torch.optim.RMSprop(p, lr=lr, alpha=0.9, eps=1e-8, momentum=0.7)),
    "adam": (lambda lr: train.AdamOptimizer(lr),
             lambda p, lr: torch.optim.Adam(p, lr=lr)),
    "adam betas": (lambda lr: train.AdamOptimizer(learning_rate=lr, beta1=0.5, beta2=0.9, epsilon=1e-4),
                   lambda p, lr: torch.optim.Adam(p, lr=lr, betas=(0.5, 0.9), eps=1e-4)),
}

# name -> (tensorgraph learning rate from a base rate, torch scheduler from an optimizer or None)
SCHEDULES = {
    "constant": (lambda lr: lr, None),
    "step": (lambda lr: train.schedules.step(lr, step_size=3, gamma=0.5),
             lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5)),
    "exponential": (lambda lr: train.schedules.exponential(lr, gamma=0.8),
                    lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.8)),
    # total_steps < STEPS: past it torch's cosine rises again, and so must ours
    "cosine": (lambda lr: train.schedules.cosine(lr, total_steps=6, min_lr=0.1 * lr),
               lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=6, eta_min=0.1 * o.defaults["lr"])),
}

BASE_LR = {"momentum": 0.05, "nesterov": 0.05, "plain sgd": 0.1, "rmsprop": 0.01, "rmsprop momentum": 0.01,
           "adam": 0.05, "adam betas": 0.05}


def net_data(rng):
    """Initial parameters of a 3-4-2 tanh net and STEPS mini-batches of 5 rows."""
    params = {"W1": rng.standard_normal((3, 4)), "b1": rng.standard_normal(4) * 0.1,
              "W2": rng.standard_normal((4, 2)), "b2": rng.standard_normal(2) * 0.1}
    batches = [(rng.standard_normal((5, 3)), rng.standard_normal((5, 2))) for _ in range(STEPS)]
    return params, batches


@pytest.mark.parametrize("schedule", list(SCHEDULES))
@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_matches_torch_step_by_step(name, schedule, rng):
    params, batches = net_data(rng)
    make_tg, make_torch = OPTIMIZERS[name]
    tg_lr, torch_scheduler = SCHEDULES[schedule]
    lr = BASE_LR[name]

    X, Y = ts.placeholder("float64", (None, 3)), ts.placeholder("float64", (None, 2))
    v = {k: ts.Variable(val, name=k) for k, val in params.items()}
    out = ts.add(ts.matmul(ts.tanh(ts.add(ts.matmul(X, v["W1"]), v["b1"])), v["W2"]), v["b2"])
    step = make_tg(tg_lr(lr)).minimize(ts.reduce_mean(ts.square(ts.subtract(out, Y))))
    sess = ts.Session()

    tp = {k: torch.tensor(val, requires_grad=True) for k, val in params.items()}
    opt = make_torch(list(tp.values()), lr)
    sched = torch_scheduler(opt) if torch_scheduler else None

    for t, (xb, yb) in enumerate(batches):
        sess.run(step, {X: xb, Y: yb})
        opt.zero_grad()
        pred = torch.tanh(torch.from_numpy(xb) @ tp["W1"] + tp["b1"]) @ tp["W2"] + tp["b2"]
        ((pred - torch.from_numpy(yb)) ** 2).mean().backward()
        opt.step()
        if sched:
            sched.step()
        for k in params:
            np.testing.assert_allclose(sess.run(v[k]), tp[k].detach().numpy(), rtol=0, atol=1e-6,
                                       err_msg=f"{k} after step {t + 1}")
    assert sess.run(ts.get_default_graph().get_node_by_name(step.name + "/step")) == STEPS


@pytest.mark.parametrize("schedule", ["step", "exponential", "cosine"])
def test_schedule_values_match_torch_schedulers(schedule):
    tg_lr, torch_scheduler = SCHEDULES[schedule]
    s = tg_lr(0.3)
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.3)
    sched = torch_scheduler(opt)
    for t in range(20):
        assert s(t) == pytest.approx(sched.get_last_lr()[0], abs=1e-12), t
        opt.step()
        sched.step()


@pytest.mark.parametrize("make", [
    lambda: train.MomentumOptimizer(0.01, 0.9),
    lambda: train.RMSPropOptimizer(train.schedules.cosine(0.02, 2000)),
    lambda: train.AdamOptimizer(train.schedules.cosine(0.1, 2000)),
], ids=["momentum", "rmsprop", "adam"])
def test_converges_to_the_least_squares_solution(make):
    A = np.array([[2.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 4.0], [1.0, 0.0, 1.0]])
    w_star = np.array([1.0, -2.0, -1.0])
    w = ts.Variable(np.zeros(3), name="w")
    loss = ts.reduce_sum(ts.square(ts.subtract(ts.matmul(ts.constant(A), w), ts.constant(A @ w_star))))
    step = make().minimize(loss)
    sess = ts.Session()
    first = sess.run(loss)
    for _ in range(2000):
        sess.run(step)
    assert sess.run(loss) < 1e-6 * first
    np.testing.assert_allclose(sess.run(w), w_star, atol=1e-3)


def test_state_is_per_session_non_trainable_and_not_optimized():
    w = ts.Variable(np.array([1.0, -2.0]), name="w")
    loss = ts.reduce_sum(ts.square(w))
    step = train.AdamOptimizer(0.1).minimize(loss)
    g = ts.get_default_graph()
    assert [v.name for v in g.trainable_variables()] == ["w"]
    for name in ("w/Adam_m", "w/Adam_v", "Adam/step"):
        assert not g.get_node_by_name(name).trainable
    s1, s2 = ts.Session(), ts.Session()
    for _ in range(3):
        s1.run(step)
    s2.run(step)
    np.testing.assert_allclose(s2.run(w), [1 - 0.2 / (2 + 1e-8), -2 + 0.4 / (4 + 1e-8)])
    assert s1.run(g.get_node_by_name("Adam/step")) == 3 and s2.run(g.get_node_by_name("Adam/step")) == 1
    assert not np.allclose(s1.run(w), s2.run(w))
    # a second optimizer trains w only, not the first one's state
    step2 = train.MomentumOptimizer(0.1, 0.5).minimize(loss)
    assert len(step2.input_nodes) == 1 + 3  # the step count, then w, its gradient and its buffer


def test_var_list_and_feeds_of_the_run():
    w1, w2 = ts.Variable(3.0, name="w1"), ts.Variable(1.0, name="w2")
    x = ts.placeholder("float64", ())
    step = train.MomentumOptimizer(0.25, momentum=0.5).minimize(ts.square(w1 - x) + ts.square(w2), var_list=[w1])
    sess = ts.Session()
    sess.run(step, {x: 1.0})  # g = 4, buf = 4, w1 = 2
    sess.run(step, {x: 5.0})  # g = -6, buf = -4, w1 = 3
    assert sess.run(w1) == pytest.approx(3.0) and sess.run(w2) == 1.0


@pytest.mark.parametrize("make, words", [
    (lambda: train.MomentumOptimizer(-0.1, 0.9), ["MomentumOptimizer", "learning_rate"]),
    (lambda: train.MomentumOptimizer(0.1, 1.0), ["MomentumOptimizer", "momentum"]),
    (lambda: train.MomentumOptimizer(0.1, 0.0, use_nesterov=True), ["MomentumOptimizer", "use_nesterov"]),
    (lambda: train.RMSPropOptimizer(float("nan")), ["RMSPropOptimizer", "learning_rate"]),
    (lambda: train.RMSPropOptimizer(0.1, epsilon=0), ["RMSPropOptimizer", "epsilon"]),
    (lambda: train.RMSPropOptimizer(0.1, decay=-0.1), ["RMSPropOptimizer", "decay"]),
    (lambda: train.AdamOptimizer(beta1=1.0), ["AdamOptimizer", "beta1"]),
    (lambda: train.AdamOptimizer(beta2=float("nan")), ["AdamOptimizer", "beta2"]),
    (lambda: train.AdamOptimizer(epsilon=-1e-8), ["AdamOptimizer", "epsilon"]),
    (lambda: train.schedules.cosine(0.1, total_steps=0), ["schedules::cosine", "total_steps"]),
])
def test_bad_hyper_parameters_raise(make, words):
    with pytest.raises(ValueError) as e:
        make()
    for word in words:
        assert word in str(e.value)
    assert isinstance(e.value, ts.Error)


def test_learning_rate_must_be_a_number_or_a_schedule():
    with pytest.raises(TypeError):
        train.AdamOptimizer("0.1")
    assert train.AdamOptimizer(np.float64(0.5)).learning_rate(7) == 0.5
    assert train.MomentumOptimizer(1, 0.9).learning_rate(0) == 1.0


# compute_gradients / apply_gradients: minimize in two halves, gradients changed between -------------

ALL_OPTIMIZERS = dict(OPTIMIZERS, **{"gradient descent": (lambda lr: train.GradientDescentOptimizer(lr),
                                                           lambda p, lr: torch.optim.SGD(p, lr=lr))})
BASE_LR["gradient descent"] = 0.1


def two_layer_net(params):
    X, Y = ts.placeholder("float64", (None, 3), name="X"), ts.placeholder("float64", (None, 2), name="Y")
    v = {k: ts.Variable(val, name=k) for k, val in params.items()}
    out = ts.add(ts.matmul(ts.tanh(ts.add(ts.matmul(X, v["W1"]), v["b1"])), v["W2"]), v["b2"])
    return X, Y, v, ts.reduce_mean(ts.square(ts.subtract(out, Y)))


def torch_loss(tp, xb, yb):
    pred = torch.tanh(torch.from_numpy(xb) @ tp["W1"] + tp["b1"]) @ tp["W2"] + tp["b2"]
    return ((pred - torch.from_numpy(yb)) ** 2).mean()


@pytest.mark.parametrize("name", list(ALL_OPTIMIZERS))
def test_minimize_is_compute_gradients_then_apply_gradients(name, rng):
    """The same numbers, bit for bit, step after step, in one graph and one session."""
    params, batches = net_data(rng)
    X, Y, v, loss = two_layer_net(params)
    make = ALL_OPTIMIZERS[name][0]
    one = make(BASE_LR[name]).minimize(loss)
    v2 = {k: ts.Variable(val, name=k + "_2") for k, val in params.items()}
    out2 = ts.add(ts.matmul(ts.tanh(ts.add(ts.matmul(X, v2["W1"]), v2["b1"])), v2["W2"]), v2["b2"])
    loss2 = ts.reduce_mean(ts.square(ts.subtract(out2, Y)))
    opt = make(BASE_LR[name])
    pairs = opt.compute_gradients(loss2, var_list=list(v2.values()))
    two = opt.apply_gradients(pairs)
    sess = ts.Session()
    for xb, yb in batches:
        sess.run([one, two], {X: xb, Y: yb})
        for k in params:
            np.testing.assert_array_equal(sess.run(v2[k]), sess.run(v[k]), err_msg=k)


def clip_by_global_norm(grads, max_norm):
    """torch.nn.utils.clip_grad_norm_'s factor min(1, max_norm / (norm + 1e-6)), as graph nodes:
    min(1, r) = (1 + r - |1 - r|) / 2 and |d| = sqrt(d^2), the ops at hand."""
    norm = ts.sqrt(sum(ts.reduce_sum(ts.square(g)) for g in grads))
    r = max_norm / (norm + 1e-6)
    factor = (1.0 + r - ts.sqrt(ts.square(1.0 - r))) / 2.0
    return [g * factor for g in grads]


@pytest.mark.parametrize("name", ["adam", "momentum", "gradient descent"])
def test_gradients_clipped_by_global_norm_train_as_torch_does(name, rng):
    params, batches = net_data(rng)
    X, Y, v, loss = two_layer_net(params)
    make_tg, make_torch = ALL_OPTIMIZERS[name]
    opt = make_tg(BASE_LR[name])
    grads, variables = zip(*opt.compute_gradients(loss))
    step = opt.apply_gradients(list(zip(clip_by_global_norm(grads, 0.5), variables)))
    sess = ts.Session()
    tp = {k: torch.tensor(val, requires_grad=True) for k, val in params.items()}
    topt = make_torch(list(tp.values()), BASE_LR[name])
    clipped = 0
    for t, (xb, yb) in enumerate(batches):
        sess.run(step, {X: xb, Y: yb})
        topt.zero_grad()
        torch_loss(tp, xb, yb).backward()
        clipped += torch.nn.utils.clip_grad_norm_(list(tp.values()), 0.5).item() > 0.5
        topt.step()
        for k in params:
            np.testing.assert_allclose(sess.run(v[k]), tp[k].detach().numpy(), rtol=0, atol=1e-9,
                                       err_msg=f"{k} after step {t + 1}")
    assert clipped >= STEPS // 2  # the clipping did happen


def test_averaged_gradients_of_two_towers_train_as_the_mean_loss(rng):
    """Two mini-batches per step (two "towers"), their gradients averaged: torch's step on the mean
    of the two losses."""
    params, batches = net_data(rng)
    X, Y, v, loss = two_layer_net(params)
    X2, Y2 = ts.placeholder("float64", (None, 3)), ts.placeholder("float64", (None, 2))
    out2 = ts.add(ts.matmul(ts.tanh(ts.add(ts.matmul(X2, v["W1"]), v["b1"])), v["W2"]), v["b2"])
    loss2 = ts.reduce_mean(ts.square(ts.subtract(out2, Y2)))
    opt = train.RMSPropOptimizer(0.01, momentum=0.5)
    tower1, tower2 = opt.compute_gradients(loss), opt.compute_gradients(loss2)
    step = opt.apply_gradients([((g1 + g2) / 2.0, v1) for (g1, v1), (g2, _) in zip(tower1, tower2)])
    sess = ts.Session()
    tp = {k: torch.tensor(val, requires_grad=True) for k, val in params.items()}
    topt = torch.optim.RMSprop(list(tp.values()), lr=0.01, alpha=0.9, eps=1e-8, momentum=0.5)
    for (xa, ya), (xb, yb) in zip(batches[::2], batches[1::2]):
        sess.run(step, {X: xa, Y: ya, X2: xb, Y2: yb})
        topt.zero_grad()
        ((torch_loss(tp, xa, ya) + torch_loss(tp, xb, yb)) / 2).backward()
        topt.step()
        for k in params:
            np.testing.assert_allclose(sess.run(v[k]), tp[k].detach().numpy(), rtol=0, atol=1e-9, err_msg=k)


@pytest.mark.parametrize("name", ["adam", "gradient descent"])
def test_global_step_counts_updates_and_drives_the_schedule(name, rng):
    """TensorFlow's global_step: each run adds 1; the schedule reads it (torch: a scheduler stepped
    after each step)."""
    params, batches = net_data(rng)
    X, Y, v, loss = two_layer_net(params)
    global_step = ts.Variable(0, name="global_step", trainable=False, dtype=ts.int64)
    if name == "adam":
        opt = train.AdamOptimizer(train.schedules.exponential(0.05, gamma=0.8))
    else:
        opt = train.GradientDescentOptimizer(0.1)
    step = opt.apply_gradients(opt.compute_gradients(loss), global_step=global_step, name="train")
    assert step.name == "train"
    sess = ts.Session()
    tp = {k: torch.tensor(val, requires_grad=True) for k, val in params.items()}
    topt = (torch.optim.Adam(list(tp.values()), lr=0.05) if name == "adam"
            else torch.optim.SGD(list(tp.values()), lr=0.1))
    sched = torch.optim.lr_scheduler.ExponentialLR(topt, gamma=0.8) if name == "adam" else None
    for t, (xb, yb) in enumerate(batches):
        sess.run(step, {X: xb, Y: yb})
        assert sess.run(global_step) == t + 1
        topt.zero_grad()
        torch_loss(tp, xb, yb).backward()
        topt.step()
        if sched:
            sched.step()
        for k in params:
            np.testing.assert_allclose(sess.run(v[k]), tp[k].detach().numpy(), rtol=0, atol=1e-9, err_msg=k)
    with pytest.raises(ts.DTypeError, match="global_step must be a scalar Variable"):
        opt.apply_gradients(opt.compute_gradients(loss), global_step=ts.Variable([0.0, 0.0]))
    with pytest.raises(ts.DTypeError, match="global_step must be a scalar Variable"):
        opt.apply_gradients(opt.compute_gradients(loss), global_step=ts.Variable(True))
    # TensorFlow 1.x's tf.Variable(0, trainable=False) (float64 here, int32 there) counts too
    for dtype in (ts.float64, ts.int32):
        other = ts.Variable(7, trainable=False, dtype=dtype)
        sess.run(opt.apply_gradients(opt.compute_gradients(loss), global_step=other), {X: batches[0][0], Y: batches[0][1]})
        assert sess.run(other) == 8 and sess.run(other).dtype == dtype
    # minimize takes them too, by keyword
    counted = opt.minimize(loss, global_step=global_step)
    sess.run(counted, {X: batches[0][0], Y: batches[0][1]})
    assert sess.run(global_step) == STEPS + 1


def test_pairs_without_a_gradient_are_skipped_and_none_at_all_is_refused():
    w, unused = ts.Variable(np.array([1.0, -2.0]), name="w"), ts.Variable(3.0, name="unused")
    loss = ts.reduce_sum(ts.square(w))
    opt = train.MomentumOptimizer(0.1, 0.9)
    pairs = opt.compute_gradients(loss)
    assert [(g is None, var) for g, var in pairs] == [(False, w), (True, unused)]
    step = opt.apply_gradients(pairs)
    assert unused not in step.input_nodes
    sess = ts.Session()
    sess.run(step)
    np.testing.assert_allclose(sess.run(w), [0.8, -1.6])
    assert sess.run(unused) == 3.0
    with pytest.raises(ts.ArgumentValueError, match="no gradient for any Variable.*'w', 'unused'"):
        opt.apply_gradients([(None, w), (None, unused)])
    with pytest.raises(ts.ShapeError, match="gradient .* of Variable 'w' has shape \\[3\\]"):
        opt.apply_gradients([(ts.constant([1.0, 2.0, 3.0]), w)])
    for bad in ([w], [(w,)], [(pairs[0][0], "w")], (p for p in pairs)):
        with pytest.raises(ts.ArgumentTypeError, match="apply_gradients: argument 'grads_and_vars'"):
            opt.apply_gradients(bad)
