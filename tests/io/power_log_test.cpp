#include "layerwatt/io/power_log.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"
#include "support/shared_data.hpp"

namespace lw = layerwatt;
namespace io = layerwatt::io;
using lw::testing::reference_data;
using lw::testing::temp_dir;
using lw::testing::write_text;

namespace power_log_test {

const lw::warning_sink fail_on_warning = [](std::string_view w) { ADD_FAILURE() << "unexpected warning: " << w; };

TEST(PowerLog, ReadsTheReferenceFixture) {
  LAYERWATT_REQUIRE_SHARED();
  const auto samples = io::load_power_samples(
      reference_data("seed_fixtures/example_raw_data/multiple_layers/multiple_layers_power_log.log"), 0,
      fail_on_warning);
  ASSERT_EQ(samples.size(), 11u);
  EXPECT_EQ(samples[0].t, lw::parse_time_stamp("20241121-00:00:01.00"));
  EXPECT_EQ(samples[0].power_uw, 5000.0 * 1100.0);
  EXPECT_EQ(samples[10].power_uw, 5000.0 * 2100.0);
}

TEST(PowerLog, ToleratesCrLf) {
  temp_dir dir;
  write_text(dir / "p.log", "20241121-00:00:01.00,5000.0,1100.0\r\n20241121-00:00:01.20,5000.0,1200.0\r\n");
  const auto samples = io::load_power_samples(dir / "p.log", 0, fail_on_warning);
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[1].power_uw, 6'000'000.0);
}

TEST(PowerLog, MalformedLineNamesFileAndLine) {
  temp_dir dir;
  write_text(dir / "p.log", "20241121-00:00:01.00,5000.0,1100.0\n20241121-00:00:01.20,5000.0,abc\n");
  EXPECT_ERROR_MENTIONS(io::load_power_samples(dir / "p.log"), "p.log:2:", "expected", "abc");
  write_text(dir / "q.log", "20241121-00:00:01.00,5000.0\n");
  EXPECT_ERROR_MENTIONS(io::load_power_samples(dir / "q.log"), "q.log:1:", "mV,mA");
  write_text(dir / "r.log", "20241121-00:00:01.00,5000.0,1.0,2.0\n");
  EXPECT_ERROR_MENTIONS(io::load_power_samples(dir / "r.log"), "r.log:1:");
  write_text(dir / "s.log", "2024-11-21 00:00:01,5000.0,1.0\n");
  EXPECT_ERROR_MENTIONS(io::load_power_samples(dir / "s.log"), "s.log:1:", "YYYYmmdd-HH:MM:SS.ffffff");
  write_text(dir / "t.log", "20241121-00:00:01.00,5000.0,1.0\n\n20241121-00:00:01.00,5000.0,1.0\n");
  EXPECT_ERROR_MENTIONS(io::load_power_samples(dir / "t.log"), "t.log:2:");
  // A current of -1 A, or a power no board draws (mV × mA above 10 kW), is garbage, not a sample;
  // a few mA below 0 is an idle channel's offset.
  write_text(dir / "u.log", "20241121-00:00:01.00,5000.0,1100.0\n20241121-00:00:01.20,5000.0,-1000.0\n");
  EXPECT_ERROR_MENTIONS(io::load_power_samples(dir / "u.log"), "u.log:2:", "mA of at least -100", "-1000 mA");
  write_text(dir / "v.log", "20241121-00:00:01.00,5000.0,1e306\n");
  EXPECT_ERROR_MENTIONS(io::load_power_samples(dir / "v.log"), "v.log:1:", "at most 10000 W", "1e+306 mA");
  write_text(dir / "w.log", "20241121-00:00:01.00,5000.0,-8.0\n");
  EXPECT_EQ(io::load_power_samples(dir / "w.log").at(0).power_uw, -40000.0);
}

TEST(PowerLog, TruncatedLastLineIsDroppedWithAWarning) {
  temp_dir dir;
  write_text(dir / "p.log", "20241121-00:00:01.00,5000.0,1100.0\n20241121-00:00:01.20,50");
  std::vector<std::string> warnings;
  const auto samples =
      io::load_power_samples(dir / "p.log", 0, [&](std::string_view w) { warnings.emplace_back(w); });
  EXPECT_EQ(samples.size(), 1u);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("p.log:2"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("no newline"), std::string::npos) << warnings[0];
}

