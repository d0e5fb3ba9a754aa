#pragma once
// Other people's data — real engines, the reference's fixtures, real measurements — stays in
// the `shared` folder beside the checkout (CMake's LAYERWATT_SHARED_DIR), never in this
// repository. A test that reads it starts with LAYERWATT_REQUIRE_SHARED(): without the folder
// the test is skipped with the reason, so a user's clone still passes; where the environment
// sets LAYERWATT_REQUIRE_SHARED=1 (CI does, in .ci/run) the skip is a failure instead.
// LAYERWATT_SHARED_DIR in the environment overrides the configured folder at run time.

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace layerwatt::testing {

/// The environment's LAYERWATT_SHARED_DIR when set (to run the suite against another copy, or
/// none), else the configured one.
inline std::filesystem::path shared_dir() {
  const char* over = std::getenv("LAYERWATT_SHARED_DIR");
  return over && *over ? std::filesystem::path(over) : std::filesystem::path(LAYERWATT_SHARED_DIR);
}

/// <shared>/data/<relative>: the reference's engines and fixtures (shared/data/README.md).
inline std::filesystem::path reference_data(std::string_view relative) {
  return shared_dir() / "data" / relative;
}

/// <shared>/realdata/<relative>: measurements by other people (each folder's PROVENANCE.md).
inline std::filesystem::path real_data(std::string_view relative) { return shared_dir() / "realdata" / relative; }

/// Why shared data cannot be read, if it cannot.
inline std::optional<std::string> shared_data_absent() {
  std::error_code ec;
  if (std::filesystem::is_directory(shared_dir() / "data", ec)) return std::nullopt;
  return "needs the shared data folder " + shared_dir().string() +
         " (other people's data, kept out of the repository); configure with -DLAYERWATT_SHARED_DIR=PATH";
}

inline bool shared_data_required() {
  const char* value = std::getenv("LAYERWATT_REQUIRE_SHARED");
  return value && std::string_view(value) != "" && std::string_view(value) != "0";
}

}  // namespace layerwatt::testing

/// Skips the test (or fails it, under LAYERWATT_REQUIRE_SHARED=1) when the shared folder is absent.
#define LAYERWATT_REQUIRE_SHARED()                                                  \
  do {                                                                              \
    if (const auto why_ = ::layerwatt::testing::shared_data_absent()) {             \
      if (::layerwatt::testing::shared_data_required()) FAIL() << *why_;            \
      GTEST_SKIP() << *why_;                                                        \
    }                                                                               \
  } while (false)
