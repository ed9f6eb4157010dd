#include "gemm.h"

#include <algorithm>
#include <string>

#include "tensorgraph/error.h"
#include "tensorgraph/threads.h"

#ifdef TG_HAVE_BLAS
#include <cblas.h>
#endif
#ifdef TG_HAVE_DNNL
#include <omp.h>
#include <oneapi/dnnl/dnnl.h>

#include "signals_held.h"
#endif

namespace tg::kernels {
namespace {
// NOTE: below about 16^3 multiply-adds, or for outputs at most 4 wide (the unrolled narrow
// kernel), a BLAS call costs more than the reference loops.
constexpr std::int64_t kBlasMinWork = 4096;
// float32 products of up to this many multiply-adds stay on OpenBLAS: oneDNN's sgemm is 2x faster
// from 72^3 up (72: 81 against 42 GFLOP/s) but slower at 64^3 (65 against 93), measured with
// bench_workloads matmul N REPS tg|sgemm on 2 threads.
constexpr std::int64_t kDnnlMinWork = 64 * 64 * 64;
// Products below 256^3 multiply-adds run on the calling thread alone, whatever the budget. NOTE:
// a pool's threads spin after each parallel product; on a busy machine they take the cores the
// work needs, and every product waits for its slowest thread: an MLP epoch beside 2 busy
// processes took 4.1 s on 2 threads against 1.2 s on 1 (0.75 s unloaded either way: its
// products, [64, 784]·[784, 256] and smaller, gain nothing from a second thread). From 256^3 up a
// second thread doubles the speed of a square product (bench_workloads matmul).
constexpr std::int64_t kParallelMinWork = std::int64_t{256} * 256 * 256;

}  // namespace

}  // namespace tg::kernels

namespace tg {

void set_num_threads(int n) {
  if (n < 1) throw Error("set_num_threads: expected at least 1 thread, got " + std::to_string(n));
#ifdef TG_HAVE_BLAS
  openblas_set_num_threads(n);
#endif
  kernels::detail_threads() = n;
}

int num_threads() { return kernels::detail_threads(); }

}  // namespace tg

