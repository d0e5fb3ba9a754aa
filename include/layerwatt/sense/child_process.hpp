#pragma once
// A program layerwatt runs on the board — trtexec, tegrastats, nvpmodel, a benchmark under
// `layerwatt log` — and its output.
//
//   auto trtexec = sense::child_process::start({"trtexec", "--loadEngine=a.plan"}, sense::child_output::pipe);
//   sense::stamped_reader<sense::wall_clock> output(trtexec.output());   // a thread reads and stamps each line
//   ... trtexec.try_wait() until it has ended ...
//   const auto lines = output.finish();                                   // every line, stamped on arrival
//
// The child starts with no signal blocked (layerwatt's commands block SIGINT and SIGTERM in their
// own threads, and a child must not inherit that), stdin from /dev/null, and stdout and stderr
// either layerwatt's own or together into one pipe. A child still running when its
// child_process is destroyed is killed (SIGKILL) and reaped: no orphan outlives a failure.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/trtexec_output.hpp"
#include "layerwatt/sense/clock.hpp"

extern char** environ;

namespace layerwatt::sense {

enum class child_output {
  inherit,  ///< layerwatt's own stdout and stderr
  pipe,     ///< both into one pipe, read through output()
};

/// "exited with status 3", "was killed by signal 11 (Segmentation fault)".
inline std::string describe_wait_status(int status) {
  if (WIFSIGNALED(status))
    return fmt::format("was killed by signal {} ({})", WTERMSIG(status), ::strsignal(WTERMSIG(status)));
  return fmt::format("exited with status {}", WEXITSTATUS(status));
}

/// A shell's number for a wait status: the exit code, or 128 + N for death by signal N.
inline int shell_status(int status) noexcept {
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

class child_process {
 public:
  /// Starts `argv[0]` (searched in PATH when it has no '/') with `argv`. An error naming the
  /// program when it cannot be started (not found, not executable).
  static child_process start(const std::vector<std::string>& argv, child_output output) {
    if (argv.empty() || argv.front().empty()) throw error("no program to run");
    int pipe_fds[2] = {-1, -1};
    if (output == child_output::pipe && ::pipe2(pipe_fds, O_CLOEXEC) != 0)
      throw error(fmt::format("cannot make a pipe for {}: {}", argv.front(), std::strerror(errno)));
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t files;
    ::posix_spawn_file_actions_init(&files);
    ::posix_spawn_file_actions_addopen(&files, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (output == child_output::pipe) {
      ::posix_spawn_file_actions_adddup2(&files, pipe_fds[1], STDOUT_FILENO);
      ::posix_spawn_file_actions_adddup2(&files, pipe_fds[1], STDERR_FILENO);
    }
    posix_spawnattr_t attributes;
    ::posix_spawnattr_init(&attributes);
    sigset_t none;
    ::sigemptyset(&none);
    ::posix_spawnattr_setsigmask(&attributes, &none);
    ::posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
    pid_t pid = -1;
    const int rc = ::posix_spawnp(&pid, args.front(), &files, &attributes, args.data(), environ);
    ::posix_spawnattr_destroy(&attributes);
    ::posix_spawn_file_actions_destroy(&files);
    if (pipe_fds[1] >= 0) ::close(pipe_fds[1]);
    if (rc != 0) {
      if (pipe_fds[0] >= 0) ::close(pipe_fds[0]);
      throw error(fmt::format("cannot run {}: {}", argv.front(), std::strerror(rc)));
    }
    return child_process(pid, pipe_fds[0]);
  }

  child_process(child_process&& other) noexcept
      : pid_(std::exchange(other.pid_, -1)), output_(std::exchange(other.output_, -1)), status_(other.status_) {}
  child_process& operator=(child_process&& other) noexcept {
    if (this != &other) {
      end();
      pid_ = std::exchange(other.pid_, -1);
      output_ = std::exchange(other.output_, -1);
      status_ = other.status_;
    }
    return *this;
  }
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;
  ~child_process() { end(); }

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }

  /// The read end of the pipe (child_output::pipe), or -1. Reading it is the caller's affair
  /// (a stamped_reader, or the tegrastats sampler); it is closed with this object.
  [[nodiscard]] int output() const noexcept { return output_; }

  /// The wait status once the child has ended (reaping it), nothing while it runs.
  std::optional<int> try_wait() noexcept {
    if (!status_ && pid_ > 0) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) status_ = status;
    }
    return status_;
  }

  /// Waits for the child to end; its wait status.
  int wait() noexcept {
    while (!status_ && pid_ > 0) {
      int status = 0;
      const pid_t r = ::waitpid(pid_, &status, 0);
      if (r == pid_) status_ = status;
      else if (r < 0 && errno != EINTR) status_ = 0;  // not ours to wait for any more (reaped elsewhere)
    }
    return status_.value_or(0);
  }

