#pragma once
// Every file layerwatt writes goes through atomic_output_file: bytes go to a temporary file in
// the destination's directory and are renamed over the destination only by commit(). A crash, an
// exception, a full disk or a signal leaves the previous file (or none) — never half of a new one.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"

namespace layerwatt::io {

class atomic_output_file {
 public:
  /// Creates the destination's parent directories if needed.
  explicit atomic_output_file(std::filesystem::path destination)
      : destination_(std::move(destination)) {
    std::error_code ec;
    if (const auto parent = destination_.parent_path(); !parent.empty()) {
      std::filesystem::create_directories(parent, ec);
      if (ec) throw error(fmt::format("{}: cannot create directory: {}", parent.string(), ec.message()));
    }
    static std::atomic<unsigned> counter{0};
    temporary_ = destination_;
    temporary_ += fmt::format(".tmp.{}.{}", ::getpid(), counter++);
    fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd_ < 0) fail("cannot create");
    buffer_.reserve(flush_threshold + (64 << 10));
  }

  atomic_output_file(const atomic_output_file&) = delete;
  atomic_output_file& operator=(const atomic_output_file&) = delete;

  ~atomic_output_file() {
    if (fd_ >= 0) {
      ::close(fd_);
      ::unlink(temporary_.c_str());
    }
  }

  void write(std::string_view bytes) {
    buffer_.append(bytes);
    if (buffer_.size() >= flush_threshold) flush();
  }
  void put(char c) { buffer_.push_back(c); }

  /// fmt-style formatting straight into the output buffer.
  template <typename... Args>
  void print(fmt::format_string<Args...> format, Args&&... args) {
    fmt::format_to(std::back_inserter(buffer_), format, std::forward<Args>(args)...);
    if (buffer_.size() >= flush_threshold) flush();
  }

  /// Direct access for writers that format numbers in place; call maybe_flush() after appending.
  std::string& buffer() noexcept { return buffer_; }
  void maybe_flush() {
    if (buffer_.size() >= flush_threshold) flush();
  }

  /// Writes what is buffered, then renames the file into place. Nothing is visible before this.
  void commit() {
    flush();
    if (::close(std::exchange(fd_, -1)) != 0) {
      ::unlink(temporary_.c_str());
      fail("cannot close");
    }
    if (::rename(temporary_.c_str(), destination_.c_str()) != 0) {
      const int saved = errno;
      ::unlink(temporary_.c_str());
      errno = saved;
      fail("cannot rename into place");
    }
  }

  [[nodiscard]] const std::filesystem::path& destination() const noexcept { return destination_; }

 private:
  static constexpr std::size_t flush_threshold = std::size_t{1} << 20;

  void flush() {
    std::string_view rest = buffer_;
    while (!rest.empty()) {
      const ssize_t n = ::write(fd_, rest.data(), rest.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) fail("cannot write");
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
    buffer_.clear();
  }

  [[noreturn]] void fail(std::string_view what) const {
    throw error(fmt::format("{}: {}: {}", destination_.string(), what, std::strerror(errno)));
  }

  std::filesystem::path destination_, temporary_;
  int fd_ = -1;
  std::string buffer_;
};

/// Writes `text` to `path` atomically.
inline void write_file_atomically(const std::filesystem::path& path, std::string_view text) {
  atomic_output_file out(path);
  out.write(text);
  out.commit();
}

}  // namespace layerwatt::io
