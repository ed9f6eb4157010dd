#pragma once
// The JSON header of a safetensors file: a reader for exactly the schema the format allows
//   {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, ...,
//    "__metadata__": {"key": "value", ...}}
// and the matching writer. NOTE: the reader is schema-directed, not a general JSON parser: its
// nesting is fixed at three levels, so hostile nesting ("[[[[...") fails at the first bracket
// instead of recursing, and there is no DOM to inflate. Each check is bounded by the input size.
#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tensorgraph/dtype.h"
#include "tensorgraph/shape.h"

namespace tg::safetensors {

struct Entry {
  std::string name;
  DType dtype = DType::unknown;
  std::vector<std::int64_t> shape;
  std::uint64_t begin = 0, end = 0;
};

struct Header {
  std::vector<Entry> entries;  // in the JSON's order
  std::map<std::string, std::string> metadata;
};

/// Thrown by parse_header; the caller adds the file name.
struct FormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline constexpr std::pair<DType, const char*> kDTypeCodes[] = {
    {DType::f32, "F32"}, {DType::f64, "F64"}, {DType::i32, "I32"}, {DType::i64, "I64"}, {DType::boolean, "BOOL"}};

/// "F32", "F64", "I32", "I64", "BOOL"; unknown for any other string.
inline DType dtype_from_code(std::string_view code) {
  for (const auto& [d, c] : kDTypeCodes)
    if (code == c) return d;
  return DType::unknown;
}
/// The code of a dtype; null for unknown.
inline const char* dtype_code(DType dtype) {
  for (const auto& [d, c] : kDTypeCodes)
    if (d == dtype) return c;
  return nullptr;
}

/// True if `s` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
inline bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const int n = b < 0x80 ? 0 : (b >> 5) == 0x6 ? 1 : (b >> 4) == 0xE ? 2 : (b >> 3) == 0x1E ? 3 : -1;
    if (n < 0 || s.size() - i <= static_cast<std::size_t>(n)) return false;
    std::uint32_t cp = n == 0 ? b : b & (0x3Fu >> n);
    for (int k = 1; k <= n; ++k) {
      const auto c = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((c & 0xC0) != 0x80) return false;
      cp = cp << 6 | (c & 0x3Fu);
    }
    constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += static_cast<std::size_t>(n) + 1;
  }
  return true;
}

namespace detail {

/// `s` in quotes for an error message, cut at 64 bytes: a hostile name may be megabytes long.
inline std::string quote_name(std::string_view s) {
  std::size_t cut = std::min<std::size_t>(s.size(), 64);
  while (cut < s.size() && cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // whole chars
  return '"' + std::string(s.substr(0, cut)) + (cut < s.size() ? "...\"" : "\"");
}

/// A read position in JSON text with the lexing both of the project's JSON readers need
/// (whitespace, punctuation, strings with escapes). CRTP: Derived supplies
/// `[[noreturn]] void fail(const std::string&) const`, which throws its own error type.
template <class Derived> class JsonCursor {
 public:
  explicit JsonCursor(std::string_view s) : s_(s) {}

 protected:
  [[noreturn]] void lex_fail(const std::string& why) const { static_cast<const Derived*>(this)->fail(why); }
  void skip_ws() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  bool eat(char c) {
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == c) return ++pos_, true;
    return false;
  }
  // The rest of a string whose opening quote was just consumed.
  std::string string_body() {
    std::string out;
    for (;;) {
      if (pos_ >= s_.size()) lex_fail("unterminated string");
      const char c = s_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) lex_fail("unescaped control character in a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= s_.size()) lex_fail("unterminated string");
      const char e = s_[pos_++];
      const char* plain = "\"\\/bfnrt";
      const char* value = "\"\\/\b\f\n\r\t";
      if (const char* p = std::char_traits<char>::find(plain, 8, e)) {
        out += value[p - plain];
      } else if (e == 'u') {
        std::uint32_t cp = hex4();
        if (cp >= 0xDC00 && cp <= 0xDFFF) lex_fail("lone low surrogate in a \\u escape");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          if (s_.substr(pos_, 2) != "\\u") lex_fail("high surrogate not followed by a \\u escape");
          pos_ += 2;
          const std::uint32_t lo = hex4();
          if (lo < 0xDC00 || lo > 0xDFFF) lex_fail("high surrogate not followed by a low surrogate");
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        append_utf8(out, cp);
      } else {
        --pos_;
        lex_fail("invalid escape sequence in a string");
      }
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;

 private:
  std::uint32_t hex4() {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i, ++pos_) {
      const char c = pos_ < s_.size() ? s_[pos_] : '\0';
      const int d = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
      if (d < 0) lex_fail("invalid \\u escape (expected 4 hex digits)");
      v = v << 4 | static_cast<std::uint32_t>(d);
    }
    return v;
  }
  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) return out.push_back(static_cast<char>(cp));
    const int n = cp < 0x800 ? 1 : cp < 0x10000 ? 2 : 3;  // continuation bytes
    constexpr std::uint32_t kLead[] = {0, 0xC0, 0xE0, 0xF0};
    out.push_back(static_cast<char>(kLead[n] | (cp >> (6 * n))));
    for (int k = n - 1; k >= 0; --k) out.push_back(static_cast<char>(0x80 | ((cp >> (6 * k)) & 0x3F)));
  }
};

