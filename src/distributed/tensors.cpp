// Collectives on host tensors: fit's metrics, and broadcast_variables.
#include <cstring>
#include <map>

#include "collectives.h"
#include "tensorgraph/session.h"

namespace tg::distributed {

void allreduce(Tensor& t, ReduceOp op, const std::string& what) {
  detail::allreduce(t.raw(), t.raw(), t.size(), t.dtype(), op, what);
}

void broadcast(Tensor& t, int root, const std::string& what) {
  detail::broadcast(t.raw(), t.size(), t.dtype(), root, what);
}

// NOTE: one broadcast per dtype: the Variables of that dtype packed, in the graph's order.
void broadcast_variables(Session& session, int root, const std::vector<Node>& variables) {
  init();
  const std::vector<Node> vars = variables.empty() ? session.graph().variables() : variables;
  const std::string what = "broadcast_variables";
  if (root < 0 || root >= size())
    throw Error(what + ": root " + std::to_string(root) + " is not a rank of this world of " + std::to_string(size()));
  if (size() == 1 || vars.empty()) return;
  std::vector<Tensor> values = session.values(vars);
  std::map<DType, std::vector<std::size_t>> by_dtype;
  for (std::size_t i = 0; i < values.size(); ++i) by_dtype[values[i].dtype()].push_back(i);
  // Every rank must agree on what it broadcasts: the count of Variables per dtype, then the sizes.
  detail::check_same(static_cast<std::int64_t>(vars.size()), what + " (the number of Variables)");
  for (auto& [dtype, idx] : by_dtype) {
    std::int64_t count = 0;
    for (std::size_t i : idx) count += values[i].size();
    Tensor packed(dtype, Shape{count});
    auto* p = static_cast<char*>(packed.raw());
    for (std::size_t i : idx) {
      std::memcpy(p, values[i].raw(), values[i].nbytes());
      p += values[i].nbytes();
    }
    detail::broadcast(packed.raw(), count, dtype == DType::boolean ? DType::u8 : dtype, root,
                      what + " (" + dtype_name(dtype) + " Variables)");
    p = static_cast<char*>(packed.raw());
    for (std::size_t i : idx) {  // NOTE: fresh tensors: a value read from the session may share its storage
      Tensor v(dtype, values[i].shape());
      std::memcpy(v.raw(), p, v.nbytes());
      p += v.nbytes();
      values[i] = v;
    }
  }
  std::vector<std::pair<Node, Tensor>> pairs;
  for (std::size_t i = 0; i < vars.size(); ++i) pairs.emplace_back(vars[i], values[i]);
  session.assign(pairs);
}

}  // namespace tg::distributed
