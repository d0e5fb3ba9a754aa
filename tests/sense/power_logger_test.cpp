#include "layerwatt/sense/power_logger.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "layerwatt/io/number_text.hpp"
#include "layerwatt/sense/ina3221.hpp"
#include "layerwatt/sense/replay.hpp"
#include "sense/fake_sysfs.hpp"
#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace io = layerwatt::io;
namespace sense = layerwatt::sense;
using lw::testing::read_text;
using lw::testing::temp_dir;
using std::chrono::microseconds;
using std::chrono::milliseconds;

namespace power_logger_test {

const lw::warning_sink fail_on_warning = [](std::string_view w) { ADD_FAILURE() << "unexpected warning: " << w; };

std::size_t line_count(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

/// Waits (up to 5 s) until `done` holds.
template <typename Predicate>
bool eventually(Predicate done) {
  for (int i = 0; i < 5000 && !done(); ++i) std::this_thread::sleep_for(milliseconds{1});
  return done();
}

TEST(PowerLogger, WritesExactlyTheSamplesTaken) {
  temp_dir dir;
  const sense::rail_reading a{5000, 1000}, b{5000, 1100.5}, c{4990, 1200};
  sense::replay_sampler sampler({{"VDD_IN", "/sys/x/in1_input", "/sys/x/curr1_input"}}, {{a}, {}, {b}, {b}, {c}},
                                {.update_interval_ms = 1.0, .samples = 4, .refresh_interval = microseconds{4000}});
  const auto start = lw::parse_time_stamp("20241121-05:20:04.261448");
  const auto log = dir / "m_power_log.log";
  sense::power_logger logger(std::move(sampler),
                             {.log = log, .sampling = {.period = microseconds{0}, .max_samples = 8}, .warn = fail_on_warning},
                             sense::manual_clock(start, microseconds{100}));
  const io::power_log_meta meta = logger.wait();

  // Attempts 0..9 read a, -, b, b, c, a, -, b, b, c; the clock steps 100 µs per attempt.
  std::string expected;
  const std::pair<int, sense::rail_reading> taken[] = {{0, a}, {2, b}, {3, b}, {4, c}, {5, a}, {7, b}, {8, b}, {9, c}};
  for (const auto& [attempt, r] : taken)
    expected += lw::to_string(start + microseconds{100 * attempt}) + "," + io::python_float(r.voltage_mv) + "," +
                io::python_float(r.current_ma) + "\n";
  EXPECT_EQ(read_text(log), expected);
  EXPECT_FALSE(std::filesystem::exists(io::power_log_partial_path(log)));
  EXPECT_EQ(logger.samples_taken(), 8u);

  EXPECT_EQ(meta.stats.samples, 8u);
  EXPECT_EQ(meta.stats.failed_reads, 2u);
  EXPECT_EQ(meta.stats.identical_consecutive, 2u);
  EXPECT_EQ(meta.source, "replay");
  EXPECT_EQ(meta.clock, "manual");
  EXPECT_EQ(meta.requested_period, microseconds{0});
  EXPECT_EQ(meta.sensor_update_interval_ms, 1.0);
  EXPECT_EQ(meta.sensor_samples, 4);
  EXPECT_EQ(meta.refresh_interval, microseconds{4000});
  ASSERT_EQ(meta.rails.size(), 1u);
  EXPECT_EQ(meta.rails[0].current_path, "/sys/x/curr1_input");
  EXPECT_EQ(meta.extra["clock_comparable_with_profiler"], false);
  EXPECT_EQ(io::read_power_log_meta(io::power_log_meta_path(log)), meta);
  EXPECT_EQ(logger.stop(), meta);  // later calls return the same

  const auto samples = io::load_power_samples(log, 0, fail_on_warning);
  ASSERT_EQ(samples.size(), 8u);
  EXPECT_EQ(samples[1].power_uw, 5000 * 1100.5);
}

TEST(PowerLogger, SeveralRailsGetAHeader) {
  temp_dir dir;
  sense::replay_sampler sampler({{"VDD_IN", "", ""}, {"VDD_SOC", "", ""}}, {{{5000, 1000}, {5000, 300}}});
  const auto log = dir / "p.log";
  sense::power_logger logger(std::move(sampler), {.log = log, .sampling = {.period = microseconds{0}, .max_samples = 3}},
                             sense::manual_clock{});
  logger.wait();
  const auto text = read_text(log);
  EXPECT_TRUE(text.starts_with("timestamp,VDD_IN_mV,VDD_IN_mA,VDD_SOC_mV,VDD_SOC_mA\n")) << text;
  EXPECT_EQ(line_count(text), 4u);
  std::size_t rows = 0;
  const auto result = io::read_power_log(
      log,
      [&](lw::time_stamp, std::span<const double> r) {
        ASSERT_EQ(r.size(), 4u);
        EXPECT_EQ(r[3], 300.0);
        ++rows;
      },
      fail_on_warning);
  EXPECT_EQ(rows, 3u);
  EXPECT_EQ(result.layout.rails, (std::vector<std::string>{"VDD_IN", "VDD_SOC"}));
}

TEST(PowerLogger, StopOnRequestFlushesEverySampleTaken) {
  temp_dir root;
  const auto hwmon = lw::testing::add_orin_nano(root.path());
  const auto log = root / "out" / "resnet18_power_log.log";
  sense::power_logger logger(sense::ina3221_sampler::open(root.path()),
                             {.log = log, .sampling = {.period = microseconds{200}, .spin = microseconds{50}},
                              .warn = fail_on_warning});
  ASSERT_TRUE(eventually([&] { return logger.samples_taken() >= 10; }));
  const auto meta = logger.stop();
  EXPECT_TRUE(logger.sampling_done());
  const auto text = read_text(log);
  EXPECT_EQ(line_count(text), meta.stats.samples);
  EXPECT_EQ(logger.samples_taken(), meta.stats.samples);
  EXPECT_GE(meta.stats.samples, 10u);
  EXPECT_EQ(meta.stats.failed_reads, 0u);
  EXPECT_EQ(meta.stats.identical_consecutive, meta.stats.samples - 1);  // a fake sensor never refreshes
  EXPECT_GT(meta.stats.rate_hz, 0.0);
  EXPECT_GT(meta.stats.period_p99_us, 0.0);
  EXPECT_EQ(meta.source, "ina3221-hwmon");
  EXPECT_EQ(meta.clock, "realtime");
  EXPECT_EQ(meta.requested_period, microseconds{200});
  EXPECT_EQ(meta.refresh_interval, microseconds{4000});
  EXPECT_EQ(meta.rails.at(0).voltage_path, (hwmon / "in1_input").string());
  EXPECT_EQ(meta.extra["clock_comparable_with_profiler"], true);
  EXPECT_TRUE(meta.extra.contains("deadline_lateness_p99_us"));
  EXPECT_TRUE(meta.extra.contains("missed_deadlines"));
  EXPECT_EQ(meta.extra["spin_us"], 50);
  EXPECT_FALSE(meta.extra.contains("observed_refresh_interval_us"));  // never changed
  EXPECT_EQ(io::load_power_samples(log, 0, fail_on_warning).size(), meta.stats.samples);
}

TEST(PowerLogger, StreamsWholeLinesToThePartialFileWhileRunning) {
  temp_dir root;
  lw::testing::add_orin_nano(root.path());
  const auto log = root / "p.log";
  sense::power_logger logger(sense::ina3221_sampler::open(root.path()),
                             {.log = log, .sampling = {.period = microseconds{100}}, .flush_interval = milliseconds{1}});
  const auto partial = io::power_log_partial_path(log);
  EXPECT_EQ(logger.partial_path(), partial);
  ASSERT_TRUE(eventually([&] { return line_count(read_text(partial)) >= 5; }));
  const auto prefix = read_text(partial);
  EXPECT_EQ(prefix.back(), '\n');  // whole lines only
  EXPECT_FALSE(std::filesystem::exists(log));
  logger.stop();
  EXPECT_TRUE(read_text(log).starts_with(prefix));
  EXPECT_FALSE(std::filesystem::exists(partial));
}

TEST(PowerLogger, KeepsGoingThroughGarbageAndCountsIt) {
  temp_dir root;
  const auto hwmon = lw::testing::add_orin_nano(root.path());
  const auto log = root / "p.log";
  sense::power_logger logger(sense::ina3221_sampler::open(root.path()), {.log = log, .sampling = {.period = microseconds{100}}});
  ASSERT_TRUE(eventually([&] { return logger.samples_taken() >= 5; }));
  lw::testing::write_text(hwmon / "curr1_input", "garbage\n");
  std::this_thread::sleep_for(milliseconds{30});
  lw::testing::write_text(hwmon / "curr1_input", "1500\n");
  const auto before = logger.samples_taken();
  ASSERT_TRUE(eventually([&] { return logger.samples_taken() >= before + 5; }));
  const auto meta = logger.stop();
  EXPECT_GT(meta.stats.failed_reads, 0u);
  const auto samples = io::load_power_samples(log, 0, fail_on_warning);
  ASSERT_EQ(samples.size(), meta.stats.samples);
  EXPECT_EQ(samples.front().power_uw, 5000.0 * 1096);
  EXPECT_EQ(samples.back().power_uw, 5000.0 * 1500);
  EXPECT_TRUE(meta.extra.contains("observed_refresh_interval_us"));
}

// A sensor read wrong (a shunt scaled 10⁵ times too high: 500 kW) stops the log at that sample:
// every reader would refuse the log, so it is said now, not an hour of benchmark later.
TEST(PowerLogger, StopsAtASampleNoReaderWouldTake) {
  temp_dir dir;
  const auto log = dir / "p.log";
  sense::replay_sampler sampler({{"VDD_GPU", "", ""}}, {{{5000, 1000}}, {{5000, 1e8}}, {{5000, 1000}}});
  sense::power_logger logger(std::move(sampler), {.log = log, .sampling = {.period = microseconds{0}, .max_samples = 3},
                                                  .warn = fail_on_warning});
  const std::string kept = "the 1 line(s) before it are in " + io::power_log_partial_path(log).string();
  EXPECT_ERROR_MENTIONS(logger.wait(), "p.log: the log stopped", "rail VDD_GPU", "got 5000 mV, 100000000 mA",
                        kept.c_str());
  EXPECT_FALSE(std::filesystem::exists(log));
  EXPECT_EQ(line_count(read_text(io::power_log_partial_path(log))), 1u);  // the sample before it
  // Stopped at its first sample: no line to rescue (a two-rail log's header is none), no .partial
  // to refuse the next log.
  sense::replay_sampler wrong_from_the_start({{"VDD_GPU", "", ""}, {"VDD_CPU", "", ""}}, {{{5000, 1000}, {5000, 1e8}}});
  const auto next = dir / "q.log";
  sense::power_logger stopped(std::move(wrong_from_the_start),
                              {.log = next, .sampling = {.period = microseconds{0}, .max_samples = 3}, .warn = fail_on_warning});
  EXPECT_ERROR_MENTIONS(stopped.wait(), "rail VDD_CPU");
  EXPECT_FALSE(std::filesystem::exists(io::power_log_partial_path(next)));
  EXPECT_TRUE(io::plausible_rail_sample(5000, -50));
  EXPECT_FALSE(io::plausible_rail_sample(-1, 1000));
  EXPECT_FALSE(io::plausible_rail_sample(5000, -1000));
  EXPECT_FALSE(io::plausible_rail_sample(std::nan(""), 1000));
}

TEST(PowerLogger, RefusesToOverwriteALeftoverPartialFile) {
  temp_dir dir;
  const auto log = dir / "p.log";
  lw::testing::write_text(io::power_log_partial_path(log), "20241121-05:20:04.261448,5000.0,1000.0\n");
  sense::replay_sampler sampler({{"VDD_IN", "", ""}}, {{{5000, 1000}}});
  EXPECT_ERROR_MENTIONS(sense::power_logger(std::move(sampler), {.log = log}), "p.log.partial", "already exists");
  EXPECT_EQ(read_text(io::power_log_partial_path(log)), "20241121-05:20:04.261448,5000.0,1000.0\n");
}

// A link as the log is kept, as atomic_output_file keeps one: the run replaces the file it names,
// and the partial file lies beside that file.
TEST(PowerLogger, FollowsALinkedLogAndKeepsTheLink) {
  temp_dir dir;
  std::filesystem::create_directories(dir / "runs");
  lw::testing::write_text(dir / "runs" / "p.log", "old\n");
  std::filesystem::create_symlink("runs/p.log", dir / "latest.log");
  sense::replay_sampler sampler({{"VDD_IN", "", ""}}, {{{5000, 1000}}});
  sense::power_logger logger(std::move(sampler), {.log = dir / "latest.log", .sampling = {.max_samples = 1}});
  EXPECT_EQ(logger.partial_path(), dir / "runs" / "p.log.partial");
  ASSERT_TRUE(eventually([&] { return logger.samples_taken() >= 1; }));
  logger.stop();
  EXPECT_TRUE(std::filesystem::is_symlink(dir / "latest.log"));
  EXPECT_EQ(io::load_power_samples(dir / "runs" / "p.log", 0, fail_on_warning).size(), 1u);
  EXPECT_FALSE(std::filesystem::exists(dir / "runs" / "p.log.partial"));
  // The sidecar lies beside the log it describes, and is found through the link.
  EXPECT_EQ(io::power_log_meta_path(dir / "latest.log"), dir / "runs" / "p.log.meta.json");
  EXPECT_TRUE(std::filesystem::is_regular_file(dir / "runs" / "p.log.meta.json"));
  EXPECT_FALSE(std::filesystem::exists(dir / "latest.log.meta.json"));
}

TEST(PowerLogger, RefusesAPathWithoutAFileName) {
  temp_dir dir;
  for (const auto& log : {std::filesystem::path(), std::filesystem::path((dir / "new").string() + "/")}) {
    sense::replay_sampler sampler({{"VDD_IN", "", ""}}, {{{5000, 1000}}});
    EXPECT_ERROR_MENTIONS(sense::power_logger(std::move(sampler), {.log = log}), "expected a power log's file path");
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "new"));
}

TEST(PowerLogger, DiscardLeavesNothing) {
  temp_dir dir;
  const auto log = dir / "p.log";
  sense::power_logger logger(sense::replay_sampler({{"VDD_IN", "", ""}}, {{{5000, 1000}}}), {.log = log});
  logger.discard();
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(PowerLogger, DestructorFinishesTheLog) {
  temp_dir dir;
  const auto log = dir / "p.log";
  {
    sense::power_logger logger(sense::replay_sampler({{"VDD_IN", "", ""}}, {{{5000, 1000}}}),
                               {.log = log, .sampling = {.period = microseconds{100}}});
    ASSERT_TRUE(eventually([&] { return logger.samples_taken() >= 3; }));
  }
  const auto meta = io::read_power_log_meta(io::power_log_meta_path(log));
  EXPECT_EQ(line_count(read_text(log)), meta.stats.samples);
}

/// A replay sampler that takes part in the run: it records when it was called and adds a key.
class run_aware_replay : public sense::replay_sampler {
 public:
  using replay_sampler::replay_sampler;
  bool read(std::span<sense::rail_reading> out) noexcept {
    reads_before_begin_ += !began_;
    ++reads_;
    return replay_sampler::read(out);
  }
  void begin_run() noexcept { began_ = true; }
  void end_run(io::power_log_meta& meta) const {
    meta.extra["run"] = {{"began", began_}, {"reads_before_begin", reads_before_begin_}, {"reads", reads_}};
  }

 private:
  bool began_ = false;
  int reads_before_begin_ = 0, reads_ = 0;
};
static_assert(sense::run_aware_sampler<run_aware_replay>);

TEST(PowerLogger, ARunAwareSamplerOpensAndClosesTheRunAndAddsToTheSidecar) {
  temp_dir dir;
  const auto log = dir / "p.log";
  sense::power_logger logger(run_aware_replay({{"GPU0", "", ""}}, {{{1000, 71000}}, {}}),
                             {.log = log, .sampling = {.period = microseconds{0}, .max_samples = 3}});
  const auto meta = logger.wait();
  // Every read came after begin_run and before end_run: 3 samples, 2 failed reads between them.
  EXPECT_EQ(meta.extra["run"], (nlohmann::json{{"began", true}, {"reads_before_begin", 0}, {"reads", 5}}));
  EXPECT_EQ(io::read_power_log_meta(io::power_log_meta_path(log)).extra["run"], meta.extra["run"]);
}

TEST(PowerLogger, HoldsUpToSixteenRails) {
  temp_dir dir;
  std::vector<io::rail_source> rails(16, {"R", "", ""});
  std::vector<sense::rail_reading> step(16, {1, 1});
  sense::replay_sampler ok(rails, {step});
  sense::power_logger logger(std::move(ok), {.log = dir / "p.log", .sampling = {.period = microseconds{0}, .max_samples = 1}});
  EXPECT_EQ(logger.wait().stats.samples, 1u);
}

}  // namespace power_logger_test
