#pragma once
// Clock policies: where the time stamps in a power log and a layer-latency file come from.
//
// The reference system stamps both files with Python's datetime.now(), i.e. CLOCK_REALTIME, so
// its power log and its TensorRT profile can be joined. A stamp from another clock can be joined
// only with stamps from that same clock. Pacing (when to take the next sample) never uses these
// clocks: it runs on CLOCK_MONOTONIC, which neither NTP steps nor manual time changes can move.

#include <time.h>

#include <atomic>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <string_view>

#include "layerwatt/core/time_stamp.hpp"

namespace layerwatt::sense {

/// A clock policy C promises:
/// - `c.now()` returns a layerwatt::time_stamp (microseconds; for non-wall clocks the "date" is
///   the time since that clock's origin, e.g. boot). It is noexcept, does not allocate, and may
///   be called from several threads at once (the logger's sampling thread, TensorRT's callback).
/// - `c.name()` names it in the power log's `.meta.json` (`realtime`, `monotonic`, ...).
/// - `C::comparable_with_profiler` is a constant: true when its stamps are CLOCK_REALTIME, like
///   the reference's TensorRT profiler stamps, so logs from either side can be joined.
template <typename C>
concept clock = requires(C& c, const C& cc) {
  { c.now() } noexcept -> std::same_as<time_stamp>;
  { cc.name() } noexcept -> std::convertible_to<std::string_view>;
  { std::bool_constant<C::comparable_with_profiler>{} };
};

namespace detail {

/// One vDSO call, no syscall on Linux: ~20 ns.
inline time_stamp read_posix_clock(clockid_t id) noexcept {
  timespec ts{};
  ::clock_gettime(id, &ts);
  return time_stamp{microseconds{std::int64_t{ts.tv_sec} * 1'000'000 + ts.tv_nsec / 1000}};
}

}  // namespace detail

namespace detail {

/// The local time zone's offset from UTC at `utc`, as localtime_r finds it. Offsets change only at
/// daylight-saving transitions, which fall on quarter hours, so one lookup serves a quarter hour:
/// the cache packs (quarter hour + 1, offset) into one atomic word, shared by every thread.
inline std::chrono::seconds local_utc_offset(time_stamp utc) noexcept {
  static std::atomic<std::uint64_t> cache{0};
  const std::int64_t seconds = std::chrono::floor<std::chrono::seconds>(utc).time_since_epoch().count();
  const auto quarter = static_cast<std::uint64_t>(seconds / 900 + 1);
  std::uint64_t packed = cache.load(std::memory_order_relaxed);
  if (packed >> 32 != quarter) {
    const time_t t = static_cast<time_t>(seconds);
    tm local{};
    ::localtime_r(&t, &local);
    packed = quarter << 32 | static_cast<std::uint32_t>(static_cast<std::int32_t>(local.tm_gmtoff));
    cache.store(packed, std::memory_order_relaxed);
  }
  return std::chrono::seconds{static_cast<std::int32_t>(static_cast<std::uint32_t>(packed))};
}

}  // namespace detail

/// CLOCK_REALTIME in local time: the digits Python's datetime.now() writes, which is what the
/// reference's power logger and TensorRT profiler stamp with (the files carry no zone). Steps
/// when the system time is set, and with the local time at daylight-saving changes.
struct wall_clock {
  static constexpr bool comparable_with_profiler = true;
  [[nodiscard]] time_stamp now() const noexcept {
    const time_stamp utc = detail::read_posix_clock(CLOCK_REALTIME);
    return utc + detail::local_utc_offset(utc);
  }
  [[nodiscard]] std::string_view name() const noexcept { return "realtime"; }
};

/// CLOCK_MONOTONIC: never steps, but is slewed by NTP; time since boot.
struct steady_clock {
  static constexpr bool comparable_with_profiler = false;
  [[nodiscard]] time_stamp now() const noexcept { return detail::read_posix_clock(CLOCK_MONOTONIC); }
  [[nodiscard]] std::string_view name() const noexcept { return "monotonic"; }
};

/// CLOCK_MONOTONIC_RAW: the hardware counter, neither stepped nor slewed; time since boot.
struct monotonic_raw_clock {
  static constexpr bool comparable_with_profiler = false;
  [[nodiscard]] time_stamp now() const noexcept { return detail::read_posix_clock(CLOCK_MONOTONIC_RAW); }
  [[nodiscard]] std::string_view name() const noexcept { return "monotonic-raw"; }
};

/// A clock for tests: it shows the time it was set to, and moves forward by `step` on every
/// reading (0: stands still), so a test knows every stamp in advance. Copies share nothing.
class manual_clock {
 public:
  static constexpr bool comparable_with_profiler = false;

  explicit manual_clock(time_stamp start = {}, microseconds step = microseconds{0}) noexcept
      : now_(start.time_since_epoch().count()), step_(step.count()) {}
  manual_clock(const manual_clock& other) noexcept
      : now_(other.now_.load()), step_(other.step_.load()) {}
  manual_clock& operator=(const manual_clock& other) noexcept {
    now_ = other.now_.load();
    step_ = other.step_.load();
    return *this;
  }

  /// The current time; then the clock moves on by `step`.
  [[nodiscard]] time_stamp now() noexcept { return time_stamp{microseconds{now_.fetch_add(step_.load())}}; }
  [[nodiscard]] std::string_view name() const noexcept { return "manual"; }

  void set(time_stamp t) noexcept { now_ = t.time_since_epoch().count(); }
  void advance(microseconds d) noexcept { now_ += d.count(); }
  void set_step(microseconds step) noexcept { step_ = step.count(); }

 private:
  std::atomic<std::int64_t> now_;
  std::atomic<std::int64_t> step_;
};

static_assert(clock<wall_clock> && clock<steady_clock> && clock<monotonic_raw_clock> && clock<manual_clock>);

}  // namespace layerwatt::sense
