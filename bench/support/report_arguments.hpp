#pragma once
// The command line of a report benchmark (one run that writes a Markdown file, not a Google
// Benchmark program): `--name value` pairs, each handed to the benchmark's own setter.

#include <functional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"

namespace layerwatt::bench {

/// Calls set(name, value) for each `--name value` pair; set returns false for a name it does not
/// know, which is an error listing `expected`. A name without its value is an error too.
inline void read_report_arguments(int argc, char** argv, std::string_view expected,
                                  const std::function<bool(std::string_view, const std::string&)>& set) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view name = argv[i];
    if (i + 1 >= argc) throw error(fmt::format("{} needs a value", name));
    if (!set(name, argv[++i])) throw error(fmt::format("unknown argument {}; expected {}", name, expected));
  }
}

}  // namespace layerwatt::bench
