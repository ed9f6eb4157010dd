#pragma once
// Operation attributes. Each op declares its own in its own file: a plain struct with defaults,
// and a schema naming each field, which model files, DOT labels and Python read generically:
//
//   struct MatmulAttrs {
//     bool transpose_a = false;
//     bool transpose_b = false;
//   };
//   const AttrSchema kMatmulAttrs = AttrSchema::of<MatmulAttrs>(
//       {{"transpose_a", &MatmulAttrs::transpose_a}, {"transpose_b", &MatmulAttrs::transpose_b}});
//   const OpDef op_matmul{.name = "matmul", ..., .attrs = &kMatmulAttrs};
//   ... make_op(op_matmul, {a, b}, MatmulAttrs{.transpose_b = true});   // a builder
//   ... c.attrs.as<MatmulAttrs>().transpose_b                            // a kernel
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "tensorgraph/dtype.h"
#include "tensorgraph/shape.h"

namespace tg {

/// The value of one attribute. Alternatives: bool, int, float, string, dtype, shape, ints, floats.
using AttrValue = std::variant<bool, std::int64_t, double, std::string, DType, Shape, std::vector<std::int64_t>,
                               std::vector<double>>;
/// "bool", "int", "float", "string", "dtype", "shape", "ints" or "floats".
const char* attr_type_name(const AttrValue& v);
/// The value as text: true, 3, 0.5, "text", float32, [2,-1], [0,1].
std::string attr_str(const AttrValue& v);
/// `v` converted to the type of `like` (int to float, a whole float to int, a list of ints to a
/// shape, a dtype's name to the dtype, [x] to x); throws GraphError naming `name` if it cannot be.
AttrValue convert_attr(const AttrValue& v, const AttrValue& like, const std::string& name);

namespace detail {
template <class T> const void* type_tag() {
  static const char tag = 0;
  return &tag;
}
// The AttrValue alternative that holds a member of type M.
template <class M> using attr_value_t = std::conditional_t<std::is_same_v<M, int>, std::int64_t, M>;
}  // namespace detail

/// The attributes of one node: a value of its op's attribute struct (or none).
class Attrs {
 public:
  Attrs() = default;
  template <class T>
    requires(!std::is_same_v<std::decay_t<T>, Attrs>)
  Attrs(T value)  // NOLINT: implicit, so that builders pass the op's struct as is
      : data_(std::make_shared<const T>(std::move(value))), tag_(detail::type_tag<T>()) {}
  /// The struct; throws GraphError if these attributes are not a T.
  template <class T> const T& as() const {
    if (tag_ != detail::type_tag<T>()) wrong_type();
    return *static_cast<const T*>(data_.get());
  }
  bool empty() const { return !data_; }
  const void* data() const { return data_.get(); }
  const void* tag() const { return tag_; }

 private:
  friend class AttrSchema;
  [[noreturn]] static void wrong_type();
  std::shared_ptr<const void> data_;
  const void* tag_ = nullptr;
};

/// The named fields of one attribute struct.
class AttrSchema {
 public:
  /// One field: its name and a pointer to the member (bool, int, int64_t, double, string, DType,
  /// Shape, vector<int64_t> or vector<double>).
  struct Field {
    template <class T, class M>
    Field(const char* name, M T::*member)
        : name(name),
          tag(detail::type_tag<T>()),
          get([member](const void* s) -> AttrValue {
            return detail::attr_value_t<M>(static_cast<const T*>(s)->*member);
          }),
          set([member](void* s, const AttrValue& v) {
            static_cast<T*>(s)->*member = static_cast<M>(std::get<detail::attr_value_t<M>>(v));
          }) {}
    /// A field computed from the struct (a member of a member): `get` reads it, `set` writes it
    /// (and may throw GraphError on a value it refuses). V is an AttrValue alternative.
    template <class T, class V>
    static Field computed(const char* name, V (*get)(const T&), void (*set)(T&, const V&)) {
      Field f;
      f.name = name;
      f.tag = detail::type_tag<T>();
      f.get = [get](const void* s) -> AttrValue { return get(*static_cast<const T*>(s)); };
      f.set = [set](void* s, const AttrValue& v) { set(*static_cast<T*>(s), std::get<V>(v)); };
      return f;
    }
    std::string name;
    const void* tag = nullptr;
    std::function<AttrValue(const void*)> get;
    std::function<void(void*, const AttrValue&)> set;  // v holds the field's own type
    AttrValue default_value;

   private:
    Field() = default;
  };

  /// The schema of struct T. `aliases` maps names that older model files used to field names.
  template <class T>
  static AttrSchema of(std::vector<Field> fields, std::vector<std::pair<std::string, std::string>> aliases = {}) {
    AttrSchema s;
    s.tag_ = detail::type_tag<T>();
    s.make_ = [](const void* from) -> std::shared_ptr<void> {
      return from ? std::make_shared<T>(*static_cast<const T*>(from)) : std::make_shared<T>();
    };
    s.fields_ = std::move(fields);
    s.aliases_ = std::move(aliases);
    s.finish();
    return s;
  }

  const std::vector<Field>& fields() const { return fields_; }
  /// The field named `name` (or by an alias); null if none.
  const Field* find(const std::string& name) const;
  const void* tag() const { return tag_; }
  /// The struct with its defaults.
  Attrs defaults() const;
  /// The defaults with `values` set by name, each converted to its field's type; throws
  /// GraphError naming `op` and the attribute if a name is unknown or a value does not fit.
  Attrs from(const std::vector<std::pair<std::string, AttrValue>>& values, const std::string& op) const;
  /// Every field's value, in declaration order.
  std::vector<std::pair<std::string, AttrValue>> values(const Attrs& a) const;
  /// The fields that differ from their defaults, e.g. "axes=[1] keepdims=true".
  std::string str(const Attrs& a) const;

 private:
  void finish();
  const void* tag_ = nullptr;
  std::function<std::shared_ptr<void>(const void*)> make_;
  std::vector<Field> fields_;
  std::vector<std::pair<std::string, std::string>> aliases_;
};

}  // namespace tg
