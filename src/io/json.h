#pragma once
// A small JSON value, parser and writer for model files (src/io/model_io.cpp).
// NOTE: the parser is iterative-safe by construction: nesting is limited (kMaxDepth), as are
// the input size and the number of values, so hostile input ("[[[[..." or a huge document)
// fails with a clear message instead of exhausting the stack or memory.
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
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

struct Value {
  enum class Type : std::uint8_t { null, boolean, number, string, array, object };
  Type type = Type::null;
  bool b = false;
  double num = 0;
  bool is_int = false;  // the literal had no fraction or exponent and fits in int64
  std::int64_t i = 0;
  std::string str;
  std::vector<Value> arr;
  std::vector<std::pair<std::string, Value>> obj;  // in document order; keys unique

  static Value make(Type t) { Value v; v.type = t; return v; }
  static Value of(bool x) { Value v; v.type = Type::boolean; v.b = x; return v; }
  static Value of(std::int64_t x) { Value v; v.type = Type::number; v.is_int = true; v.i = x; v.num = static_cast<double>(x); return v; }
  static Value of(double x) { Value v; v.type = Type::number; v.num = x; return v; }
  static Value of(std::string x) { Value v; v.type = Type::string; v.str = std::move(x); return v; }
  const Value* find(std::string_view key) const {
    for (const auto& [k, v] : obj)
      if (k == key) return &v;
    return nullptr;
  }
  void set(std::string key, Value v) { obj.emplace_back(std::move(key), std::move(v)); }
};

inline constexpr int kMaxDepth = 64;

namespace detail {
class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}
  Value parse() {
    if (!safetensors::valid_utf8(s_)) throw ParseError("the document is not valid UTF-8");
    Value v = value(0);
    ws();
    if (pos_ != s_.size()) fail("unexpected characters after the JSON value");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw ParseError(why + " (byte " + std::to_string(pos_) + ")");
  }
  void ws() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  bool eat(char c) {
    ws();
    if (pos_ < s_.size() && s_[pos_] == c) return ++pos_, true;
    return false;
  }
  bool word(std::string_view w) {
    if (s_.substr(pos_, w.size()) != w) return false;
    pos_ += w.size();
    return true;
  }
  Value value(int depth) {
    if (depth >= kMaxDepth) fail("nesting deeper than " + std::to_string(kMaxDepth) + " levels");
    if (++count_ > 10'000'000) fail("too many values");
    ws();
    if (pos_ >= s_.size()) fail("unexpected end of the document");
    const char c = s_[pos_];
    if (c == '{') {
      ++pos_;
      Value v = Value::make(Value::Type::object);
      if (eat('}')) return v;
      do {
        ws();
        if (pos_ >= s_.size() || s_[pos_] != '"') fail("expected a string key");
        std::string key = string();
        if (v.find(key)) fail("duplicate key " + safetensors::detail::quote_name(key));
        if (!eat(':')) fail("expected ':'");
        v.obj.emplace_back(std::move(key), value(depth + 1));
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
    ++pos_;  // opening quote
    std::string out;
    for (;;) {
      if (pos_ >= s_.size()) fail("unterminated string");
      const char c = s_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("unescaped control character in a string");
      if (c != '\\') { out += c; continue; }
      if (pos_ >= s_.size()) fail("unterminated string");
      const char e = s_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          std::uint32_t cp = hex4();
          if (cp >= 0xDC00 && cp <= 0xDFFF) fail("lone low surrogate");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (s_.substr(pos_, 2) != "\\u") fail("high surrogate without a low surrogate");
            pos_ += 2;
            const std::uint32_t lo = hex4();
            if (lo < 0xDC00 || lo > 0xDFFF) fail("high surrogate without a low surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          utf8(out, cp);
          break;
        }
        default: fail("invalid escape sequence");
      }
    }
  }
  std::uint32_t hex4() {
    std::uint32_t v = 0;
    for (int k = 0; k < 4; ++k, ++pos_) {
      const char c = pos_ < s_.size() ? s_[pos_] : '\0';
      const int d = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
      if (d < 0) fail("invalid \\u escape");
      v = v << 4 | static_cast<std::uint32_t>(d);
    }
    return v;
  }
  static void utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) return out.push_back(static_cast<char>(cp));
    const int n = cp < 0x800 ? 1 : cp < 0x10000 ? 2 : 3;
    constexpr std::uint32_t kLead[] = {0, 0xC0, 0xE0, 0xF0};
    out.push_back(static_cast<char>(kLead[n] | (cp >> (6 * n))));
    for (int k = n - 1; k >= 0; --k) out.push_back(static_cast<char>(0x80 | ((cp >> (6 * k)) & 0x3F)));
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
    if (integral) {
      errno = 0;
      char* end = nullptr;
      const long long x = std::strtoll(lit.c_str(), &end, 10);
      if (errno == 0 && end == lit.c_str() + lit.size()) v.is_int = true, v.i = x;
    }
    return v;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
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
