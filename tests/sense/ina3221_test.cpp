#include "layerwatt/sense/ina3221.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "sense/fake_sysfs.hpp"
#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace sense = layerwatt::sense;
using lw::testing::fake_channel;
using lw::testing::temp_dir;
using lw::testing::write_text;
using std::chrono::microseconds;

namespace ina3221_test {

std::vector<std::string> names(const std::vector<sense::ina3221_rail>& rails) {
  std::vector<std::string> out;
  for (const auto& r : rails) out.push_back(r.name);
  return out;
}

TEST(Ina3221, FindsHwmonRailsWithPathsAndSettings) {
  temp_dir root;
  lw::testing::add_other_device(root.path(), "0-0050", "eeprom");
  const auto hwmon = lw::testing::add_orin_nano(root.path());
  const auto scan = sense::scan_ina3221(root.path());
  ASSERT_EQ(names(scan.rails), (std::vector<std::string>{"VDD_IN", "VDD_CPU_GPU_CV", "VDD_SOC"}));
  const auto& in = scan.rails[0];
  EXPECT_EQ(in.layout, sense::ina3221_layout::hwmon);
  EXPECT_EQ(in.channel, 1);
  EXPECT_EQ(in.voltage_path, hwmon / "in1_input");
  EXPECT_EQ(in.current_path, hwmon / "curr1_input");
  EXPECT_EQ(in.device, root / "bus/i2c/devices/1-0040");
  EXPECT_EQ(in.timing.update_interval_ms, 1.0);
  EXPECT_EQ(in.timing.samples, 4);
  EXPECT_EQ(in.timing.refresh_interval, microseconds{4000});
  EXPECT_EQ(scan.rails[2].voltage_path, hwmon / "in3_input");
}

TEST(Ina3221, FindsLegacyIioRails) {
  temp_dir root;
  const auto iio = lw::testing::add_iio_chip(
      root.path(), "6-0040", {{"POM_5V_IN", "5072", "1256"}, {"POM_5V_GPU", "5072", "40"}, {"POM_5V_CPU", "5072", "368"}});
  const auto scan = sense::scan_ina3221(root.path());
  ASSERT_EQ(names(scan.rails), (std::vector<std::string>{"POM_5V_IN", "POM_5V_GPU", "POM_5V_CPU"}));
  EXPECT_EQ(scan.rails[0].layout, sense::ina3221_layout::iio);
  EXPECT_EQ(scan.rails[0].channel, 0);
  EXPECT_EQ(scan.rails[1].voltage_path, iio / "in_voltage1_input");
  EXPECT_EQ(scan.rails[1].current_path, iio / "in_current1_input");
  EXPECT_EQ(scan.rails[0].timing, sense::sensor_timing{});  // iio shows no settings

  auto sampler = sense::ina3221_sampler::open(root.path());  // default: the board input
  ASSERT_EQ(sampler.rails().size(), 1u);
  EXPECT_EQ(sampler.rails()[0].name, "POM_5V_IN");
  EXPECT_EQ(sampler.source(), "ina3221-iio");
  sense::rail_reading r[1];
  ASSERT_TRUE(sampler.read(r));
  EXPECT_EQ(r[0], (sense::rail_reading{5072, 1256}));
}

TEST(Ina3221, SkipsUnconnectedAndUnlabelledChannelsAndOtherChips) {
  temp_dir root;
  // The AGX Orin's second chip: NC, a rail, NC.
  lw::testing::add_hwmon_chip(root.path(), "1-0041", {{"NC", "0", "0"}, {"VDDQ_VDD2_1V8AO", "1800", "120"}, {"NC", "0", "0"}},
                              "1", "1", "ina3221", 2);
  lw::testing::add_hwmon_chip(root.path(), "1-0040", {{"VDD_GPU_SOC", "19000", "900"}, {"", "1", "1"}}, "1", "1");
  lw::testing::add_hwmon_chip(root.path(), "2-0040", {{"VDD_X", "1", "1"}}, {}, {}, "ina226");
  const auto scan = sense::scan_ina3221(root.path());
  EXPECT_EQ(names(scan.rails), (std::vector<std::string>{"VDD_GPU_SOC", "VDDQ_VDD2_1V8AO"}));
  EXPECT_TRUE(sense::detail::is_unconnected_label("NC"));
  EXPECT_TRUE(sense::detail::is_unconnected_label("NC_2"));
  EXPECT_TRUE(sense::detail::is_unconnected_label("CH3 NC"));
  EXPECT_FALSE(sense::detail::is_unconnected_label("VDD_SYNC"));
  EXPECT_FALSE(sense::detail::is_unconnected_label("NCX"));
}

TEST(Ina3221, DefaultIsTheBoardInputElseAnErrorListingTheRails) {
  temp_dir root;
  lw::testing::add_orin_nano(root.path());
  const auto scan = sense::scan_ina3221(root.path());
  EXPECT_EQ(names(sense::select_ina3221_rails(scan, {})), std::vector<std::string>{"VDD_IN"});

  temp_dir agx;
  lw::testing::add_hwmon_chip(agx.path(), "1-0040",
                              {{"VDD_GPU_SOC", "19000", "900"}, {"VDD_CPU_CV", "19000", "300"}, {"VIN_SYS_5V0", "5000", "600"}});
  const auto agx_scan = sense::scan_ina3221(agx.path());
  EXPECT_ERROR_MENTIONS(sense::select_ina3221_rails(agx_scan, {}), "VDD_IN", "POM_5V_IN", "--rail", "VDD_GPU_SOC",
                        "VDD_CPU_CV", "VIN_SYS_5V0");
  const std::vector<std::string> two{"VIN_SYS_5V0", "VDD_GPU_SOC"};
  EXPECT_EQ(names(sense::select_ina3221_rails(agx_scan, two)), two);
}

TEST(Ina3221, AnUnknownRailListsRailsAndEveryPathSearched) {
  temp_dir root;
  const auto hwmon = lw::testing::add_orin_nano(root.path());
  const auto scan = sense::scan_ina3221(root.path());
  const std::vector<std::string> wanted{"VDD_GPU"};
  const std::string hwmon_dir = hwmon.string(), pattern = (root / "bus/i2c/devices/*/name").string();
  EXPECT_ERROR_MENTIONS(sense::select_ina3221_rails(scan, wanted), "\"VDD_GPU\"", "VDD_IN", "VDD_SOC",
                        hwmon_dir.c_str(), pattern.c_str());
  const std::vector<std::string> twice{"VDD_IN", "VDD_IN"};
  EXPECT_ERROR_MENTIONS(sense::select_ina3221_rails(scan, twice), "VDD_IN", "twice");
}

TEST(Ina3221, NoChipOrNoRailIsAnError) {
  temp_dir root;
  const std::string pattern = (root / "bus/i2c/devices/*/name").string();
  EXPECT_ERROR_MENTIONS(sense::scan_ina3221(root.path()), "no INA3221", pattern.c_str());
  lw::testing::add_other_device(root.path(), "0-0050", "eeprom");
  EXPECT_ERROR_MENTIONS(sense::scan_ina3221(root.path()), "no INA3221");
  write_text(root / "bus/i2c/devices/1-0040/name", "ina3221\n");
  EXPECT_ERROR_MENTIONS(sense::scan_ina3221(root.path()), "no connected rail", "1-0040");
}

TEST(Ina3221, SamplesSeveralRailsTogether) {
  temp_dir root;
  const auto hwmon = lw::testing::add_orin_nano(root.path());
  const std::vector<std::string> chosen{"VDD_SOC", "VDD_IN"};
  auto sampler = sense::ina3221_sampler::open(root.path(), chosen);
  ASSERT_EQ(sampler.rails().size(), 2u);
  EXPECT_EQ(sampler.rails()[0].name, "VDD_SOC");
  EXPECT_EQ(sampler.rails()[0].voltage_path, (hwmon / "in3_input").string());
  EXPECT_EQ(sampler.rails()[1].current_path, (hwmon / "curr1_input").string());
  EXPECT_EQ(sampler.source(), "ina3221-hwmon");
  EXPECT_EQ(sampler.timing().refresh_interval, microseconds{4000});
  sense::rail_reading r[2];
  ASSERT_TRUE(sampler.read(r));
  EXPECT_EQ(r[0], (sense::rail_reading{5000, 704}));
  EXPECT_EQ(r[1], (sense::rail_reading{5000, 1096}));
}

TEST(Ina3221, AFileThatTurnsBadMidRunFailsThoseReadsOnly) {
  temp_dir root;
  const auto hwmon = lw::testing::add_orin_nano(root.path());
  auto sampler = sense::ina3221_sampler::open(root.path());
  sense::rail_reading r[1];
  ASSERT_TRUE(sampler.read(r));
  write_text(hwmon / "curr1_input", "garbage\n");
  EXPECT_FALSE(sampler.read(r));
  write_text(hwmon / "curr1_input", "");
  EXPECT_FALSE(sampler.read(r));
  write_text(hwmon / "curr1_input", "1200\n");
  ASSERT_TRUE(sampler.read(r));
  EXPECT_EQ(r[0].current_ma, 1200.0);

  // The file vanishes after the sampler opened it: reads through a descriptor of a vanished
  // sysfs file fail (as /proc/self/mem at offset 0 does here).
  std::filesystem::remove(hwmon / "in1_input");
  std::filesystem::create_symlink("/proc/self/mem", hwmon / "in1_input");
  auto vanishing = sense::ina3221_sampler::open(root.path());
  EXPECT_FALSE(vanishing.read(r));
}

TEST(Ina3221, AFileMissingAtOpenIsAnErrorNamingIt) {
  temp_dir root;
  lw::testing::add_orin_nano(root.path());
  const auto scan = sense::scan_ina3221(root.path());
  auto rails = sense::select_ina3221_rails(scan, {});
  std::filesystem::remove(rails[0].current_path);
  EXPECT_ERROR_MENTIONS(sense::ina3221_sampler(rails), "curr1_input", "cannot open");
}

TEST(Ina3221, RefreshIntervalFromDriverSettings) {
  EXPECT_EQ(sense::ina3221_refresh_interval(2.0, 16), microseconds{32'000});
  EXPECT_EQ(sense::ina3221_refresh_interval(7.0, std::nullopt), microseconds{7000});
  EXPECT_EQ(sense::ina3221_refresh_interval(0.0, 4), std::nullopt);  // "under half a millisecond"
  EXPECT_EQ(sense::ina3221_refresh_interval(std::nullopt, 4), std::nullopt);
}

TEST(Ina3221, TheSlowestChipSetsTheTiming) {
  temp_dir root;
  lw::testing::add_hwmon_chip(root.path(), "1-0040", {{"VDD_IN", "5000", "1000"}}, "1", "1");
  lw::testing::add_hwmon_chip(root.path(), "1-0041", {{"VDD_X", "1800", "10"}}, "2", "4", "ina3221", 2);
  const std::vector<std::string> both{"VDD_IN", "VDD_X"};
  EXPECT_EQ(sense::ina3221_sampler::open(root.path(), both).timing().refresh_interval, microseconds{8000});
}

}  // namespace ina3221_test
