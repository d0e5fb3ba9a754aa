#include "layerwatt/io/rail_selection.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace io = layerwatt::io;
using lw::testing::temp_dir;
using lw::testing::write_text;

namespace rail_selection_test {

TEST(RailSelection, SplitsASumOfRails) {
  EXPECT_EQ(io::split_rail_sum("VDD_IN"), std::vector<std::string>{"VDD_IN"});
  EXPECT_EQ(io::split_rail_sum("A+B+C"), (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_ERROR_MENTIONS(io::split_rail_sum("A++B"), "\"A++B\"", "no empty name");
  EXPECT_ERROR_MENTIONS(io::split_rail_sum("A+"), "no empty name");
  EXPECT_ERROR_MENTIONS(io::split_rail_sum("A+B+A"), "\"A\" is named twice");
}

TEST(RailSelection, ResolvesNamesIndicesAndSums) {
  const std::vector<std::string> names{"VDD_GPU_SOC", "VDD_CPU_CV", "VIN_SYS_5V0"};
  EXPECT_EQ(io::select_rails("p.log", names, ""),
            (io::rail_selection{"VDD_GPU_SOC", {0}, {"VDD_GPU_SOC"}, true}));
  EXPECT_EQ(io::select_rails("p.log", names, "2").name, "VIN_SYS_5V0");
  const auto sum = io::select_rails("p.log", names, "VDD_GPU_SOC+VDD_CPU_CV+VIN_SYS_5V0");
  EXPECT_EQ(sum.columns, (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_EQ(sum.name, "VDD_GPU_SOC+VDD_CPU_CV+VIN_SYS_5V0");
  EXPECT_EQ(io::select_rails("p.log", names, "2+0").name, "VIN_SYS_5V0+VDD_GPU_SOC");
  EXPECT_ERROR_MENTIONS(io::select_rails("p.log", names, "VDD_GPU_SOC+VDD_IN"), "p.log", "no rail \"VDD_IN\"",
                        "VDD_GPU_SOC, VDD_CPU_CV, VIN_SYS_5V0");
  // A sum logged as one column is that column, not a sum to make.
  const std::vector<std::string> logged{"A+B"};
  EXPECT_EQ(io::select_rails("p.log", logged, "A+B").columns, std::vector<std::size_t>{0});
  // A log naming no rail: index 0 only.
  EXPECT_EQ(io::select_rails("p.log", {}, "0"), (io::rail_selection{"0", {0}, {"0"}, false}));
  EXPECT_ERROR_MENTIONS(io::select_rails("p.log", {}, "VDD_IN"), "one unnamed rail (0)");
}

// Sums done by hand: mV × mA per rail, added per line.
TEST(RailSelection, LoadsTheSumPerSample) {
  temp_dir dir;
  write_text(dir / "p.log",
             "timestamp,VDD_GPU_SOC_mV,VDD_GPU_SOC_mA,VDD_CPU_CV_mV,VDD_CPU_CV_mA,VIN_SYS_5V0_mV,VIN_SYS_5V0_mA\n"
             "20241121-00:00:01.000000,19104.0,1226.0,19104.0,408.0,5016.0,845.0\n"
             "20241121-00:00:01.001000,19096.0,2410.0,19104.0,396.0,5016.0,861.0\n");
  const auto rails = io::read_power_log_rails(dir / "p.log", std::nullopt);
  EXPECT_EQ(rails.first_sample_line, 2u);
  const auto sum = io::select_rails(dir / "p.log", rails.names, "VDD_GPU_SOC+VDD_CPU_CV+VIN_SYS_5V0");
  const auto samples = io::load_power_samples(dir / "p.log", sum);
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].power_uw, 19104.0 * 1226 + 19104.0 * 408 + 5016.0 * 845);  // 35 454 456 µW
  EXPECT_EQ(samples[0].power_uw, 35'454'456.0);
  EXPECT_EQ(samples[1].power_uw, 19096.0 * 2410 + 19104.0 * 396 + 5016.0 * 861);
  EXPECT_EQ(io::load_power_samples(dir / "p.log", io::select_rails(dir / "p.log", rails.names, "VDD_CPU_CV"))[1].power_uw,
            19104.0 * 396);
}

// A single-rail log without a header (as `layerwatt log` and `simulate` write it) is named by its
// .meta.json: `--rail VDD_IN` finds it.
TEST(RailSelection, ASidecarNamesAHeaderlessLog) {
  temp_dir dir;
  write_text(dir / "p.log", "20241121-00:00:01.000000,5000.0,1000.0\n");
  io::power_log_meta meta;
  meta.rails = {{"VDD_IN", "", ""}};
  const auto rails = io::read_power_log_rails(dir / "p.log", meta);
  EXPECT_EQ(rails.names, std::vector<std::string>{"VDD_IN"});
  EXPECT_EQ(rails.first_sample_line, 1u);
  EXPECT_EQ(io::select_rails(dir / "p.log", rails.names, "VDD_IN").columns, std::vector<std::size_t>{0});
  EXPECT_TRUE(io::read_power_log_rails(dir / "p.log", std::nullopt).names.empty());
  meta.rails.push_back({"VDD_SOC", "", ""});
  EXPECT_ERROR_MENTIONS(io::read_power_log_rails(dir / "p.log", meta), "p.log", "names 2 rails", "no header");
}

}  // namespace rail_selection_test
