// MomentumOptimizer, RMSPropOptimizer and AdamOptimizer: hyper-parameter checks, and minimize
// (compute_gradients, then apply_gradients), which creates the state Variables and one fused
// update node (src/ops/apply_*.cpp).
#include <cmath>
#include <sstream>

#include "../graph/graph_impl.h"
#include "grads_and_vars.h"
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
  const char* who;   // "AdamOptimizer"
  const char* name;  // the update node's default name, e.g. "Adam"
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

Rule rule_of(const MomentumOptimizer& o) {
  return {"MomentumOptimizer", "Momentum", *find_op("apply_momentum"), {"Momentum"},
          {{"momentum", o.momentum()}, {"use_nesterov", o.use_nesterov()}}};
}
Rule rule_of(const RMSPropOptimizer& o) {
  return {"RMSPropOptimizer", "RMSProp", *find_op("apply_rms_prop"), {"RMSProp_ms", "RMSProp_momentum"},
          {{"decay", o.decay()}, {"epsilon", o.epsilon()}, {"momentum", o.momentum()}}};
}
Rule rule_of(const AdamOptimizer& o) {
  return {"AdamOptimizer", "Adam", *find_op("apply_adam"), {"Adam_m", "Adam_v"},
          {{"beta1", o.beta1()}, {"beta2", o.beta2()}, {"epsilon", o.epsilon()}}};
}

// `who` names the call in errors ("AdamOptimizer.minimize"); `step` counts the updates (invalid:
// a new "<update>/step").
Node build_update(const Rule& r, const std::string& who, const Schedule& lr, const GradsAndVars& grads_and_vars,
                  const std::string& requested_name, const Node& step) {
  const auto [grads, vars] = checked_pairs(who, grads_and_vars);
  const Graph g = vars[0].graph();
  if (step.valid()) check_global_step(who, step, g);
  const DefaultGraph scope(g);
  const std::string name = g.impl().unique_name(requested_name, r.name);
  std::vector<std::pair<std::string, AttrValue>> attrs = schedule_attrs(lr);
  attrs.insert(attrs.end(), r.attrs.begin(), r.attrs.end());
  std::vector<Node> in{step.valid() ? step : Variable(Tensor::scalar<std::int64_t>(0), name + "/step", false)};
  in.insert(in.end(), vars.begin(), vars.end());
  in.insert(in.end(), grads.begin(), grads.end());
  for (const char* slot : r.slots)
    for (const Node& v : vars)
      in.push_back(Variable(Tensor::zeros(v.value().shape(), v.dtype()), v.name() + "/" + slot, false));
  return with_update_ops(make_op(r.op, in, r.op.attrs->from(attrs, r.op.name), name), grads);
}

template <class Optimizer>
Node minimize_with(const Optimizer& o, const Node& loss, const std::vector<Node>& var_list) {
  const Rule r = rule_of(o);
  const std::string who = std::string(r.who) + ".minimize";
  return build_update(r, who, o.learning_rate(), gradients_of(who, loss, var_list), "", {});
}

template <class Optimizer>
Node apply_with(const Optimizer& o, const GradsAndVars& grads_and_vars, const std::string& name, const Node& step) {
  const Rule r = rule_of(o);
  return build_update(r, std::string(r.who) + ".apply_gradients", o.learning_rate(), grads_and_vars, name, step);
}

}  // namespace

MomentumOptimizer::MomentumOptimizer(Schedule learning_rate, double momentum, bool use_nesterov)
    : lr_(learning_rate), momentum_(momentum), nesterov_(use_nesterov) {
  check_schedule("MomentumOptimizer", lr_);
  check_unit("MomentumOptimizer", "momentum", momentum);
  if (use_nesterov && momentum == 0) bad("MomentumOptimizer", "momentum", "> 0 with use_nesterov", momentum);
}

Node MomentumOptimizer::minimize(const Node& loss, const std::vector<Node>& var_list) const {
  return minimize_with(*this, loss, var_list);
}
GradsAndVars MomentumOptimizer::compute_gradients(const Node& loss, const std::vector<Node>& var_list) const {
  return gradients_of("MomentumOptimizer.compute_gradients", loss, var_list);
}
Node MomentumOptimizer::apply_gradients(const GradsAndVars& grads_and_vars, const std::string& name,
                                      const Node& global_step) const {
  return apply_with(*this, grads_and_vars, name, global_step);
}

RMSPropOptimizer::RMSPropOptimizer(Schedule learning_rate, double decay, double epsilon, double momentum)
    : lr_(learning_rate), decay_(decay), epsilon_(epsilon), momentum_(momentum) {
  check_schedule("RMSPropOptimizer", lr_);
  check_unit("RMSPropOptimizer", "decay", decay);
  check_epsilon("RMSPropOptimizer", epsilon);
  check_unit("RMSPropOptimizer", "momentum", momentum);
}

Node RMSPropOptimizer::minimize(const Node& loss, const std::vector<Node>& var_list) const {
  return minimize_with(*this, loss, var_list);
}
GradsAndVars RMSPropOptimizer::compute_gradients(const Node& loss, const std::vector<Node>& var_list) const {
  return gradients_of("RMSPropOptimizer.compute_gradients", loss, var_list);
}
Node RMSPropOptimizer::apply_gradients(const GradsAndVars& grads_and_vars, const std::string& name,
                                      const Node& global_step) const {
  return apply_with(*this, grads_and_vars, name, global_step);
}

AdamOptimizer::AdamOptimizer(Schedule learning_rate, double beta1, double beta2, double epsilon)
    : lr_(learning_rate), beta1_(beta1), beta2_(beta2), epsilon_(epsilon) {
  check_schedule("AdamOptimizer", lr_);
  check_unit("AdamOptimizer", "beta1", beta1);
  check_unit("AdamOptimizer", "beta2", beta2);
  check_epsilon("AdamOptimizer", epsilon);
}

Node AdamOptimizer::minimize(const Node& loss, const std::vector<Node>& var_list) const {
  return minimize_with(*this, loss, var_list);
}
GradsAndVars AdamOptimizer::compute_gradients(const Node& loss, const std::vector<Node>& var_list) const {
  return gradients_of("AdamOptimizer.compute_gradients", loss, var_list);
}
Node AdamOptimizer::apply_gradients(const GradsAndVars& grads_and_vars, const std::string& name,
                                      const Node& global_step) const {
  return apply_with(*this, grads_and_vars, name, global_step);
}

Node counted_descent(const std::string& who, double learning_rate, const GradsAndVars& grads_and_vars,
                     const std::string& name, const Node& global_step) {
  return build_update({"GradientDescentOptimizer", "GradientDescent", *find_op("apply_momentum"), {"GradientDescent"},
                       {{"momentum", 0.0}, {"use_nesterov", false}}},
                      who, learning_rate, grads_and_vars, name, global_step);
}

}  // namespace tg::train
