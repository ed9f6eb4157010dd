// Attribute values, conversion and the generic reading of an op's attribute struct.
#include "tensorgraph/attrs.h"

#include <cmath>
#include <sstream>

#include "tensorgraph/error.h"

namespace tg {
namespace {

template <class... F> struct Overload : F... {
  using F::operator()...;
};
// NOTE: clang 14 (the fuzz build) does not deduce an aggregate's template arguments (C++20's CTAD
// for aggregates, P1816); g++ 12 does. The guide serves both.
template <class... F> Overload(F...) -> Overload<F...>;

std::string number(double d) {
  std::ostringstream os;
  os.precision(17);
  os << d;
  return os.str();
}

template <class V> std::string list(const std::vector<V>& xs) {
  std::string s = "[";
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (i) s += ',';
    if constexpr (std::is_same_v<V, double>) s += number(xs[i]);
    else s += std::to_string(xs[i]);
  }
  return s + "]";
}

bool whole(double d) { return std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 0x1p63; }

}  // namespace

const char* attr_type_name(const AttrValue& v) {
  static const char* const names[] = {"bool", "int", "float", "string", "dtype", "shape", "ints", "floats"};
  return names[v.index()];
}

std::string attr_str(const AttrValue& v) {
  return std::visit(Overload{[](bool b) -> std::string { return b ? "true" : "false"; },
                             [](std::int64_t i) { return std::to_string(i); },
                             [](double d) { return number(d); },
                             [](const std::string& s) { return "\"" + s + "\""; },
                             [](DType d) { return dtype_name(d); },
                             [](const Shape& s) { return s.str(); },
                             [](const std::vector<std::int64_t>& xs) { return list(xs); },
                             [](const std::vector<double>& xs) { return list(xs); }},
                    v);
}

AttrValue convert_attr(const AttrValue& v, const AttrValue& like, const std::string& name) {
  if (v.index() == like.index()) return v;
  auto fail = [&]() -> AttrValue {
    throw GraphError("attribute '" + name + "' must be " + attr_type_name(like) + ", got " + attr_type_name(v) +
                     " " + attr_str(v));
  };
  const auto* i = std::get_if<std::int64_t>(&v);
  const auto* d = std::get_if<double>(&v);
  const auto* ints = std::get_if<std::vector<std::int64_t>>(&v);
  const auto* floats = std::get_if<std::vector<double>>(&v);
  switch (like.index()) {
    case 1:  // int
      if (d && whole(*d)) return static_cast<std::int64_t>(*d);
      if (ints && ints->size() == 1) return (*ints)[0];  // NOTE: model files before issue 12 kept ints in "axes"
      if (floats && floats->size() == 1) return convert_attr((*floats)[0], like, name);
      break;
    case 2:  // float
      if (i) return static_cast<double>(*i);
      break;
    case 4:  // dtype
      if (const auto* s = std::get_if<std::string>(&v)) {
        DType out;
        if (dtype_from_name(*s, out)) return out;
        throw GraphError("attribute '" + name + "': unknown dtype \"" + *s + "\"");
      }
      break;
    case 5:  // shape
      if (ints) {
        if (ints->size() > static_cast<std::size_t>(kMaxRank)) break;
        for (std::int64_t x : *ints)
          if (x < kUnknownDim) throw GraphError("attribute '" + name + "': dimension " + std::to_string(x) + " < -1");
        return Shape::from(ints->begin(), ints->end());
      }
      break;
    case 6:  // ints
      if (i) return std::vector<std::int64_t>{*i};
      if (floats) {
        std::vector<std::int64_t> out;
        for (double x : *floats) {
          if (!whole(x)) return fail();
          out.push_back(static_cast<std::int64_t>(x));
        }
        return out;
      }
      break;
    case 7:  // floats
      if (ints) return std::vector<double>(ints->begin(), ints->end());
      if (d) return std::vector<double>{*d};
      break;
  }
  return fail();
}

void Attrs::wrong_type() { throw GraphError("an op's attributes were read as another op's attribute struct"); }

void AttrSchema::finish() {
  const std::shared_ptr<void> defaults = make_(nullptr);
  for (Field& f : fields_) {
    if (f.tag != tag_) throw GraphError("AttrSchema: field '" + f.name + "' belongs to another struct");
    f.default_value = f.get(defaults.get());
  }
}

const AttrSchema::Field* AttrSchema::find(const std::string& name) const {
  for (const Field& f : fields_)
    if (f.name == name) return &f;
  for (const auto& [alias, field] : aliases_)
    if (alias == name) return find(field);
  return nullptr;
}

Attrs AttrSchema::defaults() const {
  Attrs a;
  a.data_ = make_(nullptr);
  a.tag_ = tag_;
  return a;
}

Attrs AttrSchema::from(const std::vector<std::pair<std::string, AttrValue>>& values, const std::string& op) const {
  const std::shared_ptr<void> data = make_(nullptr);
  for (const auto& [name, value] : values) {
    const Field* f = find(name);
    if (!f) {
      std::string known;
      for (const Field& g : fields_) known += (known.empty() ? "" : ", ") + g.name;
      throw GraphError("op '" + op + "' has no attribute '" + name + "' (" +
                       (known.empty() ? std::string("it has none") : "it has " + known) + ")");
    }
    try {
      f->set(data.get(), convert_attr(value, f->default_value, f->name));
    } catch (const GraphError& e) {
      throw GraphError("op '" + op + "': " + e.what());
    }
  }
  Attrs a;
  a.data_ = data;
  a.tag_ = tag_;
  return a;
}

std::vector<std::pair<std::string, AttrValue>> AttrSchema::values(const Attrs& a) const {
  std::vector<std::pair<std::string, AttrValue>> out;
  if (a.tag() != tag_) return out;
  for (const Field& f : fields_) out.emplace_back(f.name, f.get(a.data()));
  return out;
}

std::string AttrSchema::str(const Attrs& a) const {
  std::string s;
  if (a.tag() != tag_) return s;
  for (const Field& f : fields_) {
    const AttrValue v = f.get(a.data());
    if (v == f.default_value) continue;
    if (!s.empty()) s += ' ';
    s += f.name + "=" + attr_str(v);
  }
  return s;
}

}  // namespace tg
