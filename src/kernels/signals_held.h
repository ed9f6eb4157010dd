#pragma once
// Holds asynchronous signals (Ctrl-C's SIGINT, timers) off this thread while it lives.
// NOTE: a signal handled while oneDNN 2.6's JIT code runs corrupts the heap ("corrupted size vs.
// prev_size", then a crash): reproduced with Python's signal.setitimer at 0.5 ms beside a float32
// [256, 784]·[784, 256] product, in every run, and with one Ctrl-C during training 1 time in 5.
// A signal that arrives meanwhile is delivered when the call ends. The OpenMP threads oneDNN
// starts inherit the mask, so none receives them either. Two syscalls per call: under 1% of the
// time of any call big enough to go to oneDNN.
#include <pthread.h>
#include <signal.h>

namespace tg::kernels {

class SignalsHeld {
 public:
  SignalsHeld() {
    sigset_t all;
    sigfillset(&all);
    for (int sync : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP}) sigdelset(&all, sync);
    pthread_sigmask(SIG_BLOCK, &all, &saved_);
  }
  ~SignalsHeld() { pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }
  SignalsHeld(const SignalsHeld&) = delete;
  SignalsHeld& operator=(const SignalsHeld&) = delete;

 private:
  sigset_t saved_;
};

}  // namespace tg::kernels
