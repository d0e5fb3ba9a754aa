#pragma once
// A one-line progress bar on stderr, drawn only when stderr is a terminal (never into a log
// file or a pipe) and erased when the work is done.

#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "layerwatt/core/warning.hpp"

namespace layerwatt::cli {

class progress_bar {
 public:
  progress_bar(std::string_view task, std::size_t total)
      : task_(task), total_(total), shown_(::isatty(STDERR_FILENO) == 1) {}
  progress_bar(const progress_bar&) = delete;
  progress_bar& operator=(const progress_bar&) = delete;
  ~progress_bar() { clear(); }

  /// Announces that item `done + 1` of `total`, named `item`, is under way.
  void step(std::string_view item) {
    if (!shown_) return;
    constexpr std::size_t width = 24;
    const std::size_t filled = total_ ? width * done_ / total_ : width;
    fmt::print(stderr, "\r\033[K{} [{}{}] {}/{} {}", task_, std::string(filled, '#'), std::string(width - filled, '.'),
               done_ + 1, total_, item.substr(0, 40));
    std::fflush(stderr);
    ++done_;
  }

  /// A warning_sink that keeps the bar off the warning's line.
  void warn(std::string_view message) {
    clear();
    print_warning(message);
  }

  /// Erases the bar, so that what is printed next starts on a clean line.
  void clear() {
    if (!shown_ || done_ == 0) return;
    fmt::print(stderr, "\r\033[K");
    std::fflush(stderr);
    done_ = 0;
  }

 private:
  std::string task_;
  std::size_t total_, done_ = 0;
  bool shown_;
};

}  // namespace layerwatt::cli
