// Fuzzes the CSV reader (read_csv) with and without a header line, comma and tab delimiters.
// tg::Error is the expected answer to bad input; anything else is a finding.
#include <cstdlib>

#include "fuzz_input.h"
#include "tensorgraph/csv.h"
#include "tensorgraph/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const tg_fuzz::MemFile file(data, size);
  for (const auto& [header, delimiter] : {std::pair{true, ','}, std::pair{false, ','}, std::pair{false, '\t'}}) {
    try {
      const tg::Tensor t = tg::read_csv(file.path(), header, delimiter);
      if (t.rank() != 2 || t.size() != t.shape()[0] * t.shape()[1] || t.size() == 0) std::abort();
    } catch (const tg::Error&) {
    }
  }
  return 0;
}
