#pragma once
// Holds asynchronous signals (Ctrl-C's SIGINT, timers) off this thread while oneDNN runs.
// NOTE: a signal handled while oneDNN 2.6's JIT code runs corrupts the heap ("corrupted size vs.
// prev_size", then a crash): reproduced with Python's signal.setitimer at 0.5 ms beside a float32
// [256, 784]·[784, 256] product, in every run, and with one Ctrl-C during training 1 time in 5.
// A signal that arrives meanwhile is delivered when the hold ends. The OpenMP threads oneDNN
// starts inherit the mask, so none receives them either.
// NOTE: holding costs two syscalls. Inside a session run (a RunSignalScope on the thread) the first
// oneDNN call of the run holds the signals until the run ends: two syscalls per run, not per call.
// Per call, they cost an MLP epoch 5% (16 products a step, 0.39 s against 0.37 s an epoch).
#include <pthread.h>
#include <signal.h>

namespace tg::kernels {

namespace detail {
struct SignalHold {
  int run_depth = 0;  // RunSignalScopes alive on this thread
  bool held = false;  // signals held until the outermost scope ends
  sigset_t saved;     // the mask to restore then
};
inline SignalHold& signal_hold() {
  thread_local SignalHold h;
  return h;
}
inline void block_signals(sigset_t* saved) {
  sigset_t all;
  sigfillset(&all);
  for (int sync : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP}) sigdelset(&all, sync);
  pthread_sigmask(SIG_BLOCK, &all, saved);
}
}  // namespace detail

/// Around one oneDNN call: signals held while it lives, or, inside a run, until the run ends.
class SignalsHeld {
 public:
  SignalsHeld() {
    detail::SignalHold& h = detail::signal_hold();
    if (h.held) return;  // the run holds them already
    detail::block_signals(&saved_);
    if (h.run_depth > 0) {
      h.held = true;
      h.saved = saved_;
    } else {
      owner_ = true;
    }
  }
  ~SignalsHeld() {
    if (owner_) pthread_sigmask(SIG_SETMASK, &saved_, nullptr);
  }
  SignalsHeld(const SignalsHeld&) = delete;
  SignalsHeld& operator=(const SignalsHeld&) = delete;

 private:
  bool owner_ = false;
  sigset_t saved_;
};

/// Around a session run: the signals held by its first oneDNN call are released when it ends.
class RunSignalScope {
 public:
  RunSignalScope() { ++detail::signal_hold().run_depth; }
  ~RunSignalScope() {
    detail::SignalHold& h = detail::signal_hold();
    if (--h.run_depth == 0 && h.held) {
      h.held = false;
      pthread_sigmask(SIG_SETMASK, &h.saved, nullptr);
    }
  }
  RunSignalScope(const RunSignalScope&) = delete;
  RunSignalScope& operator=(const RunSignalScope&) = delete;
};

}  // namespace tg::kernels
