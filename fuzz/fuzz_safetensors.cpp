// Fuzzes the safetensors checkpoint reader: load_safetensors, load_safetensors_metadata and
// Saver::restore into a fixed graph (the input is the whole file). tg::Error is the expected
// answer to bad input; anything else (another exception, a sanitizer report) is a finding.
#include <cstdlib>

#include "fuzz_input.h"
#include "tensorgraph/error.h"
#include "tensorgraph/saver.h"

namespace {

// The graph of the seed checkpoints (fuzz/make_corpus.cpp): so valid inputs reach the restore.
struct Target {
  tg::Graph g;
  tg::Session session{g};
  tg::train::Saver saver;
  Target() : saver(vars()) {}
  std::vector<tg::Node> vars() {
    g.as_default();
    return {tg::Variable(tg::Tensor::zeros({2, 3}, tg::DType::f32), "w"),
            tg::Variable(tg::Tensor::zeros({3}, tg::DType::i64), "b")};
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Target target;
  const tg_fuzz::MemFile file(data, size);
  try {
    (void)tg::load_safetensors_metadata(file.path());
    const auto tensors = tg::load_safetensors(file.path());
    for (const auto& [name, t] : tensors)
      if (t.size() != t.shape().num_elements()) std::abort();  // the loader's promise
    target.saver.restore(target.session, file.path(), /*strict=*/size % 2 == 0);
  } catch (const tg::Error&) {
  }
  return 0;
}
