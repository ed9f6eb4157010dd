"""Bad arguments raise tensorgraph's own exceptions, naming the function and the argument, never
pybind11's "incompatible function arguments" dump.

The walk: every public callable of tensorgraph, train, train.schedules, layers and data (functions,
constructors, methods) has a row below with a call that works; the test makes that call, then the
same call with each argument in turn replaced by an object of the wrong type, with an argument too
many and with a keyword it does not have. Each must raise a tensorgraph.Error that is a TypeError
(or ValueError), whose message names the argument. A public callable without a row fails the
coverage test.
"""
import inspect
import pathlib
import types

import numpy as np
import pytest

import tensorgraph as tg
from tensorgraph import layers, train

INCOMPATIBLE = "incompatible function arguments"


class Wrong:
    """Of no type any argument takes: not a number, sequence, array, node, path or callable."""

    def __repr__(self):
        return "<Wrong>"


class World:
    def __init__(self, graph, tmp):
        self.g, self.tmp = graph, tmp
        self.x = tg.placeholder(tg.float64, [None, 2], name="x")
        self.images = tg.placeholder(tg.float64, [None, 6, 6, 2], name="images")
        self.labels = tg.placeholder(tg.int64, [None], name="labels")
        self.W = tg.Variable(np.ones((2, 3)), name="W")
        self.logits = tg.matmul(self.x, self.W, name="logits")
        self.loss = tg.reduce_mean(tg.sparse_softmax_cross_entropy_with_logits(labels=self.labels, logits=self.logits))
        self.acc = layers.accuracy(self.logits, self.labels)
        self.opt = train.GradientDescentOptimizer(0.1)
        self.step = self.opt.minimize(self.loss)
        self.session = tg.Session(graph)
        self.data = tg.data.Dataset(np.ones((6, 2)), np.arange(6) % 3)
        self.csv = tmp / "numbers.csv"
        self.csv.write_text("a,b\n1,2\n3,4\n")
        self.saver = train.Saver()
        tg.export_model(self.session, [self.logits], str(tmp / "model"))
        self.saver.save(self.session, str(tmp / "vars.safetensors"))

    def run_loss(self):
        """None, after a run of the loss (train.compute_gradients reads the values of that run)."""
        self.session.run(self.loss, {self.x: [[1.0, 2.0]], self.labels: [1]})

    def fit_args(self):
        return dict(session=self.session, inputs=self.x, labels=self.labels, loss=self.loss, train_op=self.step,
                    train_data=self.data, validation_data=self.data, accuracy=self.acc, epochs=1, batch_size=3,
                    seed=0, patience=0, restore_best=True, train_feed_dict={}, eval_feed_dict={}, quiet=True,
                    stop_on_non_finite=False)


def optimizer_rows(name, make, args):
    return {
        f"train.{name}": lambda w: (getattr(train, name), args),
        f"train.{name}.compute_gradients": lambda w: (make().compute_gradients, dict(loss=w.loss, var_list=[w.W])),
        f"train.{name}.apply_gradients": lambda w: (
            make().apply_gradients, dict(grads_and_vars=make().compute_gradients(w.loss, [w.W]),
                                         global_step=tg.Variable(0, dtype=tg.int64, trainable=False), name="update")),
        f"train.{name}.minimize": lambda w: (make().minimize, dict(loss=w.loss, var_list=[w.W], global_step=None,
                                                                   name="step")),
    }


def _unary(name):
    return {f"tensorgraph.{name}": lambda w: (getattr(tg, name), dict(x=w.logits, name="u"))}


def _binary(name):
    return {f"tensorgraph.{name}": lambda w: (getattr(tg, name), dict(x=w.logits, y=2.0, name="b"))}


def _reduction(name):
    return {f"tensorgraph.{name}": lambda w: (getattr(tg, name), dict(A=w.logits, axis=1, keepdims=True, name="r"))}


# "where.name": world -> (callable, {argument: a value that works})
def _img(channels=2):
    """A batch of 6x6 images (NHWC) for the convolutions' rows."""
    return tg.placeholder(tg.float32, [None, 6, 6, channels])


def _img3():
    """max_pool's output for _img() with 2x2 windows at stride 2."""
    return tg.placeholder(tg.float32, [None, 3, 3, 2])


def _kern():
    return tg.constant(np.ones((3, 3, 2, 4), np.float32))


