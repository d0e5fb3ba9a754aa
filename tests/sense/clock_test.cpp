#include "layerwatt/sense/clock.hpp"

#include <gtest/gtest.h>

#include <time.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace lw = layerwatt;
namespace sense = layerwatt::sense;
using std::chrono::microseconds;

namespace clock_test {

struct no_name_clock {
  static constexpr bool comparable_with_profiler = false;
  lw::time_stamp now() noexcept { return {}; }
};
struct throwing_clock {
  static constexpr bool comparable_with_profiler = false;
  lw::time_stamp now() { return {}; }
  std::string_view name() const noexcept { return "x"; }
};
struct runtime_flag_clock {
  bool comparable_with_profiler = false;  // not a constant
  lw::time_stamp now() noexcept { return {}; }
  std::string_view name() const noexcept { return "x"; }
};
static_assert(!sense::clock<no_name_clock>);
static_assert(!sense::clock<throwing_clock>);
static_assert(!sense::clock<runtime_flag_clock>);
static_assert(sense::wall_clock::comparable_with_profiler);
static_assert(!sense::steady_clock::comparable_with_profiler && !sense::monotonic_raw_clock::comparable_with_profiler);

/// What Python's datetime.now() would write, in this process's time zone.
lw::time_stamp python_now() {
  const auto utc = std::chrono::time_point_cast<microseconds>(std::chrono::system_clock::now());
  const time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  tm local{};
  ::localtime_r(&t, &local);
  return utc + std::chrono::seconds{local.tm_gmtoff};
}

TEST(Clock, WallClockWritesLocalTimeLikeDatetimeNow) {
  const auto before = python_now();
  const auto t = sense::wall_clock{}.now();
  const auto after = python_now();
  EXPECT_LE(before, t);
  EXPECT_LE(t, after + microseconds{1});
  EXPECT_EQ(sense::wall_clock{}.name(), "realtime");
}

TEST(Clock, LocalOffsetFollowsTheTimeZone) {
  // Central Europe: +1 h in winter, +2 h in summer; the cached offset follows the transition.
  const char* saved = std::getenv("TZ");
  const std::string old = saved ? saved : "";
  ::setenv("TZ", "Europe/Berlin", 1);
  ::tzset();
  const auto winter = lw::parse_time_stamp("20240115-12:00:00.0"), summer = lw::parse_time_stamp("20240715-12:00:00.0");
  EXPECT_EQ(sense::detail::local_utc_offset(winter), std::chrono::hours{1});
  EXPECT_EQ(sense::detail::local_utc_offset(summer), std::chrono::hours{2});
  EXPECT_EQ(sense::detail::local_utc_offset(summer + std::chrono::minutes{1}), std::chrono::hours{2});
  if (saved) ::setenv("TZ", old.c_str(), 1);
  else ::unsetenv("TZ");
  ::tzset();
  static_cast<void>(sense::detail::local_utc_offset(lw::time_stamp{}));  // leave the cache for this zone
}

TEST(Clock, MonotonicClocksNeverGoBack) {
  sense::steady_clock steady;
  sense::monotonic_raw_clock raw;
  auto s = steady.now(), r = raw.now();
  for (int i = 0; i < 1000; ++i) {
    const auto s2 = steady.now(), r2 = raw.now();
    EXPECT_LE(s, s2);
    EXPECT_LE(r, r2);
    s = s2;
    r = r2;
  }
  EXPECT_EQ(steady.name(), "monotonic");
  EXPECT_EQ(raw.name(), "monotonic-raw");
}

TEST(Clock, ManualClockShowsWhatItWasToldAndSteps) {
  const auto start = lw::parse_time_stamp("20241121-05:20:04.261448");
  sense::manual_clock c(start);
  EXPECT_EQ(c.now(), start);
  EXPECT_EQ(c.now(), start);
  c.advance(microseconds{1500});
  EXPECT_EQ(c.now(), start + microseconds{1500});
  c.set_step(microseconds{10});
  EXPECT_EQ(c.now(), start + microseconds{1500});
  EXPECT_EQ(c.now(), start + microseconds{1510});
  c.set(start);
  EXPECT_EQ(c.now(), start);
  sense::manual_clock copy = c;
  EXPECT_EQ(copy.now(), start + microseconds{10});
  EXPECT_EQ(c.now(), start + microseconds{10});  // copies share nothing
  EXPECT_EQ(c.name(), "manual");
}

TEST(Clock, ManualClockStepsAreNotLostAcrossThreads) {
  sense::manual_clock c(lw::time_stamp{}, microseconds{1});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) static_cast<void>(c.now());
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.now(), lw::time_stamp{microseconds{4000}});
}

}  // namespace clock_test
