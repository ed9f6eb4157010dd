#pragma once
// oneDNN's CPU engine and this thread's stream, and how a primitive is made and runs here: on the
// thread budget (threads_for, threads_for_elements), cached per thread, with asynchronous signals
// held off (signals_held.h), oneDNN's errors as tg::Error naming the call. Only with oneDNN
// (TG_HAVE_DNNL): every caller keeps a reference path.
#ifdef TG_HAVE_DNNL
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>

#include <oneapi/dnnl/dnnl.hpp>

namespace tg::kernels::onednn {

/// The CPU engine (one per process).
const dnnl::engine& engine();
/// Sets this thread's OpenMP thread count (oneDNN's calls read it; it is per calling thread).
void set_threads(int threads);
/// Runs `p` with `args` on this thread's stream on `threads` threads and waits for it; `what`
/// names the call in errors.
void execute(const dnnl::primitive& p, const std::unordered_map<int, dnnl::memory>& args, int threads,
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

/// This thread's primitives of one kind V, made once per (key, thread count) by `make` (which wraps
/// its oneDNN calls in `checked`; a hit builds no message): building a primitive descriptor costs
/// more than a small call. Run the result on `threads` threads.
/// NOTE: oneDNN fixes a primitive's thread count when it is created, from the calling thread's
/// OpenMP count at that moment: made under another op's count of 1, a convolution ran on one of
/// the two cores for good (5.1 ms against 2.1 ms). So the count is set first and is in the key.
template <class V, class K, class F>
const V& cached(const K& key, int threads, F&& make) {
  // NOTE: a training loop meets a handful of geometries; the bound only stops a pathological
  // stream of shapes from growing the cache without end.
  constexpr std::size_t kMaxEntries = 256;
  thread_local std::map<std::pair<K, int>, V> cache;
  set_threads(threads);
  auto it = cache.find({key, threads});
  if (it != cache.end()) return it->second;
  if (cache.size() >= kMaxEntries) cache.clear();
  return cache.emplace(std::pair<K, int>{key, threads}, make()).first->second;
}

}  // namespace tg::kernels::onednn
#endif
