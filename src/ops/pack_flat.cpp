// y = [x_0.ravel(), x_1.ravel(), ...]: every input's elements, one input after another, in one 1-D
// tensor (one copy of each; DistributedOptimizer's fusion buffer). dx_i = dy[o_i : o_i + |x_i|] in
// x_i's shape, o_i = Σ_{j<i} |x_j| (unpack_flat; with sizes known only at run time, concat_grad)
#include <cstring>

#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  if (c.num_inputs < 1) throw GraphError("pack_flat needs at least one input");
  TypeShape out{c.input(0).dtype, Shape{0}};
  for (int i = 0; i < c.num_inputs; ++i) {
    out.dtype = common_dtype(out, c.input(i));
    const std::int64_t n = c.input(i).shape.num_elements();
    out.shape[0] = n < 0 || out.shape[0] < 0 ? kUnknownDim : out.shape[0] + n;
  }
  return out;
}
void compute(KernelCtx& c) {
  char* at = static_cast<char*>(c.out.raw());
  for (int i = 0; i < c.num_inputs; ++i) {
    const Tensor& x = c.input(i);
    if (x.nbytes() > 0) std::memcpy(at, x.raw(), x.nbytes());
    at += x.nbytes();
  }
}
std::vector<Node> grad(const GradCtx& c) {
  const int n = static_cast<int>(c.node.inputs().size());
  std::vector<Node> dx, flat;
  std::int64_t offset = 0;  // -1 once a size before is known only at run time
  for (int i = 0; i < n; ++i) {
    const Node x = c.input(i);
    const std::int64_t size = x.shape().num_elements();
    if (offset >= 0 && size >= 0) {
      dx.push_back(unpack_flat(c.dy, offset, x.shape()));
      offset += size;
      continue;
    }
    offset = -1;
    if (flat.empty())
      for (int j = 0; j < n; ++j) flat.push_back(reshape(c.input(j), Shape{-1}));
    dx.push_back(reshape_like(concat_grad(c.dy, flat, 0, i), x));
  }
  return dx;
}
}  // namespace
const OpDef op_pack_flat{.name = "pack_flat", .num_inputs = -1, .infer = infer, .compute = compute, .grad = grad};
}  // namespace ops

Node pack_flat(const std::vector<Node>& values, const std::string& name) {
  return make_op(ops::op_pack_flat, values, {}, name);
}
}  // namespace tg
