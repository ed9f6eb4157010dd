// The world of ranks: MPI's setup and teardown, and the collectives every other part uses.
//
// NOTE: a rank that returns from main (or raises, and calls exit) while the others wait for it in
// an allreduce would leave them blocked forever, and MPI_Finalize, which waits for every rank,
// would hang it too. So each rank sends a "leaving" notice to the others when it exits (on a
// communicator of its own). A watchdog thread looks for notices 50 times a second; when one has
// come and this rank has been inside a collective for longer than a grace period since, it ends
// the job (MPI_Abort) with a message naming the rank that left. The collectives themselves are
// Open MPI's blocking ones (MPI_Allreduce: about a third faster than MPI_Iallreduce for a step's
// gradients here). Where MPI runs without MPI_THREAD_MULTIPLE (initialised by another library),
// there is no watchdog: the collectives are started non-blocking and polled, and a notice makes
// them throw DistributedError instead. A rank killed by a signal, or that calls abort(), is
// ended by mpirun with the others at once.
// NOTE: the C API only: without these, a C++ file includes MPI-2's removed C++ bindings, which need
// libmpi_cxx.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#include <sched.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <limits>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "collectives.h"

namespace tg::distributed {
namespace {

constexpr int kLeavingTag = 1;
constexpr auto kGrace = std::chrono::milliseconds(1500);  // a notice may overtake the data of a collective
using SteadyClock = std::chrono::steady_clock;

// What the watchdog watches: the collective this rank is inside, and since when.
struct Inside {
  std::atomic<std::int64_t> since{0};  // steady clock nanoseconds; 0: not inside a collective
  std::mutex mutex;
  std::string what;
};

struct World {
  bool initialized = false;
  bool mpi = false;           // MPI is in use (size > 1, or initialised by someone else)
  bool own_mpi = false;       // tensorgraph called MPI_Init, so it finalises
  int rank = 0, size = 1, local_rank = 0, local_size = 1;
  MPI_Comm data = MPI_COMM_NULL, control = MPI_COMM_NULL;
  std::thread watchdog;  // running when MPI gives MPI_THREAD_MULTIPLE
  std::atomic<bool> stop_watchdog{false};
  Inside inside;
};
World& world() {
  static World w;
  return w;
}
std::mutex init_mutex;

std::string rank_str() {
  const World& w = world();
  return "rank " + std::to_string(w.rank) + " of " + std::to_string(w.size);
}

[[noreturn]] void on_terminate() {
  std::string what = "terminated";
  if (const std::exception_ptr e = std::current_exception()) {
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      what = std::string("uncaught exception: ") + x.what();
    } catch (...) {
      what = "uncaught exception";
    }
  }
  distributed::abort(what, 1);
}

// At exit: tell the other ranks this one leaves, wait for their notices (each rank sends one
// as it exits; a rank stuck waiting for this one sees the notice and aborts the job), finalise.
void finalize_at_exit() {
  World& w = world();
  if (!w.own_mpi) return;
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (finalized) return;
  if (w.watchdog.joinable()) {
    w.stop_watchdog = true;
    w.watchdog.join();
  }
  int notice = w.rank;
  std::vector<MPI_Request> sent;
  for (int r = 0; r < w.size; ++r) {
    if (r == w.rank) continue;
    sent.emplace_back();
    MPI_Isend(&notice, 1, MPI_INT, r, kLeavingTag, w.control, &sent.back());
  }
  // NOTE: probed with naps, not a blocking MPI_Recv, which spins a core for as long as rank 0
  // still writes its outputs.
  for (int got = 0; got < w.size - 1;) {
    int flag = 0, from = 0;
    MPI_Status st;
    MPI_Iprobe(MPI_ANY_SOURCE, kLeavingTag, w.control, &flag, &st);
    if (!flag) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    MPI_Recv(&from, 1, MPI_INT, st.MPI_SOURCE, kLeavingTag, w.control, MPI_STATUS_IGNORE);
    ++got;
  }
  MPI_Waitall(static_cast<int>(sent.size()), sent.data(), MPI_STATUSES_IGNORE);
  MPI_Comm_free(&w.data);
  MPI_Comm_free(&w.control);
  MPI_Finalize();
}

MPI_Datatype mpi_type(DType d, const std::string& what) {
  switch (d) {
    case DType::f32: return MPI_FLOAT;
    case DType::f64: return MPI_DOUBLE;
    case DType::i32: return MPI_INT32_T;
    case DType::i64: return MPI_INT64_T;
    case DType::i16: return MPI_INT16_T;
    case DType::u8: return MPI_UINT8_T;
    default: throw DTypeError(what + ": no collective on " + dtype_name(d) + " values");
  }
}

std::string left_message(int left, const std::string& what) {
  return what + ": rank " + std::to_string(left) + " ended while this rank waited for it in this collective; " +
         "every rank must run the same collectives (a rank that raised or returned early ends the job)";
}

// Waits for `request`, watching for a rank that left; `what` names the collective.
void wait(MPI_Request& request, const std::string& what) {
  const World& w = world();
  int done = 0, spins = 0;
  SteadyClock::time_point noticed{};
  int left = -1;
  for (;;) {
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    if (done) return;
    if (left < 0) {
      int flag = 0;
      MPI_Status st;
      MPI_Iprobe(MPI_ANY_SOURCE, kLeavingTag, w.control, &flag, &st);
      if (flag) {
        left = st.MPI_SOURCE;
        noticed = SteadyClock::now();
      }
    } else if (SteadyClock::now() - noticed > kGrace) {
      throw DistributedError(left_message(left, what + " (" + rank_str() + ")"));
    }
    if (++spins > 1000) sched_yield();  // NOTE: oversubscribed ranks share cores
  }
}

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch()).count();
}

