#pragma once
// SIGINT/SIGTERM for the commands that do not wait for them (`map`, `convert`, `dataset`, ...):
// stop at once, remove the temporary file of every output being written, say so on stderr, exit
// 130. Outputs already committed stay whole; the destination of the one in progress keeps its
// previous content (or stays absent); a directory a command was filling stays marked incomplete
// (writing_directory). `log` and `idle` block both signals (stop_signals.hpp) and finish their
// files instead, so this handler never runs there.

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <deque>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "command.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/output_in_progress.hpp"

namespace layerwatt::cli {

/// The exit status 130 of a command that fills a directory (writing_directory), for its help.
inline constexpr std::string_view stopped_help =
    R"(130 stopped by SIGINT/SIGTERM (files finished before stay whole; the one being written is
removed, its previous version kept; each directory it was filling stays marked incomplete,
which every reader refuses, until the command is run again to its end).
)";

namespace detail {
inline constexpr const char* stopped_default =
    "layerwatt: stopped: the files written before are whole; the one being written was not kept\n";
inline std::deque<std::string> stopped_texts;  // kept: a handler on another thread may hold any of them
inline std::atomic<const char*> stopped_line{stopped_default};

inline void remove_outputs_and_exit(int) {
  io::unlink_temporary_outputs();
  const char* line = stopped_line.load();
  [[maybe_unused]] const auto written = ::write(STDERR_FILENO, line, std::strlen(line));
  ::_exit(exit_interrupted);
}

/// What a stop says from now on (one line); the default where `line` is empty.
inline void say_when_stopped(std::string line) {
  if (line.empty()) {
    stopped_line.store(stopped_default);
    return;
  }
  stopped_texts.push_back(std::move(line) + "\n");
  stopped_line.store(stopped_texts.back().c_str());
}
}  // namespace detail

inline void remove_outputs_on_interrupt() noexcept {
  struct sigaction action {};
  action.sa_handler = detail::remove_outputs_and_exit;
  ::sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

/// The directories `layerwatt COMMAND` fills with many files: each marked incomplete until done()
/// (io::output_in_progress, which every reader checks), and a stop before then names them all.
class writing_directory {
 public:
  writing_directory(const std::vector<std::filesystem::path>& directories, std::string_view command)
      : command_(command) {
    for (const auto& directory : directories) marks_.emplace_back(directory, fmt::format("`layerwatt {}`", command));
    name_marks_when_stopped();
  }

  /// Every file is written. A directory another command marked stays marked, and stderr says so.
  void done() {
    while (!marks_.empty()) {
      auto& mark = marks_.front();
      mark.finish();
      if (!mark.kept_for().empty())
        fmt::print(stderr, "layerwatt {}: note: {} stays marked incomplete: {} stopped while writing it; run that "
                   "again to its end\n", command_, mark.marker().parent_path().string(), mark.kept_for());
      marks_.pop_front();
      name_marks_when_stopped();
    }
  }

 private:
  /// A stop from now on names the directories still marked.
  void name_marks_when_stopped() {
    if (marks_.empty()) return detail::say_when_stopped({});
    std::vector<std::string> named;
    for (const auto& mark : marks_)
      named.push_back(fmt::format("{} ({})", mark.marker().parent_path().string(), mark.marker().string()));
    detail::say_when_stopped(fmt::format("layerwatt {}: stopped: {} {} marked incomplete until the command is run "
                                         "again to its end",
                                         command_, fmt::join(named, " and "), named.size() == 1 ? "is" : "are"));
  }

  std::string command_;
  std::deque<io::output_in_progress> marks_;  // a deque: a mark neither moves nor copies
};

}  // namespace layerwatt::cli
