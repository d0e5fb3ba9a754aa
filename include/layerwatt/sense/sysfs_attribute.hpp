#pragma once
// One numeric sysfs attribute (`in1_input`, `curr1_input`, ...) read on the hot path: the file is
// opened once, each reading is one pread at offset 0 (sysfs regenerates the text on every read
// from offset 0) and one from_chars. No allocation, no exception, no stdio.

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"

namespace layerwatt::sense {

class sysfs_attribute {
 public:
  sysfs_attribute() = default;

  /// Opens `path` for reading; an error names it and says why it cannot be opened.
  explicit sysfs_attribute(std::filesystem::path path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw error(fmt::format("{}: cannot open: {}", path_.string(), std::strerror(errno)));
  }

  sysfs_attribute(sysfs_attribute&& other) noexcept
      : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}
  sysfs_attribute& operator=(sysfs_attribute&& other) noexcept {
    if (this != &other) {
      close();
      path_ = std::move(other.path_);
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  sysfs_attribute(const sysfs_attribute&) = delete;
  sysfs_attribute& operator=(const sysfs_attribute&) = delete;
  ~sysfs_attribute() { close(); }

  /// The current value; nullopt when the read fails (EIO, a vanished device), the file is empty,
  /// or its text is not one number followed by optional whitespace.
  [[nodiscard]] std::optional<double> read() const noexcept {
    char text[max_chars];
    ssize_t n;
    do n = ::pread(fd_, text, sizeof text, 0);
    while (n < 0 && errno == EINTR);
    if (n <= 0 || n == static_cast<ssize_t>(sizeof text)) return std::nullopt;  // error, empty, too long
    const char* end = text + n;
    while (end > text && (end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t')) --end;
    double value = 0;
    const auto [stop, ec] = std::from_chars(text, end, value);
    if (ec != std::errc{} || stop != end || stop == text || !std::isfinite(value)) return std::nullopt;
    return value;
  }

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  /// Sysfs numbers are a few digits; a longer text is not one of them.
  static constexpr std::size_t max_chars = 64;

  void close() noexcept {
    if (fd_ >= 0) ::close(std::exchange(fd_, -1));
  }

  std::filesystem::path path_;
  int fd_ = -1;
};

/// The first line of a small text file with trailing whitespace removed (labels, names, settings
/// read once at discovery); nullopt when it cannot be read.
inline std::optional<std::string> read_sysfs_text(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char text[256];
  const ssize_t n = ::read(fd, text, sizeof text);
  ::close(fd);
  if (n < 0) return std::nullopt;
  std::string_view line(text, static_cast<std::size_t>(n));
  line = line.substr(0, line.find('\n'));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
  return std::string(line);
}

}  // namespace layerwatt::sense
