#pragma once
// Progress for long work: one line on stderr, rewritten in place, drawn only when stderr is a
// terminal (logs and pipes get the final summary alone), and erased before anything else prints.

#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "layerwatt/core/warning.hpp"

namespace layerwatt::cli {

/// Free-form status text (a logger's running sample count).
class status_line {
 public:
  status_line() noexcept : enabled_(::isatty(STDERR_FILENO) == 1) {}
  status_line(const status_line&) = delete;
  status_line& operator=(const status_line&) = delete;
  ~status_line() { clear(); }

  template <typename... Args>
  void show(fmt::format_string<Args...> format, Args&&... args) {
    if (!enabled_) return;
    fmt::print(stderr, "\r\033[K");
    fmt::print(stderr, format, std::forward<Args>(args)...);
    std::fflush(stderr);
    shown_ = true;
  }

  /// Erases the line, so that what is printed next starts on a clean line.
  void clear() noexcept {
    if (shown_) std::fputs("\r\033[K", stderr);
    shown_ = false;
  }

  /// A warning_sink that keeps the status off the warning's line.
  void warn(std::string_view message) {
    clear();
    print_warning(message);
  }

 private:
  bool enabled_;
  bool shown_ = false;
};

/// A bar over a known number of items (models to map, to simulate, ...).
class progress_bar {
 public:
  progress_bar(std::string_view task, std::size_t total) : task_(task), total_(total) {}

  /// Counts one more item and shows it by name.
  void step(std::string_view item) {
    constexpr std::size_t width = 24;
    ++done_;
    const std::size_t filled = total_ ? width * std::min(done_, total_) / total_ : width;
    line_.show("{} [{}{}] {}/{} {}", task_, std::string(filled, '#'), std::string(width - filled, '.'), done_, total_,
               item.substr(0, 40));
  }

  void warn(std::string_view message) { line_.warn(message); }
  void clear() noexcept { line_.clear(); }

 private:
  std::string task_;
  std::size_t total_, done_ = 0;
  status_line line_;
};

}  // namespace layerwatt::cli
