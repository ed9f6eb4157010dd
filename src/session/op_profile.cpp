#include "op_profile.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

namespace tg::detail {
namespace {

struct Entry {
  long calls = 0;
  double seconds = 0;
};

struct Profile {
  std::mutex mu;
  std::map<std::pair<std::string, std::string>, Entry> entries;  // (op, output shape)
  ~Profile() {  // at exit: the table, the costliest first
    std::vector<std::pair<std::pair<std::string, std::string>, Entry>> rows(entries.begin(), entries.end());
    if (rows.empty()) return;
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second.seconds > b.second.seconds; });
    double total = 0;
    for (const auto& r : rows) total += r.second.seconds;
    std::fprintf(stderr, "TG_PROFILE: %.1f ms in kernels\n%-28s %-22s %9s %11s %9s %6s\n", total * 1e3, "op",
                 "output shape", "calls", "total ms", "us/call", "%");
    for (const auto& [key, e] : rows)
      std::fprintf(stderr, "%-28s %-22s %9ld %11.2f %9.1f %6.1f\n", key.first.c_str(), key.second.c_str(), e.calls,
                   e.seconds * 1e3, e.seconds * 1e6 / static_cast<double>(e.calls), 100 * e.seconds / total);
  }
};

Profile& profile() {
  static Profile p;
  return p;
}

}  // namespace

bool profiling() {
  static const bool on = [] {
    const char* v = std::getenv("TG_PROFILE");
    return v && *v && std::string(v) != "0";
  }();
  return on;
}

void record_kernel(const char* op, const Shape& shape, double seconds) {
  Profile& p = profile();
  const std::lock_guard<std::mutex> lock(p.mu);
  Entry& e = p.entries[{op, shape.str()}];
  ++e.calls;
  e.seconds += seconds;
}

}  // namespace tg::detail
