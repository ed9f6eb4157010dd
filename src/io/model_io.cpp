// export_model / import_model: the graph as JSON data plus a safetensors file of values.
#include "tensorgraph/model_io.h"

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <unistd.h>

#include "../graph/graph_impl.h"
#include "json.h"
#include "tensorgraph/error.h"
#include "tensorgraph/file.h"
#include "tensorgraph/saver.h"

namespace tg {
namespace {

constexpr const char* kFormat = "tensorgraph-model";
constexpr std::int64_t kVersion = 1;
constexpr std::uintmax_t kMaxJsonBytes = 256u << 20;
using json::Value;
using VT = Value::Type;

const char* kind_name(NodeKind k) {
  switch (k) {
    case NodeKind::placeholder: return "placeholder";
    case NodeKind::variable: return "variable";
    case NodeKind::constant: return "constant";
    case NodeKind::operation: return "operation";
  }
  return "?";
}

// "unknown" | "float32" | ... (dtype_name's spelling).
std::string dtype_str(DType d) { return d == DType::unknown ? "unknown" : dtype_name(d); }
bool parse_dtype(const std::string& s, DType& out) {
  for (DType d : {DType::unknown, DType::f32, DType::f64, DType::i32, DType::i64, DType::boolean})
    if (s == dtype_str(d)) return out = d, true;
  return false;
}

Value shape_json(const Shape& s) {
  if (!s.rank_known()) return Value{};
  Value a = Value::make(VT::array);
  for (std::int64_t d : s) a.arr.push_back(Value::of(d));
  return a;
}

// A refused op: user code (custom) or an update that writes into variables.
bool refused(const OpDef* op) { return !op || std::string(op->name) == "custom" || op->stateful; }

Value attrs_json(const Attrs& a) {
  Value o = Value::make(VT::object);
  if (!a.axes.empty()) {
    Value ax = Value::make(VT::array);
    for (std::int64_t x : a.axes) ax.arr.push_back(Value::of(x));
    o.set("axes", std::move(ax));
  }
  if (a.all_axes) o.set("all_axes", Value::of(true));
  if (a.keepdims) o.set("keepdims", Value::of(true));
  if (a.mean) o.set("mean", Value::of(true));
  if (a.transpose_a) o.set("transpose_a", Value::of(true));
  if (a.transpose_b) o.set("transpose_b", Value::of(true));
  if (a.dtype != DType::unknown) o.set("dtype", Value::of(dtype_str(a.dtype)));
  if (a.value != 0) o.set("value", Value::of(a.value));
  if (a.shape.rank() != 0) o.set("shape", shape_json(a.shape));
  if (!a.message.empty()) o.set("message", Value::of(a.message));
  return o;
}

}  // namespace

void export_model(Session& session, const std::vector<Node>& outputs, const std::string& path_prefix) {
  if (outputs.empty()) throw GraphError("export_model: no outputs given");
  const Graph& g = session.graph();
  for (const Node& o : outputs)
    if (!o.valid() || !o.in_graph(g)) throw GraphError("export_model: an output is not a node of the session's graph");
  // Every node the outputs depend on (explicit stack), then ascending ids: inputs precede users.
  std::vector<char> needed(static_cast<std::size_t>(g.num_nodes()), 0);
  std::vector<int> stack;
  for (const Node& o : outputs) stack.push_back(o.id());
  while (!stack.empty()) {
    const int id = stack.back();
    stack.pop_back();
    if (needed[static_cast<std::size_t>(id)]) continue;
    needed[static_cast<std::size_t>(id)] = 1;
    for (int in : g.impl().nodes[static_cast<std::size_t>(id)]->inputs) stack.push_back(in);
  }
  // The Variables' values, read together: one consistent state even while another thread trains.
  std::vector<Node> variables;
  for (int id = 0; id < g.num_nodes(); ++id)
    if (needed[static_cast<std::size_t>(id)] && g.node(id).data().kind == NodeKind::variable) variables.push_back(g.node(id));
  const std::vector<Tensor> variable_values = session.values(variables);
  std::size_t next_variable = 0;
  Value nodes = Value::make(VT::array);
  std::vector<std::pair<std::string, Tensor>> tensors;
  for (int id = 0; id < g.num_nodes(); ++id) {
    if (!needed[static_cast<std::size_t>(id)]) continue;
    const Node n = g.node(id);
    const auto& d = n.data();
    if (d.kind == NodeKind::operation && refused(d.op))
      throw IoError("export_model: node '" + d.name + "' uses op '" + (d.op ? d.op->name : "?") +
                    "', which cannot be exported (user code or a variable update)");
    Value v = Value::make(VT::object);
    v.set("name", Value::of(d.name));
    v.set("kind", Value::of(std::string(kind_name(d.kind))));
    if (d.kind == NodeKind::operation) v.set("op", Value::of(std::string(d.op->name)));
    Value ins = Value::make(VT::array);
    for (int in : d.inputs) ins.arr.push_back(Value::of(g.impl().nodes[static_cast<std::size_t>(in)]->name));
    v.set("inputs", std::move(ins));
    v.set("attrs", attrs_json(d.attrs));
    v.set("dtype", Value::of(dtype_str(d.ts.dtype)));
    v.set("shape", shape_json(d.ts.shape));
    if (d.kind == NodeKind::variable) {
      v.set("trainable", Value::of(d.trainable));
      tensors.emplace_back(d.name, variable_values[next_variable++]);
    } else if (d.kind == NodeKind::constant) {
      tensors.emplace_back(d.name, d.value);
    }
    nodes.arr.push_back(std::move(v));
  }
  Value outs = Value::make(VT::array);
  for (const Node& o : outputs) outs.arr.push_back(Value::of(o.name()));
  Value root = Value::make(VT::object);
  root.set("format", Value::of(std::string(kFormat)));
  root.set("version", Value::of(kVersion));
  root.set("nodes", std::move(nodes));
  root.set("outputs", std::move(outs));
  std::string text;
  try {
    text = json::write(root);
  } catch (const std::invalid_argument& e) {
    throw IoError(std::string("export_model: ") + e.what() + " (an attribute value)");
  }
  save_safetensors(path_prefix + ".safetensors", tensors, {{"format", "tensorgraph-model"}});
  write_file_atomically(path_prefix + ".json", text, "export_model");
}

namespace {

// Reading: each check throws IoError naming the file and the node.
struct Reader {
  std::string file;
  [[noreturn]] void fail(const std::string& why) const { throw IoError("import_model: '" + file + "': " + why); }