class Parser : public JsonCursor<Parser> {
 public:
  explicit Parser(std::string_view s) : JsonCursor(s) {}

  Header parse() {
    Header h;
    bool has_metadata = false;
    object([&](const std::string& key) {
      if (key == "__metadata__") {
        if (has_metadata) fail("duplicate key \"__metadata__\"");
        has_metadata = true;
        object([&](const std::string& k) {
          if (h.metadata.count(k)) fail("duplicate metadata key " + quote_name(k));
          h.metadata[k] = string("a string (metadata values are strings)");
        });
        return;
      }
      if (!names_.insert(key).second) fail("duplicate tensor name " + quote_name(key));
      h.entries.push_back(entry(key));
    });
    skip_ws();
    if (pos_ != s_.size()) fail("unexpected characters after the JSON object");
    return h;
  }

 private:
  friend class JsonCursor<Parser>;
  [[noreturn]] void fail(const std::string& why) const {
    throw FormatError(why + " (header byte " + std::to_string(pos_) + ")");
  }
  void expect(char c, const char* what) {
    if (!eat(c)) fail(std::string("expected ") + what + (pos_ < s_.size() ? "" : ", found the end of the header"));
  }

  // { "key": <on_key(key) parses the value>, ... }
  template <class F> void object(F&& on_key) {
    expect('{', "'{'");
    if (eat('}')) return;
    do {
      const std::string key = string("a string key");
      expect(':', "':'");
      on_key(key);
    } while (eat(','));
    expect('}', "',' or '}'");
  }
  template <class F> void array(F&& on_item) {
    expect('[', "'['");
    if (eat(']')) return;
    do on_item();
    while (eat(','));
    expect(']', "',' or ']'");
  }

  std::string string(const char* what) {
    expect('"', what);
    return string_body();
  }

  // A non-negative integer without sign, fraction or exponent that fits in int64.
  std::int64_t integer(const char* what) {
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == '-') fail(std::string(what) + " is negative");
    if (pos_ >= s_.size() || s_[pos_] < '0' || s_[pos_] > '9') fail(std::string("expected ") + what);
    if (s_[pos_] == '0' && pos_ + 1 < s_.size() && s_[pos_ + 1] >= '0' && s_[pos_ + 1] <= '9')
      fail(std::string(what) + " has a leading zero");
    std::int64_t v = 0;
    for (; pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9'; ++pos_) {
      const int d = s_[pos_] - '0';
      if (v > (INT64_MAX - d) / 10) fail(std::string(what) + " is too large");
      v = v * 10 + d;
    }
    if (pos_ < s_.size() && (s_[pos_] == '.' || s_[pos_] == 'e' || s_[pos_] == 'E'))
      fail(std::string(what) + " is not an integer");
    return v;
  }

  Entry entry(const std::string& name) {
    Entry e;
    e.name = name;
    bool seen[3] = {false, false, false};
    object([&](const std::string& field) {
      const int i = field == "dtype" ? 0 : field == "shape" ? 1 : field == "data_offsets" ? 2 : -1;
      if (i < 0) fail("unknown field " + quote_name(field) + " in tensor " + quote_name(name));
      if (seen[i]) fail("duplicate field " + quote_name(field) + " in tensor " + quote_name(name));
      seen[i] = true;
      if (i == 0) {
        const std::string code = string("a dtype string");
        e.dtype = dtype_from_code(code);
        if (e.dtype == DType::unknown)
          fail("tensor " + quote_name(name) + " has unsupported dtype " + quote_name(code) + " (expected F32, F64, I32, I64 or BOOL)");
      } else if (i == 1) {
        array([&] {
          if (e.shape.size() == static_cast<std::size_t>(kMaxRank)) fail("tensor " + quote_name(name) + " has rank > 8");
          e.shape.push_back(integer("a dimension"));
        });
      } else {
        std::vector<std::int64_t> offsets;
        array([&] {
          if (offsets.size() == 2) fail("data_offsets of " + quote_name(name) + " has more than 2 entries");
          offsets.push_back(integer("a data offset"));
        });
        if (offsets.size() != 2) fail("data_offsets of " + quote_name(name) + " needs 2 entries [begin, end]");
        e.begin = static_cast<std::uint64_t>(offsets[0]);
        e.end = static_cast<std::uint64_t>(offsets[1]);
      }
    });
    for (int i = 0; i < 3; ++i)
      if (!seen[i])
        fail("tensor " + quote_name(name) + " lacks \"" + (i == 0 ? "dtype" : i == 1 ? "shape" : "data_offsets") + "\"");
    return e;
  }

  std::set<std::string> names_;
};

}  // namespace detail

/// Parses a header (valid UTF-8 is checked by the caller); throws FormatError naming the byte
/// offset and what is wrong.
inline Header parse_header(std::string_view json) { return detail::Parser(json).parse(); }

/// Appends `s` as a JSON string literal (quotes and escapes added).
inline void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      const char* hex = "0123456789abcdef";
      out += "\\u00";
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += c;
    }
  }
  out += '"';
}

}  // namespace tg::safetensors
