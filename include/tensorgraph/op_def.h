#pragma once
// OpDef: everything about one operation in one place: name, arity, shape/dtype rule, forward
// kernel and gradient rule. Each op lives in its own file under src/ops/ and is listed in
// src/ops/op_list.h. Gradient rules build graph nodes; they never compute numbers.
#include <string>
#include <string_view>
#include <vector>

#include "tensorgraph/attrs.h"
#include "tensorgraph/graph.h"

namespace tg {

/// A dtype and a (possibly partial) shape: what the shape rule reasons about.
struct TypeShape {
  DType dtype = DType::unknown;
  Shape shape = Shape::unknown_rank();
};

/// Input of a shape rule: at build time partial, at run time concrete.
struct InferCtx {
  const TypeShape* in;
  int num_inputs;
  const Attrs& attrs;
  const TypeShape& input(int i) const { return in[i]; }
};

/// Input of a forward kernel: the output tensor is already allocated with the inferred shape.
struct KernelCtx {
  Tensor* const* in;  // input values (stateful ops may write into them)
  int num_inputs;
  Tensor& out;
  const Attrs& attrs;
  const std::string& node_name;  // for error messages
  int node_id;
  void* user_data;  // a custom op's implementation object (see custom_op.h)
  /// The session's run counter (0 for its first run): random ops derive their numbers from it.
  std::uint64_t run = 0;
  const Tensor& input(int i) const { return *in[i]; }
};

/// Input of a gradient rule: the forward node and the gradient of the loss w.r.t. its output.
struct GradCtx {
  Node node;
  Node dy;
  Node input(int i) const { return node.input(i); }
  /// The forward node itself (its output value y).
  const Node& output() const { return node; }
};

struct OpDef {
  const char* name = nullptr;
  int num_inputs = 0;  // -1: any number
  TypeShape (*infer)(const InferCtx&) = nullptr;
  void (*compute)(KernelCtx&) = nullptr;
  /// One node per input (an invalid Node where no gradient flows); null if not differentiable.
  std::vector<Node> (*grad)(const GradCtx&) = nullptr;
  /// Element-wise with numpy broadcasting: autodiff sums input gradients back to input shapes.
  bool broadcasting = false;
  /// Writes into its inputs (optimizer updates); runs after every other node of a run.
  bool stateful = false;
  /// The kernel sets KernelCtx::out itself: its shape is known only once it ran (Python ops).
  bool dynamic_output = false;
  /// The op's attributes (its struct and field names); null if it has none.
  const AttrSchema* attrs = nullptr;
};

/// Adds an operation node: checks the graph and the attributes (an empty `attrs` means the op's
/// defaults), runs the shape rule (errors name the op, the input
/// nodes and their shapes) and names the node (`name` or the op name made unique).
Node make_op(const OpDef& def, const std::vector<Node>& inputs, const Attrs& attrs = {},
             const std::string& name = "");
/// The registered operation named `name`, or null.
const OpDef* find_op(const std::string& name);
/// Every registered operation.
const std::vector<const OpDef*>& registered_ops();

}  // namespace tg
