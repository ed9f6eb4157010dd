#pragma once
// Data-parallel training on MPI (Open MPI), in the manner of Horovod's TensorFlow API: every
// process ("rank") holds the whole graph and reads its own shard of the data; the gradients of
// each step are averaged over the ranks before the update, so every rank keeps the same weights.
//
//   tg::distributed::init();                       // joins the job mpirun started (else: size 1)
//   tg::train::AdamOptimizer adam(0.001);
//   tg::distributed::DistributedOptimizer opt(adam);   // one packed allreduce per step
//   tg::Node step = opt.minimize(loss);
//   tg::Session s;
//   tg::distributed::broadcast_variables(s, 0);    // every rank starts from rank 0's weights
//
// A process started without mpirun is a world of size 1: the collectives return their input and
// everything runs exactly as without this header. Collectives run in graph order inside a
// Session run; every rank must run the same collectives in the same order (the same program).
// A rank that ends (returns from main, raises, is killed) while the others wait for it in a
// collective makes them fail with DistributedError naming it, within about a second, never hang.
#include <string>
#include <utility>
#include <vector>

#include "tensorgraph/error.h"
#include "tensorgraph/graph.h"
#include "tensorgraph/optimizers.h"

namespace tg {
class Session;
class Tensor;
}  // namespace tg

namespace tg::distributed {

/// A collective that cannot complete: a rank ended while the others waited for it, or the
/// ranks disagree about what they reduce.
struct DistributedError : Error {
  using Error::Error;
};

/// Joins the MPI job this process belongs to (started by mpirun; or MPI already initialised by
/// another library, e.g. mpi4py), else makes a world of size 1 without MPI. Safe to call again.
/// Under MPI it also installs a terminate handler that names the rank and aborts the whole job
/// (an uncaught exception in one rank ends every rank at once), and finalises MPI at exit.
/// Throws Error when started by a launcher but tensorgraph was built without MPI.
void init();
/// True once init() ran.
bool initialized();
/// This process's rank in 0..size()-1 (0 before init()).
int rank();
/// The number of processes (1 before init() and without mpirun).
int size();
/// This process's rank among the processes of its machine (0 without mpirun).
int local_rank();
/// The number of processes on this machine.
int local_size();
/// True when tensorgraph was built with MPI (TG_USE_MPI).
bool built_with_mpi();
/// Prints "tensorgraph: rank R of N: message" on stderr and ends every rank of the job with
/// `code` (MPI_Abort); without MPI, exits this process with `code`.
[[noreturn]] void abort(const std::string& message, int code = 1);

enum class ReduceOp { mean, sum };

/// The element-wise sum (or mean) of `x` over all ranks, as a graph op: every rank gets the same
/// value. Floating dtypes for mean; sum also takes integers. Gradient: the allreduce of dy
/// (each rank's x reaches every rank's result).
Node allreduce(const Node& x, ReduceOp op = ReduceOp::mean, const std::string& name = "");
/// Rank `root`'s value of `x` on every rank, as a graph op. Gradient: the sum of dy over the
/// ranks on the root, zero elsewhere.
Node broadcast(const Node& x, int root = 0, const std::string& name = "");

/// Host-side collectives on tensors (what fit uses for its metrics): in place, every rank the
/// same dtype and shape; `what` names the caller in errors.
void allreduce(Tensor& t, ReduceOp op, const std::string& what);
void broadcast(Tensor& t, int root, const std::string& what);

/// Sets every Variable of `variables` (default: all of the session's graph) in `session` to its
/// value on rank `root`: one packed broadcast per dtype. Run it after initialising (or restoring)
/// so every rank starts from the same weights.
void broadcast_variables(Session& session, int root = 0, const std::vector<Node>& variables = {});

/// The gradients of (gradient, variable) pairs averaged over the ranks with as few allreduces as
/// possible: gradients of one dtype are packed into one buffer in the pairs' order (pack_flat; the
/// same on every rank: the same program builds the same graph), or into buckets of at most
/// `bucket_bytes` for large models, reduced, and cut back to their shapes (unpack_flat). Pairs without a
/// gradient (invalid Node) stay so. Size 1: the pairs unchanged.
train::GradsAndVars average_gradients(const train::GradsAndVars& grads_and_vars,
                                      std::size_t bucket_bytes = 64u << 20);

/// Wraps any optimizer (GradientDescentOptimizer, MomentumOptimizer, RMSPropOptimizer,
/// AdamOptimizer): compute_gradients averages the gradients over the ranks (average_gradients),
/// apply_gradients applies them with the wrapped optimizer. With the global batch split over the
/// ranks, a step is the single-process step on the whole batch.
template <class Optimizer>
class DistributedOptimizer {
 public:
  explicit DistributedOptimizer(Optimizer optimizer, std::size_t bucket_bytes = 64u << 20)
      : opt_(std::move(optimizer)), bucket_bytes_(bucket_bytes) {}
  /// The wrapped optimizer's pairs with each gradient averaged over the ranks.
  train::GradsAndVars compute_gradients(const Node& loss, const std::vector<Node>& var_list = {}) const {
    return average_gradients(opt_.compute_gradients(loss, var_list), bucket_bytes_);
  }
  /// As the wrapped optimizer's apply_gradients (the gradients are not averaged again).
  Node apply_gradients(const train::GradsAndVars& grads_and_vars, const std::string& name = "",
                       const Node& global_step = {}) const {
    return opt_.apply_gradients(grads_and_vars, name, global_step);
  }
  /// One update of var_list from the gradients averaged over the ranks.
  Node minimize(const Node& loss, const std::vector<Node>& var_list = {}) const {
    return apply_gradients(compute_gradients(loss, var_list));
  }
  const Optimizer& optimizer() const { return opt_; }

 private:
  Optimizer opt_;
  std::size_t bucket_bytes_;
};

}  // namespace tg::distributed
