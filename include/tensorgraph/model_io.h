#pragma once
// Models that travel: a graph saved as data (no code), loadable from C++ or Python.
//
//   tg::export_model(session, {probs}, "model");    // model.json + model.safetensors
//   tg::LoadedModel m = tg::import_model("model");  // validated, rebuilt through make_op
//   tg::Session s(m.graph);
//   s.run(m.outputs[0], {{m.nodes.at("x"), batch}});
//
// model.json lists every node the outputs depend on, in topological order (name, kind, op,
// input names, set attributes, dtype, shape) and the output names; model.safetensors holds each
// Variable's session value and each constant's value, keyed by node name. User (custom) ops and
// update ops are refused. Every failure throws tg::IoError naming the file and the node.
#include <map>
#include <string>
#include <vector>

#include "tensorgraph/graph.h"
#include "tensorgraph/session.h"

namespace tg {

struct LoadedModel {
  Graph graph;
  std::map<std::string, Node> nodes;  // every node by name
  std::vector<Node> outputs;
};

/// Writes <path_prefix>.json and <path_prefix>.safetensors (each atomically) for `outputs`.
void export_model(Session& session, const std::vector<Node>& outputs, const std::string& path_prefix);
/// Reads and validates a model written by export_model; Variables start at the saved values.
LoadedModel import_model(const std::string& path_prefix);

}  // namespace tg
