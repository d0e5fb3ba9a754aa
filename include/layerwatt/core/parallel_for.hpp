#pragma once
// Runs independent tasks (cross-validation folds, Gram blocks, simulated networks) on a few
// threads. Results do not depend on the thread count: each task writes only its own outputs.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace layerwatt {

/// Calls task(i) for every i in [0, count) on up to `threads` threads (0: one per hardware
/// thread). The first exception a task throws is rethrown here after all threads have stopped.
template <typename Task>
void parallel_for(std::size_t count, unsigned threads, Task&& task) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t workers = std::min<std::size_t>(threads, count);
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < count;) {
      try {
        task(i);
      } catch (...) {
        const std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        next = count;  // no new tasks
      }
    }
  };
  if (workers <= 1) {
    work();
  } else {
    std::vector<std::jthread> pool;
    pool.reserve(workers - 1);
    for (std::size_t w = 1; w < workers; ++w) pool.emplace_back(work);
    work();
  }  // jthreads join here
  if (failure) std::rethrow_exception(failure);
}

}  // namespace layerwatt
