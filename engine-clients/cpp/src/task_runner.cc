#include "task_runner.h"

namespace vitrine {

TaskRunner::TaskRunner(size_t thread_count) {
  if (thread_count == 0) thread_count = 1;
  for (size_t i = 0; i < thread_count; ++i) threads_.emplace_back([this] { Work(); });
}

TaskRunner::~TaskRunner() {
  std::deque<Task> cancelled;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    cancelled.swap(queue_);
  }
  wake_.notify_all();
  for (auto& thread : threads_) thread.join();
  for (auto& task : cancelled) task(true);
}

void TaskRunner::Post(Task task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!stopping_) {
      queue_.push_back(std::move(task));
      task = nullptr;
    }
  }
  if (task) {
    task(true);
    return;
  }
  wake_.notify_one();
}

void TaskRunner::Work() {
  while (true) {
    Task task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task(false);
  }
}

}  // namespace vitrine
