#pragma once
// The loop shared by the power logger and the idle measurement: read the sampler on absolute
// deadlines, stamp each reading with the clock policy, hand it on, and keep the statistics the
// log's `.meta.json` reports.
//
// Deadlines are start + k × period on CLOCK_MONOTONIC (clock_nanosleep with TIMER_ABSTIME), so
// lateness never accumulates into drift; a deadline already past when a sample ends (a read
// slower than the period, a preempted thread) is skipped and counted, never made up by a burst.
// The thread's timer slack is set to 1 ns while it runs: Linux's default lets a sleeping thread
// wake up to 50 µs late, the whole jitter budget at a 1 ms period.

#include <sys/prctl.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <optional>
#include <span>
#include <stop_token>

#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/sense/clock.hpp"
#include "layerwatt/sense/interval_histogram.hpp"
#include "layerwatt/sense/sampler.hpp"

namespace layerwatt::sense {

struct sampling_options {
  microseconds period{1000};                         ///< between sample deadlines; 0: as fast as possible
  std::optional<std::uint64_t> max_samples{};        ///< stop after this many samples (failed reads not counted)
  std::optional<std::chrono::nanoseconds> duration{};  ///< stop when the next deadline is this long after the start
  /// Wake this long before each deadline and busy-wait the rest: a thread's wake-up latency (tens
  /// of µs, more on a loaded machine) leaves the period, for spin/period of a core. 0: sleep only.
  microseconds spin{0};
};

/// What a sampling run measured. Instants are CLOCK_MONOTONIC, whatever clock stamps the samples.
struct sampling_stats {
  std::uint64_t samples = 0;                ///< successful readings, handed on
  std::uint64_t failed_reads = 0;           ///< readings the sampler could not take (skipped)
  std::uint64_t identical_consecutive = 0;  ///< samples equal on every rail to the one before
  std::uint64_t missed_deadlines = 0;       ///< deadlines skipped because a sample ended after them
  interval_histogram periods;               ///< between consecutive samples
  interval_histogram lateness;              ///< wake-up after the deadline (paced runs only)
  std::chrono::nanoseconds first{0}, last{0};  ///< when the first and last sample were taken

  /// Samples per second over the run (1 / mean period); 0 with fewer than two samples.
  [[nodiscard]] double rate_hz() const noexcept {
    if (samples < 2 || last <= first) return 0;
    return static_cast<double>(samples - 1) / std::chrono::duration<double>(last - first).count();
  }

  /// The mean time between changes of the readings: how often the sensor really refreshed, seen
  /// from the log (an upper bound if consecutive conversions may agree by chance).
  [[nodiscard]] std::optional<microseconds> observed_refresh_interval() const noexcept {
    if (samples < 2 || samples - 1 == identical_consecutive) return std::nullopt;
    return std::chrono::duration_cast<microseconds>((last - first) / (samples - 1 - identical_consecutive));
  }
};

namespace detail {

inline std::chrono::nanoseconds monotonic_now() noexcept {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::chrono::seconds{ts.tv_sec} + std::chrono::nanoseconds{ts.tv_nsec};
}

/// Sleeps until the monotonic instant `deadline` (until `deadline - spin`, then busy-waits), in
/// slices short enough to notice a stop request promptly even when the period is long. False if
/// a stop was requested.
inline bool sleep_until(std::chrono::nanoseconds deadline, std::chrono::nanoseconds spin,
                        const std::stop_token& stop) noexcept {
  constexpr std::chrono::nanoseconds slice = std::chrono::milliseconds{20};
  const auto wake_at = deadline - spin;
  for (;;) {
    if (stop.stop_requested()) return false;
    const auto now = monotonic_now();
    if (now >= wake_at) break;
    const auto wake = wake_at - now > slice ? now + slice : wake_at;
    const timespec ts{static_cast<time_t>(wake.count() / 1'000'000'000), static_cast<long>(wake.count() % 1'000'000'000)};
    while (::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
    }
  }
  while (monotonic_now() < deadline) {
  }
  return !stop.stop_requested();
}

/// Sets the calling thread's timer slack to 1 ns for its lifetime, then restores it.
class fine_timer_slack {
 public:
  fine_timer_slack() noexcept : saved_(::prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0)) { ::prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0); }
  fine_timer_slack(const fine_timer_slack&) = delete;
  fine_timer_slack& operator=(const fine_timer_slack&) = delete;
  ~fine_timer_slack() {
    if (saved_ > 0) ::prctl(PR_SET_TIMERSLACK, static_cast<unsigned long>(saved_), 0, 0, 0);
  }

 private:
  int saved_;
};

}  // namespace detail

/// Samples until a stop is requested or a limit in `options` is reached, calling
/// `consume(stamp, readings)` for every successful sample (one reading per rail, stamped with
/// `clock` just after the read, as the reference does). `stats` must be fresh. Runs on the
/// calling thread; allocates nothing itself.
template <sampler Sampler, clock Clock, typename Consume>
  requires std::invocable<Consume&, time_stamp, std::span<const rail_reading>>
void run_sampling(Sampler& sampler, Clock& clock, const sampling_options& options, const std::stop_token& stop,
                  sampling_stats& stats, Consume&& consume) {
  using std::chrono::nanoseconds;
  const std::size_t rails = sampler.rails().size();
  std::array<rail_reading, io::max_power_log_rails> buffers[2]{};
  std::size_t current = 0;
  const nanoseconds period = options.period;
  const detail::fine_timer_slack slack;
  const nanoseconds start = detail::monotonic_now();
  nanoseconds deadline = start;

  while (!stop.stop_requested()) {
    if (options.max_samples && stats.samples >= *options.max_samples) break;
    if (period > nanoseconds{0}) {
      if (options.duration && deadline - start >= *options.duration) break;
      if (!detail::sleep_until(deadline, options.spin, stop)) break;
      stats.lateness.record(detail::monotonic_now() - deadline);
    } else if (options.duration && detail::monotonic_now() - start >= *options.duration) {
      break;
    }

    const std::span<rail_reading> reading(buffers[current].data(), rails);
    const bool ok = sampler.read(reading);
    const time_stamp stamp = clock.now();
    const nanoseconds taken = detail::monotonic_now();
    if (ok) {
      if (stats.samples == 0) {
        stats.first = taken;
      } else {
        stats.periods.record(taken - stats.last);
        const std::span<const rail_reading> previous(buffers[1 - current].data(), rails);
        stats.identical_consecutive += std::equal(reading.begin(), reading.end(), previous.begin());
      }
      stats.last = taken;
      ++stats.samples;
      consume(stamp, std::span<const rail_reading>(reading));
      current = 1 - current;
    } else {
      ++stats.failed_reads;
    }

    if (period > nanoseconds{0}) {
      deadline += period;
      if (const nanoseconds now = detail::monotonic_now(); deadline <= now) {
        const auto behind = (now - deadline) / period + 1;
        stats.missed_deadlines += static_cast<std::uint64_t>(behind);
        deadline += behind * period;
      }
    }
  }
}

}  // namespace layerwatt::sense
