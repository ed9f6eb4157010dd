// safetensors files: [header length N: u64 LE][N bytes of JSON, space-padded][data]. The reader
// verifies the whole layout against the file size before it allocates or reads any tensor, so a
// lying header costs nothing; the writer streams to a temp file and renames it into place.
#include "safetensors.h"

#include "bounded_json.h"

#include <zlib.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <set>
#include <system_error>

#include "tensorgraph/error.h"
#include "tensorgraph/file.h"
#include "tensorgraph/safetensors.h"

namespace tg {
namespace {

using io::quote_name;
using io::Json;
using Tensors = std::vector<std::pair<std::string, Tensor>>;

// NOTE: the format stores little-endian data and tensors are copied byte for byte.
static_assert(std::endian::native == std::endian::little, "safetensors I/O assumes a little-endian host");

// The reference reader's limit: a larger length field is corrupt, not a header.
constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;

std::string str(std::uint64_t v) { return std::to_string(v); }

[[noreturn]] void bad(const std::string& path, const std::string& why) {
  throw IoError("load_safetensors: '" + path + "': " + why);
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

void read_exact(int fd, void* buf, std::uint64_t n, std::uint64_t offset, const std::string& path) {
  auto* p = static_cast<char*>(buf);
  while (n > 0) {
    const ssize_t got = ::pread(fd, p, std::min<std::uint64_t>(n, 1 << 30), static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) bad(path, "read failed: " + errno_text(errno));
    if (got == 0) bad(path, "the file shrank while being read");
    p += got;
    n -= static_cast<std::uint64_t>(got);
    offset += static_cast<std::uint64_t>(got);
  }
}

std::string shape_str(const std::vector<std::int64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

// Checks sizes and offsets against a data section of `data_size` bytes, then sorts the entries
// into file order. Offsets must tile the data section exactly: no gap, overlap or excess.
void verify_layout(safetensors::Header& h, std::uint64_t data_size, const std::string& path) {
  for (const safetensors::Entry& e : h.entries) {
    const std::string name = "tensor " + quote_name(e.name);
    const std::string offsets = "data_offsets [" + str(e.begin) + ", " + str(e.end) + "]";
    if (e.begin > e.end) bad(path, name + " has " + offsets + " with begin > end");
    if (e.end > data_size)
      bad(path, name + " has " + offsets + " past the end of the " + str(data_size) + "-byte data section (truncated?)");
    // NOTE: every prefix product stays <= INT64_MAX, so Shape::num_elements cannot overflow
    // either (a zero dimension at the end does not excuse huge ones before it).
    std::int64_t bytes = static_cast<std::int64_t>(dtype_size(e.dtype));
    for (const std::int64_t d : e.shape)
      if (__builtin_mul_overflow(bytes, d, &bytes))
        bad(path, name + " has shape " + shape_str(e.shape) + " whose byte size overflows int64");
    if (static_cast<std::uint64_t>(bytes) != e.end - e.begin)
      bad(path, name + ": " + safetensors::dtype_code(e.dtype) + " " + shape_str(e.shape) + " needs " + str(bytes) +
                    " bytes but its " + offsets + " span " + str(e.end - e.begin));
  }
  std::stable_sort(h.entries.begin(), h.entries.end(), [](const auto& a, const auto& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  std::uint64_t covered = 0;
  for (const safetensors::Entry& e : h.entries) {
    if (e.begin < covered) bad(path, "tensor " + quote_name(e.name) + " overlaps the data of another tensor");
    if (e.begin > covered)
      bad(path, "a gap of " + str(e.begin - covered) + " bytes precedes tensor " + quote_name(e.name) +
                    " (data_offsets must be contiguous)");
    covered = e.end;
  }
  if (covered != data_size)
    bad(path, "the data section has " + str(data_size) + " bytes but the tensors cover " + str(covered));
}

// Reads and verifies the header of an open file; sets `data_start` to the data section's offset.
safetensors::Header read_header(int fd, const std::string& path, std::uint64_t& data_start) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) bad(path, "stat failed: " + errno_text(errno));
  if (!S_ISREG(st.st_mode)) bad(path, "not a regular file");
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size < 8) bad(path, "the file has " + str(size) + " bytes, fewer than the 8-byte header length (truncated?)");
  unsigned char len[8];
  read_exact(fd, len, 8, 0, path);
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = n << 8 | len[i];
  if (n > kMaxHeaderBytes) bad(path, "header length " + str(n) + " exceeds the 100 MB limit (corrupt?)");
  if (n > size - 8)
    bad(path, "header length " + str(n) + " exceeds the " + str(size - 8) + " bytes that follow it (truncated?)");
  std::string json(n, '\0');
  read_exact(fd, json.data(), n, 8, path);
  safetensors::Header h;
  try {
    h = safetensors::parse_header(json);
  } catch (const safetensors::FormatError& e) {
    bad(path, std::string("invalid JSON header: ") + e.what());
  }
  data_start = 8 + n;
  verify_layout(h, size - data_start, path);
  return h;
}

int open_for_reading(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw IoError("load_safetensors: cannot open '" + path + "': " + errno_text(errno));
  return fd;
}

// Each tensor's CRC-32 (zlib's) goes in the metadata, which other safetensors readers ignore; the
// loader checks it, so a damaged byte inside a tensor is an error, not a silently wrong weight.
std::string crc_key(const std::string& tensor) { return "crc32:" + tensor; }
std::string crc_text(const void* data, std::size_t n) {
  uLong crc = crc32(0L, Z_NULL, 0);
  for (const auto* p = static_cast<const Bytef*>(data); n;) {  // NOTE: zlib takes at most 4 GiB at once
    const auto chunk = static_cast<uInt>(std::min<std::size_t>(n, 1u << 30));
    crc = crc32(crc, p, chunk);
    p += chunk;
    n -= chunk;
  }
  char text[9];
  std::snprintf(text, sizeof text, "%08lx", static_cast<unsigned long>(crc));
  return text;
}

}  // namespace

void save_safetensors(const std::string& path, const Tensors& tensors,
                      const std::map<std::string, std::string>& metadata) {
  auto fail = [&](const std::string& why) {
    throw IoError("save_safetensors: cannot write '" + path + "': " + why);
  };
  std::map<std::string, std::string> meta = metadata;
  meta.try_emplace("format", "tensorgraph");
  for (const auto& [name, t] : tensors)
    if (t.defined()) meta[crc_key(name)] = crc_text(t.raw(), t.nbytes());
  auto utf8 = [&](const std::string& s, const std::string& what) {
    try {
      io::dump_json(Json(s));
    } catch (const io::JsonError&) {
      fail(what + " is not valid UTF-8");
    }
  };
  Json root = Json::object();
  Json& md = root["__metadata__"] = Json::object();
  for (const auto& [k, v] : meta) {
    utf8(k, "metadata key " + quote_name(k));
    utf8(v, "metadata entry " + quote_name(k));
    md[k] = v;
  }
  std::uint64_t offset = 0;
  for (const auto& [name, t] : tensors) {
    if (name == "__metadata__") fail("the tensor name \"__metadata__\" is reserved");
    utf8(name, "tensor name " + quote_name(name));
    if (root.contains(name)) fail("duplicate tensor name " + quote_name(name));
    if (!t.defined()) fail("tensor " + quote_name(name) + " is undefined");
    root[name] = {{"dtype", safetensors::dtype_code(t.dtype())},
                  {"shape", std::vector<std::int64_t>(t.shape().begin(), t.shape().end())},
                  {"data_offsets", {offset, offset + t.nbytes()}}};
    offset += t.nbytes();
  }
  std::string json = io::dump_json(root);
  json.append((8 - json.size() % 8) % 8, ' ');  // the data section starts 8-byte aligned
  std::string header(8, '\0');
  for (int i = 0; i < 8; ++i) header[static_cast<std::size_t>(i)] = static_cast<char>(json.size() >> (8 * i));
  write_file_atomically(
      path,
      [&](const ByteSink& put) {
        put(header.data(), header.size());
        put(json.data(), json.size());
        for (const auto& [name, t] : tensors) put(t.raw(), t.nbytes());
      },
      "save_safetensors");
}

Tensors load_safetensors(const std::string& path) {
  const Fd f{open_for_reading(path)};
  std::uint64_t data_start = 0;
  const safetensors::Header h = read_header(f.fd, path, data_start);
  Tensors out;
  out.reserve(h.entries.size());
  for (const safetensors::Entry& e : h.entries) {
    Tensor t = Tensor::uninitialized(e.dtype, Shape::from(e.shape.begin(), e.shape.end()));
    if (t.nbytes()) read_exact(f.fd, t.raw(), t.nbytes(), data_start + e.begin, path);
    auto recorded = h.metadata.find(crc_key(e.name));  // absent in files of other writers and older ones
    if (recorded != h.metadata.end() && recorded->second != crc_text(t.raw(), t.nbytes()))
      bad(path, "tensor " + quote_name(e.name) + " is damaged: its bytes' CRC-32 is " + crc_text(t.raw(), t.nbytes()) +
                    ", the file recorded " + recorded->second);
    if (e.dtype == DType::boolean) {
      // NOTE: a bool byte other than 0 or 1 is undefined behaviour to read as bool.
      const auto* b = static_cast<const unsigned char*>(t.raw());
      for (std::size_t i = 0; i < t.nbytes(); ++i)
        if (b[i] > 1)
          bad(path, "BOOL tensor " + quote_name(e.name) + " holds byte " + std::to_string(b[i]) + " at element " +
                        std::to_string(i) + " (expected 0 or 1)");
    }
    out.emplace_back(e.name, std::move(t));
  }
  return out;
}

std::map<std::string, std::string> load_safetensors_metadata(const std::string& path) {
  const Fd f{open_for_reading(path)};
  std::uint64_t data_start = 0;
  return read_header(f.fd, path, data_start).metadata;
}

}  // namespace tg

namespace tg::safetensors {
namespace {
[[noreturn]] void fail(const std::string& why) { throw FormatError(why); }

// A non-negative integer that fits in int64.
std::int64_t integer(const Json& v, const std::string& what) {
  if (v.is_number_float()) fail(what + " is not an integer");
  if (!v.is_number_integer()) fail("expected " + what + ", got " + v.type_name());
  if (v.is_number_unsigned() ? v.get<std::uint64_t>() > INT64_MAX : v.get<std::int64_t>() < 0)
    fail(what + (v.is_number_unsigned() ? " is too large" : " is negative"));
  return v.get<std::int64_t>();
}

Entry entry(const std::string& name, const Json& v) {
  const std::string tensor = "tensor " + quote_name(name);
  if (!v.is_object()) fail(tensor + ": expected an object, got " + std::string(v.type_name()));
  for (const auto& [field, _] : v.items())
    if (field != "dtype" && field != "shape" && field != "data_offsets")
      fail("unknown field " + quote_name(field) + " in " + tensor);
  for (const char* field : {"dtype", "shape", "data_offsets"})
    if (!v.contains(field)) fail(tensor + " lacks \"" + field + "\"");
  Entry e;
  e.name = name;
  const Json& dtype = v["dtype"];
  if (!dtype.is_string()) fail(tensor + ": expected a dtype string");
  e.dtype = dtype_from_code(dtype.get<std::string>());
  if (e.dtype == DType::unknown)
    fail(tensor + " has unsupported dtype " + quote_name(dtype.get<std::string>()) + " (expected F32, F64, I32, I64 or BOOL)");
  const Json& shape = v["shape"];
  if (!shape.is_array()) fail(tensor + ": expected a shape array");
  if (shape.size() > static_cast<std::size_t>(kMaxRank)) fail(tensor + " has rank > 8");
  for (const Json& d : shape) e.shape.push_back(integer(d, "a dimension"));
  const Json& offsets = v["data_offsets"];
  if (!offsets.is_array()) fail(tensor + ": expected a data_offsets array");
  if (offsets.size() > 2) fail("data_offsets of " + quote_name(name) + " has more than 2 entries");
  if (offsets.size() != 2) fail("data_offsets of " + quote_name(name) + " needs 2 entries [begin, end]");
  e.begin = static_cast<std::uint64_t>(integer(offsets[0], "a data offset"));
  e.end = static_cast<std::uint64_t>(integer(offsets[1], "a data offset"));
  return e;
}
}  // namespace

Header parse_header(std::string_view text) {
  Json root;
  try {
    root = io::parse_json(text, {.max_depth = 3});  // NOTE: the schema's own depth: root, entry, shape
  } catch (const io::JsonError& e) {
    fail(e.what());
  }
  if (!root.is_object()) fail("expected a JSON object, got " + std::string(root.type_name()));
  Header h;
  for (const auto& [key, v] : root.items()) {
    if (key != "__metadata__") {
      h.entries.push_back(entry(key, v));
      continue;
    }
    if (!v.is_object()) fail("__metadata__ must be an object of strings");
    for (const auto& [k, s] : v.items()) {
      if (!s.is_string()) fail("metadata entry " + quote_name(k) + " is not a string (metadata values are strings)");
      h.metadata[k] = s.get<std::string>();
    }
  }
  return h;
}

}  // namespace tg::safetensors
