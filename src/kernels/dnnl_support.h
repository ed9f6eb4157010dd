#pragma once
// oneDNN's CPU engine and this thread's stream, and how a primitive runs here: on the thread
// budget (threads_for), with asynchronous signals held off (signals_held.h), oneDNN's errors as
// tg::Error naming the call. Only with oneDNN (TG_HAVE_DNNL): every caller keeps a reference path.
#ifdef TG_HAVE_DNNL
#include <cstdint>
#include <string>
#include <unordered_map>

#include <oneapi/dnnl/dnnl.hpp>

namespace tg::kernels::onednn {

/// The CPU engine (one per process).
const dnnl::engine& engine();
/// Runs `p` with `args` on this thread's stream and waits for it; `work` (multiply-adds) chooses the
/// thread count, `what` names the call in errors.
void execute(const dnnl::primitive& p, const std::unordered_map<int, dnnl::memory>& args, std::int64_t work,
             const std::string& what);
/// A dnnl::error as a tg::Error naming `what`.
[[noreturn]] void rethrow(const dnnl::error& e, const std::string& what);
/// Calls `make` (which builds primitive descriptors); a dnnl::error becomes a tg::Error naming `what`.
template <class F>
auto checked(const std::string& what, F&& make) -> decltype(make()) {
  try {
    return make();
  } catch (const dnnl::error& e) {
    rethrow(e, what);
  }
}

}  // namespace tg::kernels::onednn
#endif
