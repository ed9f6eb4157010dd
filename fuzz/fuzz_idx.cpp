// Fuzzes the IDX reader (read_idx; gzip'd input takes zlib's path, the seeds hold both kinds).
// tg::Error is the expected answer to bad input; anything else is a finding.
#include <cstdlib>

#include "fuzz_input.h"
#include "tensorgraph/error.h"
#include "tensorgraph/idx.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const tg_fuzz::MemFile file(data, size);
  try {
    const tg::Tensor t = tg::read_idx(file.path());
    if (t.size() != t.shape().num_elements()) std::abort();
  } catch (const tg::Error&) {
  }
  return 0;
}
