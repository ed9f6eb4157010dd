// The op registry and make_op, the one way operation nodes enter a graph.
#include <sstream>

#include "../graph/graph_impl.h"
#include "op_list.h"

namespace tg {

const std::vector<const OpDef*>& registered_ops() {
#define TG_OP_PTR(name) &ops::op_##name,
  static const std::vector<const OpDef*> all{TG_OPS(TG_OP_PTR)};
#undef TG_OP_PTR
  return all;
}

const OpDef* find_op(const std::string& name) {
  for (const OpDef* d : registered_ops())
    if (name == d->name) return d;
  return nullptr;
}

namespace detail {
std::string describe_inputs(const std::vector<std::string>& names, const TypeShape* ts, int n) {
  std::ostringstream os;
  for (int i = 0; i < n; ++i) {
    os << (i ? ", " : "") << "'" << names[static_cast<std::size_t>(i)] << "' " << ts[i].shape.str();
    if (ts[i].dtype != DType::unknown) os << ' ' << dtype_name(ts[i].dtype);
  }
  return os.str();
}

// Runs a shape rule; errors are rethrown with the op, the node and every input's name and shape.
TypeShape infer_checked(const OpDef& def, const std::string& node_name,
                        const std::vector<std::string>& input_names, const TypeShape* in, int n,
                        const Attrs& attrs) {
  auto context = [&] {
    return std::string(def.name) + " '" + node_name + "' (inputs " +
           describe_inputs(input_names, in, n) + "): ";
  };
  try {
    TypeShape out = def.infer(InferCtx{in, n, attrs});
    out.shape.num_elements();  // throws ShapeError when the element count overflows int64
    return out;
  } catch (const ShapeError& e) {
    throw ShapeError(context() + e.what());
  } catch (const DTypeError& e) {
    throw DTypeError(context() + e.what());
  }
}

// The op's defaults when `attrs` is empty; refuses another op's struct.
Attrs checked_attrs(const OpDef& def, const Attrs& attrs) {
  if (!def.attrs) {
    if (!attrs.empty()) throw GraphError(std::string(def.name) + " takes no attributes");
    return attrs;
  }
  if (attrs.empty()) return def.attrs->defaults();
  if (attrs.tag() != def.attrs->tag())
    throw GraphError(std::string(def.name) + ": the attributes given are not this op's attribute struct");
  return attrs;
}
}  // namespace detail

Node make_op(const OpDef& def, const std::vector<Node>& inputs, const Attrs& attrs, const std::string& name) {
  if (def.num_inputs >= 0 && static_cast<int>(inputs.size()) != def.num_inputs)
    throw GraphError(std::string(def.name) + ": expected " + std::to_string(def.num_inputs) +
                     " inputs, got " + std::to_string(inputs.size()));
  Graph g = inputs.empty() ? Graph::get_default() : inputs[0].graph();
  std::vector<TypeShape> ts;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].valid())
      throw GraphError(std::string(def.name) + ": input " + std::to_string(i) + " is an invalid Node");
    if (!(inputs[i].graph() == g))
      throw GraphError(std::string(def.name) + ": input '" + inputs[i].name() +
                       "' belongs to another graph than input '" + inputs[0].name() + "'");
    if (inputs[i].op() && inputs[i].op()->stateful && &def != &ops::op_group)  // group runs updates
      throw GraphError(std::string(def.name) + ": input '" + inputs[i].name() +
                       "' is an update operation and has no value to consume");
    ts.push_back(inputs[i].data().ts);
    names.push_back(inputs[i].name());
  }
  const Attrs checked = detail::checked_attrs(def, attrs);
  auto& impl = g.impl();
  std::string final_name = impl.unique_name(name, def.name);
  auto n = std::make_unique<detail::NodeData>();
  n->kind = NodeKind::operation;
  n->op = &def;
  n->attrs = checked;
  n->ts = detail::infer_checked(def, final_name, names, ts.data(), static_cast<int>(ts.size()), checked);
  for (const Node& in : inputs) n->inputs.push_back(in.id());
  return g.handle(impl.add(std::move(n), final_name));
}

}  // namespace tg
