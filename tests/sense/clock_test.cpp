#include "layerwatt/sense/clock.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

namespace lw = layerwatt;
namespace sense = layerwatt::sense;
using std::chrono::microseconds;

namespace {

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

TEST(Clock, WallClockIsTheSystemClock) {
  const auto before = std::chrono::time_point_cast<microseconds>(std::chrono::system_clock::now());
  const auto t = sense::wall_clock{}.now();
  const auto after = std::chrono::time_point_cast<microseconds>(std::chrono::system_clock::now());
  EXPECT_LE(before, t);
  EXPECT_LE(t, after + microseconds{1});
  EXPECT_EQ(sense::wall_clock{}.name(), "realtime");
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

}  // namespace