ROWS = {
    "tensorgraph.Graph": lambda w: (tg.Graph, {}),
    "tensorgraph.Graph.as_default": lambda w: (w.g.as_default, {}),
    "tensorgraph.Graph.get_default": lambda w: (tg.Graph.get_default, {}),
    "tensorgraph.Graph.reset_default": lambda w: (tg.Graph.reset_default, {}),
    "tensorgraph.Graph.nodes": lambda w: (w.g.nodes, {}),
    "tensorgraph.Graph.trainable_variables": lambda w: (w.g.trainable_variables, {}),
    "tensorgraph.Graph.get_node_by_name": lambda w: (w.g.get_node_by_name, dict(name="W")),
    "tensorgraph.Graph.to_dot": lambda w: (w.g.to_dot, dict(forward_only=True)),
    "tensorgraph.Node.get_attr": lambda w: (w.logits.get_attr, dict(name="transpose_a")),
    "tensorgraph.Operation": lambda w: (tg.Operation, dict(input_nodes=[w.x], name="op")),
    "tensorgraph.Operation.compute": None,  # the user's to write
    "tensorgraph.RegisterGradient": lambda w: (tg.RegisterGradient, dict(op_type="MyOp")),
    "tensorgraph.RegisterGradient.__call__": lambda w: (tg.RegisterGradient("MyOp"), dict(f=lambda op, grad: grad)),
    "tensorgraph.Session": lambda w: (tg.Session, dict(target="", graph=w.g, config=tg.ConfigProto(),
                                                       check_numerics=True)),
    "tensorgraph.ConfigProto": lambda w: (tg.ConfigProto, dict(
        device_count={"GPU": 0}, intra_op_parallelism_threads=0, inter_op_parallelism_threads=2,
        allow_soft_placement=True, log_device_placement=False, gpu_options=tg.GPUOptions(),
        operation_timeout_in_ms=0)),  # graph_options: anything
    "tensorgraph.GPUOptions": lambda w: (tg.GPUOptions, dict(allow_growth=True, per_process_gpu_memory_fraction=0.5,
                                                             visible_device_list="0")),
    **{f"tensorgraph.{n}": (lambda n: lambda w: (getattr(tg, n), dict(x=w.logits, name=n)))(n)
       for n in ("to_float", "to_double", "to_int32", "to_int64", "rsqrt", "reciprocal", "log_sigmoid")},
    "tensorgraph.add_n": lambda w: (tg.add_n, dict(inputs=[w.logits, w.logits], name="sum")),
    "tensorgraph.squared_difference": lambda w: (tg.squared_difference, dict(x=w.logits, y=1.0, name="sd")),
    "tensorgraph.reduce_logsumexp": lambda w: (tg.reduce_logsumexp, dict(
        input_tensor=w.logits, axis=1, keepdims=False, name="lse", reduction_indices=None, keep_dims=None)),
    "tensorgraph.matrix_transpose": lambda w: (tg.matrix_transpose, dict(a=w.logits, name="mt", conjugate=False)),
    "tensorgraph.squeeze": lambda w: (tg.squeeze, dict(input=w.images[:, :1], axis=[1], name="sq", squeeze_dims=None)),
    "nn.relu6": lambda w: (tg.nn.relu6, dict(features=w.logits, name="r6")),
    "nn.elu": lambda w: (tg.nn.elu, dict(features=w.logits, name="elu")),
    "nn.xw_plus_b": lambda w: (tg.nn.xw_plus_b, dict(x=w.x, weights=w.W, biases=np.zeros(3), name="xwb")),
    "train.get_global_step": lambda w: (train.get_global_step, dict(graph=w.g)),
    "train.create_global_step": lambda w: (train.create_global_step, dict(graph=tg.Graph())),
    "train.get_or_create_global_step": lambda w: (train.get_or_create_global_step, dict(graph=w.g)),
    "tensorgraph.device": lambda w: (tg.device, dict(device_name_or_function="/cpu:0")),
    "tensorgraph.control_dependencies": lambda w: (tg.control_dependencies, dict(control_inputs=[w.logits])),
    "tensorgraph.Graph.control_dependencies": lambda w: (w.g.control_dependencies, dict(control_inputs=None)),
    "tensorgraph.Session.run": lambda w: (w.session.run, dict(fetches=w.logits, feed_dict={w.x: [[1.0, 2.0]]})),
    "tensorgraph.Session.assign": lambda w: (w.session.assign, dict(variable=w.W, value=np.zeros((2, 3)))),
    "tensorgraph.Session.stats": lambda w: (w.session.stats, {}),
    "tensorgraph.Session.as_default": lambda w: (w.session.as_default, {}),
    "tensorgraph.Session.close": lambda w: (tg.Session(w.g).close, {}),
    "tensorgraph.Node.eval": lambda w: (w.logits.eval, dict(feed_dict={w.x: [[1.0, 2.0]]}, session=w.session)),
    "tensorgraph.Node.run": lambda w: (w.logits.run, dict(feed_dict={w.x: [[1.0, 2.0]]}, session=w.session)),
    "tensorgraph.Node.load": lambda w: (w.W.load, dict(value=np.zeros((2, 3)), session=w.session)),
    "tensorgraph.Node.assign": lambda w: (w.W.assign, dict(value=np.zeros((2, 3)), use_locking=None, name="as",
                                                           read_value=None)),
    "tensorgraph.Node.assign_add": lambda w: (w.W.assign_add, dict(delta=np.ones((2, 3)), use_locking=None,
                                                                   name="aa", read_value=None)),
    "tensorgraph.Node.assign_sub": lambda w: (w.W.assign_sub, dict(delta=np.ones((2, 3)), use_locking=None,
                                                                   name="asb", read_value=None)),
    "tensorgraph.Node.get_shape": lambda w: (w.logits.get_shape, {}),
    "tensorgraph.get_default_session": lambda w: (tg.get_default_session, {}),
    "tensorgraph.InteractiveSession": lambda w: (tg.InteractiveSession, dict(target=None, graph=w.g, config=None)),
    "tensorgraph.group": None,  # *inputs: its argument checks in test_tf1_basics.py
    "tensorgraph.no_op": lambda w: (tg.no_op, dict(name="nop")),
    "tensorgraph.assign": lambda w: (tg.assign, dict(ref=w.W, value=np.zeros((2, 3)), validate_shape=None,
                                                     use_locking=None, name="asg")),
    "tensorgraph.assign_add": lambda w: (tg.assign_add, dict(ref=w.W, value=1.0, use_locking=None, name="aa2")),
    "tensorgraph.assign_sub": lambda w: (tg.assign_sub, dict(ref=w.W, value=1.0, use_locking=None, name="as2")),
    "tensorgraph.variables_initializer": lambda w: (tg.variables_initializer, dict(var_list=[w.W], name="vi")),
    "tensorgraph.global_variables_initializer": lambda w: (tg.global_variables_initializer, {}),
    "tensorgraph.initialize_all_variables": lambda w: (tg.initialize_all_variables, {}),
    "tensorgraph.local_variables_initializer": lambda w: (tg.local_variables_initializer, {}),
    "tensorgraph.global_variables": lambda w: (tg.global_variables, dict(scope=None)),
    "tensorgraph.trainable_variables": lambda w: (tg.trainable_variables, dict(scope=None)),
    "tensorgraph.local_variables": lambda w: (tg.local_variables, dict(scope=None)),
    "tensorgraph.shape": lambda w: (tg.shape, dict(input=w.logits, name="shp", out_type=tg.int64)),
    "tensorgraph.truncated_normal": lambda w: (tg.truncated_normal, dict(shape=[2, 3], mean=1.0, stddev=0.5,
                                                                         dtype=tg.float64, seed=3, name="tn")),
    "tensorgraph.random_uniform": lambda w: (tg.random_uniform, dict(shape=[2], minval=-1, maxval=1.0,
                                                                     dtype=tg.float32, seed=2, name="ru")),
    "tensorgraph.zeros_initializer": lambda w: (tg.zeros_initializer, dict(dtype=tg.float64)),
    "tensorgraph.zeros_initializer.__call__": lambda w: (tg.zeros_initializer(), dict(shape=[2, 3], dtype=None, partition_info=None)),
    "tensorgraph.ones_initializer": lambda w: (tg.ones_initializer, dict(dtype=tg.float32)),
    "tensorgraph.ones_initializer.__call__": lambda w: (tg.ones_initializer(), dict(shape=[2, 3], dtype=None, partition_info=None)),
    "tensorgraph.constant_initializer": lambda w: (tg.constant_initializer, dict(value=0.5, dtype=tg.float32, verify_shape=None)),
    "tensorgraph.constant_initializer.__call__": lambda w: (tg.constant_initializer(), dict(shape=[2, 3], dtype=None, partition_info=None)),
    "tensorgraph.random_normal_initializer": lambda w: (tg.random_normal_initializer, dict(mean=0.0, stddev=0.5, seed=1, dtype=tg.float32)),
    "tensorgraph.random_normal_initializer.__call__": lambda w: (tg.random_normal_initializer(), dict(shape=[2, 3], dtype=None, partition_info=None)),
    "tensorgraph.truncated_normal_initializer": lambda w: (tg.truncated_normal_initializer, dict(mean=0.0, stddev=0.5, seed=1, dtype=tg.float32)),
    "tensorgraph.truncated_normal_initializer.__call__": lambda w: (tg.truncated_normal_initializer(), dict(shape=[2, 3], dtype=None, partition_info=None)),
    "tensorgraph.random_uniform_initializer": lambda w: (tg.random_uniform_initializer, dict(minval=-1, maxval=1.0, seed=1, dtype=tg.float32)),
    "tensorgraph.random_uniform_initializer.__call__": lambda w: (tg.random_uniform_initializer(), dict(shape=[2, 3], dtype=None, partition_info=None)),
    "tensorgraph.glorot_uniform_initializer": lambda w: (tg.glorot_uniform_initializer, dict(seed=1, dtype=tg.float32)),
    "tensorgraph.glorot_uniform_initializer.__call__": lambda w: (tg.glorot_uniform_initializer(), dict(shape=[2, 3], dtype=None, partition_info=None)),
    "tensorgraph.glorot_normal_initializer": lambda w: (tg.glorot_normal_initializer, dict(seed=1, dtype=tg.float32)),
    "tensorgraph.glorot_normal_initializer.__call__": lambda w: (tg.glorot_normal_initializer(), dict(shape=[2, 3], dtype=None, partition_info=None)),
    "tensorgraph.name_scope": lambda w: (tg.name_scope, dict(name="ns", default_name=None)),
    "tensorgraph.variable_scope": lambda w: (tg.variable_scope, dict(name_or_scope="vs", default_name=None,
                                                                     regularizer=None, reuse=None, dtype=None,
                                                                     auxiliary_name_scope=True)),
    "tensorgraph.get_variable": lambda w: (tg.get_variable, dict(
        name="gv", shape=[2], dtype=tg.float32, regularizer=None, trainable=True, collections=None,
        caching_device=None, partitioner=None, validate_shape=True, use_resource=None, custom_getter=None,
        constraint=None)),
    "tensorgraph.get_variable_scope": lambda w: (tg.get_variable_scope, {}),
    "tensorgraph.size": lambda w: (tg.size, dict(input=w.logits, name="sz", out_type=tg.int64)),
    "tensorgraph.rank": lambda w: (tg.rank, dict(input=w.logits, name="rk")),
    "tensorgraph.set_random_seed": lambda w: (tg.set_random_seed, dict(seed=5)),
    "tensorgraph.arg_max": lambda w: (tg.arg_max, dict(input=w.logits, dimension=1, name="am2")),
    "tensorgraph.arg_min": lambda w: (tg.arg_min, dict(input=w.logits, dimension=0, name="an2")),
    "tensorgraph.Variable": lambda w: (tg.Variable, dict(initial_value=[1.0], name="v", trainable=False,
                                                         dtype=tg.float32)),
    "tensorgraph.placeholder": lambda w: (tg.placeholder, dict(dtype="float32", shape=[None, 2], name="p")),
    "tensorgraph.constant": lambda w: (tg.constant, dict(value=np.ones(2), dtype=np.float64, name="c")),
    "tensorgraph.get_default_graph": lambda w: (tg.get_default_graph, {}),
    "tensorgraph.reset_default_graph": lambda w: (tg.reset_default_graph, {}),
    "tensorgraph.set_num_threads": lambda w: (tg.set_num_threads, dict(n=tg.num_threads())),
    "tensorgraph.num_threads": lambda w: (tg.num_threads, {}),
    "tensorgraph.gradients": lambda w: (tg.gradients, dict(ys=w.loss, xs=[w.W])),
    **{k: v for name in ("add", "subtract", "multiply", "divide", "equal", "greater") for k, v in _binary(name).items()},
    **{k: v for name in ("negative", "exp", "log", "log1p", "square", "sqrt", "sigmoid", "relu", "tanh", "softmax",
                         "log_softmax") for k, v in _unary(name).items()},
    **{k: v for name in ("reduce_sum", "reduce_mean", "reduce_max") for k, v in _reduction(name).items()},
    **{k: v for name in ("greater_equal", "less", "less_equal", "not_equal", "maximum", "minimum")
       for k, v in _binary(name).items()},
    "tensorgraph.logical_and": lambda w: (tg.logical_and, dict(x=w.logits > 0.0, y=True, name="and")),
    "tensorgraph.logical_or": lambda w: (tg.logical_or, dict(x=w.logits > 0.0, y=w.logits < 1.0, name="or")),
    "tensorgraph.logical_not": lambda w: (tg.logical_not, dict(x=w.logits > 0.0, name="not")),
    "tensorgraph.identity": lambda w: (tg.identity, dict(input=w.logits, name="id")),
    "tensorgraph.stop_gradient": lambda w: (tg.stop_gradient, dict(input=w.logits, name="stop")),
    "tensorgraph.zeros": lambda w: (tg.zeros, dict(shape=[2, 3], dtype=tg.float64, name="z")),
    "tensorgraph.ones": lambda w: (tg.ones, dict(shape=3, dtype=tg.int32, name="o")),
    "tensorgraph.fill": lambda w: (tg.fill, dict(dims=[2], value=1.5, name="f")),
    "tensorgraph.zeros_like": lambda w: (tg.zeros_like, dict(tensor=w.logits, dtype=tg.float32, name="zl")),
    "tensorgraph.ones_like": lambda w: (tg.ones_like, dict(tensor=w.logits, dtype=None, name="ol")),
    "tensorgraph.clip_by_value": lambda w: (tg.clip_by_value, dict(t=w.logits, clip_value_min=-1.0, clip_value_max=1.0,
                                                                   name="clip")),
    "tensorgraph.reduce_min": lambda w: (tg.reduce_min, dict(input_tensor=w.logits, axis=1, keepdims=True, name="rmin")),
    "tensorgraph.reduce_prod": lambda w: (tg.reduce_prod, dict(input_tensor=w.logits, axis=[0, 1], keepdims=False,
                                                               name="rprod")),
    "tensorgraph.argmin": lambda w: (tg.argmin, dict(input=w.logits, axis=1, name="amin")),
    "nn.conv2d": lambda w: (tg.nn.conv2d, dict(input=_img(), filters=_kern(), strides=[1, 1, 1, 1], padding="SAME",
                                               use_cudnn_on_gpu=True, data_format="NHWC", dilations=[1, 1, 1, 1],
                                               name="c2")),
    "nn.conv2d_backprop_input": lambda w: (tg.nn.conv2d_backprop_input, dict(
        input_sizes=[None, 6, 6, 2], filters=_kern(), out_backprop=_img(4), strides=[1, 1, 1, 1], padding="SAME",
        use_cudnn_on_gpu=True, data_format="NHWC", dilations=[1, 1, 1, 1], name="bi")),
    "nn.conv2d_backprop_filter": lambda w: (tg.nn.conv2d_backprop_filter, dict(
        input=_img(), filter_sizes=[3, 3, 2, 4], out_backprop=_img(4), strides=[1, 1, 1, 1], padding="SAME",
        use_cudnn_on_gpu=True, data_format="NHWC", dilations=[1, 1, 1, 1], name="bf")),
    "nn.conv2d_transpose": lambda w: (tg.nn.conv2d_transpose, dict(
        value=_img(4), filters=_kern(), output_shape=[None, 6, 6, 2], strides=[1, 1, 1, 1], padding="SAME",
        data_format="NHWC", name="ct", dilations=[1, 1, 1, 1])),
    "nn.max_pool": lambda w: (tg.nn.max_pool, dict(value=_img(), ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1],
                                                   padding="VALID", data_format="NHWC", name="mp", input=None)),
    "nn.avg_pool": lambda w: (tg.nn.avg_pool, dict(value=_img(), ksize=2, strides=2, padding="SAME",
                                                   data_format="NHWC", name="ap", input=None)),
    "nn.max_pool_grad": lambda w: (tg.nn.max_pool_grad, dict(
        orig_input=_img(), orig_output=_img3(), grad=_img3(), ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID",
        data_format="NHWC", name="mpg")),
    "nn.max_pool_grad_grad": lambda w: (tg.nn.max_pool_grad_grad, dict(
        orig_input=_img(), orig_output=_img3(), grad=_img(), ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID",
        data_format="NHWC", name="mpgg")),
    "nn.avg_pool_grad": lambda w: (tg.nn.avg_pool_grad, dict(
        orig_input=_img(), grad=_img3(), ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID", data_format="NHWC",
        name="apg")),
    "nn.bias_add": lambda w: (tg.nn.bias_add, dict(value=_img(), bias=np.ones(2, np.float32), data_format="NHWC",
                                                   name="ba")),
    "nn.bias_add_grad": lambda w: (tg.nn.bias_add_grad, dict(out_backprop=_img(), data_format="NHWC", name="bag")),
    "nn.leaky_relu": lambda w: (tg.nn.leaky_relu, dict(features=_img(), alpha=0.1, name="lr")),
    "nn.softplus": lambda w: (tg.nn.softplus, dict(features=_img(), name="sp")),
    "nn.softmax_cross_entropy_with_logits": lambda w: (tg.nn.softmax_cross_entropy_with_logits, dict(
        _sentinel=None, labels=np.eye(3)[[0, 1]], logits=w.logits, dim=-1, name="xe1", axis=None)),
    "nn.softmax_cross_entropy_with_logits_v2": lambda w: (tg.nn.softmax_cross_entropy_with_logits_v2, dict(
        labels=np.eye(3)[[0, 1]], logits=w.logits, axis=None, name="xe2", dim=None)),
    "nn.sigmoid_cross_entropy_with_logits": lambda w: (tg.nn.sigmoid_cross_entropy_with_logits, dict(
        _sentinel=None, labels=_img(), logits=_img(), name="sce")),
    "nn.relu_grad": lambda w: (tg.nn.relu_grad, dict(gradients=_img(), features=_img(), name="rg")),
    "nn.moments": lambda w: (tg.nn.moments, dict(x=_img(), axes=[0, 1, 2], shift=None, name="mom", keep_dims=False)),
    "nn.batch_normalization": lambda w: (tg.nn.batch_normalization, dict(
        x=_img(), mean=np.zeros(2, np.float32), variance=np.ones(2, np.float32), offset=None, scale=None,
        variance_epsilon=1e-3, name="bn")),
    "nn.fused_batch_norm": lambda w: (tg.nn.fused_batch_norm, dict(
        x=_img(), scale=np.ones(2, np.float32), offset=np.zeros(2, np.float32), mean=None, variance=None,
        epsilon=1e-3, data_format="NHWC", is_training=True, name="fbn")),
    "tensorgraph.strided_slice": lambda w: (tg.strided_slice, dict(input_=w.logits, begin=[0, 1], end=[0, 3], strides=[1, 1],
                                                                   begin_mask=1, end_mask=1, ellipsis_mask=0,
                                                                   new_axis_mask=0, shrink_axis_mask=0, name="ss")),
    "tensorgraph.pad": lambda w: (tg.pad, dict(tensor=w.logits, paddings=[[0, 0], [1, 1]], mode="REFLECT", name="pad",
                                               constant_values=0.0)),
    "tensorgraph.concat": lambda w: (tg.concat, dict(values=[w.logits, w.logits], axis=1, name="cat")),
    "tensorgraph.concat_grad": lambda w: (tg.concat_grad, dict(dy=np.ones((2, 6)), values=[np.ones((2, 3))] * 2, axis=1,
                                                               index=1, name="catg")),
    "tensorgraph.pack_flat": lambda w: (tg.pack_flat, dict(values=[w.logits, w.logits], name="pk")),
    "tensorgraph.unpack_flat": lambda w: (tg.unpack_flat, dict(packed=np.ones(8), offset=2, shape=[2, 3], name="upk")),
    "tensorgraph.split": lambda w: (tg.split, dict(value=w.logits, num_or_size_splits=[1, 2], axis=1, num=2, name="sp")),
    "tensorgraph.stack": lambda w: (tg.stack, dict(values=[w.logits, w.logits], axis=1, name="st")),
    "tensorgraph.unstack": lambda w: (tg.unstack, dict(value=w.logits, num=3, axis=1, name="us")),
    "tensorgraph.slice": lambda w: (tg.slice, dict(input_=w.logits, begin=[0, 1], size=[-1, 2], name="sl")),
    "tensorgraph.reverse": lambda w: (tg.reverse, dict(tensor=w.logits, axis=[1], name="rev")),
    "tensorgraph.expand_dims": lambda w: (tg.expand_dims, dict(input=w.logits, axis=1, name="ed", dim=None)),
    "tensorgraph.gather": lambda w: (tg.gather, dict(params=w.W, indices=w.labels, validate_indices=None, name="ga",
                                                     axis=1)),
    "tensorgraph.gather_grad": lambda w: (tg.gather_grad, dict(params=w.W, indices=w.labels, dy=np.ones((2, 1)), axis=1,
                                                               name="gag")),
    "tensorgraph.where": lambda w: (tg.where, dict(condition=tg.greater(w.logits, 0.0), x=w.logits, y=0.0, name="wh")),
    "tensorgraph.sequence_mask": lambda w: (tg.sequence_mask, dict(lengths=w.labels, maxlen=4, dtype=tg.float32,
                                                                   name="sm")),
    "tensorgraph.global_norm": lambda w: (tg.global_norm, dict(t_list=[w.logits, None], name="gn")),
    "tensorgraph.clip_by_global_norm": lambda w: (tg.clip_by_global_norm, dict(t_list=[w.logits], clip_norm=1.0,
                                                                               use_norm=None, name="cgn")),
    "tensorgraph.Node.__getitem__": lambda w: (w.logits.__getitem__, dict(key=(slice(None), 0))),
    "tensorgraph.Operation.__getitem__": lambda w: (tg.Operation([w.x], name="op").__getitem__, dict(key=0)),
    "tensorgraph.check_numerics": lambda w: (tg.check_numerics, dict(x=w.logits, message="bad", name="chk")),
    "tensorgraph.matmul": lambda w: (tg.matmul, dict(a=w.x, b=w.W, transpose_a=False, transpose_b=False, name="mm")),
    "tensorgraph.softmax_cross_entropy_with_logits": lambda w: (
        tg.softmax_cross_entropy_with_logits, dict(labels=np.eye(3)[[0, 1]], logits=w.logits, name="xe")),
    "tensorgraph.sparse_softmax_cross_entropy_with_logits": lambda w: (
        tg.sparse_softmax_cross_entropy_with_logits, dict(labels=w.labels, logits=w.logits, name="sxe")),
    "tensorgraph.one_hot": lambda w: (tg.one_hot, dict(indices=w.labels, depth=3, dtype=tg.float64, name="oh")),
    "tensorgraph.random_uniform_like": lambda w: (tg.random_uniform_like, dict(x=w.logits, seed=3, name="rnd")),
    "tensorgraph.random_normal": lambda w: (
        tg.random_normal, dict(shape=[2, 3], mean=1.0, stddev=2.0, dtype=tg.float64, seed=3, name="rn")),
    "tensorgraph.random_normal_like": lambda w: (
        tg.random_normal_like, dict(x=w.logits, mean=1.0, stddev=2.0, seed=3, name="rnl")),
    "tensorgraph.argmax": lambda w: (tg.argmax, dict(x=w.logits, axis=1, name="am")),
    "tensorgraph.cast": lambda w: (tg.cast, dict(x=w.logits, dtype=tg.float32, name="cast")),
    "tensorgraph.reshape": lambda w: (tg.reshape, dict(x=w.logits, shape=[-1], name="rs")),
    "tensorgraph.transpose": lambda w: (tg.transpose, dict(x=w.logits, perm=[1, 0], name="tr")),
    "tensorgraph.fill_like": lambda w: (tg.fill_like, dict(x=w.logits, value=2.0, name="fl")),
    "tensorgraph.sum_to": lambda w: (tg.sum_to, dict(g=w.logits, like=w.W, name="st")),
    "tensorgraph.matmul_grad": lambda w: (tg.matmul_grad, dict(a=w.x, b=w.W, dc=w.logits, operand=1, transpose_a=False,
                                                               transpose_b=False, name="mg")),
    "tensorgraph.broadcast_like": lambda w: (tg.broadcast_like, dict(y=tg.constant(1.0), like=w.logits, name="bl")),
    "tensorgraph.reshape_like": lambda w: (tg.reshape_like, dict(x=w.W, like=w.W, name="rl")),
    "tensorgraph.export_model": lambda w: (tg.export_model, dict(session=w.session, outputs=[w.logits],
                                                                 path_prefix=w.tmp / "again")),
    "tensorgraph.import_model": lambda w: (tg.import_model, dict(path_prefix=w.tmp / "model")),
    "tensorgraph.DType": lambda w: (tg.DType, dict(name="int32")),
    "tensorgraph.as_dtype": lambda w: (tg.as_dtype, dict(value=np.float32)),
    "losses.mean_squared_error": lambda w: (tg.losses.mean_squared_error, dict(labels=w.logits, predictions=w.logits, weights=1.0, scope=None,
                                                   loss_collection="losses", reduction=tg.losses.Reduction.MEAN)),
    "losses.absolute_difference": lambda w: (tg.losses.absolute_difference, dict(labels=w.logits, predictions=w.logits, weights=1.0, scope=None,
                                                   loss_collection="losses", reduction=tg.losses.Reduction.MEAN)),
    "losses.log_loss": lambda w: (tg.losses.log_loss, dict(labels=w.logits, predictions=w.logits, epsilon=1e-7, weights=1.0, scope=None,
                                                   loss_collection="losses", reduction=tg.losses.Reduction.MEAN)),
    "losses.huber_loss": lambda w: (tg.losses.huber_loss, dict(labels=w.logits, predictions=w.logits, delta=1.0, weights=1.0, scope=None,
                                                   loss_collection="losses", reduction=tg.losses.Reduction.MEAN)),
    "losses.sigmoid_cross_entropy": lambda w: (tg.losses.sigmoid_cross_entropy, dict(multi_class_labels=w.logits, logits=w.logits, label_smoothing=0.1, weights=1.0, scope=None,
                                                   loss_collection="losses", reduction=tg.losses.Reduction.MEAN)),
    "losses.softmax_cross_entropy": lambda w: (tg.losses.softmax_cross_entropy, dict(onehot_labels=w.logits, logits=w.logits, label_smoothing=0.1, weights=1.0, scope=None,
                                                   loss_collection="losses", reduction=tg.losses.Reduction.MEAN)),
    "losses.sparse_softmax_cross_entropy": lambda w: (tg.losses.sparse_softmax_cross_entropy, dict(labels=w.labels, logits=w.logits, weights=1.0, scope=None,
                                                   loss_collection="losses", reduction=tg.losses.Reduction.MEAN)),
    "losses.add_loss": lambda w: (tg.losses.add_loss, dict(loss=w.loss, loss_collection="losses")),
    "losses.get_losses": lambda w: (tg.losses.get_losses, dict(scope=None, loss_collection="losses")),
    "losses.get_regularization_losses": lambda w: (tg.losses.get_regularization_losses, dict(scope=None)),
    "losses.get_total_loss": lambda w: (tg.losses.add_loss(w.loss) or tg.losses.get_total_loss,
                                        dict(add_regularization_losses=True, name="tl")),
    "summary.scalar": lambda w: (tg.summary.scalar, dict(name="s", tensor=w.loss, collections=None, family=None)),
    "summary.histogram": lambda w: (tg.summary.histogram, dict(name="h", values=w.W, collections=["mine"],
                                                               family=None)),
    "summary.image": lambda w: (tg.summary.image, dict(name="i", tensor=w.images, max_outputs=2, collections=None,
                                                       family=None)),
    "summary.merge": lambda w: (tg.summary.merge, dict(inputs=[tg.summary.scalar("m", w.loss)], collections=None,
                                                       name="merged")),
    "summary.merge_all": lambda w: (tg.summary.merge_all, dict(key="summaries", scope=None, name="all")),
    "summary.FileWriter": lambda w: (tg.summary.FileWriter, dict(logdir=w.tmp / "logs", graph=w.g, max_queue=10,
                                                                 flush_secs=120, filename_suffix=".x", session=None)),
    "summary.FileWriter.add_summary": lambda w: (tg.summary.FileWriter(w.tmp / "l2").add_summary,
                                                 dict(summary={}, global_step=3)),
    "summary.FileWriter.add_graph": lambda w: (tg.summary.FileWriter(w.tmp / "l3").add_graph,
                                               dict(graph=w.g, global_step=None)),
    "summary.FileWriter.flush": lambda w: (tg.summary.FileWriter(w.tmp / "l4").flush, {}),
    "summary.FileWriter.close": lambda w: (tg.summary.FileWriter(w.tmp / "l5").close, {}),
    "summary.FileWriter.get_logdir": lambda w: (tg.summary.FileWriter(w.tmp / "l6").get_logdir, {}),
    "train.exponential_decay": lambda w: (train.exponential_decay, dict(learning_rate=0.1, global_step=None,
                                                                        decay_steps=10, decay_rate=0.5, staircase=True,
                                                                        name="lr")),
    "train.Saver": lambda w: (train.Saver, dict(var_list=[w.W], max_to_keep=3)),
    "train.latest_checkpoint": lambda w: (train.latest_checkpoint, dict(checkpoint_dir=w.tmp, latest_filename=None)),
    "train.Saver.save": lambda w: (w.saver.save, dict(session=w.session, path=w.tmp / "saved.safetensors")),
    "train.Saver.restore": lambda w: (w.saver.restore, dict(session=w.session, path=w.tmp / "vars.safetensors",
                                                            strict=False)),
    "train.fit": lambda w: (train.fit, w.fit_args()),
    "train.evaluate": lambda w: (train.evaluate, dict(session=w.session, inputs=w.x, labels=w.labels, loss=w.loss,
                                                      data=w.data, accuracy=w.acc, batch_size=2, eval_feed_dict={})),
    "train.compute_gradients": lambda w: (w.run_loss() or train.compute_gradients, dict(loss=w.loss)),
    "train.Optimizer.compute_gradients": lambda w: (w.opt.compute_gradients, dict(loss=w.loss, var_list=None)),
    "train.Optimizer.apply_gradients": lambda w: (w.opt.apply_gradients, dict(
        grads_and_vars=w.opt.compute_gradients(w.loss), global_step=None, name=None)),
    "train.Optimizer.minimize": lambda w: (w.opt.minimize, dict(loss=w.loss, var_list=[w.W], global_step=None,
                                                                name=None)),
    **optimizer_rows("GradientDescentOptimizer", lambda: train.GradientDescentOptimizer(0.1),
                     dict(learning_rate=0.1)),
    **optimizer_rows("MomentumOptimizer", lambda: train.MomentumOptimizer(0.1, 0.9),
                     dict(learning_rate=0.1, momentum=0.9, use_nesterov=True)),
    **optimizer_rows("RMSPropOptimizer", lambda: train.RMSPropOptimizer(0.1),
                     dict(learning_rate=0.1, decay=0.9, epsilon=1e-7, momentum=0.5)),
    **optimizer_rows("AdamOptimizer", lambda: train.AdamOptimizer(0.1),
                     dict(learning_rate=train.schedules.exponential(0.1, 0.9), beta1=0.8, beta2=0.99, epsilon=1e-7)),
    "train.Schedule": lambda w: (train.Schedule, dict(learning_rate=0.1)),
    "train.Schedule.__call__": lambda w: (train.Schedule(0.1), dict(step=3)),
    "train.schedules.step": lambda w: (train.schedules.step, dict(lr=0.1, step_size=2, gamma=0.5)),
    "train.schedules.exponential": lambda w: (train.schedules.exponential, dict(lr=0.1, gamma=0.5)),
    "train.schedules.cosine": lambda w: (train.schedules.cosine, dict(lr=0.1, total_steps=10, min_lr=0.01)),
    "layers.dense": lambda w: (layers.dense, dict(x=w.x, units=4, activation=tg.relu, kernel_initializer="he_normal",
                                                  seed=1, name="d", bias_initializer=tg.zeros_initializer(),
                                                  reuse=None)),
    "layers.dropout": lambda w: (layers.dropout, dict(x=w.logits, rate=0.5, training=True, seed=2, name="drop")),
    "layers.conv2d": lambda w: (layers.conv2d, dict(inputs=w.images, filters=3, kernel_size=3, strides=(1, 1),
                                                    padding="same", data_format="channels_last", dilation_rate=1,
                                                    activation="relu", use_bias=True, kernel_initializer="he_normal",
                                                    seed=1, name="c", bias_initializer=None, reuse=False)),
    "layers.conv2d_transpose": lambda w: (layers.conv2d_transpose, dict(
        inputs=w.images, filters=3, kernel_size=2, strides=(2, 2), padding="valid", data_format="channels_last",
        activation=None, use_bias=True, kernel_initializer=tg.truncated_normal_initializer(stddev=0.02), seed=1,
        name="ct", bias_initializer=None, reuse=tg.AUTO_REUSE)),
    "layers.max_pooling2d": lambda w: (layers.max_pooling2d, dict(inputs=w.images, pool_size=2, strides=2,
                                                                  padding="valid", data_format="channels_last",
                                                                  name="mp")),
    "layers.average_pooling2d": lambda w: (layers.average_pooling2d, dict(inputs=w.images, pool_size=(2, 2),
                                                                          strides=2, padding="same",
                                                                          data_format="channels_last", name="ap")),
    "layers.flatten": lambda w: (layers.flatten, dict(inputs=w.images, name="flat")),
    "layers.l2_loss": lambda w: (layers.l2_loss, dict(weights=[w.W])),
    "layers.accuracy": lambda w: (layers.accuracy, dict(logits=w.logits, labels=w.labels)),
    "layers.batch_normalization": lambda w: (layers.batch_normalization, dict(
        inputs=w.logits, axis=-1, momentum=0.9, epsilon=1e-3, center=True, scale=False, training=True, name="bn",
        reuse=None)),
    "tensorgraph.add_to_collection": lambda w: (tg.add_to_collection, dict(name="mine", value=w.logits)),
    "tensorgraph.get_collection": lambda w: (tg.get_collection, dict(key=tg.GraphKeys.UPDATE_OPS, scope=None)),
    "nn.l2_loss": lambda w: (tg.nn.l2_loss, dict(t=w.W, name="l2")),
    "nn.dropout": lambda w: (tg.nn.dropout, dict(x=w.logits, keep_prob=0.5, noise_shape=None, seed=1, name="drop",
                                                 rate=None)),
    "nn.embedding_lookup": lambda w: (tg.nn.embedding_lookup, dict(params=w.W, ids=w.labels, partition_strategy="mod",
                                                               name="emb", validate_indices=True, max_norm=None)),
    "nn.block_lstm": lambda w: (tg.nn.block_lstm, dict(x=np.ones((3, 2, 2)), c0=np.zeros((2, 4)), h0=np.zeros((2, 4)),
                                                       kernel=np.ones((6, 16)) * 0.1, bias=np.zeros(16), forget_bias=1.0,
                                                       name="bl")),
    "nn.static_rnn": lambda w: (tg.nn.static_rnn, dict(cell=tg.nn.rnn_cell.GRUCell(2), inputs=[w.x, w.x],
                                                       initial_state=None, dtype=tg.float64,
                                                       sequence_length=w.labels, scope=None)),
    "nn.dynamic_rnn": lambda w: (tg.nn.dynamic_rnn, dict(cell=tg.nn.rnn_cell.LSTMCell(2), inputs=_seq(),
                                                         sequence_length=None, initial_state=None, dtype=tg.float64,
                                                         parallel_iterations=None, swap_memory=False,
                                                         time_major=False, scope=None)),
    "rnn_cell.BasicRNNCell": lambda w: (tg.nn.rnn_cell.BasicRNNCell, dict(num_units=3, activation="relu", reuse=None,
                                                                          name="brc", dtype=None, seed=1)),
    "rnn_cell.LSTMCell": lambda w: (tg.nn.rnn_cell.LSTMCell, dict(
        num_units=3, use_peepholes=False, cell_clip=None, initializer=None, num_proj=None, proj_clip=None,
        num_unit_shards=None, num_proj_shards=None, forget_bias=0.5, state_is_tuple=True, activation=None, reuse=None,
        name="lc", dtype=None, seed=1)),
    "rnn_cell.BasicLSTMCell": lambda w: (tg.nn.rnn_cell.BasicLSTMCell, dict(
        num_units=3, forget_bias=0.5, state_is_tuple=True, activation="tanh", reuse=None, name="blc", dtype=None,
        seed=None)),
    "rnn_cell.GRUCell": lambda w: (tg.nn.rnn_cell.GRUCell, dict(num_units=3, activation=None, reuse=None,
                                                                kernel_initializer=None, bias_initializer=None,
                                                                name="gc", dtype=None, seed=2)),
    "rnn_cell.MultiRNNCell": lambda w: (tg.nn.rnn_cell.MultiRNNCell, dict(
        cells=[tg.nn.rnn_cell.GRUCell(2), tg.nn.rnn_cell.GRUCell(2)], state_is_tuple=True)),
    "rnn_cell.RNNCell.__call__": lambda w: _call_row(tg.nn.rnn_cell.GRUCell(2), w.x),
    "rnn_cell.RNNCell.zero_state": lambda w: (tg.nn.rnn_cell.GRUCell(2).zero_state, dict(batch_size=2, dtype=tg.float64)),
    "rnn_cell.BasicRNNCell.__call__": lambda w: _call_row(tg.nn.rnn_cell.BasicRNNCell(2), w.x),
    "rnn_cell.BasicRNNCell.zero_state": lambda w: (tg.nn.rnn_cell.BasicRNNCell(2).zero_state, dict(batch_size=2, dtype=tg.float64)),
    "rnn_cell.LSTMCell.__call__": lambda w: _call_row(tg.nn.rnn_cell.LSTMCell(2), w.x),
    "rnn_cell.LSTMCell.zero_state": lambda w: (tg.nn.rnn_cell.LSTMCell(2).zero_state, dict(batch_size=2, dtype=tg.float64)),
    "rnn_cell.BasicLSTMCell.__call__": lambda w: _call_row(tg.nn.rnn_cell.BasicLSTMCell(2), w.x),
    "rnn_cell.BasicLSTMCell.zero_state": lambda w: (tg.nn.rnn_cell.BasicLSTMCell(2).zero_state, dict(batch_size=2, dtype=tg.float64)),
    "rnn_cell.GRUCell.__call__": lambda w: _call_row(tg.nn.rnn_cell.GRUCell(2), w.x),
    "rnn_cell.GRUCell.zero_state": lambda w: (tg.nn.rnn_cell.GRUCell(2).zero_state, dict(batch_size=2, dtype=tg.float64)),
    "rnn_cell.MultiRNNCell.__call__": lambda w: _call_row(tg.nn.rnn_cell.MultiRNNCell([tg.nn.rnn_cell.LSTMCell(2)]), w.x),
    "rnn_cell.MultiRNNCell.zero_state": lambda w: (tg.nn.rnn_cell.MultiRNNCell([tg.nn.rnn_cell.LSTMCell(2)]).zero_state, dict(batch_size=2, dtype=tg.float64)),
    "data.read_csv": lambda w: (tg.data.read_csv, dict(path=w.csv, header=True, delimiter=",")),
    "data.Dataset": lambda w: (tg.data.Dataset, dict(features=np.ones((2, 2)), labels=np.zeros(2))),
    "data.Dataset.split": lambda w: (w.data.split, dict(validation_fraction=0.5, seed=1)),
    "data.Dataset.batches": lambda w: (w.data.batches, dict(batch_size=2, shuffle=True, seed=1, drop_last=True)),
    "data.Dataset.fashion_mnist": None,  # needs the Debian data set: test_dataset.py; its arguments below
    "data.Batches.__getitem__": lambda w: (w.data.batches(2).__getitem__, dict(index=-1)),
}

