#pragma once
// The layerwatt CLI this build made, run as a user runs it (support/process.hpp). LAYERWATT_CLI,
// its path, is a compile definition of the suites that run it, absent where the build has no CLI
// (LAYERWATT_BUILD_EXAMPLES=OFF): those tests skip, with LAYERWATT_SKIP_WITHOUT_CLI().

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "support/process.hpp"

namespace layerwatt::testing {

#ifdef LAYERWATT_CLI
inline constexpr bool have_cli = true;
#else
inline constexpr bool have_cli = false;
#endif

/// `layerwatt ARGS...` as a command line.
inline std::vector<std::string> cli_command(std::vector<std::string> args) {
#ifdef LAYERWATT_CLI
  args.insert(args.begin(), LAYERWATT_CLI);
#endif
  return args;
}

/// Starts `layerwatt ARGS...` with stdout and stderr to the files named; -1 if it cannot start.
inline pid_t spawn_cli(std::vector<std::string> args, const std::filesystem::path& stdout_file,
                       const std::filesystem::path& stderr_file) {
  return spawn_process(cli_command(std::move(args)), stdout_file, stderr_file);
}

/// Runs `layerwatt ARGS...` to its end, its output captured in `scratch`.
inline process_result run_cli(std::vector<std::string> args, const std::filesystem::path& scratch) {
  return run_process(cli_command(std::move(args)), scratch);
}

}  // namespace layerwatt::testing

#define LAYERWATT_SKIP_WITHOUT_CLI()     \
  if (::layerwatt::testing::have_cli) {  \
  } else                                 \
    GTEST_SKIP() << "the layerwatt CLI is not part of this build (LAYERWATT_BUILD_EXAMPLES=OFF)"
