#pragma once
// A small JSON value, parser and writer for model files (src/io/model_io.cpp).
// NOTE: the parser is iterative-safe by construction: nesting is limited (kMaxDepth), as are
// the input size and the number of values (kMaxValues: a Value is ~112 bytes, so a 2-byte "0,"
// must not become a gigabyte), so hostile input ("[[[[..." or a huge document) fails with a
// clear message instead of exhausting the stack or memory. Every step is O(log n) or better
// per byte: duplicate keys are found with a set, not by scanning the object.
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "safetensors.h"

namespace tg::json {

struct ParseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Member;

struct Value {
  enum class Type : std::uint8_t { null, boolean, number, string, array, object };
  Type type = Type::null;
  bool b = false;
  double num = 0;
  bool is_int = false;  // the literal had no fraction or exponent and fits in int64
  std::int64_t i = 0;
  std::string str;
  std::vector<Value> arr;
  std::vector<Member> obj;  // in document order; keys unique

  static Value make(Type t);
  static Value of(bool x);
  static Value of(std::int64_t x);
  static Value of(double x);
  static Value of(std::string x);
  const Value* find(std::string_view key) const;
  void set(std::string key, Value v);
};

// NOTE: a named pair, and the members defined after it: with std::pair<std::string, Value>,
// clang and libstdc++ instantiate the pair while Value is still incomplete, and refuse.
struct Member {
  std::string first;
  Value second;
};

inline Value Value::make(Type t) { Value v; v.type = t; return v; }
inline Value Value::of(bool x) { Value v; v.type = Type::boolean; v.b = x; return v; }
inline Value Value::of(std::int64_t x) { Value v; v.type = Type::number; v.is_int = true; v.i = x; v.num = static_cast<double>(x); return v; }
inline Value Value::of(double x) { Value v; v.type = Type::number; v.num = x; return v; }
inline Value Value::of(std::string x) { Value v; v.type = Type::string; v.str = std::move(x); return v; }
inline const Value* Value::find(std::string_view key) const {
  for (const auto& [k, v] : obj)
    if (k == key) return &v;
  return nullptr;
}
inline void Value::set(std::string key, Value v) { obj.push_back(Member{std::move(key), std::move(v)}); }

inline constexpr int kMaxDepth = 64;
inline constexpr std::size_t kMaxValues = 1'000'000;  // ~70,000 exported graph nodes

namespace detail {
class Parser : public safetensors::detail::JsonCursor<Parser> {
 public:
  explicit Parser(std::string_view s) : JsonCursor(s) {}
  Value parse() {
    if (!safetensors::valid_utf8(s_)) throw ParseError("the document is not valid UTF-8");
    Value v = value(0);
    skip_ws();
    if (pos_ != s_.size()) fail("unexpected characters after the JSON value");
    return v;
  }

 private:
  friend class safetensors::detail::JsonCursor<Parser>;
  [[noreturn]] void fail(const std::string& why) const {
    throw ParseError(why + " (byte " + std::to_string(pos_) + ")");
  }
  bool word(std::string_view w) {
    if (s_.substr(pos_, w.size()) != w) return false;
    pos_ += w.size();
    return true;
  }
  Value value(int depth) {
    if (depth >= kMaxDepth) fail("nesting deeper than " + std::to_string(kMaxDepth) + " levels");
    if (++count_ > kMaxValues) fail("more than " + std::to_string(kMaxValues) + " values");
    skip_ws();
    if (pos_ >= s_.size()) fail("unexpected end of the document");
    const char c = s_[pos_];
    if (c == '{') {
      ++pos_;
      Value v = Value::make(Value::Type::object);
      if (eat('}')) return v;
      std::set<std::string> keys;
      do {
        skip_ws();
        if (pos_ >= s_.size() || s_[pos_] != '"') fail("expected a string key");
        std::string key = string();
        if (!keys.insert(key).second) fail("duplicate key " + safetensors::detail::quote_name(key));
        if (!eat(':')) fail("expected ':'");
        v.obj.push_back(Member{std::move(key), value(depth + 1)});
      } while (eat(','));
      if (!eat('}')) fail("expected ',' or '}'");
      return v;
    }
    if (c == '[') {
      ++pos_;
      Value v = Value::make(Value::Type::array);
      if (eat(']')) return v;
      do v.arr.push_back(value(depth + 1));
      while (eat(','));
      if (!eat(']')) fail("expected ',' or ']'");
      return v;
    }
    if (c == '"') return Value::of(string());
    if (word("true")) return Value::of(true);
    if (word("false")) return Value::of(false);
    if (word("null")) return Value{};
    if (c == '-' || (c >= '0' && c <= '9')) return number();
    fail("unexpected character");
  }
  std::string string() {
    ++pos_;  // the opening quote
    return string_body();
  }
  Value number() {
    const std::size_t start = pos_;
    auto digits = [&] {
      const std::size_t b = pos_;
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
      return pos_ - b;
    };
    if (s_[pos_] == '-') ++pos_;
    const std::size_t int_start = pos_;
    const std::size_t n = digits();
    if (n == 0) fail("invalid number");
    if (n > 1 && s_[int_start] == '0') fail("number with a leading zero");
    bool integral = true;
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_, integral = false;
      if (digits() == 0) fail("invalid number");
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_, integral = false;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (digits() == 0) fail("invalid number");
    }
    const std::string lit(s_.substr(start, pos_ - start));
    Value v = Value::of(std::strtod(lit.c_str(), nullptr));
    // NOTE: the writer refuses non-finite numbers; 1e999 would sneak an infinity in.
    if (std::isinf(v.num)) fail("number " + safetensors::detail::quote_name(lit) + " is out of the float64 range");
    if (integral) {
      errno = 0;
      char* end = nullptr;
      const long long x = std::strtoll(lit.c_str(), &end, 10);
      if (errno == 0 && end == lit.c_str() + lit.size()) v.is_int = true, v.i = x;
    }
    return v;
  }

  std::size_t count_ = 0;
};

inline void write(std::string& out, const Value& v, int indent) {
  const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
  switch (v.type) {
    case Value::Type::null: out += "null"; break;
    case Value::Type::boolean: out += v.b ? "true" : "false"; break;
    case Value::Type::number: {
      if (v.is_int) { out += std::to_string(v.i); break; }
      if (!std::isfinite(v.num)) throw std::invalid_argument("JSON cannot hold a non-finite number");
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", v.num);  // round-trips every double
      out += buf;
      break;
    }
    case Value::Type::string: safetensors::append_json_string(out, v.str); break;
    case Value::Type::array: {
      out += '[';
      for (std::size_t k = 0; k < v.arr.size(); ++k) {
        if (k) out += ", ";
        write(out, v.arr[k], indent + 1);
      }
      out += ']';
      break;
    }
    case Value::Type::object: {
      out += '{';
      for (std::size_t k = 0; k < v.obj.size(); ++k) {
        out += k ? ",\n" : "\n";
        out += pad + "  ";
        safetensors::append_json_string(out, v.obj[k].first);
        out += ": ";
        write(out, v.obj[k].second, indent + 1);
      }
      out += v.obj.empty() ? "}" : "\n" + pad + "}";
      break;
    }
  }
}
}  // namespace detail

/// Parses a whole document; throws ParseError naming the byte offset and what is wrong.
inline Value parse(std::string_view text) { return detail::Parser(text).parse(); }
/// The document as text (objects one key a line).
inline std::string write(const Value& v) {
  std::string out;
  detail::write(out, v, 0);
  out += '\n';
  return out;
}

}  // namespace tg::json
