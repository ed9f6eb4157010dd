// MomentumOptimizer, RMSPropOptimizer and AdamOptimizer: hyper-parameter checks, and minimize,
// which creates the state Variables and one fused update node (src/ops/apply_*.cpp).
#include <cmath>
#include <set>
#include <sstream>

#include "../graph/graph_impl.h"
#include "tensorgraph/autodiff.h"
#include "tensorgraph/op_def.h"
#include "tensorgraph/optimizers.h"
#include "tensorgraph/train.h"

namespace tg::train {
namespace {

[[noreturn]] void bad(const char* who, const char* param, const char* rule, double got) {
  std::ostringstream os;
  os << who << ": " << param << " must be " << rule << ", got " << got;
  throw GraphError(os.str());
}
void check_unit(const char* who, const char* param, double x) {
  if (!(x >= 0 && x < 1)) bad(who, param, "in [0, 1)", x);
}
void check_epsilon(const char* who, double x) {
  if (!(std::isfinite(x) && x > 0)) bad(who, "epsilon", "a finite number > 0", x);
}
// Also checks a Schedule whose fields were set by hand rather than by schedules::.
void check_schedule(const char* who, const Schedule& s) {
  if (!(std::isfinite(s.learning_rate) && s.learning_rate >= 0))
    bad(who, "learning_rate", "a finite number >= 0", s.learning_rate);
  using K = Schedule::Kind;
  if ((s.kind == K::step || s.kind == K::exponential) && !(std::isfinite(s.gamma) && s.gamma > 0))
    bad(who, "learning_rate's gamma", "a finite number > 0", s.gamma);
  if ((s.kind == K::step || s.kind == K::cosine) && s.period < 1)
    bad(who, "learning_rate's step_size/total_steps", ">= 1", static_cast<double>(s.period));
  if (s.kind == K::cosine && !(std::isfinite(s.min_lr) && s.min_lr >= 0))
    bad(who, "learning_rate's min_lr", "a finite number >= 0", s.min_lr);
}

// Makes `g` the default graph while it lives: Variable() adds to the default graph.
class DefaultGraph {
 public:
  explicit DefaultGraph(const Graph& g) : previous_(Graph::get_default()) { g.as_default(); }
  ~DefaultGraph() { previous_.as_default(); }
  DefaultGraph(const DefaultGraph&) = delete;
  DefaultGraph& operator=(const DefaultGraph&) = delete;