def _seq():
    return tg.placeholder(tg.float64, [None, 3, 2])


def _call_row(cell, x):
    """cell.__call__ on x from the cell's zero state."""
    return cell.__call__, dict(inputs=x, state=cell.zero_state(1, tg.float64), scope=None)


NOT_METHODS = {"__init__"}
CALLED_DUNDERS = {"__call__", "__getitem__"}


def _public_methods(cls):
    for attr in dir(cls):
        if attr.startswith("_") and attr not in CALLED_DUNDERS:
            continue
        member = inspect.getattr_static(cls, attr)
        if isinstance(member, property) or not callable(getattr(cls, attr)):
            continue
        if attr in CALLED_DUNDERS and getattr(cls, attr) is getattr(object, attr, None):
            continue
        yield attr


def public_callables():
    """{'tensorgraph.add': obj, 'train.AdamOptimizer.minimize': obj, ...} of every public callable."""
    found = {}
    modules = {"tensorgraph": tg, "train": train, "layers": layers, "data": tg.data, "rnn_cell": tg.nn.rnn_cell,
               "summary": tg.summary, "losses": tg.losses}
    # tensorgraph.nn's own functions (its tf.nn names of top-level functions have their rows there)
    nn_own = [n for n in tg.nn.__all__ if getattr(tg, n, None) is not getattr(tg.nn, n)]
    modules["nn"] = types.SimpleNamespace(__all__=nn_own, **{n: getattr(tg.nn, n) for n in nn_own})
    for prefix, mod in modules.items():
        for name in mod.__all__:
            obj = getattr(mod, name)
            if inspect.ismodule(obj) or (isinstance(obj, type) and issubclass(obj, BaseException)):
                continue
            if prefix == "tensorgraph" and isinstance(obj, tg.DType):
                continue  # the dtype constants
            if isinstance(obj, type):
                if obj not in (tg.Node, train.Optimizer, tg.data.Batches, tg.nn.rnn_cell.RNNCell,
                               tg.nn.rnn_cell.LSTMStateTuple):
                    found[f"{prefix}.{name}"] = obj
                for attr in _public_methods(obj):
                    if obj is tg.nn.rnn_cell.LSTMStateTuple:
                        break  # a namedtuple's own methods
                    found[f"{prefix}.{name}.{attr}"] = getattr(obj, attr)
            elif callable(obj):
                found[f"{prefix}.{name}"] = obj
    for name in ("step", "exponential", "cosine"):
        found[f"train.schedules.{name}"] = getattr(train.schedules, name)
    return found


