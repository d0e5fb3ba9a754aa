#pragma once
// power_logger<Sampler, Clock>: samples power on a background thread and streams the samples to
// a log in the reference's format while it runs.
//
//   sense::power_logger logger(sense::ina3221_sampler::open(), {.log = "resnet18_power_log.log"});
//   run_benchmark();
//   const io::power_log_meta summary = logger.stop();   // the log and its .meta.json are complete
//
// Two threads. The sampling thread reads the sampler on absolute deadlines (sampling_loop.hpp)
// into preallocated chunks and hands each full chunk (or one every flush_interval) to the writer
// thread, which formats whole lines, writes them and fdatasyncs. The sampling thread never
// formats, writes or allocates, so the disk cannot delay a sample.
//
// Where the samples go while it runs: `<log>.partial`, renamed to `<log>` by a clean stop, after
// `<log>.meta.json` is written. Whole lines reach the disk at least every flush_interval, so a
// board that loses power (or a logger that is killed) keeps every sample up to the last second in
// `<log>.partial`, readable as it is (the io reader drops a cut last line with a warning). We
// chose the `.partial` name over streaming to `<log>` itself because the cut-short run then
// cannot pass for a complete one: a file at the final name always holds a whole run and has its
// sidecar, and a previous complete log at that name survives until the new run completes. The
// price is one rename by hand to use a rescued prefix — a deliberate act for data that stops
// mid-benchmark. A `.partial` left over refuses a new logger rather than being overwritten. A
// `<log>` that is a symbolic link is kept: its `.partial` and sidecar lie beside the file it names
// (io::link_target), and the rename replaces that file.
//
// A run-aware sampler (sampler.hpp; the NVML sampler) is told when the run begins and ends, and
// adds its own keys to the sidecar.

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/core/warning.hpp"
#include "layerwatt/io/link_target.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/io/power_log_meta.hpp"
#include "layerwatt/sense/clock.hpp"
#include "layerwatt/sense/sampler.hpp"
#include "layerwatt/sense/sampling_loop.hpp"

namespace layerwatt::sense {

struct power_logger_options {
  std::filesystem::path log;  ///< the final path; samples stream to `<log>.partial` until a clean stop
  sampling_options sampling{};  ///< period (default 1 ms), optional sample-count and duration limits, spin
  /// Samples reach the file at least this often: the sampling thread hands its chunk to the
  /// writer when it is full (4096 samples) or this long after its first sample.
  std::chrono::milliseconds flush_interval{1000};
  bool sync = true;  ///< fdatasync after each write: a power cut loses at most one flush_interval
  std::optional<int> realtime_priority{};  ///< SCHED_FIFO 1..99 for the sampling thread (needs CAP_SYS_NICE)
  warning_sink warn = print_warning;
};

template <sampler Sampler, clock Clock = wall_clock>
class power_logger {
 public:
  /// Opens `<log>.partial`, writes the header (several rails only) and starts sampling. An error
  /// if the file cannot be created or a `.partial` is already there.
  power_logger(Sampler sampler, power_logger_options options, Clock clock = Clock{})
      : sampler_(std::move(sampler)), clock_(std::move(clock)), options_(std::move(options)) {
    const auto rails = sampler_.rails();
    if (rails.empty() || rails.size() > io::max_power_log_rails)
      throw error(fmt::format("a power log holds 1 to {} rails, the sampler has {}", io::max_power_log_rails,
                              rails.size()));
    rails_ = rails.size();
    for (const auto& r : rails) rail_names_.push_back(r.name);
    open_partial();
    try {
      io::power_log_layout layout;
      if (rails_ > 1)
        for (const auto& r : rails) layout.rails.push_back(r.name);
      const auto header = io::power_log_header(layout);
      write_all(header);
      header_bytes_ = header.size();
      for (std::size_t i = 0; i < pool_chunks; ++i) free_.push_back(make_chunk());
      full_.reserve(pool_chunks);
      current_ = make_chunk();
    } catch (...) {
      close_fd();
      ::unlink(partial_.c_str());
      throw;
    }
    writer_ = std::jthread([this] { write_loop(); });
    if constexpr (run_aware_sampler<Sampler>) sampler_.begin_run();
    try {
      sampling_ = std::jthread([this] { sample_loop(); });
    } catch (...) {  // no thread to be had: let the writer end, and leave nothing behind
      end_sampling();
      writer_.join();
      close_fd();
      ::unlink(partial_.c_str());
      throw;
    }
    if (options_.realtime_priority) set_realtime_priority(*options_.realtime_priority);
  }

