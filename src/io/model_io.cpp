// export_model / import_model: the graph as JSON data plus a safetensors file of values.
#include "tensorgraph/model_io.h"

#include <cmath>
#include <fstream>
#include <set>

#include "../graph/topo_order.h"
#include "bounded_json.h"
#include "tensorgraph/error.h"
#include "tensorgraph/file.h"
#include "tensorgraph/safetensors.h"

namespace tg {
namespace {

constexpr const char* kFormat = "tensorgraph-model";
constexpr std::int64_t kVersion = 1;
constexpr std::uintmax_t kMaxJsonBytes = 256u << 20;
using io::Json;

const char* kind_name(NodeKind k) {
  switch (k) {
    case NodeKind::placeholder: return "placeholder";
    case NodeKind::variable: return "variable";
    case NodeKind::constant: return "constant";
    case NodeKind::operation: return "operation";
  }
  return "?";
}

Json shape_json(const Shape& s) {
  if (!s.rank_known()) return nullptr;
  Json a = Json::array();
  for (std::int64_t d : s) a.push_back(d);
  return a;
}

// A refused op: user code (custom) or an update that writes into variables.
bool refused(const OpDef* op) { return !op || std::string(op->name) == "custom" || op->stateful; }

// The attributes that differ from the op's defaults (older readers and smaller files).
Json attrs_json(const detail::NodeData& n) {
  Json o = Json::object();
  if (!n.op || !n.op->attrs) return o;
  for (const AttrSchema::Field& f : n.op->attrs->fields()) {
    const AttrValue v = f.get(n.attrs.data());
    if (v == f.default_value) continue;
    Json& out = o[f.name];
    std::visit(
        [&](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, DType>) {
            out = dtype_name(x);
          } else if constexpr (std::is_same_v<T, Shape>) {
            out = shape_json(x);
          } else if constexpr (std::is_same_v<T, double>) {
            if (!std::isfinite(x))
              throw IoError("export_model: node '" + n.name + "': attribute '" + f.name + "' is " + std::to_string(x) +
                            ", which JSON cannot hold");
            out = x;
          } else {
            out = x;
          }
        },
        v);
  }
  return o;
}

}  // namespace

void export_model(Session& session, const std::vector<Node>& outputs, const std::string& path_prefix) {
  if (outputs.empty()) throw GraphError("export_model: no outputs given");
  const Graph& g = session.graph();
  for (const Node& o : outputs)
    if (!o.valid() || !o.in_graph(g)) throw GraphError("export_model: an output is not a node of the session's graph");
  // Every node the outputs depend on, by ascending id: inputs precede users.
  std::vector<int> roots;
  for (const Node& o : outputs) roots.push_back(o.id());
  std::vector<char> needed(static_cast<std::size_t>(g.num_nodes()), 0);
  for (int id : detail::topo_order(g.impl(), roots)) needed[static_cast<std::size_t>(id)] = 1;
  // The Variables' values, read together: one consistent state even while another thread trains.
  std::vector<Node> variables;
  for (int id = 0; id < g.num_nodes(); ++id)
    if (needed[static_cast<std::size_t>(id)] && g.node(id).data().kind == NodeKind::variable) variables.push_back(g.node(id));
  const std::vector<Tensor> variable_values = session.values(variables);
  std::size_t next_variable = 0;
  Json nodes = Json::array();
  std::vector<std::pair<std::string, Tensor>> tensors;
  for (int id = 0; id < g.num_nodes(); ++id) {
    if (!needed[static_cast<std::size_t>(id)]) continue;
    const Node n = g.node(id);
    const auto& d = n.data();
    if (d.kind == NodeKind::operation && refused(d.op))
      throw IoError("export_model: node '" + d.name + "' uses op '" + (d.op ? d.op->name : "?") +
                    "', which cannot be exported (user code or a variable update)");
    Json v = Json::object();
    v["name"] = d.name;
    v["kind"] = kind_name(d.kind);
    if (d.kind == NodeKind::operation) v["op"] = d.op->name;
    Json& ins = v["inputs"] = Json::array();
    for (int in : d.inputs) ins.push_back(g.impl().nodes[static_cast<std::size_t>(in)]->name);
    v["attrs"] = attrs_json(d);
    v["dtype"] = dtype_name(d.ts.dtype);
    v["shape"] = shape_json(d.ts.shape);
    if (d.kind == NodeKind::variable) {
      v["trainable"] = d.trainable;
      tensors.emplace_back(d.name, variable_values[next_variable++]);
    } else if (d.kind == NodeKind::constant) {
      tensors.emplace_back(d.name, d.value);
    }
    nodes.push_back(std::move(v));
  }
  Json outs = Json::array();
  for (const Node& o : outputs) outs.push_back(o.name());
  Json root = Json::object();
  root["format"] = kFormat;
  root["version"] = kVersion;
  root["nodes"] = std::move(nodes);
  root["outputs"] = std::move(outs);
  std::string text;
  try {
    text = io::dump_json(root);
  } catch (const io::JsonError& e) {
    throw IoError(std::string("export_model: ") + e.what() + " (a name or an attribute)");
  }
  save_safetensors(path_prefix + ".safetensors", tensors, {{"format", "tensorgraph-model"}});
  write_file_atomically(path_prefix + ".json", text, "export_model");
}

