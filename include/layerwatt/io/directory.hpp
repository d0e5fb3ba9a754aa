#pragma once
// The check every directory reader starts with: the path given is a directory.

#include <filesystem>
#include <string_view>
#include <system_error>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"

namespace layerwatt::io {

/// Throws `error("PATH: expected EXPECTED")` unless `path` is a directory (or a link to one).
/// `expected` says what it should hold, e.g. "a model directory (as `layerwatt train --out` writes)".
inline void require_directory(const std::filesystem::path& path, std::string_view expected) {
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec)) throw error(fmt::format("{}: expected {}", path.string(), expected));
}

}  // namespace layerwatt::io
