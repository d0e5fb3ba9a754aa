#include "layerwatt/sense/sampling_loop.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "layerwatt/sense/replay.hpp"

namespace lw = layerwatt;
namespace sense = layerwatt::sense;
using std::chrono::microseconds;
using std::chrono::nanoseconds;

namespace sampling_loop_test {

struct taken {
  lw::time_stamp t;
  double current_ma;
};

sense::replay_sampler script(std::vector<std::vector<sense::rail_reading>> steps) {
  return sense::replay_sampler({{"VDD_IN", "", ""}}, std::move(steps));
}

// Notes the monotonic instant each read begins. Deadlines are start + k × period, a sleep never
// ends early and skipping only moves a deadline later, so read k begins at least k periods after
// the run started: a bound that holds however loaded the machine (unlike one on the stamps
// taken after the reads, which a preempted first read breaks).
struct timed_reads {
  sense::replay_sampler inner;
  std::vector<nanoseconds> began{};
  std::span<const lw::io::rail_source> rails() const { return inner.rails(); }
  std::string_view source() const { return inner.source(); }
  sense::sensor_timing timing() const { return inner.timing(); }
  bool read(std::span<sense::rail_reading> out) noexcept {
    began.push_back(sense::detail::monotonic_now());
    return inner.read(out);
  }
  void expect_paced_from(nanoseconds before_start, nanoseconds period) const {
    for (std::size_t k = 0; k < began.size(); ++k)
      EXPECT_GE(began[k] - before_start, static_cast<std::int64_t>(k) * period) << "read " << k;
  }
};

TEST(SamplingLoop, HandsOnEverySampleCountsFailuresAndRepeats) {
  auto sampler = script({{{5000, 1000}}, {}, {{5000, 1100}}, {{5000, 1100}}, {{5000, 1200}}});
  sense::manual_clock clock(lw::time_stamp{microseconds{1'000'000}}, microseconds{10});
  sense::sampling_stats stats;
  std::vector<taken> got;
  sense::run_sampling(sampler, clock, {.period = microseconds{0}, .max_samples = 4}, {}, stats,
                      [&](lw::time_stamp t, std::span<const sense::rail_reading> r) {
                        ASSERT_EQ(r.size(), 1u);
                        got.push_back({t, r[0].current_ma});
                      });
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(stats.samples, 4u);
  EXPECT_EQ(stats.failed_reads, 1u);
  EXPECT_EQ(stats.identical_consecutive, 1u);
  EXPECT_EQ(stats.periods.count(), 3u);
  EXPECT_EQ(stats.lateness.count(), 0u);  // not paced
  EXPECT_EQ(got[1].current_ma, 1100.0);
  EXPECT_EQ(got[3].current_ma, 1200.0);
  // The clock is read once per attempt, failed ones included, just after the read.
  EXPECT_EQ(got[0].t, lw::time_stamp{microseconds{1'000'000}});
  EXPECT_EQ(got[1].t, lw::time_stamp{microseconds{1'000'020}});
  EXPECT_EQ(got[3].t, lw::time_stamp{microseconds{1'000'040}});
}

TEST(SamplingLoop, PacedRunKeepsAbsoluteDeadlines) {
  timed_reads sampler{script({{{5000, 1000}}, {{5000, 1001}}})};
  sense::steady_clock clock;
  sense::sampling_stats stats;
  const nanoseconds before = sense::detail::monotonic_now();
  sense::run_sampling(sampler, clock, {.period = microseconds{200}, .max_samples = 20}, {}, stats,
                      [](lw::time_stamp, std::span<const sense::rail_reading>) {});
  EXPECT_EQ(stats.samples, 20u);
  EXPECT_EQ(stats.lateness.count(), 20u);
  EXPECT_EQ(stats.identical_consecutive, 0u);
  sampler.expect_paced_from(before, microseconds{200});
  EXPECT_GT(stats.rate_hz(), 0.0);
  ASSERT_TRUE(stats.observed_refresh_interval());
}

TEST(SamplingLoop, SpinningKeepsTheSameDeadlines) {
  timed_reads sampler{script({{{5000, 1000}}})};
  sense::steady_clock clock;
  sense::sampling_stats stats;
  const nanoseconds before = sense::detail::monotonic_now();
  sense::run_sampling(sampler, clock, {.period = microseconds{500}, .max_samples = 10, .spin = microseconds{300}}, {},
                      stats, [](lw::time_stamp, std::span<const sense::rail_reading>) {});
  EXPECT_EQ(stats.samples, 10u);
  EXPECT_EQ(stats.identical_consecutive, 9u);
  sampler.expect_paced_from(before, microseconds{500});
}

TEST(SamplingLoop, ASampleLongerThanThePeriodSkipsDeadlinesInsteadOfBursting) {
  struct slow_sampler {
    std::vector<lw::io::rail_source> rails_{{"X", "", ""}};
    std::span<const lw::io::rail_source> rails() const { return rails_; }
    std::string_view source() const { return "slow"; }
    sense::sensor_timing timing() const { return {}; }
    bool read(std::span<sense::rail_reading> out) noexcept {
      std::this_thread::sleep_for(microseconds{700});
      out[0] = {1, 1};
      return true;
    }
  } sampler;
  sense::wall_clock clock;
  sense::sampling_stats stats;
  sense::run_sampling(sampler, clock, {.period = microseconds{200}, .max_samples = 5}, {}, stats,
                      [](lw::time_stamp, std::span<const sense::rail_reading>) {});
  EXPECT_EQ(stats.samples, 5u);
  EXPECT_GE(stats.missed_deadlines, 5u * 3 - 3);  // each 700 µs read overruns three 200 µs deadlines
  EXPECT_GE(stats.periods.percentile(0.0), nanoseconds{700'000 - 700'000 / 512});  // within a bucket
  EXPECT_EQ(stats.identical_consecutive, 4u);
}

TEST(SamplingLoop, StopsOnRequestAndOnDuration) {
  auto sampler = script({{{5000, 1000}}});
  sense::wall_clock clock;
  std::stop_source stop;
  stop.request_stop();
  sense::sampling_stats stopped;
  sense::run_sampling(sampler, clock, {}, stop.get_token(), stopped, [](lw::time_stamp, std::span<const sense::rail_reading>) {});
  EXPECT_EQ(stopped.samples, 0u);
  EXPECT_EQ(stopped.rate_hz(), 0.0);
  EXPECT_FALSE(stopped.observed_refresh_interval());

  sense::sampling_stats timed;
  sense::run_sampling(sampler, clock, {.period = microseconds{1000}, .duration = std::chrono::milliseconds{5}}, {}, timed,
                      [](lw::time_stamp, std::span<const sense::rail_reading>) {});
  // Deadlines 0, 1, 2, 3, 4 ms; 5 ms is the end (a loaded machine may skip some).
  EXPECT_GE(timed.samples, 1u);
  EXPECT_LE(timed.samples, 5u);
}

TEST(SamplingLoop, ObservedRefreshIsTimeBetweenChanges) {
  sense::sampling_stats s;
  s.samples = 101;
  s.identical_consecutive = 75;  // 25 changes in 100 periods
  s.first = nanoseconds{0};
  s.last = nanoseconds{100'000'000};
  EXPECT_EQ(s.observed_refresh_interval(), microseconds{4000});
  EXPECT_DOUBLE_EQ(s.rate_hz(), 1000.0);
}

}  // namespace sampling_loop_test