 private:
  Graph previous_;
};

struct Rule {
  const char* who;   // "AdamOptimizer.minimize"
  const char* name;  // the update node's name, e.g. "Adam"
  const OpDef& op;
  std::vector<const char*> slots;  // state Variables per parameter: "<var>/<slot>"
  std::vector<std::pair<std::string, AttrValue>> attrs;  // the rule's hyper-parameters
};

// The schedule as the update op's attributes.
std::vector<std::pair<std::string, AttrValue>> schedule_attrs(const Schedule& s) {
  return {{"schedule", std::string(schedule_kind_name(s.kind))},
          {"learning_rate", s.learning_rate},
          {"gamma", s.gamma},
          {"period", s.period},
          {"min_lr", s.min_lr}};
}

Node build_update(const Rule& r, const Schedule& lr, const Node& loss, const std::vector<Node>& var_list) {
  const std::string who = r.who;
  if (!loss.valid()) throw GraphError(who + ": loss is an invalid Node");
  const std::vector<Node> vars = var_list.empty() ? trainable_variables_of(loss) : var_list;
  if (vars.empty())
    throw GraphError(who + ": loss '" + loss.name() + "' depends on no trainable Variable, so there is nothing to minimize");
  std::set<Node> seen;
  for (const Node& v : vars) {
    if (!v.valid() || v.kind() != NodeKind::variable || !v.in_graph(loss.graph()))
      throw GraphError(who + ": '" + (v.valid() ? v.name() : std::string("<invalid>")) +
                       "' in var_list is not a Variable of the loss's graph");
    if (!is_floating(v.dtype()))
      throw DTypeError(who + ": Variable '" + v.name() + "' is " + dtype_name(v.dtype()) + ", not float32/float64");
    if (!seen.insert(v).second) throw GraphError(who + ": Variable '" + v.name() + "' is twice in var_list");
  }
  const Graph g = loss.graph();
  const DefaultGraph scope(g);
  const std::vector<Node> grads = gradients(loss, vars);
  const std::string name = g.impl().unique_name(r.name, r.name);
  std::vector<std::pair<std::string, AttrValue>> attrs = schedule_attrs(lr);
  attrs.insert(attrs.end(), r.attrs.begin(), r.attrs.end());
  std::vector<Node> in{Variable(Tensor::scalar<std::int64_t>(0), name + "/step", false)};
  in.insert(in.end(), vars.begin(), vars.end());
  in.insert(in.end(), grads.begin(), grads.end());
  for (const char* slot : r.slots)
    for (const Node& v : vars)
      in.push_back(Variable(Tensor::zeros(v.value().shape(), v.dtype()), v.name() + "/" + slot, false));
  return make_op(r.op, in, r.op.attrs->from(attrs, r.op.name), name);
}

}  // namespace

MomentumOptimizer::MomentumOptimizer(Schedule learning_rate, double momentum, bool use_nesterov)
    : lr_(learning_rate), momentum_(momentum), nesterov_(use_nesterov) {
  check_schedule("MomentumOptimizer", lr_);
  check_unit("MomentumOptimizer", "momentum", momentum);
  if (use_nesterov && momentum == 0) bad("MomentumOptimizer", "momentum", "> 0 with use_nesterov", momentum);
}

Node MomentumOptimizer::minimize(const Node& loss, const std::vector<Node>& var_list) const {
  return build_update({"MomentumOptimizer.minimize", "Momentum", *find_op("apply_momentum"), {"Momentum"},
                       {{"momentum", momentum_}, {"use_nesterov", nesterov_}}},
                      lr_, loss, var_list);
}

RMSPropOptimizer::RMSPropOptimizer(Schedule learning_rate, double decay, double epsilon, double momentum)
    : lr_(learning_rate), decay_(decay), epsilon_(epsilon), momentum_(momentum) {
  check_schedule("RMSPropOptimizer", lr_);
  check_unit("RMSPropOptimizer", "decay", decay);
  check_epsilon("RMSPropOptimizer", epsilon);
  check_unit("RMSPropOptimizer", "momentum", momentum);
}

Node RMSPropOptimizer::minimize(const Node& loss, const std::vector<Node>& var_list) const {
  return build_update({"RMSPropOptimizer.minimize", "RMSProp", *find_op("apply_rms_prop"),
                       {"RMSProp_ms", "RMSProp_momentum"},
                       {{"decay", decay_}, {"epsilon", epsilon_}, {"momentum", momentum_}}},
                      lr_, loss, var_list);
}

AdamOptimizer::AdamOptimizer(Schedule learning_rate, double beta1, double beta2, double epsilon)
    : lr_(learning_rate), beta1_(beta1), beta2_(beta2), epsilon_(epsilon) {
  check_schedule("AdamOptimizer", lr_);
  check_unit("AdamOptimizer", "beta1", beta1);
  check_unit("AdamOptimizer", "beta2", beta2);
  check_epsilon("AdamOptimizer", epsilon);
}

Node AdamOptimizer::minimize(const Node& loss, const std::vector<Node>& var_list) const {
  return build_update({"AdamOptimizer.minimize", "Adam", *find_op("apply_adam"), {"Adam_m", "Adam_v"},
                       {{"beta1", beta1_}, {"beta2", beta2_}, {"epsilon", epsilon_}}},
                      lr_, loss, var_list);
}

}  // namespace tg::train