def test_every_public_callable_has_a_row():
    missing = sorted(set(public_callables()) - set(ROWS))
    assert not missing, f"public callables without a row in ROWS: {missing}"
    stale = sorted(set(ROWS) - set(public_callables()))
    assert not stale, f"rows for names that are not public callables: {stale}"


@pytest.fixture
def world(fresh_graph, tmp_path):
    return World(fresh_graph, tmp_path)


def _expect_refusal(what, call, words):
    with pytest.raises(tg.Error) as info:
        call()
    e = info.value
    assert isinstance(e, (TypeError, ValueError)), f"{what}: {type(e).__name__}: {e}"
    assert INCOMPATIBLE not in str(e), f"{what}: pybind11's dump: {e}"
    for word in words:
        assert word in str(e), f"{what}: {word!r} missing from {type(e).__name__}: {e}"


@pytest.mark.parametrize("where", [k for k, v in ROWS.items() if v is not None])
def test_wrong_arguments_raise_the_librarys_errors_naming_the_argument(world, where):
    fn, good = ROWS[where](world)
    fn(**good)  # the row's call works
    world.g.as_default()
    for name in good:
        bad = dict(good, **{name: Wrong()})
        _expect_refusal(f"{where}({name}=Wrong())", lambda: fn(**bad), [name])
        world.g.as_default()
    _expect_refusal(f"{where}(bogus=1)", lambda: fn(**good, bogus=1), ["bogus"])
    _expect_refusal(f"{where}(<one too many>)", lambda: fn(*good.values(), *[1] * (len(good) + 1)), [])


