#pragma once
// The checks every directory reader starts with: the path given is a directory, and a file it
// needs is one; the folders under it that may be models; and removing an earlier run's file.

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <system_error>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/line_reader.hpp"

namespace layerwatt::io {

/// The file a command leaves in a directory while it writes there (io/output_in_progress.hpp):
/// found later, the run that wrote it was stopped part-way, and the directory may hold some of
/// that run's files beside an earlier run's.
inline constexpr std::string_view incomplete_marker = ".incomplete";

/// What keeps `path` from being read as a file: "" (nothing: a regular file, or a link to one),
/// "missing", or "not a file" (a directory, say).
inline std::string_view file_problem(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) return "";
  return std::filesystem::exists(path, ec) ? "not a file" : "missing";
}

/// The command that marked `directory` incomplete: the first line of its incomplete_marker ("" if
/// the mark names none); nullopt where there is no mark. Errors: a mark that is no regular file
/// or cannot be read (named).
inline std::optional<std::string> incomplete_writer(const std::filesystem::path& directory) {
  const auto marker = directory / incomplete_marker;
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::symlink_status(marker, ec))) return std::nullopt;
  if (const auto problem = file_problem(marker); !problem.empty())
    throw error(fmt::format("{}: {}; expected the one-line mark of an incomplete directory", marker.string(),
                            problem));
  line_reader lines(marker);
  return std::string(lines.next().value_or(""));
}

/// Throws `error("PATH: no such directory; expected EXPECTED")` unless `path` is a directory (or a
/// link to one); "not a directory" where something else is there, the system's reason where it
/// cannot be looked at (no permission, say). `expected` says what it should hold, e.g. "a model
/// directory (as `layerwatt train --out` writes)". A directory holding incomplete_marker is an
/// error naming the command that stopped or failed while writing it.
inline void require_directory(const std::filesystem::path& path, std::string_view expected) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (std::filesystem::is_directory(status)) {
    const auto writer = incomplete_writer(path);
    if (!writer) return;
    throw error(fmt::format("{}: incomplete: {} stopped or failed while writing it ({} says so), and what it "
                            "holds may mix that run's files with an earlier run's; run it again to its end",
                            path.string(), writer->empty() ? "the command that wrote it" : *writer,
                            (path / incomplete_marker).string()));
  }
  const std::string why = std::filesystem::exists(status) ? "not a directory"
                          : ec && ec != std::errc::no_such_file_or_directory ? ec.message()
                                                                              : "no such directory";
  throw error(fmt::format("{}: {}; expected {}", path.string(), why, expected));
}

/// The folders directly under `root` that may hold a model or network, sorted by name: hidden
/// ones (.git, .cache) are no models.
inline std::vector<std::filesystem::path> model_folders(const std::filesystem::path& root) {
  std::vector<std::filesystem::path> folders;
  for (const auto& entry : std::filesystem::directory_iterator(root))
    if (entry.is_directory() && !entry.path().filename().string().starts_with('.')) folders.push_back(entry.path());
  std::sort(folders.begin(), folders.end());
  return folders;
}

/// Removes the file `path` where there is one; true if it was there. Errors: one that cannot be
/// removed (named, with the system's reason).
inline bool remove_if_present(const std::filesystem::path& path) {
  std::error_code ec;
  const bool removed = std::filesystem::remove(path, ec);
  if (ec) throw error(fmt::format("{}: cannot remove: {}", path.string(), ec.message()));
  return removed;
}

}  // namespace layerwatt::io