void watch() {
  World& w = world();
  int left = -1;
  std::int64_t noticed = 0;
  while (!w.stop_watchdog.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (left < 0) {
      int flag = 0;
      MPI_Status st;
      MPI_Iprobe(MPI_ANY_SOURCE, kLeavingTag, w.control, &flag, &st);
      if (!flag) continue;
      left = st.MPI_SOURCE;
      noticed = now_ns();
    }
    const std::int64_t since = w.inside.since.load();
    if (since != 0 && now_ns() - std::max(since, noticed) > std::chrono::nanoseconds(kGrace).count()) {
      std::string what;
      {
        std::lock_guard<std::mutex> lock(w.inside.mutex);
        what = w.inside.what;
      }
      distributed::abort(left_message(left, what), 1);
    }
  }
}

// One collective: blocking, under the watchdog's eye; without a watchdog, started non-blocking
// (`start`) and polled.
template <class Blocking, class Start>
void collective(const std::string& what, Blocking blocking, Start start) {
  World& w = world();
  if (w.watchdog.joinable()) {
    {
      std::lock_guard<std::mutex> lock(w.inside.mutex);
      w.inside.what = what;
    }
    w.inside.since = now_ns();
    blocking();
    w.inside.since = 0;
    return;
  }
  MPI_Request request;
  start(&request);
  wait(request, what);
}

// MPI counts are ints: larger buffers go in buckets (average_gradients) or pieces.
void check_count(std::int64_t count, const std::string& what) {
  if (count < 0 || count > std::numeric_limits<int>::max())
    throw Error(what + ": " + std::to_string(count) + " elements in one collective (at most " +
                std::to_string(std::numeric_limits<int>::max()) + ")");
}

}  // namespace

void init() {
  std::lock_guard<std::mutex> lock(init_mutex);
  World& w = world();
  if (w.initialized) return;
  int already = 0;
  MPI_Initialized(&already);
  if (!already && !detail::started_by_launcher()) {
    w.initialized = true;  // a world of size 1, without MPI
    return;
  }
  int provided = 0;
  if (!already) {
    if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_MULTIPLE, &provided) != MPI_SUCCESS)
      throw Error("tensorgraph.distributed.init: MPI_Init_thread failed");
    w.own_mpi = true;
  } else {
    MPI_Query_thread(&provided);
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &w.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &w.size);
  MPI_Comm_dup(MPI_COMM_WORLD, &w.data);
  MPI_Comm_dup(MPI_COMM_WORLD, &w.control);
  MPI_Comm local;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, w.rank, MPI_INFO_NULL, &local);
  MPI_Comm_rank(local, &w.local_rank);
  MPI_Comm_size(local, &w.local_size);
  MPI_Comm_free(&local);
  w.mpi = true;
  w.initialized = true;
  if (w.own_mpi) {
    std::set_terminate(on_terminate);
    std::atexit(finalize_at_exit);
    if (provided >= MPI_THREAD_MULTIPLE && w.size > 1) w.watchdog = std::thread(watch);
  }
}

