#pragma once
// Streams a text file line by line through one reusable buffer: no per-line allocation, and
// read(2) rather than mmap, so a file truncated while we read it gives an error, not SIGBUS.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "layerwatt/core/error.hpp"

namespace layerwatt::io {

/// Owns a file descriptor opened for reading; the error names the path.
class input_file {
 public:
  explicit input_file(const std::filesystem::path& path) : path_(path.string()) {
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw error(fmt::format("{}: cannot open for reading: {}", path_, std::strerror(errno)));
  }
  input_file(const input_file&) = delete;
  input_file& operator=(const input_file&) = delete;
  ~input_file() { ::close(fd_); }

  /// Reads up to `size` bytes; 0 at the end of the file.
  std::size_t read_some(char* out, std::size_t size) {
    for (;;) {
      const ssize_t n = ::read(fd_, out, size);
      if (n >= 0) return static_cast<std::size_t>(n);
      if (errno != EINTR) throw error(fmt::format("{}: read failed: {}", path_, std::strerror(errno)));
    }
  }

  /// The whole rest of the file, in one allocation where its size is known (a 100 MB ONNX model
  /// read in 64 KiB steps cost twice as long).
  std::string read_all() {
    std::string text(std::max<std::size_t>(size_now() + 1, std::size_t{1} << 16), '\0');
    std::size_t used = 0;
    for (;;) {
      if (used == text.size()) text.resize(2 * text.size());  // grown while read, or a pipe
      const std::size_t n = read_some(text.data() + used, text.size() - used);
      if (n == 0) break;
      used += n;
    }
    text.resize(used);
    return text;
  }

  /// The file's size when asked (0 for what fstat cannot size: a pipe, a FIFO).
  [[nodiscard]] std::size_t size_now() const noexcept {
    struct stat st {};
    return ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode) ? static_cast<std::size_t>(st.st_size) : 0;
  }

  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

inline std::string read_text_file(const std::filesystem::path& path) { return input_file(path).read_all(); }

class line_reader {
 public:
  static constexpr std::size_t default_max_line = std::size_t{16} << 20;

  explicit line_reader(const std::filesystem::path& path, std::size_t max_line = default_max_line)
      : file_(path), max_line_(max_line), buffer_(initial_buffer(file_.size_now(), max_line)) {}

  /// The next line without its terminator (`\n` or `\r\n`); nullopt at the end of the file.
  std::optional<std::string_view> next() {
    for (;;) {
      const char* first = buffer_.data() + begin_;
      if (const void* nl = std::memchr(first, '\n', end_ - begin_)) {
        const auto length = static_cast<std::size_t>(static_cast<const char*>(nl) - first);
        begin_ += length + 1;
        return deliver({first, length}, true);
      }
      if (eof_) {
        if (begin_ == end_) return std::nullopt;
        const std::string_view rest{first, end_ - begin_};
        begin_ = end_;
        return deliver(rest, false);
      }
      refill();
    }
  }

  /// 1-based number of the line last returned by next().
  [[nodiscard]] std::size_t line_number() const noexcept { return line_; }
  /// True when the line last returned ended the file without a newline (a writer cut off).
  [[nodiscard]] bool last_line_unterminated() const noexcept { return unterminated_; }
  [[nodiscard]] const std::string& path() const noexcept { return file_.path(); }

 private:
  // 1 MiB streams any file at full speed; a small file needs no more than itself (plus room to
  // see its end), which keeps many small reads cheap. The buffer grows if the file does.
  static std::size_t initial_buffer(std::size_t file_size, std::size_t max_line) noexcept {
    constexpr std::size_t smallest = std::size_t{4} << 10, streaming = std::size_t{1} << 20;
    return std::min(std::max(std::min(file_size + 1, streaming), smallest), std::max(max_line, std::size_t{1}));
  }

  std::string_view deliver(std::string_view line, bool terminated) {
    ++line_;
    unterminated_ = !terminated;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  }

  void refill() {
    if (begin_ > 0) {  // keep the partial line, drop what was consumed
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (end_ == buffer_.size()) {
      if (buffer_.size() >= max_line_)
        throw error(file_.path(), line_ + 1,
                    fmt::format("expected a line of at most {} bytes", max_line_));
      buffer_.resize(std::min(buffer_.size() * 2, max_line_));
    }
    const std::size_t n = file_.read_some(buffer_.data() + end_, buffer_.size() - end_);
    end_ += n;
    eof_ = n == 0;
  }

  input_file file_;
  std::size_t max_line_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0, end_ = 0, line_ = 0;
  bool eof_ = false, unterminated_ = false;
};

}  // namespace layerwatt::io