  const Value& field(const Value& obj, const char* key, VT type, const std::string& where) const {
    const Value* v = obj.find(key);
    if (!v) fail(where + " lacks \"" + key + "\"");
    if (v->type != type) fail(where + ": \"" + key + "\" has the wrong JSON type");
    return *v;
  }
  void only_keys(const Value& obj, std::initializer_list<const char*> keys, const std::string& where) const {
    for (const auto& [k, v] : obj.obj) {
      bool ok = false;
      for (const char* key : keys) ok = ok || k == key;
      if (!ok) fail(where + " has unknown field " + safetensors::detail::quote_name(k));
    }
  }
  std::int64_t integer(const Value& v, const std::string& where) const {
    if (v.type != VT::number || !v.is_int) fail(where + ": expected an integer");
    return v.i;
  }
  Shape shape(const Value& v, const std::string& where) const {
    if (v.type == VT::null) return Shape::unknown_rank();
    if (v.type != VT::array) fail(where + ": a shape must be an array or null");
    if (v.arr.size() > static_cast<std::size_t>(kMaxRank)) fail(where + ": rank > " + std::to_string(kMaxRank));
    Shape s;
    for (const Value& d : v.arr) {
      const std::int64_t x = integer(d, where + " (shape)");
      if (x < -1) fail(where + ": dimension " + std::to_string(x) + " (expected >= -1)");
      s.push_back(x);
    }
    return s;
  }
  DType dtype(const Value& v, const std::string& where) const {
    DType d;
    if (!parse_dtype(v.str, d)) fail(where + ": unknown dtype " + safetensors::detail::quote_name(v.str));
    return d;
  }
  Attrs attrs(const Value& o, const std::string& where) const {
    only_keys(o, {"axes", "all_axes", "keepdims", "mean", "transpose_a", "transpose_b", "dtype", "value", "shape", "message"},
              where);
    Attrs a;
    auto flag = [&](const char* key, bool& out) {
      if (const Value* v = o.find(key)) {
        if (v->type != VT::boolean) fail(where + ": attribute \"" + key + "\" must be a boolean");
        out = v->b;
      }
    };
    flag("all_axes", a.all_axes);
    flag("keepdims", a.keepdims);
    flag("mean", a.mean);
    flag("transpose_a", a.transpose_a);
    flag("transpose_b", a.transpose_b);
    if (const Value* v = o.find("axes")) {
      if (v->type != VT::array || v->arr.size() > 64) fail(where + ": attribute \"axes\" must be a short array");
      for (const Value& x : v->arr) a.axes.push_back(integer(x, where + " (axes)"));
    }
    if (const Value* v = o.find("dtype")) {
      if (v->type != VT::string) fail(where + ": attribute \"dtype\" must be a string");
      a.dtype = dtype(*v, where + " (attribute dtype)");
    }
    if (const Value* v = o.find("value")) {
      if (v->type != VT::number) fail(where + ": attribute \"value\" must be a number");
      a.value = v->is_int ? static_cast<double>(v->i) : v->num;
    }
    if (const Value* v = o.find("shape")) a.shape = shape(*v, where + " (attribute shape)");
    if (const Value* v = o.find("message")) {
      if (v->type != VT::string) fail(where + ": attribute \"message\" must be a string");
      a.message = v->str;
    }
    return a;
  }
};

// Makes `g` the thread's default graph while building (make_op of an input-less op uses it).
class DefaultGraphGuard {
 public:
  explicit DefaultGraphGuard(const Graph& g) : saved_(Graph::get_default()) { g.as_default(); }
  ~DefaultGraphGuard() { saved_.as_default(); }