def test_fashion_mnist_arguments_are_checked_without_the_data():
    for bad in (dict(which=Wrong()), dict(dir=Wrong()), dict(which="train", bogus=1)):
        name = next(iter(set(bad) - {"which"} or bad))
        _expect_refusal(f"fashion_mnist({bad})", lambda: tg.data.Dataset.fashion_mnist(**bad), [name])


def test_operators_and_fetches_name_what_is_wrong(world):
    for op in (lambda: world.logits + Wrong(), lambda: Wrong() * world.logits, lambda: world.x @ Wrong()):
        _expect_refusal("operator", op, ["must be a node or an array-like value", "Wrong"])
    _expect_refusal("fetch", lambda: world.session.run([world.W, Wrong()]), ["Session.run", "fetch", "Wrong"])
    _expect_refusal("feed key", lambda: world.session.run(world.W, {Wrong(): 1}), ["feed_dict key"])
    _expect_refusal("feed_dict", lambda: world.session.run(world.W, [1]), ["feed_dict must be a dict"])
    _expect_refusal("keyword", lambda: world.session.run(world.W, feeds={}), ["Session.run(fetches, feed_dict=None)",
                                                                            "'feeds'"])
    _expect_refusal("too few", lambda: world.session.run(), ["Session.run", "0 positional arguments"])


