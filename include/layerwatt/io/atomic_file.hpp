#pragma once
// Every file layerwatt writes goes through atomic_output_file: bytes go to a temporary file in
// the destination's directory and are renamed over the destination only by commit(). A crash, an
// exception, a full disk or a signal leaves the previous file (or none) — never half of a new one.
// A symbolic link is followed: the file it names is replaced, the link kept. /dev/stdout (and
// /dev/stderr, /dev/fd/N) is written through the descriptor it names, and a destination that is
// no regular file (a device, a FIFO, which waits for its reader) in place, as a shell's `>`
// writes them: a stream has no previous version to keep, and replacing a device node with a file
// would break the system. A directory is refused before anything is written.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/link_target.hpp"

namespace layerwatt::io {

namespace detail {

/// The temporary files being written right now, for unlink_temporary_outputs(). A fixed table of
/// atomic pointers: a signal handler may read it while any thread adds or removes an entry.
inline constexpr std::size_t max_tracked_outputs = 64;
inline std::atomic<const char*> live_temporaries[max_tracked_outputs];

inline std::atomic<const char*>* track_temporary(const char* path) noexcept {
  for (auto& slot : live_temporaries) {
    const char* expected = nullptr;
    if (slot.compare_exchange_strong(expected, path)) return &slot;
  }
  return nullptr;  // more than 64 at once: that one is cleaned up by its destructor only
}

/// The descriptor that /dev/stdout, /dev/stderr, /dev/fd/N or /proc/self/fd/N names, if `path` is one.
inline std::optional<int> descriptor_named(const std::filesystem::path& path) {
  const std::string text = path.lexically_normal().string();
  if (text == "/dev/stdout") return STDOUT_FILENO;
  if (text == "/dev/stderr") return STDERR_FILENO;
  for (const std::string_view prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    if (!text.starts_with(prefix)) continue;
    int fd = -1;
    const auto digits = std::string_view(text).substr(prefix.size());
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), fd);
    if (ec == std::errc{} && end == digits.data() + digits.size() && fd >= 0) return fd;
  }
  return std::nullopt;
}

}  // namespace detail

/// Removes every temporary file an atomic_output_file is writing at this moment. Async-signal-safe
/// (it only reads atomics and calls unlink(2)): a SIGINT/SIGTERM handler calls it before it ends
/// the process, so a stopped program leaves neither half an output nor its temporary file.
inline void unlink_temporary_outputs() noexcept {
  for (auto& slot : detail::live_temporaries)
    if (const char* path = slot.load()) ::unlink(path);
}

class atomic_output_file {
 public:
  /// Creates the destination's parent directories if needed.
  explicit atomic_output_file(std::filesystem::path destination)
      : destination_(std::move(destination)) {
    if (!destination_.has_filename())
      throw error(fmt::format("expected an output file's path, got \"{}\"", destination_.string()));
    std::error_code ec;
    const auto status = std::filesystem::status(destination_, ec);  // follows links
    if (std::filesystem::is_directory(status)) {
      errno = EISDIR;
      fail("cannot write");
    }
    buffer_.reserve(flush_threshold + (64 << 10));
    // /dev/stdout and its kin name a descriptor the shell opened (a `>>` file keeps its offset
    // and append mode only through it): written through a duplicate of it, in place.
    if (const auto fd = detail::descriptor_named(destination_)) {
      fd_ = ::fcntl(*fd, F_DUPFD_CLOEXEC, 0);
      if (fd_ < 0) fail("cannot write to the descriptor");
      return;
    }
    if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
      fd_ = ::open(destination_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);  // a FIFO waits for its reader here
      if (fd_ < 0) fail("cannot open");
      return;
    }
    // The file a link names: its directory holds the temporary, so the rename stays in one file system.
    target_ = link_target(destination_);
    if (const auto parent = target_.parent_path(); !parent.empty()) {
      std::filesystem::create_directories(parent, ec);
      if (ec) throw error(fmt::format("{}: cannot create directory: {}", parent.string(), ec.message()));
    }
    static std::atomic<unsigned> counter{0};
    temporary_ = target_;
    temporary_ += fmt::format(".tmp.{}.{}", ::getpid(), counter++);
    // Tracked before it exists: a signal between open(2) and the tracking would leave it behind
    // (the handler unlinking a name not yet created is harmless).
    tracked_ = detail::track_temporary(temporary_.c_str());
    fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      const int saved = errno;
      untrack();
      errno = saved;
      fail("cannot create");
    }
  }

  atomic_output_file(const atomic_output_file&) = delete;
  atomic_output_file& operator=(const atomic_output_file&) = delete;

  ~atomic_output_file() {
    if (fd_ >= 0) {
      ::close(fd_);
      if (!in_place()) ::unlink(temporary_.c_str());
    }
    untrack();
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
      if (!in_place()) ::unlink(temporary_.c_str());
      fail("cannot close");
    }
    if (in_place()) return;
    if (::rename(temporary_.c_str(), target_.c_str()) != 0) {
      const int saved = errno;
      ::unlink(temporary_.c_str());
      errno = saved;
      fail("cannot rename into place");
    }
    untrack();  // after the rename: a signal in between unlinks a name that no longer exists
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

  /// Written straight into the destination (no regular file), not through a temporary.
  [[nodiscard]] bool in_place() const noexcept { return temporary_.empty(); }

  void untrack() noexcept {
    if (tracked_) std::exchange(tracked_, nullptr)->store(nullptr);
  }

  [[noreturn]] void fail(std::string_view what) const {
    throw error(fmt::format("{}: {}: {}", destination_.string(), what, std::strerror(errno)));
  }

  std::filesystem::path destination_, target_, temporary_;  // target_: the file the temporary replaces
  int fd_ = -1;
  std::atomic<const char*>* tracked_ = nullptr;
  std::string buffer_;
};

/// Writes `text` to `path` atomically.
inline void write_file_atomically(const std::filesystem::path& path, std::string_view text) {
  atomic_output_file out(path);
  out.write(text);
  out.commit();
}

}  // namespace layerwatt::io