 private:
  Graph saved_;
};

}  // namespace

LoadedModel import_model(const std::string& path_prefix) {
  Reader r{path_prefix + ".json"};
  std::ifstream f(r.file, std::ios::binary);
  if (!f) r.fail("cannot open the file");
  f.seekg(0, std::ios::end);
  const auto size = static_cast<std::uintmax_t>(f.tellg());
  if (size > kMaxJsonBytes) r.fail("larger than 256 MiB");
  f.seekg(0);
  std::string text(static_cast<std::size_t>(size), '\0');
  if (!f.read(text.data(), static_cast<std::streamsize>(size))) r.fail("read error");

  Value root;
  try {
    root = json::parse(text);
  } catch (const json::ParseError& e) {
    r.fail(std::string("malformed JSON: ") + e.what());
  }
  if (root.type != VT::object) r.fail("the document is not a JSON object");
  r.only_keys(root, {"format", "version", "nodes", "outputs"}, "the document");
  if (r.field(root, "format", VT::string, "the document").str != kFormat) r.fail("\"format\" is not \"tensorgraph-model\"");
  if (r.integer(r.field(root, "version", VT::number, "the document"), "\"version\"") != kVersion)
    r.fail("unsupported \"version\" (expected 1)");
  const Value& nodes = r.field(root, "nodes", VT::array, "the document");
  const Value& outputs = r.field(root, "outputs", VT::array, "the document");

  std::map<std::string, Tensor> values;
  try {
    for (auto& [name, t] : load_safetensors(path_prefix + ".safetensors")) values.emplace(name, std::move(t));
  } catch (const IoError& e) {
    throw IoError(std::string("import_model: ") + e.what());
  }

  LoadedModel m;
  DefaultGraphGuard guard(m.graph);
  std::set<std::string> used_values;
  for (std::size_t k = 0; k < nodes.arr.size(); ++k) {
    const Value& v = nodes.arr[k];
    std::string where = "node #" + std::to_string(k);
    if (v.type != VT::object) r.fail(where + " is not an object");
    r.only_keys(v, {"name", "kind", "op", "inputs", "attrs", "dtype", "shape", "trainable"}, where);
    const std::string& name = r.field(v, "name", VT::string, where).str;
    where = "node " + safetensors::detail::quote_name(name);
    if (name.empty()) r.fail("node #" + std::to_string(k) + " has an empty name");
    if (m.nodes.count(name)) r.fail("duplicate " + where);
    const std::string& kind = r.field(v, "kind", VT::string, where).str;
    const DType dt = r.dtype(r.field(v, "dtype", VT::string, where), where);
    const Value* sv = v.find("shape");
    if (!sv) r.fail(where + " lacks \"shape\"");
    const Shape shape = r.shape(*sv, where);
    std::vector<Node> inputs;
    for (const Value& in : r.field(v, "inputs", VT::array, where).arr) {
      if (in.type != VT::string) r.fail(where + ": an input name is not a string");
      auto it = m.nodes.find(in.str);
      if (it == m.nodes.end()) r.fail(where + ": input " + safetensors::detail::quote_name(in.str) + " is not an earlier node");
      inputs.push_back(it->second);
    }
    const Attrs attrs = r.attrs(r.field(v, "attrs", VT::object, where), where);
    if (kind != "operation" && v.find("op")) r.fail(where + ": a " + kind + " has no \"op\"");
    if (kind != "variable" && v.find("trainable")) r.fail(where + ": only a variable has \"trainable\"");
    if (kind != "operation" && !inputs.empty()) r.fail(where + ": a " + kind + " has no inputs");

    auto saved_value = [&]() -> Tensor {
      auto it = values.find(name);
      if (it == values.end()) r.fail(where + ": its value is missing from " + path_prefix + ".safetensors");
      if (it->second.dtype() != dt || !(it->second.shape() == shape))
        r.fail(where + ": the saved value is " + dtype_str(it->second.dtype()) + " " + it->second.shape().str() +
               ", the graph declares " + dtype_str(dt) + " " + shape.str());
      used_values.insert(name);
      return it->second;
    };
    Node n;
    try {
      if (kind == "placeholder") {
        n = placeholder(dt, shape, name);
      } else if (kind == "variable") {
        const bool trainable = r.field(v, "trainable", VT::boolean, where).b;
        n = Variable(saved_value(), name, trainable);
      } else if (kind == "constant") {
        n = constant(saved_value(), name);
      } else if (kind == "operation") {
        const std::string& op_name = r.field(v, "op", VT::string, where).str;
        const OpDef* op = find_op(op_name);
        if (!op) r.fail(where + ": unknown op " + safetensors::detail::quote_name(op_name));
        if (refused(op))
          r.fail(where + ": op \"" + op_name + "\" is refused (user code or a variable update cannot be imported)");
        n = make_op(*op, inputs, attrs, name);
        if (n.dtype() != dt || !(n.shape() == shape))
          r.fail(where + ": the shape rule gives " + dtype_str(n.dtype()) + " " + n.shape().str() +
                 ", the file declares " + dtype_str(dt) + " " + shape.str());
      } else {
        r.fail(where + ": unknown kind " + safetensors::detail::quote_name(kind));
      }
    } catch (const IoError&) {
      throw;
    } catch (const Error& e) {
      r.fail(where + ": " + e.what());
    }
    if (n.name() != name) r.fail(where + ": the name is taken (became '" + n.name() + "')");
    m.nodes.emplace(name, n);
  }
  for (const auto& [name, t] : values)
    if (!used_values.count(name)) r.fail("tensor " + safetensors::detail::quote_name(name) + " in the safetensors file belongs to no variable or constant");
  if (outputs.arr.empty()) r.fail("no outputs");
  for (const Value& o : outputs.arr) {
    if (o.type != VT::string) r.fail("an output name is not a string");
    auto it = m.nodes.find(o.str);
    if (it == m.nodes.end()) r.fail("output " + safetensors::detail::quote_name(o.str) + " is not a node");
    m.outputs.push_back(it->second);
  }
  return m;
}

}  // namespace tg
