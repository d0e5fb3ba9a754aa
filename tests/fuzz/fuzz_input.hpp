#pragma once
// What every fuzz target shares: the input as a file (the readers take paths, as users call them),
// and the rule that layerwatt::error is the expected outcome for bad input. Anything else — a
// crash, another exception, a sanitizer report, a leak, a broken round trip — reaches libFuzzer
// (or the replay test) as a finding.

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "layerwatt/core/error.hpp"

namespace layerwatt::fuzzing {

/// A scratch folder per process, under /dev/shm where there is one: a target writes a file per
/// input, millions of times.
inline const std::filesystem::path& scratch_dir() {
  static const std::filesystem::path dir = [] {
    const std::filesystem::path base =
        std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
    auto d = base / ("layerwatt-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(scratch_dir(), ec);
    });
    return d;
  }();
  return dir;
}

/// Writes the bytes to `scratch_dir()/name` (plainly: the file under test, not an output).
inline std::filesystem::path input_file(std::string_view name, const std::uint8_t* data, std::size_t size) {
  auto path = scratch_dir() / name;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f || std::fwrite(data, 1, size, f) != size || std::fclose(f) != 0) std::abort();
  return path;
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Runs `parse`; layerwatt::error is a correct answer to bad input and is swallowed.
template <typename F>
int expect_errors_only(F&& parse) {
  try {
    parse();
  } catch (const layerwatt::error&) {
  }
  return 0;
}

/// A property that must hold for every accepted input (a round trip, a count); aborts otherwise
/// so libFuzzer keeps the input.
inline void require(bool holds, const char* what) {
  if (holds) return;
  std::fprintf(stderr, "fuzz property violated: %s\n", what);
  std::abort();
}

}  // namespace layerwatt::fuzzing
