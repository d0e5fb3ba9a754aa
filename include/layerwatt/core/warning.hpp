#pragma once
// Where the library reports what it tolerated (a dropped truncated line, an ignored layer type).
// Readers take a warning_sink; the default prints to stderr so nothing is ever dropped silently.

#include <cstdio>
#include <functional>
#include <string_view>

#include <fmt/format.h>

namespace layerwatt {

using warning_sink = std::function<void(std::string_view)>;

inline void print_warning(std::string_view message) {
  fmt::print(stderr, "layerwatt: warning: {}\n", message);
}

}  // namespace layerwatt
