#pragma once
// SIGINT, SIGTERM and SIGCHLD for commands that run until stopped (`log`, `idle`). The signals
// are blocked in the calling thread before any worker starts, so every thread inherits the block
// and none is interrupted; the main thread collects them with sigtimedwait, where it is safe to
// stop a logger and write files (a signal handler could do neither).

#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include <chrono>
#include <optional>

namespace layerwatt::cli {

class stop_signals {
 public:
  struct caught {
    int number;
    bool sent_by_process;  ///< kill(1) or similar, not the terminal (which signals the whole group)
  };

  stop_signals() noexcept {
    ::sigemptyset(&set_);
    ::sigaddset(&set_, SIGINT);
    ::sigaddset(&set_, SIGTERM);
    ::sigaddset(&set_, SIGCHLD);
    ::pthread_sigmask(SIG_BLOCK, &set_, &saved_);
  }
  stop_signals(const stop_signals&) = delete;
  stop_signals& operator=(const stop_signals&) = delete;
  ~stop_signals() { ::pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }

  /// The next of the three signals, or nothing after `timeout`.
  std::optional<caught> wait(std::chrono::milliseconds timeout) const noexcept {
    const timespec ts{static_cast<time_t>(timeout.count() / 1000), static_cast<long>(timeout.count() % 1000) * 1'000'000};
    siginfo_t info{};
    const int number = ::sigtimedwait(&set_, &info, &ts);
    if (number < 0) return std::nullopt;
    return caught{number, info.si_code <= 0};  // SI_USER, SI_QUEUE, SI_TKILL: sent by a process
  }

  /// The signal mask a child process should start with (the one before the block).
  [[nodiscard]] const sigset_t& original_mask() const noexcept { return saved_; }

 private:
  sigset_t set_{}, saved_{};
};

/// 128 + N for death by signal N, like a shell; the exit code otherwise.
inline int exit_status_of(int wait_status) noexcept {
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return WEXITSTATUS(wait_status);
}

}  // namespace layerwatt::cli
