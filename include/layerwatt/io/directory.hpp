#pragma once
// The checks every directory reader starts with: the path given is a directory, and a file it
// needs is one.

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

/// What keeps `path` from being read as a file: "" (nothing: a regular file, or a link to one),
/// "missing", or "not a file" (a directory, say).
inline std::string_view file_problem(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) return "";
  return std::filesystem::exists(path, ec) ? "not a file" : "missing";
}

}  // namespace layerwatt::io
