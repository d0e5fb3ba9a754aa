#pragma once
// A command that writes many files into a directory (`dataset`, `map`, `convert`, `simulate`)
// marks it incomplete before its first file and clears the mark once it has written them all.
// Each file is written whole (atomic_file.hpp), but a run stopped between two files (Ctrl-C, a
// kill, a crash) leaves some of its files beside an earlier run's; every directory reader
// (io::require_directory) refuses such a directory, naming the command to run again, instead of
// reading the mix as one run's.
//
//   io::output_in_progress writing(out, "`layerwatt dataset`");  // creates out/.incomplete
//   ...                                                          // writes out's files
//   writing.finish();                                            // out is whole: the mark goes
//
// An error before finish() leaves the mark too: what the run wrote by then is not known to fit.
// A mark another command left stays after finish(): only that command completes what it began.

#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/directory.hpp"

namespace layerwatt::io {

class output_in_progress {
 public:
  /// Creates `directory` where missing and the mark in it, which names `writer` (for the reader's
  /// error: "`layerwatt dataset`"). Errors: the directory or the mark cannot be made.
  output_in_progress(std::filesystem::path directory, std::string_view writer)
      : marker_(std::move(directory) / incomplete_marker) {
    std::error_code ec;
    std::filesystem::create_directories(marker_.parent_path(), ec);
    if (ec) throw error(fmt::format("{}: cannot create: {}", marker_.parent_path().string(), ec.message()));
    // Another command's mark stays: this run does not rewrite what that one left half-done. A
    // mark naming no command is no one's to complete: this run's replaces it.
    if (auto other = incomplete_writer(marker_.parent_path()); other && !other->empty() && *other != writer)
      kept_for_ = std::move(*other);
    else write_file_atomically(marker_, fmt::format("{}\n", writer));
  }

  output_in_progress(const output_in_progress&) = delete;
  output_in_progress& operator=(const output_in_progress&) = delete;

  /// Every file is written: the directory reads as whole again, unless another command marked it
  /// (that command is to be run again). Errors: the mark cannot be removed.
  void finish() {
    if (!kept_for_.empty()) return;
    std::error_code ec;
    std::filesystem::remove(marker_, ec);
    if (ec) throw error(fmt::format("{}: cannot remove: {}", marker_.string(), ec.message()));
  }

  /// The mark's path.
  [[nodiscard]] const std::filesystem::path& marker() const noexcept { return marker_; }

  /// The other command whose mark stays after finish() ("`layerwatt dataset`"); empty where the
  /// mark is this run's.
  [[nodiscard]] const std::string& kept_for() const noexcept { return kept_for_; }

 private:
  std::filesystem::path marker_;
  std::string kept_for_;
};

}  // namespace layerwatt::io
