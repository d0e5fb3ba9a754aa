#pragma once
// An output directory a command adds to: what an earlier run left there beside this run's is
// named, since the next step reads it as if this run had written it.

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "layerwatt/core/warning.hpp"

namespace layerwatt::cli {

/// Warns that `out` holds `earlier` (folders of networks or models this run did not write), kept
/// beside this run's, which `reader` reads too. Nothing where `earlier` is empty.
inline void warn_about_earlier_output(const std::filesystem::path& out, std::vector<std::string> earlier,
                                      std::string_view reader) {
  if (earlier.empty()) return;
  std::sort(earlier.begin(), earlier.end());
  print_warning(fmt::format("{} already holds {} other folder(s), kept beside this run's ({} reads them too; remove "
                            "the folder to start afresh): {}",
                            out.string(), earlier.size(), reader, fmt::join(earlier, ", ")));
}

}  // namespace layerwatt::cli