TEST(PowerLog, MultiRailHeader) {
  temp_dir dir;
  write_text(dir / "p.log",
             "timestamp,VDD_IN_mV,VDD_IN_mA,VDD_GPU_SOC_mV,VDD_GPU_SOC_mA\n"
             "20241121-00:00:01.00,5000.0,1100.0,4000.0,300.0\n");
  std::size_t count = 0;
  const auto result = io::read_power_log(dir / "p.log", [&](lw::time_stamp, std::span<const double> r) {
    ASSERT_EQ(r.size(), 4u);
    EXPECT_EQ(r[2], 4000.0);
    ++count;
  });
  EXPECT_EQ(count, 1u);
  EXPECT_EQ(result.layout.rails, (std::vector<std::string>{"VDD_IN", "VDD_GPU_SOC"}));
  EXPECT_EQ(io::load_power_samples(dir / "p.log", 1)[0].power_uw, 1'200'000.0);
  EXPECT_ERROR_MENTIONS(io::load_power_samples(dir / "p.log", 2), "no rail 2");
}

TEST(PowerLog, BadHeaderIsAnError) {
  temp_dir dir;
  write_text(dir / "p.log", "timestamp,VDD_IN_mV,OTHER_mA\n");
  EXPECT_ERROR_MENTIONS(io::load_power_samples(dir / "p.log"), "p.log:1:", "header");
  write_text(dir / "q.log", "timestamp,VDD_IN_mV,VDD_IN_mA\n20241121-00:00:01.00,5000.0,1.0,2.0,3.0\n");
  EXPECT_ERROR_MENTIONS(io::load_power_samples(dir / "q.log"), "q.log:2:");
}

TEST(PowerLog, EmptyFileHasNoSamples) {
  temp_dir dir;
  write_text(dir / "p.log", "");
  EXPECT_TRUE(io::load_power_samples(dir / "p.log", 0, fail_on_warning).empty());
}

TEST(PowerLog, WriteThenReadGivesTheSameSamples) {
  temp_dir dir;
  const auto t0 = lw::parse_time_stamp("20241121-05:20:04.261448");
  std::vector<std::pair<lw::time_stamp, std::vector<double>>> samples;
  for (int i = 0; i < 1000; ++i)
    samples.emplace_back(t0 + std::chrono::microseconds(1379 * i), std::vector<double>{5000.0, 1096.0 + i * 0.25});
  io::write_power_log(dir / "p.log", {}, samples);
  const auto text = lw::testing::read_text(dir / "p.log");
  EXPECT_TRUE(text.starts_with("20241121-05:20:04.261448,5000.0,1096.0\n")) << text.substr(0, 60);
  const auto back = io::load_power_samples(dir / "p.log", 0, fail_on_warning);
  ASSERT_EQ(back.size(), samples.size());
  for (std::size_t i = 0; i < back.size(); ++i) {
    EXPECT_EQ(back[i].t, samples[i].first);
    EXPECT_EQ(back[i].power_uw, samples[i].second[0] * samples[i].second[1]);
  }
}

TEST(PowerLog, MultiRailWriteThenRead) {
  temp_dir dir;
  const io::power_log_layout layout{{"VDD_IN", "VDD_CPU_GPU_CV"}};
  std::vector<std::pair<lw::time_stamp, std::vector<double>>> samples = {
      {lw::parse_time_stamp("20241121-05:20:04.1"), {5000.0, 1.5, 4800.0, 0.25}}};
  io::write_power_log(dir / "p.log", layout, samples);
  std::vector<double> got;
  const auto result = io::read_power_log(dir / "p.log", [&](lw::time_stamp t, std::span<const double> r) {
    EXPECT_EQ(t, samples[0].first);
    got.assign(r.begin(), r.end());
  });
  EXPECT_EQ(result.layout, layout);
  EXPECT_EQ(got, samples[0].second);
}

}  // namespace power_log_test