  power_logger(const power_logger&) = delete;
  power_logger& operator=(const power_logger&) = delete;

  /// Stops as stop() does; an error on the way is reported to the warning sink (call stop() to
  /// have it thrown instead).
  ~power_logger() {
    if (finished_) return;
    try {
      stop();
    } catch (const std::exception& e) {
      options_.warn(e.what());
    }
  }

  /// Asks the sampling thread to end after the sample it is taking. Thread-safe; not for use
  /// inside a signal handler (wait for signals with sigwait and call it then, as the CLI does).
  void request_stop() noexcept { stop_.request_stop(); }

  /// True once sampling has ended (a stop request, a limit, or a write error).
  [[nodiscard]] bool sampling_done() const noexcept { return sampling_done_.load(std::memory_order_acquire); }

  /// Samples taken so far (updated as they are taken).
  [[nodiscard]] std::uint64_t samples_taken() const noexcept { return samples_taken_.load(std::memory_order_relaxed); }

  /// Stops sampling, writes every sample taken, then `<log>.meta.json`, then renames
  /// `<log>.partial` to `<log>`; returns what the sidecar holds. Later calls return the same.
  /// An error (a failed write, a sample no reader would take: io::plausible_rail_sample) leaves
  /// `<log>.partial` holding every line written before it, or no `.partial` where there was none.
  io::power_log_meta stop() {
    request_stop();
    return finish();
  }

  /// As stop(), but waits for a limit in the options (samples, duration) to end sampling.
  io::power_log_meta wait() { return finish(); }

  /// Stops and removes `<log>.partial`; writes nothing (for a run that failed to start).
  void discard() noexcept {
    request_stop();
    join_threads();
    if (!finished_) {
      close_fd();
      ::unlink(partial_.c_str());
      finished_ = true;
    }
  }

  [[nodiscard]] const std::filesystem::path& partial_path() const noexcept { return partial_; }

 private:
  static constexpr std::size_t chunk_samples = 4096;
  static constexpr std::size_t pool_chunks = 4;

  struct chunk {
    std::vector<time_stamp> stamps;
    std::vector<rail_reading> readings;  ///< rails_ per sample
    std::size_t size = 0;
  };

  std::unique_ptr<chunk> make_chunk() const {
    auto c = std::make_unique<chunk>();
    c->stamps.resize(chunk_samples);
    c->readings.resize(chunk_samples * rails_);
    return c;
  }

  void open_partial() {
    if (!options_.log.has_filename())
      throw error(fmt::format("expected a power log's file path, got \"{}\"", options_.log.string()));
    // A link is followed once, and kept: the rename replaces the file it names, and the partial
    // file and sidecar lie beside that file.
    target_ = io::link_target(options_.log);
    partial_ = io::power_log_partial_path(target_);
    meta_path_ = io::power_log_meta_path(target_);
    std::error_code ec;
    // Checked before sampling, not at the rename a whole benchmark later: the log replaces a
    // file at most (the rename would fail on a directory, and replace a device node).
    if (const auto status = std::filesystem::status(options_.log, ec);
        std::filesystem::exists(status) && !std::filesystem::is_regular_file(status))
      throw error(fmt::format("{}: is {}, not a file the log can replace", options_.log.string(),
                              std::filesystem::is_directory(status) ? "a directory" : "no regular file"));
    if (const auto parent = target_.parent_path(); !parent.empty()) std::filesystem::create_directories(parent, ec);
    fd_ = ::open(partial_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd_ >= 0) return;
    if (errno == EEXIST)
      throw error(fmt::format("{}: already exists, left by a logger that did not finish (killed, or stopped by an "
                              "error; its whole lines are readable); rename or remove it first",
                              partial_.string()));
    throw error(fmt::format("{}: cannot create: {}", partial_.string(), std::strerror(errno)));
  }

