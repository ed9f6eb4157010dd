#include "py_ops.h"

#include <pybind11/stl.h>

#include "convert.h"

namespace tgpy {
namespace {

// Holds a Python object; drops it under the GIL (graphs may die in any thread).
struct PyRef {
  explicit PyRef(py::object o) : obj(std::move(o)) {}
  ~PyRef() {
    py::gil_scoped_acquire gil;
    obj = py::object();
  }
  py::object obj;
};

py::list as_arrays(const std::vector<tg::Tensor>& values, std::size_t count) {
  py::list out;
  for (std::size_t i = 0; i < count; ++i) out.append(to_numpy(values[i]));
  return out;
}

// One input's gradient: calls the registered function with the forward op's values restored.
class PyGradOp : public tg::CustomOp {
 public:
  PyGradOp(std::shared_ptr<PyRef> fn, std::shared_ptr<PyRef> op, std::string type, std::size_t index)
      : fn_(std::move(fn)), op_(std::move(op)), type_(std::move(type)), index_(index) {}
  std::string type() const override { return type_ + "_gradient"; }
  tg::Tensor compute(const std::vector<tg::Tensor>& v) override {  // v = [inputs..., output, dy]
    py::gil_scoped_acquire gil;
    const std::size_t n = v.size() - 2;
    py::object& op = op_->obj;
    op.attr("inputs") = as_arrays(v, n);
    op.attr("output") = to_numpy(v[n]);
    py::object g = fn_->obj(op, to_numpy(v[n + 1]));
    py::object gi = g;
    if (py::isinstance<py::list>(g) || py::isinstance<py::tuple>(g)) {
      py::sequence seq = g;
      if (static_cast<std::size_t>(py::len(seq)) != n)
        throw py::value_error("gradient of '" + type_ + "' returned " + std::to_string(py::len(seq)) +
                              " values for " + std::to_string(n) + " inputs");
      gi = seq[index_];
    } else if (n != 1) {
      throw py::value_error("gradient of '" + type_ + "' must return a list of " + std::to_string(n) + " values");
    }
    return to_input_shape(from_python(gi, v[index_].dtype(), true, "gradient function"), v[index_].shape());
  }

 private:
  // The gradient must have the input's shape. One of the broadcast shape (compute() relied on
  // numpy broadcasting) is summed over the broadcast axes; any other shape is a ShapeError
  // (before: passed on silently, so gradients() returned an array of the wrong shape).
  tg::Tensor to_input_shape(const tg::Tensor& g, const tg::Shape& want) const {
    const tg::Shape have = g.shape();
    if (have == want) return g;
    const int lead = have.rank() - want.rank();
    bool ok = lead >= 0;
    py::list axes;
    for (int i = 0; ok && i < have.rank(); ++i) {
      if (i < lead || (want[i - lead] == 1 && have[i] != 1)) axes.append(i);
      else ok = want[i - lead] == have[i];
    }
    if (!ok)
      throw tg::ShapeError("gradient of '" + type_ + "' for input " + std::to_string(index_) + " has shape " +
                           have.str() + ", expected the input's shape " + want.str());
    py::list dims;
    for (int i = 0; i < want.rank(); ++i) dims.append(want[i]);
    py::object summed = to_numpy(g).attr("sum")(py::arg("axis") = py::tuple(axes)).attr("reshape")(py::tuple(dims));
    return from_python(summed, g.dtype(), true, "gradient function");
  }

  std::shared_ptr<PyRef> fn_, op_;
  std::string type_;
  std::size_t index_;
};

class PyCustomOp : public tg::CustomOp {
 public:
  explicit PyCustomOp(py::object op)
      : op_(std::make_shared<PyRef>(op)), type_(py::str(op.get_type().attr("__name__"))) {}
  std::string type() const override { return type_; }
  tg::Tensor compute(const std::vector<tg::Tensor>& v) override {
    py::gil_scoped_acquire gil;
    py::object& op = op_->obj;
    py::list values = as_arrays(v, v.size());
    op.attr("inputs") = values;
    py::object out = op.attr("compute")(*values);
    op.attr("output") = out;
    return from_python(out, tg::DType::unknown, true, (type_ + ".compute").c_str());
  }
  std::vector<tg::Node> gradient(const tg::Node& node, const tg::Node& dy) override {
    py::gil_scoped_acquire gil;
    py::object fn = py::module_::import("tensorgraph._operation").attr("_gradient_function")(type_);
    auto fn_ref = std::make_shared<PyRef>(fn);
    std::vector<tg::Node> inputs = node.inputs();
    std::vector<tg::Node> grad_inputs = inputs;
    grad_inputs.push_back(node);
    grad_inputs.push_back(dy);
    std::vector<tg::Node> grads;
    for (std::size_t i = 0; i < inputs.size(); ++i)
      grads.push_back(tg::custom_op(std::make_shared<PyGradOp>(fn_ref, op_, type_, i), grad_inputs));
    return grads;
  }

 private:
  std::shared_ptr<PyRef> op_;
  std::string type_;
};

}  // namespace

tg::Node python_op(const py::object& op, const std::vector<tg::Node>& inputs, const std::string& name) {
  return tg::custom_op(std::make_shared<PyCustomOp>(op), inputs, name);
}

}  // namespace tgpy
