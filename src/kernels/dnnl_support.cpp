#ifdef TG_HAVE_DNNL
#include "dnnl_support.h"

#include <omp.h>

#include "gemm.h"
#include "signals_held.h"
#include "tensorgraph/error.h"

namespace tg::kernels::onednn {

const dnnl::engine& engine() {
  static const dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}

void rethrow(const dnnl::error& e, const std::string& what) {
  throw Error(what + ": oneDNN failed (status " + std::to_string(static_cast<int>(e.status)) + "): " + e.what());
}

void set_threads(int threads) {
  if (omp_get_max_threads() != threads) omp_set_num_threads(threads);
}

void execute(const dnnl::primitive& p, const std::unordered_map<int, dnnl::memory>& args, int threads,
             const std::string& what) {
  set_threads(threads);
  thread_local dnnl::stream stream(engine());
  try {
    const SignalsHeld held;
    p.execute(stream, args);
    stream.wait();
  } catch (const dnnl::error& e) {
    rethrow(e, what);
  }
}

}  // namespace tg::kernels::onednn
#endif
