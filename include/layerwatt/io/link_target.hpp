#pragma once
// link_target: the file a path names once its symbolic links are followed. Every output follows
// a link and keeps it (atomic_file.hpp), and a power log's sidecar and `.partial` file lie beside
// the file a linked log names, so that writers and readers agree where they are.

#include <filesystem>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"

namespace layerwatt::io {

/// The file `path` names once its symbolic links are followed (a relative link against the link's
/// own directory); `path` itself when it is no link, and a dangling link's name for a file to
/// create. A file written there and renamed over it keeps the links. Throws error naming `path` on
/// a loop (more than 40 links, Linux's own limit) or a link that cannot be read.
inline std::filesystem::path link_target(const std::filesystem::path& path) {
  std::error_code ec;
  auto target = path;
  for (int hops = 0; std::filesystem::is_symlink(std::filesystem::symlink_status(target, ec)); ++hops) {
    auto next = std::filesystem::read_symlink(target, ec);
    if (ec || hops == 40)
      throw error(fmt::format("{}: cannot follow the link: {}", path.string(),
                              ec ? ec.message() : "too many levels of links"));
    target = next.is_absolute() ? std::move(next) : target.parent_path() / next;
  }
  return target;
}

}  // namespace layerwatt::io
