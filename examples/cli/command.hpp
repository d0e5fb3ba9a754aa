#pragma once
// One subcommand of the `layerwatt` executable. Each lives in its own .cpp under commands/ and
// is listed once in main.cpp.

#include <string_view>

#include "arguments.hpp"

namespace layerwatt::cli {

/// Exit statuses shared by every subcommand (and printed by `layerwatt --help`).
enum exit_status : int {
  exit_ok = 0,
  exit_failure = 1,      ///< bad input or a failed operation; the message says which file and where
  exit_usage = 2,        ///< bad command line
  exit_interrupted = 130 ///< stopped by SIGINT/SIGTERM after a clean stop
};

struct command {
  std::string_view name;
  std::string_view summary;  ///< one line for `layerwatt --help`
  std::string_view help;     ///< the whole `layerwatt NAME --help` text
  int (*run)(arguments&);
};

}  // namespace layerwatt::cli