  /// Waits up to `timeout` for the child to end; its wait status, or nothing if it still runs.
  std::optional<int> wait_for(std::chrono::milliseconds timeout) noexcept {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!try_wait() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds{5});
    return status_;
  }

  /// Sends `signal` while the child runs (not after it was reaped: its pid may be reused).
  void signal(int number) noexcept {
    if (pid_ > 0 && !try_wait()) ::kill(pid_, number);
  }

  /// SIGTERM, then SIGKILL if it has not ended after `grace`; waits for it.
  int terminate(std::chrono::milliseconds grace = std::chrono::milliseconds{5000}) noexcept {
    signal(SIGTERM);
    if (!wait_for(grace)) signal(SIGKILL);
    return wait();
  }

 private:
  child_process(pid_t pid, int output) noexcept : pid_(pid), output_(output) {}

  void end() noexcept {
    if (pid_ > 0 && !try_wait()) {
      ::kill(pid_, SIGKILL);
      wait();
    }
    if (output_ >= 0) ::close(std::exchange(output_, -1));
    pid_ = -1;
  }

  pid_t pid_ = -1;
  int output_ = -1;
  std::optional<int> status_;
};

/// Splits bytes into lines through one growing buffer (a line longer than `max_line` is cut
/// there, so that a program printing garbage cannot exhaust memory).
class line_splitter {
 public:
  static constexpr std::size_t max_line = 64 * 1024;

  /// Feeds `bytes`; calls `on_line(text)` for each line completed (without its '\n' or '\r').
  template <typename OnLine>
  void feed(std::string_view bytes, OnLine&& on_line) {
    for (const char c : bytes) {
      if (c == '\n' || partial_.size() >= max_line) {
        if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
        on_line(std::string_view(partial_));
        partial_.clear();
        if (c == '\n') continue;
      }
      partial_ += c;
    }
  }

  /// The last line if it had no '\n'.
  template <typename OnLine>
  void flush(OnLine&& on_line) {
    if (!partial_.empty()) on_line(std::string_view(partial_));
    partial_.clear();
  }

 private:
  std::string partial_;
};

/// Reads a pipe on a thread of its own until the end, stamping each line with `Clock` the moment
/// its bytes were read (a line's stamp is at most the pipe's latency, µs, after it was written).
template <clock Clock = wall_clock>
class stamped_reader {
 public:
  explicit stamped_reader(int fd, Clock clock = Clock{}) : clock_(std::move(clock)), fd_(fd) {
    thread_ = std::jthread([this] { read_loop(); });
  }
  stamped_reader(const stamped_reader&) = delete;
  stamped_reader& operator=(const stamped_reader&) = delete;
  ~stamped_reader() { finish(); }

  /// The lines read so far.
  [[nodiscard]] std::vector<io::stamped_line> lines() const {
    const std::lock_guard lock(mutex_);
    return lines_;
  }

  /// True once a line read so far satisfies `predicate(text)`.
  template <typename Predicate>
  [[nodiscard]] bool any_line(Predicate&& predicate) const {
    const std::lock_guard lock(mutex_);
    for (const auto& l : lines_)
      if (predicate(std::string_view(l.text))) return true;
    return false;
  }

  /// Waits for the end of the output (every writer closed the pipe) and returns every line.
  std::vector<io::stamped_line> finish() {
    if (thread_.joinable()) thread_.join();
    const std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  void read_loop() noexcept {
    char buffer[4096];
    line_splitter splitter;
    const auto add = [&](time_stamp t) {
      return [this, t](std::string_view text) {
        const std::lock_guard lock(mutex_);
        lines_.push_back({t, std::string(text)});
      };
    };
    try {
      for (;;) {
        const ssize_t n = ::read(fd_, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        splitter.feed(std::string_view(buffer, static_cast<std::size_t>(n)), add(clock_.now()));
      }
      splitter.flush(add(clock_.now()));
    } catch (...) {  // out of memory: the lines so far are kept
    }
  }

  Clock clock_;
  int fd_;
  mutable std::mutex mutex_;
  std::vector<io::stamped_line> lines_;
  std::jthread thread_;
};

/// Runs `argv` to its end, up to `timeout`, and returns its wait status and output (stdout and
/// stderr together). An error when it cannot start; a child still running at the timeout is killed
/// and that is an error too.
inline std::pair<int, std::string> run_program(const std::vector<std::string>& argv,
                                               std::chrono::milliseconds timeout = std::chrono::milliseconds{10'000}) {
  auto child = child_process::start(argv, child_output::pipe);
  std::string text;
  const auto until = std::chrono::steady_clock::now() + timeout;
  char buffer[4096];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      child.terminate(std::chrono::milliseconds{500});
      throw error(fmt::format("{} did not finish within {} ms", fmt::join(argv, " "), timeout.count()));
    }
    pollfd p{child.output(), POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    const ssize_t n = ::read(child.output(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (text.size() < 1 << 20) text.append(buffer, static_cast<std::size_t>(n));
  }
  return {child.wait(), std::move(text)};
}

}  // namespace layerwatt::sense
