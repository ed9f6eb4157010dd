#pragma once
// The MPI layer under tensorgraph/distributed.h: buffers reduced and broadcast over the ranks.
// Each call is non-blocking underneath (MPI_Iallreduce, MPI_Ibcast) and polled, so that a rank
// which ends while the others wait for it is noticed (its "leaving" notice, sent at exit) and
// reported as DistributedError instead of a hang.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "tensorgraph/distributed.h"
#include "tensorgraph/dtype.h"

namespace tg::distributed::detail {

/// Whether an MPI launcher (mpirun, or PMI's) started this process: its environment says so.
inline bool started_by_launcher() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(v)) return true;
  return false;
}

/// Reduces `count` elements of `dtype` at `in` over the ranks into `out` (in == out: in place; sum;
/// mean divides by size() afterwards for floating dtypes). `what` names the caller (the node) in errors.
void allreduce(const void* in, void* out, std::int64_t count, DType dtype, ReduceOp op, const std::string& what);
/// Rank `root`'s `count` elements at `data`, on every rank.
void broadcast(void* data, std::int64_t count, DType dtype, int root, const std::string& what);
/// Throws DistributedError unless every rank passes the same value (a cheap agreement check:
/// element counts, dtypes).
void check_same(std::int64_t value, const std::string& what);

}  // namespace tg::distributed::detail
