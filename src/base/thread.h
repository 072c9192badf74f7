// WorkerThread: a second thread for work a command splits in two (parsing
// revision files; reading a plan's steps while the first are applied).
//
//   base::WorkerThread worker([&] { ReadTheRest(); });
//   ApplyWhatIsReady();
//   worker.Join();  // also done by the destructor
//
// The thread gets a stack as large as a main thread's usually is, since the
// interpreter's limits (python/interpreter.h, kMaxEvaluationDepth) are sized
// for one, and is placed on a CPU other than the caller's when the process
// may use one. When no thread can be started the work runs in the
// constructor: slower, never different.
#pragma once

#include <pthread.h>

#include <cstddef>
#include <functional>

namespace sqlmend::base {

// True when this process may run on more than one CPU, so that a second
// thread can work beside the first rather than take turns with it.
bool SecondCpuAvailable();

class WorkerThread {
 public:
  static constexpr size_t kStackBytes = size_t{32} << 20;

  explicit WorkerThread(std::function<void()> work);
  ~WorkerThread() { Join(); }
  WorkerThread(const WorkerThread&) = delete;
  WorkerThread& operator=(const WorkerThread&) = delete;

  // Waits for the work to end; idempotent.
  void Join();

 private:
  static void* Main(void* self);

  std::function<void()> work_;
  pthread_t thread_{};
  bool joinable_ = false;
};

}  // namespace sqlmend::base
