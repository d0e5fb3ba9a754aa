#include "layerwatt/join/run_energy.hpp"

#include <gtest/gtest.h>

#include "join_test_support.hpp"
#include "layerwatt/io/tegrastats.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

namespace join = layerwatt::join;
using layerwatt::microseconds;
using layerwatt::testing::at_us;
using layerwatt::testing::samples;

namespace run_energy_test {

TEST(RunEnergy, EachSampleInsideStandsForOnePeriod) {
  const auto s = samples({{0, 1e6}, {1'000'000, 3e6}, {2'000'000, 5e6}, {3'000'000, 7e6}});
  const auto e = join::energy_of_run(s, at_us(1'000'000), at_us(2'000'000), microseconds{1'000'000});
  EXPECT_EQ(e.samples, 2u);
  EXPECT_EQ(e.mean_power_uw, 4e6);
  EXPECT_EQ(e.energy_mj, 8'000.0);  // (3 W + 5 W) × 1 s
  EXPECT_ERROR_MENTIONS(join::energy_of_run(s, at_us(5'000'000), at_us(6'000'000), microseconds{1}),
                        "no power sample between");
}

// The real JetPack 4 log of ../shared/realdata/icas_jetson_nano_nas/tegrastats_sample: the data
// set's Avrg_POM_5V_GPU and Total_POM_5V_GPU for this network (PROVENANCE.md).
TEST(RunEnergy, ARealTegrastatsLogGivesTheDataSetsMeanAndTotal) {
  LAYERWATT_REQUIRE_SHARED();
  namespace io = layerwatt::io;
  const auto log = io::read_tegrastats(
      layerwatt::testing::real_data("icas_jetson_nano_nas/tegrastats_sample/stats_convnet_L5_F512_K3x3_W40_mode0_60.txt"),
      "POM_5V_GPU", io::tegrastats_value::instant, {at_us(0), microseconds{1'000'000}});
  const auto e = join::energy_of_run(log.samples, log.samples.front().t, log.samples.back().t, *log.interval);
  EXPECT_EQ(e.samples, 58u);
  EXPECT_NEAR(e.mean_power_uw / 1000, 4779.7, 0.05);
  EXPECT_EQ(e.energy_mj, 277'225.0);
}

}  // namespace run_energy_test