namespace tg::kernels {

std::atomic<int>& detail_threads() {  // atomic: set_num_threads may run while other threads run
#ifdef TG_HAVE_BLAS
  static std::atomic<int> n{openblas_get_num_threads()};  // the BLAS's default: one per core
#else
  static std::atomic<int> n{1};
#endif
  return n;
}

int threads_for(std::int64_t work) { return work >= kParallelMinWork ? detail_threads().load() : 1; }

bool blas_available() {
#ifdef TG_HAVE_BLAS
  return true;
#else
  return false;
#endif
}

std::string gemm_backends() {
  std::string f64 = "reference loops";
#ifdef TG_HAVE_BLAS
  f64 = std::string("OpenBLAS ") + openblas_get_config() + " (core " + openblas_get_corename() + ")";
#endif
  std::string f32 = f64;
#if defined(TG_HAVE_DNNL) && defined(TG_HAVE_BLAS)
  const dnnl_version_t* v = dnnl_version();
  const char* isa = "x86-64";
  switch (dnnl_get_effective_cpu_isa()) {
    case dnnl_cpu_isa_sse41: isa = "sse41"; break;
    case dnnl_cpu_isa_avx: isa = "avx"; break;
    case dnnl_cpu_isa_avx2: isa = "avx2"; break;
    case dnnl_cpu_isa_avx2_vnni: isa = "avx2_vnni"; break;
    case dnnl_cpu_isa_avx512_core: isa = "avx512_core"; break;
    case dnnl_cpu_isa_avx512_core_vnni: isa = "avx512_core_vnni"; break;
    case dnnl_cpu_isa_avx512_core_bf16: isa = "avx512_core_bf16"; break;
    case dnnl_cpu_isa_avx512_core_amx: isa = "avx512_core_amx"; break;
    default: break;
  }
  f32 = "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch) +
        " (JIT for " + isa + ")";
#endif
  return "float32 matmul: " + f32 + "; float64 matmul: " + f64 + "; " + std::to_string(detail_threads()) +
         " threads";
}

void gemm(DType dtype, const void* a, const void* b, void* c, const MatmulDims& d, GemmPath path, double alpha,
          double beta) {
  const bool use_blas = blas_available() && path != GemmPath::reference &&
                        (path == GemmPath::blas || (d.m * d.n * d.k >= kBlasMinWork && d.n > 4)) && d.m && d.n && d.k;
#ifdef TG_HAVE_BLAS
  if (use_blas) {
    // Row-major: op(A) is A when its K axis is contiguous (a_col == 1), else Aᵀ; same for B on N.
    // A single row (m == 1, or n == 1 for B's columns) is contiguous either way: NoTrans, with
    // the leading dimension at the minimum BLAS accepts.
    const bool ta = d.a_col != 1 && d.m > 1, tb = d.b_col != 1 && d.n > 1;
    const auto lda = static_cast<blasint>(ta ? d.a_col : std::max<std::int64_t>({d.a_row, d.k, 1}));
    const auto ldb = static_cast<blasint>(tb ? d.b_col : std::max<std::int64_t>({d.b_row, d.n, 1}));
    const auto m = static_cast<blasint>(d.m), n = static_cast<blasint>(d.n), k = static_cast<blasint>(d.k);
    const CBLAS_TRANSPOSE opa = ta ? CblasTrans : CblasNoTrans, opb = tb ? CblasTrans : CblasNoTrans;
    const auto fa = static_cast<float>(alpha), fb = static_cast<float>(beta);
#ifdef TG_HAVE_DNNL
    if (dtype == DType::f32 && d.m * d.n * d.k > kDnnlMinWork) {
      // NOTE: OpenMP's thread count is per calling thread: apply the budget on this thread.
      const int threads = threads_for(d.m * d.n * d.k);
      if (omp_get_max_threads() != threads) omp_set_num_threads(threads);
      const dnnl_status_t st = [&] {
        const SignalsHeld held;
        return dnnl_sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', m, n, k, fa, static_cast<const float*>(a), lda,
                          static_cast<const float*>(b), ldb, fb, static_cast<float*>(c), n);
      }();
      if (st != dnnl_success)
        throw Error("matmul: oneDNN sgemm failed (status " + std::to_string(static_cast<int>(st)) + ") for [" +
                    std::to_string(d.m) + ", " + std::to_string(d.k) + "] x [" + std::to_string(d.k) + ", " +
                    std::to_string(d.n) + "]");
      return;
    }
#endif
    if (dtype == DType::f32)
      cblas_sgemm(CblasRowMajor, opa, opb, m, n, k, fa, static_cast<const float*>(a), lda,
                  static_cast<const float*>(b), ldb, fb, static_cast<float*>(c), n);
    else
      cblas_dgemm(CblasRowMajor, opa, opb, m, n, k, alpha, static_cast<const double*>(a), lda,
                  static_cast<const double*>(b), ldb, beta, static_cast<double*>(c), n);
    return;
  }
#else
  (void)use_blas;
#endif
  dispatch_float(dtype, "matmul", [&]<class T>() {
    T* out = static_cast<T*>(c);
    const T *pa = static_cast<const T*>(a), *pb = static_cast<const T*>(b);
    if (alpha == 1 && beta == 0) return matmul<T>(pa, pb, out, d);
    // C = beta·C, then C += (alpha·a_ik)·b_kj row by row (no scratch buffer: steady state allocates nothing).
    for (std::int64_t i = 0; i < d.m; ++i) {
      T* row = out + i * d.n;
      for (std::int64_t j = 0; j < d.n; ++j) row[j] = beta == 0 ? T(0) : static_cast<T>(beta * row[j]);
      for (std::int64_t k = 0; k < d.k; ++k) {
        const T aik = static_cast<T>(alpha * pa[i * d.a_row + k * d.a_col]);
        const T* bk = pb + k * d.b_row;
        for (std::int64_t j = 0; j < d.n; ++j) row[j] += aik * bk[j * d.b_col];
      }
    }
  });
}

}  // namespace tg::kernels
