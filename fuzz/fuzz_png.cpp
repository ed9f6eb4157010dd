// Fuzzes the PNG reader (read_png). tg::Error is the expected answer to bad input; anything
// else is a finding.
#include <cstdlib>

#include "fuzz_input.h"
#include "tensorgraph/error.h"
#include "tensorgraph/png.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const tg_fuzz::MemFile file(data, size);
  try {
    const tg::PngImage img = tg::read_png(file.path());
    if (img.rgb.size() != static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height) * 3) std::abort();
  } catch (const tg::Error&) {
  }
  return 0;
}
