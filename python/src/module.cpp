// tensorgraph._core: the C++ engine for Python. The Python package (python/tensorgraph) adds the
// tutorial's names, argument conversion and Operation subclassing on top.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <map>
#include <sstream>

#include "convert.h"
#include "errors.h"
#include "layers_binding.h"
#include "rnn_binding.h"
#include "node_object.h"
#include "py_ops.h"
#include "session_binding.h"
#include "train_binding.h"
#include "distributed_binding.h"
#include "tensorgraph/tensorgraph.h"

namespace py = pybind11;
using namespace tgpy;

namespace {

std::string type_name(const py::handle& obj) { return py::str(py::type::of(obj).attr("__name__")); }

// An int (Python or numpy: anything with __index__, bool aside), else a TypeError naming `what`.
std::int64_t int_from_python(const py::handle& obj, const char* what) {
  if (!PyIndex_Check(obj.ptr()) || PyBool_Check(obj.ptr()))
    throw ArgumentTypeError(std::string(what) + " must be ints, got " + type_name(obj) + " " + std::string(py::repr(obj)));
  return py::reinterpret_steal<py::int_>(PyNumber_Index(obj.ptr())).cast<std::int64_t>();
}

tg::Shape shape_from_python(const py::handle& obj) {
  if (obj.is_none()) return tg::Shape::unknown_rank();
  if (py::isinstance<py::str>(obj) || !py::hasattr(obj, "__iter__"))
    throw ArgumentTypeError("shape must be None or a list of ints (None for an unknown dimension), got " + type_name(obj));
  tg::Shape s;
  for (py::handle d : obj) s.push_back(d.is_none() ? tg::kUnknownDim : int_from_python(d, "shape dimensions"));
  return s;
}

// A constant's shape: errors name the builder (`what`).
tg::Shape dims_from_python(const py::handle& obj, const char* what) {
  try {
    return shape_from_python(obj);
  } catch (const tg::ShapeError& e) {
    throw tg::ShapeError(std::string(what) + ": " + e.what());
  }
}

tg::Axes axes_from_python(const py::handle& obj) {
  if (obj.is_none()) return {};
  if (PyIndex_Check(obj.ptr()) && !PyBool_Check(obj.ptr())) return tg::Axes(int_from_python(obj, "axes"));
  if (py::isinstance<py::str>(obj) || !py::hasattr(obj, "__iter__"))
    throw ArgumentTypeError("axis must be None, an int or a list of ints, got " + type_name(obj));
  std::vector<std::int64_t> axes;
  for (py::handle a : obj) axes.push_back(int_from_python(a, "axes"));
  return tg::Axes(axes);
}

// TensorFlow's strided_slice attributes from a dict of them (x[...] in python/tensorgraph/_nodes.py
// builds it; absent keys keep their defaults).
tg::SliceSpec slice_spec_from_python(const py::dict& d) {
  tg::SliceSpec s;
  auto ints = [&](const char* key, std::vector<std::int64_t>& out) {
    if (!d.contains(key)) return;
    for (py::handle v : d[key]) out.push_back(int_from_python(v, key));
  };
  auto mask = [&](const char* key, std::int64_t& out) {
    if (d.contains(key)) out = int_from_python(d[key], key);
  };
  ints("begin", s.begin);
  ints("end", s.end);
  ints("strides", s.strides);
  mask("begin_mask", s.begin_mask);
  mask("end_mask", s.end_mask);
  mask("ellipsis_mask", s.ellipsis_mask);
  mask("new_axis_mask", s.new_axis_mask);
  mask("shrink_axis_mask", s.shrink_axis_mask);
  return s;
}

}  // namespace


