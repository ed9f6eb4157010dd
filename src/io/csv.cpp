// Numeric CSV: the whole file is read (bounded), split into lines, each line into fields, each
// field parsed with std::from_chars (locale-independent, no partial matches accepted).
#include "tensorgraph/csv.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <string_view>
#include <vector>

namespace tg {
namespace {

constexpr std::uintmax_t kMaxBytes = std::uintmax_t{1} << 30;  // 1 GiB: far above a hand-made CSV

[[noreturn]] void fail(const std::string& path, const std::string& why) {
  throw IoError("read_csv '" + path + "': " + why);
}

[[noreturn]] void fail_at(const std::string& path, std::size_t line, std::size_t column, const std::string& why) {
  fail(path, "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + why);
}

// A field for an error message: quoted, non-printable bytes escaped, at most 40 characters.
std::string quoted(std::string_view s) {
  std::string out = "'";
  for (std::size_t i = 0; i < s.size() && i < 40; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      const char hex[] = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out + (s.size() > 40 ? "...'" : "'");
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view line, char delimiter) {
  std::vector<std::string_view> fields;
  for (;;) {
    const std::size_t at = line.find(delimiter);
    fields.push_back(line.substr(0, at));
    if (at == std::string_view::npos) return fields;
    line.remove_prefix(at + 1);
  }
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) fail(path, std::string("cannot open: ") + std::strerror(errno));
  const std::streamoff size = in.tellg();
  if (size < 0) fail(path, "cannot determine the file size (not a regular file?)");
  if (static_cast<std::uintmax_t>(size) > kMaxBytes)
    fail(path, "the file has " + std::to_string(size) + " bytes, more than the 1 GiB limit");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(text.data(), size)) fail(path, "read error");
  return text;
}

}  // namespace

Tensor read_csv(const std::string& path, bool header, char delimiter) {
  if (delimiter == '\n' || delimiter == '\r' || delimiter == '\0')
    throw Error("read_csv: the delimiter cannot be a line end or NUL");
  const std::string text = read_all(path);
  std::string_view rest = text;
  std::vector<double> values;
  std::size_t cols = 0, rows = 0, line_no = 0;
  bool have_cols = false;
  while (!rest.empty()) {
    const std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty()) {
      // NOTE: blank lines at the end (one or more trailing newlines) are tolerated, not inside.
      if (rest.find_first_not_of(" \t\r\n") == std::string_view::npos) break;
      fail_at(path, line_no, 1, "empty line");
    }
    const std::vector<std::string_view> fields = split(line, delimiter);
    if (!have_cols) {
      cols = fields.size();
      have_cols = true;
    } else if (fields.size() != cols) {
      fail_at(path, line_no, std::min(fields.size(), cols) + 1,
              "the row has " + std::to_string(fields.size()) + " fields, the first has " + std::to_string(cols));
    }
    if (header && line_no == 1) continue;
    for (std::size_t c = 0; c < fields.size(); ++c) {
      std::string_view f = trim(fields[c]);
      if (f.empty()) fail_at(path, line_no, c + 1, "empty field");
      std::string_view digits = f.front() == '+' ? f.substr(1) : f;  // from_chars refuses '+'
      // NOTE: from_chars takes the '-' of "+-5" after the stripped '+': two signs are no number.
      const bool two_signs = digits.size() < f.size() && digits.starts_with('-');
      double v = 0;
      const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
      if (ec == std::errc::result_out_of_range) fail_at(path, line_no, c + 1, quoted(f) + " is out of the float64 range");
      if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty() || two_signs)
        fail_at(path, line_no, c + 1, quoted(f) + " is not a number");
      values.push_back(v);
    }
    ++rows;
  }
  if (line_no == 0 || !have_cols) fail(path, "empty file");
  if (rows == 0) fail(path, "no data rows after the header line");
  return Tensor::from_vector(values, Shape{static_cast<std::int64_t>(rows), static_cast<std::int64_t>(cols)});
}

}  // namespace tg