def test_messages_name_function_argument_and_what_was_given(world):
    with pytest.raises(tg.ArgumentTypeError) as info:
        tg.one_hot(world.labels, "3")
    assert str(info.value) == "one_hot: argument 'depth' must be an int, got str '3'"
    assert isinstance(info.value, TypeError) and isinstance(info.value, tg.Error)
    with pytest.raises(tg.ArgumentTypeError, match=r"^AdamOptimizer: argument 'beta1' must be a number, got str"):
        train.AdamOptimizer(0.1, beta1="0.9")
    with pytest.raises(tg.ArgumentTypeError, match=r"^placeholder\(dtype=None, shape=None, name=None\): no argument "
                                                   r"named 'dtpye'"):
        tg.placeholder(dtpye=tg.float32)
    with pytest.raises(tg.ArgumentTypeError, match=r"missing the argument 'units'"):
        layers.dense(world.x)
    with pytest.raises(tg.DTypeError, match=r"placeholder: argument 'dtype': unsupported dtype float16"):
        tg.placeholder(np.float16)
    with pytest.raises(tg.ArgumentValueError, match="needs labels= and logits="):
        tg.softmax_cross_entropy_with_logits(logits=world.logits)


def test_dense_takes_an_activation_function_a_name_or_none(world, session):
    """layers.dense(x, 8, activation=tensorgraph.relu), TensorFlow's habit; tensorgraph.relu, sigmoid
    and tanh run as the fused names do; any other function is applied to x @ W + b."""
    x0 = np.array([[1.0, -2.0], [0.5, 3.0]])
    results = {}
    for label, activation in [("relu fn", tg.relu), ("relu name", "relu"), ("none", None),
                              ("tanh fn", tg.tanh), ("softplus", lambda z: tg.log(tg.exp(z) + 1.0))]:
        y = layers.dense(world.x, 3, activation=activation, kernel_initializer="glorot_uniform", seed=7, name="d")
        results[label] = (session.run(y, {world.x: x0}), y)
    linear = results["none"][0]  # the same seed and shape: the same kernel, so the same x @ W + b
    np.testing.assert_allclose(results["relu fn"][0], np.maximum(linear, 0), rtol=1e-12)
    np.testing.assert_array_equal(results["relu fn"][0], results["relu name"][0])
    np.testing.assert_allclose(results["tanh fn"][0], np.tanh(linear), rtol=1e-12)
    np.testing.assert_allclose(results["softplus"][0], np.log1p(np.exp(linear)), rtol=1e-12)
    assert results["relu fn"][1].type == results["relu name"][1].type  # fused: one node type for both
    with pytest.raises(tg.ArgumentValueError, match="unknown activation 'swish'"):
        layers.dense(world.x, 3, activation="swish")
    with pytest.raises(tg.ArgumentTypeError, match="argument 'activation'"):
        layers.dense(world.x, 3, activation=3)
