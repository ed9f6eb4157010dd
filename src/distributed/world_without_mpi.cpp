// The world of a build without MPI (-DTG_USE_MPI=OFF): always size 1, and a process started by
// a launcher is refused rather than silently trained alone.
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "collectives.h"

namespace tg::distributed {

void init() {
  if (detail::started_by_launcher())
    throw Error("tensorgraph.distributed.init: started by an MPI launcher, but this tensorgraph was built "
                "without MPI (rebuild with libopenmpi-dev installed and -DTG_USE_MPI=ON)");
}
bool initialized() { return true; }
int rank() { return 0; }
int size() { return 1; }
int local_rank() { return 0; }
int local_size() { return 1; }
bool built_with_mpi() { return false; }

void abort(const std::string& message, int code) {
  std::cerr << "tensorgraph: " << message << "\n" << std::flush;
  std::_Exit(code);
}

namespace detail {
// NOTE: over one rank a sum or mean is the value itself, and a broadcast from rank 0 too.
void allreduce(const void* in, void* out, std::int64_t count, DType dtype, ReduceOp, const std::string&) {
  if (in != out && count > 0) std::memcpy(out, in, static_cast<std::size_t>(count) * dtype_size(dtype));
}
void broadcast(void*, std::int64_t, DType, int root, const std::string& what) {
  if (root != 0) throw Error(what + ": root " + std::to_string(root) + " is not a rank of this world of 1");
}
void check_same(std::int64_t, const std::string&) {}
}  // namespace detail
}  // namespace tg::distributed