  void write_all(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw error(fmt::format("{}: cannot write: {}", partial_.string(), std::strerror(errno)));
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  void close_fd() noexcept {
    if (fd_ >= 0) ::close(std::exchange(fd_, -1));
  }

  void set_realtime_priority(int priority) {
    sched_param param{};
    param.sched_priority = priority;
    if (const int rc = ::pthread_setschedparam(sampling_.native_handle(), SCHED_FIFO, &param); rc != 0)
      options_.warn(fmt::format("cannot give the sampling thread SCHED_FIFO priority {}: {} (needs root or "
                                "CAP_SYS_NICE); sampling at normal priority",
                                priority, std::strerror(rc)));
  }

  // ---- sampling thread ----------------------------------------------------------------------

  void sample_loop() noexcept {
    try {
      run_sampling(sampler_, clock_, options_.sampling, stop_.get_token(), stats_,
                   [this](time_stamp t, std::span<const rail_reading> r) { append(t, r); });
      if (current_->size > 0) hand_over();
    } catch (...) {  // only a failed allocation of a spare chunk can get here
      record_failure(std::current_exception());
    }
    end_sampling();
  }

  /// Tells the writer that no more chunks will come.
  void end_sampling() noexcept {
    {
      const std::lock_guard lock(mutex_);
      sampling_done_.store(true, std::memory_order_release);
    }
    ready_.notify_one();
  }

  /// Called for each sample on the sampling thread, after stats_ counted it.
  void append(time_stamp t, std::span<const rail_reading> r) {
    chunk& c = *current_;
    if (c.size == 0) chunk_started_ = stats_.last;
    c.stamps[c.size] = t;
    std::copy(r.begin(), r.end(), c.readings.begin() + static_cast<std::ptrdiff_t>(c.size * rails_));
    samples_taken_.store(stats_.samples, std::memory_order_relaxed);
    if (++c.size == chunk_samples || stats_.last - chunk_started_ >= options_.flush_interval) hand_over();
  }

  void hand_over() {
    std::unique_ptr<chunk> next;
    {
      const std::lock_guard lock(mutex_);
      full_.push_back(std::move(current_));
      if (!free_.empty()) {
        next = std::move(free_.back());
        free_.pop_back();
      }
    }
    ready_.notify_one();
    current_ = next ? std::move(next) : make_chunk();  // a writer behind by the whole pool: one more chunk
  }

  // ---- writer thread ------------------------------------------------------------------------

  void write_loop() noexcept {
    std::vector<std::unique_ptr<chunk>> batch;
    batch.reserve(pool_chunks);
    std::string text;
    text.reserve(chunk_samples * (time_stamp_length + rails_ * 24));
    std::array<double, 2 * io::max_power_log_rails> values{};
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return !full_.empty() || sampling_done_.load(std::memory_order_relaxed); });
        if (full_.empty()) break;
        batch.swap(full_);
      }
      if (!failed_.load(std::memory_order_relaxed)) {
        try {
          for (const auto& c : batch) {
            for (std::size_t i = 0; i < c->size; ++i) {
              for (std::size_t k = 0; k < rails_; ++k) {
                values[2 * k] = c->readings[i * rails_ + k].voltage_mv;
                values[2 * k + 1] = c->readings[i * rails_ + k].current_ma;
                // A log no reader would take is stopped at its first such sample, not an hour later,
                // the lines before it written.
                if (!io::plausible_rail_sample(values[2 * k], values[2 * k + 1])) {
                  write_all(text);
                  lines_written_ += i;
                  throw error(fmt::format("{}: the log stopped at the sensor's reading of rail {} ({}); the sensor or "
                                          "its scaling is wrong (`layerwatt sensors` lists what it reads){}",
                                          options_.log.string(), rail_names_[k],
                                          io::plausible_rail_sample_expected(values[2 * k], values[2 * k + 1]),
                                          lines_written_ == 0 ? std::string()
                                                              : fmt::format("; the {} line(s) before it are in {}",
                                                                            lines_written_, partial_.string())));
                }
              }
              io::append_power_log_line(text, c->stamps[i], std::span<const double>(values.data(), 2 * rails_));
            }
            write_all(text);
            text.clear();
            lines_written_ += c->size;
          }
          if (options_.sync && ::fdatasync(fd_) != 0 && errno != EINVAL)  // EINVAL: a file that cannot sync (a pipe)
            throw error(fmt::format("{}: cannot sync: {}", partial_.string(), std::strerror(errno)));
        } catch (...) {
          record_failure(std::current_exception());
        }
      }
      const std::lock_guard lock(mutex_);
      for (auto& c : batch) {
        c->size = 0;
        free_.push_back(std::move(c));
      }
      batch.clear();
    }
  }

  void record_failure(std::exception_ptr e) noexcept {
    {
      const std::lock_guard lock(mutex_);
      if (!failure_) failure_ = std::move(e);
    }
    failed_.store(true, std::memory_order_relaxed);
    stop_.request_stop();
  }

  // ---- the end ------------------------------------------------------------------------------

  void join_threads() noexcept {
    if (sampling_.joinable()) sampling_.join();
    if (writer_.joinable()) writer_.join();
  }

  io::power_log_meta finish() {
    if (finished_) {
      if (failure_) std::rethrow_exception(failure_);
      return meta_;
    }
    join_threads();
    finished_ = true;
    const int fd = std::exchange(fd_, -1);
    if (::close(fd) != 0 && !failure_)
      failure_ = std::make_exception_ptr(error(fmt::format("{}: cannot close: {}", partial_.string(), std::strerror(errno))));
    if (failure_) {
      // Nothing to rescue past the header (a write may fail part-way), and a new log would refuse it.
      if (std::error_code ec; std::filesystem::file_size(partial_, ec) <= header_bytes_ && !ec) ::unlink(partial_.c_str());
      std::rethrow_exception(failure_);
    }
    meta_ = describe();
    if constexpr (run_aware_sampler<Sampler>) sampler_.end_run(meta_);
    io::write_power_log_meta(meta_path_, meta_);
    if (::rename(partial_.c_str(), target_.c_str()) != 0)
      throw error(fmt::format("{}: cannot rename to {}: {}", partial_.string(), target_.string(),
                              std::strerror(errno)));
    return meta_;
  }

  io::power_log_meta describe() const {
    io::power_log_meta m;
    const auto rails = sampler_.rails();
    m.rails.assign(rails.begin(), rails.end());
    m.source = sampler_.source();
    m.clock = clock_.name();
    m.requested_period = options_.sampling.period;
    const sensor_timing timing = sampler_.timing();
    m.sensor_update_interval_ms = timing.update_interval_ms;
    m.sensor_samples = timing.samples;
    m.refresh_interval = timing.refresh_interval;
    const auto us = [](std::chrono::nanoseconds d) { return static_cast<double>(d.count()) / 1000.0; };
    m.stats = {stats_.samples,
               stats_.failed_reads,
               stats_.rate_hz(),
               us(stats_.periods.percentile(0.5)),
               us(stats_.periods.percentile(0.99)),
               stats_.identical_consecutive};
    m.extra["clock_comparable_with_profiler"] = Clock::comparable_with_profiler;
    m.extra["missed_deadlines"] = stats_.missed_deadlines;
    if (options_.sampling.spin.count() > 0) m.extra["spin_us"] = options_.sampling.spin.count();
    if (stats_.lateness.count() > 0) {
      m.extra["deadline_lateness_p50_us"] = us(stats_.lateness.percentile(0.5));
      m.extra["deadline_lateness_p99_us"] = us(stats_.lateness.percentile(0.99));
    }
    if (const auto observed = stats_.observed_refresh_interval())
      m.extra["observed_refresh_interval_us"] = observed->count();
    return m;
  }

  Sampler sampler_;
  Clock clock_;
  power_logger_options options_;
  std::size_t rails_ = 0;
  std::vector<std::string> rail_names_;
  std::filesystem::path target_, partial_, meta_path_;  // target_: the log, its links followed
  int fd_ = -1;

  sampling_stats stats_;  ///< the sampling thread's alone until it is joined
  std::unique_ptr<chunk> current_;  ///< the sampling thread's
  std::chrono::nanoseconds chunk_started_{0};  ///< the sampling thread's: when current_ got its first sample
  std::stop_source stop_;
  std::atomic<std::uint64_t> samples_taken_{0};
  std::atomic<bool> sampling_done_{false};
  std::atomic<bool> failed_{false};

  std::mutex mutex_;  ///< guards full_, free_, failure_
  std::condition_variable ready_;
  std::vector<std::unique_ptr<chunk>> full_, free_;
  std::exception_ptr failure_;
  std::size_t header_bytes_ = 0;     ///< of a multi-rail log (a one-rail log has none)
  std::uint64_t lines_written_ = 0;  ///< whole lines, for the message of a stop at an implausible sample

  bool finished_ = false;
  io::power_log_meta meta_;
  std::jthread sampling_, writer_;  ///< last: started once everything above exists
};

}  // namespace layerwatt::sense
