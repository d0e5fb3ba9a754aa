#pragma once
// A fresh directory per test, removed afterwards, and small file helpers.

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>

#include "layerwatt/core/error.hpp"

namespace layerwatt::testing {

class temp_dir {
 public:
  temp_dir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("layerwatt-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
  [[nodiscard]] std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline void write_text(const std::filesystem::path& path, std::string_view text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace layerwatt::testing

/// Asserts that `statement` throws layerwatt::error whose message contains every listed part.
#define EXPECT_ERROR_MENTIONS(statement, ...)                                       \
  do {                                                                              \
    try {                                                                           \
      static_cast<void>(statement);                                                 \
      ADD_FAILURE() << "expected layerwatt::error from " #statement;                \
    } catch (const ::layerwatt::error& e_) {                                        \
      for (std::string_view part_ : {__VA_ARGS__})                                  \
        EXPECT_NE(std::string_view(e_.what()).find(part_), std::string_view::npos)  \
            << "message: " << e_.what() << "\nlacks: " << part_;                    \
    }                                                                               \
  } while (false)