bool initialized() { return world().initialized; }
int rank() { return world().rank; }
int size() { return world().size; }
int local_rank() { return world().local_rank; }
int local_size() { return world().local_size; }
bool built_with_mpi() { return true; }

void abort(const std::string& message, int code) {
  const World& w = world();
  std::ostringstream line;
  line << "tensorgraph: " << (w.mpi ? rank_str() + ": " : std::string()) << message << "\n";
  std::cerr << line.str() << std::flush;
  if (w.mpi) MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);
}

namespace detail {

void allreduce(const void* in, void* data, std::int64_t count, DType dtype, ReduceOp op, const std::string& what) {
  const World& w = world();
  if (!w.mpi || w.size == 1) {  // NOTE: the mean of one rank's values is those values
    if (in != data && count > 0) std::memcpy(data, in, static_cast<std::size_t>(count) * dtype_size(dtype));
    return;
  }
  check_count(count, what);
  check_same(count, what);
  const MPI_Datatype type = mpi_type(dtype, what);
  const int n = static_cast<int>(count);
  const void* send = in == data ? MPI_IN_PLACE : in;  // NOTE: out of place saves the copy into `data`
  collective(what, [&] { MPI_Allreduce(send, data, n, type, MPI_SUM, w.data); },
             [&](MPI_Request* r) { MPI_Iallreduce(send, data, n, type, MPI_SUM, w.data, r); });
  if (op == ReduceOp::mean) {
    // NOTE: a division in the value's own precision is correctly rounded (and vectorises).
    if (dtype == DType::f32)
      for (float *p = static_cast<float*>(data), *e = p + count, n = static_cast<float>(w.size); p < e; ++p) *p /= n;
    else if (dtype == DType::f64)
      for (double *p = static_cast<double*>(data), *e = p + count, n = w.size; p < e; ++p) *p /= n;
    else
      throw DTypeError(what + ": the mean of " + dtype_name(dtype) + " values (use sum)");
  }
}

void broadcast(void* data, std::int64_t count, DType dtype, int root, const std::string& what) {
  const World& w = world();
  if (root < 0 || root >= w.size)
    throw Error(what + ": root " + std::to_string(root) + " is not a rank of this world of " +
                std::to_string(w.size));
  if (!w.mpi || w.size == 1) return;
  check_count(count, what);
  check_same(count, what);
  const MPI_Datatype type = mpi_type(dtype, what);
  const int n = static_cast<int>(count);
  collective(what, [&] { MPI_Bcast(data, n, type, root, w.data); },
             [&](MPI_Request* r) { MPI_Ibcast(data, n, type, root, w.data, r); });
}

void check_same(std::int64_t value, const std::string& what) {
  const World& w = world();
  if (!w.mpi || w.size == 1) return;
  std::int64_t range[2] = {value, -value};  // max and -min in one reduction
  collective(what, [&] { MPI_Allreduce(MPI_IN_PLACE, range, 2, MPI_INT64_T, MPI_MAX, w.data); },
             [&](MPI_Request* r) { MPI_Iallreduce(MPI_IN_PLACE, range, 2, MPI_INT64_T, MPI_MAX, w.data, r); });
  if (range[0] != -range[1])
    throw DistributedError(what + " (" + rank_str() + "): the ranks disagree on the number of elements (" +
                           std::to_string(-range[1]) + " to " + std::to_string(range[0]) + "; this rank " +
                           std::to_string(value) + ")");
}

}  // namespace detail
}  // namespace tg::distributed
