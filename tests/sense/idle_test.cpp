#include "layerwatt/sense/idle.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include "layerwatt/io/idle_power.hpp"
#include "layerwatt/sense/replay.hpp"
#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace io = layerwatt::io;
namespace sense = layerwatt::sense;
using std::chrono::microseconds;
using std::chrono::milliseconds;

namespace idle_test {

TEST(Idle, MeanAndSpreadOfMillivoltsTimesMilliamps) {
  // Powers 5 W, 6 W, (failed), 7 W, 6 W, repeating: mean 6 W, population std sqrt(0.5) W.
  sense::replay_sampler sampler({{"VDD_IN", "/v", "/c"}, {"VDD_SOC", "/v2", "/c2"}},
                                {{{5000, 1000}, {1000, 100}}, {{5000, 1200}, {1000, 100}}, {},
                                 {{5000, 1400}, {1000, 300}}, {{5000, 1200}, {1000, 300}}});
  const auto stamp = lw::parse_time_stamp("20241121-05:15:00.5");
  sense::manual_clock clock(stamp);
  // Three whole turns of the script (12 samples, 3 failed reads), as fast as possible: the
  // figures do not depend on how fast the machine is.
  const io::idle_power idle =
      sense::measure_idle(sampler, clock, sense::sampling_options{.period = microseconds{0}, .max_samples = 12});
  EXPECT_EQ(idle.timestamp, stamp);
  EXPECT_EQ(idle.extra["samples"].get<std::uint64_t>(), 12u);
  EXPECT_EQ(idle.extra["failed_reads"].get<std::uint64_t>(), 3u);
  EXPECT_NEAR(idle.avg_idle_power_uw, 6'000'000.0, 1e-6 * 6e6);
  EXPECT_NEAR(idle.extra["std_idle_power"].get<double>(), std::sqrt(0.5) * 1e6, 1e-3);
  const auto& rails = idle.extra["rails"];
  ASSERT_EQ(rails.size(), 2u);
  EXPECT_EQ(rails[0]["name"], "VDD_IN");
  EXPECT_EQ(rails[0]["current_path"], "/c");
  EXPECT_DOUBLE_EQ(rails[0]["avg_power_uw"].get<double>(), idle.avg_idle_power_uw);
  EXPECT_EQ(rails[1]["name"], "VDD_SOC");
  EXPECT_GT(rails[1]["avg_power_uw"].get<double>(), 100'000.0);
  EXPECT_LT(rails[1]["avg_power_uw"].get<double>(), 300'000.0);
}

TEST(Idle, WrittenFileReadsBackWithItsExtraKeys) {
  lw::testing::temp_dir dir;
  sense::replay_sampler sampler({{"VDD_IN", "", ""}}, {{{5000, 1096}}});
  sense::manual_clock clock(lw::parse_time_stamp("20241121-05:15:07.25"));
  const auto idle = sense::measure_idle(sampler, clock, milliseconds{3}, microseconds{500});
  io::write_idle_power(dir / "idling_power.json", idle);
  const auto back = io::read_idle_power(dir / "idling_power.json");
  EXPECT_EQ(back.timestamp, lw::parse_time_stamp("20241121-05:15:07.0"));  // the file keeps whole seconds
  EXPECT_EQ(back.avg_idle_power_uw, 5000.0 * 1096);
  EXPECT_EQ(back.extra["std_idle_power"], 0.0);
  EXPECT_EQ(back.extra["samples"], idle.extra["samples"]);
  EXPECT_EQ(back.extra["rails"][0]["name"], "VDD_IN");
}

TEST(Idle, NoSampleIsAnError) {
  sense::replay_sampler sampler({{"VDD_IN", "/v", "/sys/c"}}, {{}});
  sense::wall_clock clock;
  EXPECT_ERROR_MENTIONS(sense::measure_idle(sampler, clock, milliseconds{2}, microseconds{500}), "/sys/c",
                        "no idle power sample", "VDD_IN", "reads failed");
}

}  // namespace idle_test
