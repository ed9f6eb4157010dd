// Fuzzes the model reader (import_model): the input is the model's JSON, a NUL byte, then its
// safetensors file (a NUL cannot occur in valid JSON, so the split loses nothing; without a NUL
// the safetensors file is empty). tg::Error is the expected answer to bad input; anything else
// is a finding.
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "tensorgraph/error.h"
#include "tensorgraph/model_io.h"

namespace {

// import_model takes a path prefix, so the two parts go to <dir>/m.json and <dir>/m.safetensors,
// dir = <tmpfs or TMPDIR>/tg_fuzz_model_<pid>.
struct Scratch {
  std::filesystem::path dir;
  Scratch() {
    namespace fs = std::filesystem;
    // NOTE: tmpfs when there is one: two file writes per input are most of a run's time.
    const fs::path base = ::access("/dev/shm", W_OK) == 0 ? fs::path("/dev/shm") : fs::temp_directory_path();
    // NOTE: libFuzzer ends a run on a finding or a timeout with _Exit, past this destructor, so
    // each start removes the folders of processes that are gone.
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(base, ec)) {
      const std::string name = e.path().filename().string();
      if (name.rfind("tg_fuzz_model_", 0) == 0 && !fs::exists("/proc/" + name.substr(14), ec))
        fs::remove_all(e.path(), ec);
    }
    dir = base / ("tg_fuzz_model_" + std::to_string(::getpid()));
    fs::create_directories(dir);
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  static void write(const std::filesystem::path& p, const std::uint8_t* data, std::size_t size) {
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!f.flush()) std::abort();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Scratch scratch;
  const auto* nul = static_cast<const std::uint8_t*>(std::memchr(data, 0, size));
  const std::size_t json_size = nul ? static_cast<std::size_t>(nul - data) : size;
  Scratch::write(scratch.dir / "m.json", data, json_size);
  Scratch::write(scratch.dir / "m.safetensors", nul ? nul + 1 : data, nul ? size - json_size - 1 : 0);
  try {
    const tg::LoadedModel m = tg::import_model((scratch.dir / "m").string());
    if (m.outputs.empty()) std::abort();  // the reader refuses a model without outputs
  } catch (const tg::Error&) {
  }
  return 0;
}
