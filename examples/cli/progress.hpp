#pragma once
// A one-line status on stderr, rewritten in place, for long work; shown only when stderr is a
// terminal, so logs and pipes get the final summary alone.

#include <unistd.h>

#include <cstdio>
#include <utility>

#include <fmt/format.h>

namespace layerwatt::cli {

class progress_line {
 public:
  progress_line() noexcept : enabled_(::isatty(STDERR_FILENO) == 1) {}
  progress_line(const progress_line&) = delete;
  progress_line& operator=(const progress_line&) = delete;
  ~progress_line() { clear(); }

  template <typename... Args>
  void show(fmt::format_string<Args...> format, Args&&... args) {
    if (!enabled_) return;
    fmt::print(stderr, "\r\033[K");
    fmt::print(stderr, format, std::forward<Args>(args)...);
    std::fflush(stderr);
    shown_ = true;
  }

  /// Erases the line (before a summary is printed).
  void clear() noexcept {
    if (shown_) std::fputs("\r\033[K", stderr);
    shown_ = false;
  }

 private:
  bool enabled_;
  bool shown_ = false;
};

}  // namespace layerwatt::cli
