#pragma once
// JSON through nlohmann-json (Debian's nlohmann-json3-dev), with the bounds hostile input needs:
// nesting depth, value count and duplicate keys are checked while parsing, so "[[[[..." or a
// huge document fails with a clear message instead of exhausting the stack or memory. nlohmann's
// parser itself refuses malformed text, invalid UTF-8 and numbers out of double's range (1e999).
#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace tg::io {

// NOTE: not ordered_json: its objects find keys by a linear scan, so parsing an object of n keys
// would cost n^2 / 2 comparisons (a hostile 256 MiB model file would hang for hours).
using Json = nlohmann::json;

struct JsonError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct JsonLimits {
  int max_depth = 64;
  std::size_t max_values = 1'000'000;  // ~70,000 exported graph nodes
};

/// `s` in double quotes, cut to 64 bytes at a character boundary ("..." marks a cut): names
/// from files in messages.
inline std::string quote_name(std::string_view s) {
  std::size_t cut = std::min<std::size_t>(s.size(), 64);
  while (cut < s.size() && cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // whole chars
  return '"' + std::string(s.substr(0, cut)) + (cut < s.size() ? "...\"" : "\"");
}

/// Parses `text`; throws JsonError with the reason (malformed text and where, nesting too deep,
/// too many values, a duplicate key, a number out of range, invalid UTF-8).
Json parse_json(std::string_view text, const JsonLimits& limits = {});
/// Compact text; throws JsonError on a string that is not UTF-8. NaN and Inf are written as null.
std::string dump_json(const Json& j, int indent = -1);

}  // namespace tg::io
