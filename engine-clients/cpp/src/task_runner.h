#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace vitrine {

// A small fixed pool of threads for the asynchronous calls. A task learns whether it runs for
// real or is being cancelled because the pool shut down before it started, so that every
// callback is called exactly once.
class TaskRunner {
 public:
  using Task = std::function<void(bool cancelled)>;

  explicit TaskRunner(size_t thread_count);
  // Runs the tasks already started to completion and cancels the queued ones.
  ~TaskRunner();

  void Post(Task task);

 private:
  void Work();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace vitrine