PYBIND11_MODULE(_core, m) {
  m.doc() = "tensorgraph's C++ engine";
  bind_errors(m);

  // A graph's lists hold its nodes in creation order, as the tutorial's Graph has them:
  // operations (constants too: TensorFlow's Const is an operation), placeholders, variables.
  auto nodes_of_kind = [](bool (*keep)(tg::NodeKind)) {
    return [keep](const tg::Graph& g) {
      std::vector<tg::Node> out;
      for (const tg::Node& n : g.nodes())
        if (keep(n.kind())) out.push_back(n);
      return out;
    };
  };
  py::class_<tg::Graph, GraphHolder>(m, "Graph")
      .def(py::init<>())
      .def("_adopt", &adopt_graph)
      .def("_set_default", &tg::Graph::as_default)
      .def_static("get_default", &tg::Graph::get_default)
      .def_static("reset_default", &tg::Graph::reset_default)
      .def_property_readonly("num_nodes", &tg::Graph::num_nodes)
      .def("nodes", &tg::Graph::nodes)
      .def_property_readonly("operations", nodes_of_kind([](tg::NodeKind k) {
        return k == tg::NodeKind::operation || k == tg::NodeKind::constant;
      }))
      .def_property_readonly("placeholders", nodes_of_kind([](tg::NodeKind k) { return k == tg::NodeKind::placeholder; }))
      .def_property_readonly("variables", &tg::Graph::variables)
      .def("_name_scope", &tg::Graph::name_scope)
      .def("_set_name_scope", &tg::Graph::set_name_scope)
      .def("_unique_name_scope", &tg::Graph::unique_name_scope)
      .def("_variable_scope_count", &tg::Graph::variable_scope_count)
      .def("_open_variable_scope", &tg::Graph::open_variable_scope)
      .def("_close_variable_subscopes", &tg::Graph::close_variable_subscopes)
      .def("_control_dependencies", &tg::Graph::control_dependencies)
      .def("_set_control_dependencies", &tg::Graph::set_control_dependencies)
      .def("_has_node", &tg::Graph::has_node)
      .def("trainable_variables", &tg::Graph::trainable_variables)
      .def("_add_to_collection", &tg::Graph::add_to_collection)
      .def("_get_collection", &tg::Graph::get_collection)
      .def("get_node_by_name", py::overload_cast<const std::string&>(&tg::Graph::node, py::const_))
      .def("to_dot", [](const tg::Graph& g, bool forward_only) { return g.to_dot({.forward_only = forward_only}); },
           py::kw_only(), py::arg("forward_only") = false)
      .def("__eq__", [](const tg::Graph& a, const tg::Graph& b) { return a == b; })
      .def("__hash__", [](const tg::Graph& g) { return std::hash<const void*>()(&g.impl()); });

  py::class_<tg::Node, NodeHolder>(m, "Node")
      .def_property_readonly("name", &tg::Node::name)
      .def_property_readonly("type", &tg::Node::type)
      .def_property_readonly("_numpy_dtype", [](const tg::Node& n) -> py::object {
        return n.dtype() == tg::DType::unknown ? py::object(py::none()) : py::object(to_numpy_dtype(n.dtype()));
      })
      .def_property_readonly("shape", [](const tg::Node& n) { return shape_to_python(n.shape()); })
      .def_property_readonly("graph", &tg::Node::graph)
      .def_property_readonly("input_nodes", &tg::Node::inputs)
      .def_property_readonly("consumers", &tg::Node::consumers)
      .def_property_readonly("control_inputs", &tg::Node::control_inputs)
      .def_property_readonly("trainable", &tg::Node::trainable)
      // The op's attributes through the generic path (AttrSchema), as TensorFlow's Operation.get_attr.
      .def("get_attr", [](const tg::Node& n, const std::string& name) { return attr_to_python(n.attr(name)); })
      .def_property_readonly("attrs", [](const tg::Node& n) {
        py::dict d;
        for (const auto& [name, value] : n.attr_values()) d[py::str(name)] = attr_to_python(value);
        return d;
      })
      .def_property_readonly("initial_value", [](const tg::Node& n) { return to_numpy(n.value().clone()); })
      .def("__eq__", [](const tg::Node& a, const py::object& b) {
        return py::isinstance<tg::Node>(b) && a == b.cast<tg::Node>();
      })
      .def("__hash__", [](const tg::Node& n) { return std::hash<const void*>()(&n.graph().impl()) ^ std::hash<int>()(n.id()); })
      .def("__repr__", [](const tg::Node& n) {
        std::ostringstream os;
        os << "<tensorgraph." << n.type() << " '" << n.name() << "' shape=" << n.shape().str() << " dtype="
           << tg::dtype_name(n.dtype()) << ">";
        return os.str();
      });

  m.def("placeholder", [](const py::object& dtype, const py::object& shape, const std::string& name) {
    return tg::placeholder(parse_dtype(dtype), shape_from_python(shape), name);
  });
  m.def("variable", [](const py::object& value, const py::object& dtype, const std::string& name, bool trainable) {
    return tg::Variable(from_python(value, parse_dtype(dtype), true, "Variable: initial_value"), name, trainable);
  });
  m.def("constant", [](const py::object& value, const py::object& dtype, const std::string& name) {
    return tg::constant(from_python(value, parse_dtype(dtype), true, "constant: value"), name);
  });
  m.def("scalar_like", &tg::scalar_like);
  m.def("variable_from_node", [](const tg::Node& initial_value, const std::string& name, bool trainable) {
    return tg::Variable(initial_value, name, trainable);
  });
  m.def("assign", &tg::assign);
  m.def("no_op", &tg::no_op);
  m.def("range", &tg::range);
  m.def("group", &tg::group);
  m.def("variables_initializer", &tg::variables_initializer);
  m.def("global_variables_initializer", &tg::global_variables_initializer);
  m.def("shape", [](const tg::Node& x, const py::object& out_type, const std::string& name) {
    return tg::shape(x, parse_dtype(out_type), name);
  });

  using B = tg::Node (*)(const tg::Node&, const tg::Node&, const std::string&);
  using U = tg::Node (*)(const tg::Node&, const std::string&);
  for (auto [name, fn] : {std::pair<const char*, B>{"add", &tg::add}, {"subtract", &tg::subtract},
                          {"multiply", &tg::multiply}, {"divide", &tg::divide}, {"equal", &tg::equal},
                          {"greater", &tg::greater}, {"greater_equal", &tg::greater_equal}, {"less", &tg::less},
                          {"less_equal", &tg::less_equal}, {"not_equal", &tg::not_equal},
                          {"logical_and", &tg::logical_and}, {"logical_or", &tg::logical_or},
                          {"maximum", &tg::maximum}, {"minimum", &tg::minimum}, {"pow", &tg::pow},
                          {"sum_to", &tg::sum_to}, {"broadcast_like", &tg::broadcast_like},
                          {"reshape_like", &tg::reshape_like},
                          {"softmax_cross_entropy_with_logits", &tg::softmax_cross_entropy_with_logits},
                          {"sparse_softmax_cross_entropy_with_logits", &tg::sparse_softmax_cross_entropy_with_logits}})
    m.def(name, fn);
  for (auto [name, fn] : {std::pair<const char*, U>{"negative", &tg::negative}, {"exp", &tg::exp}, {"log", &tg::log},
                          {"square", &tg::square}, {"sqrt", &tg::sqrt}, {"sigmoid", &tg::sigmoid}, {"relu", &tg::relu},
                          {"tanh", &tg::tanh}, {"softmax", &tg::softmax}, {"log_softmax", &tg::log_softmax},
                          {"abs", &tg::abs}, {"log1p", &tg::log1p}, {"logical_not", &tg::logical_not}, {"identity", &tg::identity},
                          {"stop_gradient", &tg::stop_gradient}, {"zeros_like", &tg::zeros_like},
                          {"ones_like", &tg::ones_like}})
    m.def(name, fn);
  m.def("matmul", py::overload_cast<const tg::Node&, const tg::Node&, bool, bool, const std::string&>(&tg::matmul));
  m.def("matmul_grad", &tg::matmul_grad);
  m.def("check_numerics", &tg::check_numerics);
  m.def("cast", [](const tg::Node& x, const py::object& dtype, const std::string& name) {
    return tg::cast(x, parse_dtype(dtype), name);
  });
  m.def("reduce_sum", [](const tg::Node& x, const py::object& axis, bool keepdims, const std::string& name) {
    return tg::reduce_sum(x, axes_from_python(axis), keepdims, name);
  });
  m.def("reduce_mean", [](const tg::Node& x, const py::object& axis, bool keepdims, const std::string& name) {
    return tg::reduce_mean(x, axes_from_python(axis), keepdims, name);
  });
  m.def("reduce_max", [](const tg::Node& x, const py::object& axis, bool keepdims, const std::string& name) {
    return tg::reduce_max(x, axes_from_python(axis), keepdims, name);
  });
  m.def("reduce_min", [](const tg::Node& x, const py::object& axis, bool keepdims, const std::string& name) {
    return tg::reduce_min(x, axes_from_python(axis), keepdims, name);
  });
  m.def("reduce_prod", [](const tg::Node& x, const py::object& axis, bool keepdims, const std::string& name) {
    return tg::reduce_prod(x, axes_from_python(axis), keepdims, name);
  });
  m.def("argmax", &tg::argmax);
  m.def("argmin", &tg::argmin);
  m.def("clip_by_value", py::overload_cast<const tg::Node&, const tg::Node&, const tg::Node&, const std::string&>(
                             &tg::clip_by_value));
  m.def("fill", [](const py::object& dims, const py::object& value, const py::object& dtype, const std::string& name) {
    // NOTE: the value's dtype as constant() reads it (numbers float64, 0-d arrays their own)
    const tg::Tensor v = from_python(value, parse_dtype(dtype), false, "fill");
    if (v.rank() != 0) throw tg::ShapeError("fill: value must be a scalar, got shape " + v.shape().str());
    return tg::fill(dims_from_python(dims, "fill"), v.flat(0), v.dtype(), name);
  });
  m.def("zeros", [](const py::object& shape, const py::object& dtype, const std::string& name) {
    return tg::zeros(dims_from_python(shape, "zeros"), parse_dtype(dtype), name);
  });
  m.def("ones", [](const py::object& shape, const py::object& dtype, const std::string& name) {
    return tg::ones(dims_from_python(shape, "ones"), parse_dtype(dtype), name);
  });
  m.def("strided_slice", [](const tg::Node& x, const py::dict& spec, const std::string& name) {
    return tg::strided_slice(x, slice_spec_from_python(spec), name);
  });
  m.def("strided_slice_grad", [](const tg::Node& x, const tg::Node& dy, const py::dict& spec, const std::string& name) {
    return tg::strided_slice_grad(x, dy, slice_spec_from_python(spec), name);
  });
  // tensorgraph.nn convolutions (python/tensorgraph/nn.py turns TensorFlow's arguments into these)
  using Ints = std::vector<std::int64_t>;
  m.def("conv2d", [](const tg::Node& x, const tg::Node& w, const Ints& strides, const std::string& padding,
                     const std::string& data_format, const Ints& dilations, const std::string& name) {
    return tg::nn::conv2d(x, w, strides, padding, {data_format, dilations, name});
  });
  m.def("conv2d_backprop_input", [](const tg::Node& like, const tg::Node& w, const tg::Node& dy, const Ints& strides,
                                    const std::string& padding, const std::string& data_format,
                                    const Ints& dilations, const std::string& name) {
    return tg::nn::conv2d_backprop_input(like, w, dy, strides, padding, {data_format, dilations, name});
  });
  m.def("conv2d_backprop_input_listed", [](const Ints& sizes, const tg::Node& w, const tg::Node& dy,
                                           const Ints& strides, const std::string& padding,
                                           const std::string& data_format, const Ints& dilations,
                                           const std::string& name) {
    return tg::nn::conv2d_backprop_input(sizes, w, dy, strides, padding, {data_format, dilations, name});
  });
  m.def("conv2d_backprop_filter", [](const tg::Node& x, const tg::Node& like, const tg::Node& dy, const Ints& strides,
                                     const std::string& padding, const std::string& data_format,
                                     const Ints& dilations, const std::string& name) {
    return tg::nn::conv2d_backprop_filter(x, like, dy, strides, padding, {data_format, dilations, name});
  });
  m.def("conv2d_backprop_filter_listed", [](const tg::Node& x, const Ints& sizes, const tg::Node& dy,
                                            const Ints& strides, const std::string& padding,
                                            const std::string& data_format, const Ints& dilations,
                                            const std::string& name) {
    return tg::nn::conv2d_backprop_filter(x, sizes, dy, strides, padding, {data_format, dilations, name});
  });
  m.def("max_pool", &tg::nn::max_pool);
  m.def("avg_pool", &tg::nn::avg_pool);
  m.def("max_pool_grad", &tg::nn::max_pool_grad);
  m.def("max_pool_grad_grad", &tg::nn::max_pool_grad_grad);
  m.def("avg_pool_grad", &tg::nn::avg_pool_grad);
  m.def("bias_add", &tg::nn::bias_add);
  m.def("bias_add_grad", &tg::nn::bias_add_grad);
  m.def("relu_grad", &tg::nn::relu_grad);
  m.def("softplus", &tg::nn::softplus);
  m.def("leaky_relu", &tg::nn::leaky_relu);
  m.def("sigmoid_cross_entropy_with_logits", &tg::nn::sigmoid_cross_entropy_with_logits);
  m.def("pad", &tg::pad);
  m.def("concat", &tg::concat);
  m.def("concat_grad", &tg::concat_grad);
  m.def("pack_flat", &tg::pack_flat);
  m.def("unpack_flat", [](const tg::Node& packed, std::int64_t offset, const py::object& shape, const std::string& name) {
    return tg::unpack_flat(packed, offset, dims_from_python(shape, "unpack_flat: shape"), name);
  });
  m.def("split", py::overload_cast<const tg::Node&, std::int64_t, std::int64_t, const std::string&>(&tg::split));
  m.def("split_sizes", py::overload_cast<const tg::Node&, const std::vector<std::int64_t>&, std::int64_t,
                                         const std::string&>(&tg::split));
  m.def("stack", &tg::stack);
  m.def("unstack", &tg::unstack);
  m.def("slice", &tg::slice);
  m.def("reverse", &tg::reverse);
  m.def("expand_dims", &tg::expand_dims);
  m.def("gather", &tg::gather);
  m.def("gather_grad", &tg::gather_grad);
  m.def("where", &tg::where);
  m.def("sequence_mask", [](const tg::Node& lengths, std::int64_t maxlen, const py::object& dtype, const std::string& name) {
    return tg::sequence_mask(lengths, maxlen, dtype.is_none() ? tg::DType::boolean : parse_dtype(dtype), name);
  });
  m.def("clip_by_global_norm", &tg::clip_by_global_norm);
  m.def("block_lstm", [](const tg::Node& x, const tg::Node& c0, const tg::Node& h0, const tg::Node& kernel,
                         const tg::Node& bias, double forget_bias, const std::string& name) {
    auto r = tg::nn::block_lstm(x, c0, h0, kernel, bias, forget_bias, name);
    return py::make_tuple(r.outputs, r.c, r.h, r.packed);
  });
  m.def("global_norm", &tg::global_norm);
  m.def("pad_grad", &tg::pad_grad);
  m.def("one_hot", [](const tg::Node& x, std::int64_t depth, const py::object& dtype, const std::string& name) {
    return tg::one_hot(x, depth, dtype.is_none() ? tg::DType::f32 : parse_dtype(dtype), name);
  });
  m.def("reshape", [](const tg::Node& x, const py::object& shape, const std::string& name) {
    return tg::reshape(x, shape_from_python(shape), name);
  });
  m.def("transpose", &tg::transpose);
  m.def("fill_like", &tg::fill_like);
  m.def("python_op", [](const py::object& op, const std::vector<tg::Node>& inputs, const std::string& name) {
    return adopt_operation(python_op(op, inputs, name), op);
  }, "The node computed by a Python Operation `op`, which becomes its object; returns op._node.");
  m.def("moments", [](const tg::Node& x, const std::vector<std::int64_t>& axes, bool keep_dims, const std::string& name) {
    const tg::nn::Moments r = tg::nn::moments(x, axes, keep_dims, name.empty() ? "moments" : name);
    return py::make_tuple(r.mean, r.variance);
  });
  m.def("batch_normalization", [](const tg::Node& x, const tg::Node& mean, const tg::Node& variance,
                                  const std::optional<tg::Node>& offset, const std::optional<tg::Node>& scale,
                                  double epsilon, const std::string& name) {
    return tg::nn::batch_normalization(x, mean, variance, offset.value_or(tg::Node()), scale.value_or(tg::Node()),
                                       epsilon, name);
  });
  m.def("fused_batch_norm", [](const tg::Node& x, const tg::Node& scale, const tg::Node& offset,
                               const std::optional<tg::Node>& mean, const std::optional<tg::Node>& variance,
                               double epsilon, const std::string& data_format, bool is_training, const std::string& name) {
    const tg::nn::FusedBatchNorm r = tg::nn::fused_batch_norm(
        x, scale, offset,
        {mean.value_or(tg::Node()), variance.value_or(tg::Node()), epsilon, data_format, is_training, name});
    auto node_or_none = [](const tg::Node& n) { return n.valid() ? py::cast(n) : py::object(py::none()); };
    return py::make_tuple(r.y, node_or_none(r.batch_mean), node_or_none(r.batch_variance));
  });
  m.def("fused_batch_norm_grad", &tg::nn::fused_batch_norm_grad);
  m.def("random_uniform_like", &tg::random_uniform_like);
  m.def("random_normal", [](const py::object& shape, double mean, double stddev, const py::object& dtype,
                            std::uint64_t seed, const std::string& name) {
    return tg::random_normal(dims_from_python(shape, "random_normal"), mean, stddev, parse_dtype(dtype), seed, name);
  });
  m.def("random_normal_like", &tg::random_normal_like);
  m.def("truncated_normal", [](const py::object& shape, double mean, double stddev, const py::object& dtype,
                               std::uint64_t seed, const std::string& name) {
    return tg::truncated_normal(dims_from_python(shape, "truncated_normal"), mean, stddev, parse_dtype(dtype), seed,
                                name);
  });
  m.def("random_uniform", [](const py::object& shape, double minval, double maxval, const py::object& dtype,
                             std::uint64_t seed, const std::string& name) {
    return tg::random_uniform(dims_from_python(shape, "random_uniform"), minval, maxval, parse_dtype(dtype), seed,
                              name);
  });
  bind_layers(m);
  bind_rnn(m);
  m.def("gradients", &tg::gradients);
  m.def("compute_gradients", &tg::train::compute_gradients);
  bind_optimizers(m);
  bind_data(m);
  bind_training(m);
  bind_distributed(m);
  bind_export(m);
  m.def("set_num_threads", &tg::set_num_threads);
  m.def("num_threads", &tg::num_threads);
  m.def("registered_ops", [] {
    std::vector<std::string> names;
    for (const tg::OpDef* d : tg::registered_ops()) names.push_back(d->name);
    return names;
  });

  bind_session(m);
}