namespace {

// Reading: each check throws IoError naming the file and the node.
struct Reader {
  std::string file;
  [[noreturn]] void fail(const std::string& why) const { throw IoError("import_model: '" + file + "': " + why); }

  using Is = bool (Json::*)() const noexcept;
  const Json& field(const Json& obj, const char* key, Is is, const std::string& where) const {
    const auto it = obj.find(key);
    if (it == obj.end()) fail(where + " lacks \"" + key + "\"");
    if (!((*it).*is)()) fail(where + ": \"" + key + "\" has the wrong JSON type");
    return *it;
  }
  const std::string& string(const Json& obj, const char* key, const std::string& where) const {
    return field(obj, key, &Json::is_string, where).get_ref<const std::string&>();
  }
  void only_keys(const Json& obj, std::initializer_list<const char*> keys, const std::string& where) const {
    for (const auto& [k, v] : obj.items()) {
      bool ok = false;
      for (const char* key : keys) ok = ok || k == key;
      if (!ok) fail(where + " has unknown field " + io::quote_name(k));
    }
  }
  std::int64_t integer(const Json& v, const std::string& where) const {
    if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX))
      fail(where + ": expected an integer");
    return v.get<std::int64_t>();
  }
  Shape shape(const Json& v, const std::string& where) const {
    if (v.is_null()) return Shape::unknown_rank();
    if (!v.is_array()) fail(where + ": a shape must be an array or null");
    if (v.size() > static_cast<std::size_t>(kMaxRank)) fail(where + ": rank > " + std::to_string(kMaxRank));
    Shape s;
    for (const Json& d : v) {
      const std::int64_t x = integer(d, where + " (shape)");
      if (x < -1) fail(where + ": dimension " + std::to_string(x) + " (expected >= -1)");
      s.push_back(x);
    }
    return s;
  }
  DType dtype(const Json& v, const std::string& where) const {
    DType d;
    if (!dtype_from_name(v.get_ref<const std::string&>(), d))
      fail(where + ": unknown dtype " + io::quote_name(v.get_ref<const std::string&>()));
    return d;
  }
  // A JSON attribute as the value it spells; the op's schema converts it to the field's type.
  AttrValue attr_value(const Json& v, const std::string& where) const {
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_number_integer()) return integer(v, where);
    if (v.is_number_float()) return v.get<double>();
    if (v.is_string()) return v.get<std::string>();
    if (v.is_null()) return Shape::unknown_rank();
    if (v.is_array()) {
      bool all_int = true;
      for (const Json& x : v) {
        if (!x.is_number()) fail(where + ": a list attribute holds numbers only");
        all_int = all_int && x.is_number_integer();
      }
      if (all_int) {
        std::vector<std::int64_t> ints;
        for (const Json& x : v) ints.push_back(integer(x, where));
        return ints;
      }
      return v.get<std::vector<double>>();
    }
    fail(where + ": an attribute is not a boolean, number, string, list or null");
  }
  Attrs attrs(const Json& o, const OpDef& op, const std::string& where) const {
    std::vector<std::pair<std::string, AttrValue>> values;
    for (const auto& [k, v] : o.items()) values.emplace_back(k, attr_value(v, where + " (attribute " + io::quote_name(k) + ")"));
    if (!op.attrs) {
      if (!values.empty()) fail(where + ": op \"" + op.name + "\" has no attributes, the file gives " + io::quote_name(values[0].first));
      return {};
    }
    try {
      return op.attrs->from(values, op.name);
    } catch (const GraphError& e) {
      fail(where + ": " + e.what());
    }
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

  Json root;
  try {
    root = io::parse_json(text);
  } catch (const io::JsonError& e) {
    r.fail(std::string("malformed JSON: ") + e.what());
  }
  if (!root.is_object()) r.fail("the document is not a JSON object");
  r.only_keys(root, {"format", "version", "nodes", "outputs"}, "the document");
  if (r.string(root, "format", "the document") != kFormat) r.fail("\"format\" is not \"tensorgraph-model\"");
  if (r.integer(r.field(root, "version", &Json::is_number, "the document"), "\"version\"") != kVersion)
    r.fail("unsupported \"version\" (expected 1)");
  const Json& nodes = r.field(root, "nodes", &Json::is_array, "the document");
  const Json& outputs = r.field(root, "outputs", &Json::is_array, "the document");

  std::map<std::string, Tensor> values;
  try {
    for (auto& [name, t] : load_safetensors(path_prefix + ".safetensors")) values.emplace(name, std::move(t));
  } catch (const IoError& e) {
    throw IoError(std::string("import_model: ") + e.what());
  }

  LoadedModel m;
  DefaultGraphGuard guard(m.graph);
  std::set<std::string> used_values;
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    const Json& v = nodes[k];
    std::string where = "node #" + std::to_string(k);
    if (!v.is_object()) r.fail(where + " is not an object");
    r.only_keys(v, {"name", "kind", "op", "inputs", "attrs", "dtype", "shape", "trainable"}, where);
    const std::string& name = r.string(v, "name", where);
    where = "node " + io::quote_name(name);
    if (name.empty()) r.fail("node #" + std::to_string(k) + " has an empty name");
    if (m.nodes.count(name)) r.fail("duplicate " + where);
    const std::string& kind = r.string(v, "kind", where);
    const DType dt = r.dtype(r.field(v, "dtype", &Json::is_string, where), where);
    if (!v.contains("shape")) r.fail(where + " lacks \"shape\"");
    const Shape shape = r.shape(v["shape"], where);
    std::vector<Node> inputs;
    for (const Json& in : r.field(v, "inputs", &Json::is_array, where)) {
      if (!in.is_string()) r.fail(where + ": an input name is not a string");
      auto it = m.nodes.find(in.get<std::string>());
      if (it == m.nodes.end()) r.fail(where + ": input " + io::quote_name(in.get<std::string>()) + " is not an earlier node");
      inputs.push_back(it->second);
    }
    const Json& attrs = r.field(v, "attrs", &Json::is_object, where);
    if (kind != "operation" && v.contains("op")) r.fail(where + ": a " + kind + " has no \"op\"");
    if (kind != "operation" && !attrs.empty()) r.fail(where + ": a " + kind + " has no attributes");
    if (kind != "variable" && v.contains("trainable")) r.fail(where + ": only a variable has \"trainable\"");
    if (kind != "operation" && !inputs.empty()) r.fail(where + ": a " + kind + " has no inputs");

    auto saved_value = [&]() -> Tensor {
      auto it = values.find(name);
      if (it == values.end()) r.fail(where + ": its value is missing from " + path_prefix + ".safetensors");
      if (it->second.dtype() != dt || !(it->second.shape() == shape))
        r.fail(where + ": the saved value is " + dtype_name(it->second.dtype()) + " " + it->second.shape().str() +
               ", the graph declares " + dtype_name(dt) + " " + shape.str());
      used_values.insert(name);
      return it->second;
    };
    Node n;
    try {
      if (kind == "placeholder") {
        n = placeholder(dt, shape, name);
      } else if (kind == "variable") {
        const bool trainable = r.field(v, "trainable", &Json::is_boolean, where).get<bool>();
        n = Variable(saved_value(), name, trainable);
      } else if (kind == "constant") {
        n = constant(saved_value(), name);
      } else if (kind == "operation") {
        const std::string& op_name = r.string(v, "op", where);
        const OpDef* op = find_op(op_name);
        if (!op) r.fail(where + ": unknown op " + io::quote_name(op_name));
        if (refused(op))
          r.fail(where + ": op \"" + op_name + "\" is refused (user code or a variable update cannot be imported)");
        n = make_op(*op, inputs, r.attrs(attrs, *op, where), name);
        if (n.dtype() != dt || !(n.shape() == shape))
          r.fail(where + ": the shape rule gives " + dtype_name(n.dtype()) + " " + n.shape().str() +
                 ", the file declares " + dtype_name(dt) + " " + shape.str());
      } else {
        r.fail(where + ": unknown kind " + io::quote_name(kind));
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
    if (!used_values.count(name)) r.fail("tensor " + io::quote_name(name) + " in the safetensors file belongs to no variable or constant");
  if (outputs.empty()) r.fail("no outputs");
  for (const Json& o : outputs) {
    if (!o.is_string()) r.fail("an output name is not a string");
    auto it = m.nodes.find(o.get<std::string>());
    if (it == m.nodes.end()) r.fail("output " + io::quote_name(o.get<std::string>()) + " is not a node");
    m.outputs.push_back(it->second);
  }
  return m;
}

}  // namespace tg
