#include "layerwatt/io/tegrastats.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace io = layerwatt::io;
using lw::microseconds;
using lw::testing::temp_dir;
using lw::testing::write_text;

namespace tegrastats_test {

// JetPack 4 (Jetson Nano): no stamps, `NAME cur/avg` in mW.
constexpr const char* jetpack4_lines =
    "RAM 1798/3964MB (lfb 94x4MB) SWAP 466/1982MB (cached 23MB) IRAM 0/252kB(lfb 252kB) CPU [7%@204,3%@204,off,off] "
    "EMC_FREQ 24%@1600 GR3D_FREQ 70%@921 APE 25 PLL@26.5C CPU@33.5C GPU@30.5C thermal@31.25C "
    "POM_5V_IN 7384/7384 POM_5V_GPU 4618/4618 POM_5V_CPU 121/121\n"
    "RAM 1798/3964MB (lfb 94x4MB) SWAP 466/1982MB (cached 23MB) IRAM 0/252kB(lfb 252kB) CPU [11%@204,2%@204,off,off] "
    "EMC_FREQ 36%@1600 GR3D_FREQ 70%@921 APE 25 PLL@26.5C CPU@33.5C GPU@30.5C thermal@32.25C "
    "POM_5V_IN 7233/7308 POM_5V_GPU 4544/4581 POM_5V_CPU 121/121\n";

// JetPack 5 and 6 (Orin Nano): the date and time first, `NAME curmW/avgmW`.
constexpr const char* jetpack5_lines =
    "08-23-2026 13:57:46 RAM 3595/7607MB (lfb 1x1MB) SWAP 11/3804MB (cached 0MB) CPU [1%@729,off,3%@729,4%@729] "
    "EMC_FREQ 2%@2133 GR3D_FREQ 7%@[306] cpu@51C soc2@50.562C gpu@50.5C tj@51C "
    "VDD_IN 5832mW/5852mW VDD_CPU_GPU_CV 1307mW/1327mW VDD_SOC 1468mW/1468mW\n"
    "08-23-2026 13:57:47 RAM 3595/7607MB (lfb 1x1MB) SWAP 11/3804MB (cached 0MB) CPU [1%@729,off,3%@729,4%@729] "
    "EMC_FREQ 2%@2133 GR3D_FREQ 7%@[306] cpu@51C soc2@50.562C gpu@50.5C tj@51C "
    "VDD_IN 6012mW/5932mW VDD_CPU_GPU_CV 1407mW/1367mW VDD_SOC 1470mW/1469mW\n";

const lw::time_stamp first_line_at = lw::parse_time_stamp("20250101-12:00:00.0");
const io::tegrastats_clock every_second{first_line_at, microseconds{1'000'000}};

TEST(Tegrastats, ReadsJetPack4LinesOnTheGivenClock) {
  temp_dir dir;
  write_text(dir / "t.txt", jetpack4_lines);
  const auto log = io::read_tegrastats(dir / "t.txt", "POM_5V_GPU", io::tegrastats_value::instant, every_second);
  EXPECT_FALSE(log.stamped);
  EXPECT_EQ(log.rails, (std::vector<std::string>{"POM_5V_IN", "POM_5V_GPU", "POM_5V_CPU"}));
  ASSERT_EQ(log.samples.size(), 2u);
  EXPECT_EQ(log.samples[0].power_uw, 4'618'000.0);
  EXPECT_EQ(log.samples[1].power_uw, 4'544'000.0);
  EXPECT_EQ(log.samples[1].t, first_line_at + microseconds{1'000'000});
  EXPECT_EQ(log.interval, microseconds{1'000'000});
  const auto average = io::read_tegrastats(dir / "t.txt", "POM_5V_GPU", io::tegrastats_value::average, every_second);
  EXPECT_EQ(average.samples[1].power_uw, 4'581'000.0);
  const auto sum = io::read_tegrastats(dir / "t.txt", "POM_5V_GPU+POM_5V_CPU", io::tegrastats_value::instant, every_second);
  EXPECT_EQ(sum.samples[1].power_uw, (4'544.0 + 121.0) * 1000);
}

TEST(Tegrastats, ReadsJetPack5LinesWithTheirStamps) {
  temp_dir dir;
  write_text(dir / "t.txt", jetpack5_lines);
  const auto log = io::read_tegrastats(dir / "t.txt", "VDD_IN", io::tegrastats_value::instant);
  EXPECT_TRUE(log.stamped);
  EXPECT_EQ(log.rails, (std::vector<std::string>{"VDD_IN", "VDD_CPU_GPU_CV", "VDD_SOC"}));
  ASSERT_EQ(log.samples.size(), 2u);
  EXPECT_EQ(log.samples[0].t, lw::parse_time_stamp("20260823-13:57:46.0"));
  EXPECT_EQ(log.samples[0].power_uw, 5'832'000.0);
  EXPECT_EQ(log.samples[1].power_uw, 6'012'000.0);
  EXPECT_EQ(log.interval, microseconds{1'000'000});
  EXPECT_EQ(io::read_tegrastats(dir / "t.txt", "VDD_SOC", io::tegrastats_value::average).samples[1].power_uw,
            1'469'000.0);
  EXPECT_EQ(io::tegrastats_rail_names(dir / "t.txt"), log.rails);
  EXPECT_TRUE(io::is_tegrastats_line(jetpack5_lines));
  EXPECT_FALSE(io::is_tegrastats_line("20241121-00:00:01.000000,5000.0,1000.0"));
}

TEST(Tegrastats, ErrorsSayWhatIsMissing) {
  temp_dir dir;
  write_text(dir / "t4.txt", jetpack4_lines);
  EXPECT_ERROR_MENTIONS(io::read_tegrastats(dir / "t4.txt", "POM_5V_IN", io::tegrastats_value::instant),
                        "t4.txt:1:", "no time stamps", "missing: both");
  EXPECT_ERROR_MENTIONS(io::read_tegrastats(dir / "t4.txt", "POM_5V_IN", io::tegrastats_value::instant,
                                            {.start = first_line_at, .interval = std::nullopt}),
                        "t4.txt:1:", "missing: the interval");
  EXPECT_ERROR_MENTIONS(io::read_tegrastats(dir / "t4.txt", "POM_5V_IN", io::tegrastats_value::instant,
                                            {.start = std::nullopt, .interval = microseconds{1'000'000}}),
                        "t4.txt:1:", "missing: the start time");
  EXPECT_ERROR_MENTIONS(io::read_tegrastats(dir / "t4.txt", "VDD_IN", io::tegrastats_value::instant, every_second),
                        "t4.txt:1:", "no rail VDD_IN; the line has POM_5V_IN, POM_5V_GPU, POM_5V_CPU");
  write_text(dir / "t5.txt", jetpack5_lines);
  EXPECT_ERROR_MENTIONS(io::read_tegrastats(dir / "t5.txt", "VDD_IN", io::tegrastats_value::instant, every_second),
                        "own time stamps");
  write_text(dir / "mixed.txt", std::string(jetpack5_lines) + jetpack4_lines);
  EXPECT_ERROR_MENTIONS(io::read_tegrastats(dir / "mixed.txt", "VDD_IN", io::tegrastats_value::instant), "mixed.txt:3:",
                        "mixed");
  write_text(dir / "power.log", "20241121-00:00:01.000000,5000.0,1000.0\n");
  EXPECT_ERROR_MENTIONS(io::read_tegrastats(dir / "power.log", "VDD_IN", io::tegrastats_value::instant), "power.log:1:",
                        "expected a tegrastats line");
  // The JetPack 5 lines with the last `from` in them replaced by `to`, written to `name`.
  const auto edited = [&](const char* name, std::string_view from, std::string_view to) {
    std::string text(jetpack5_lines);
    text.replace(text.rfind(from), from.size(), to);
    write_text(dir / name, text);
    return dir / name;
  };
  // A rail whose value is malformed is named with the value, not said to be missing.
  EXPECT_ERROR_MENTIONS(io::read_tegrastats(edited("watts.txt", "VDD_IN 5", "VDD_IN 5W/"), "VDD_IN",
                                            io::tegrastats_value::instant),
                        "watts.txt:1:", "rail VDD_IN: expected its power as a/b or amW/bmW", "got \"5W/");
  EXPECT_ERROR_MENTIONS(io::read_tegrastats(edited("back.txt", "13:57:47", "13:57:40"), "VDD_IN",
                                            io::tegrastats_value::instant),
                        "back.txt:2:", "backward by 6 s");
  // A stamp that is no date is named, not read as a log without stamps: the day first (every line,
  // with a clock given as for one without), or a time past 23:59:59.
  std::string day_first(jetpack5_lines);
  day_first.replace(day_first.find("08-23-2026"), 10, "23-08-2026");
  day_first.replace(day_first.rfind("08-23-2026"), 10, "23-08-2026");
  write_text(dir / "day_first.txt", day_first);
  EXPECT_ERROR_MENTIONS(io::read_tegrastats(dir / "day_first.txt", "VDD_IN", io::tegrastats_value::instant, every_second),
                        "day_first.txt:1:", "expected tegrastats' time stamp, MM-DD-YYYY HH:MM:SS",
                        "got \"23-08-2026 13:57:46\": the day first? tegrastats writes the month first");
  EXPECT_ERROR_MENTIONS(io::read_tegrastats(edited("late.txt", "13:57:47", "24:00:00"), "VDD_IN",
                                            io::tegrastats_value::instant),
                        "late.txt:2:",
                        "got \"08-23-2026 24:00:00\": no such date or time");
}

TEST(Tegrastats, DropsACutLastLine) {
  temp_dir dir;
  std::string text(jetpack5_lines);
  text.pop_back();
  write_text(dir / "t.txt", text);
  std::string warned;
  const auto log = io::read_tegrastats(dir / "t.txt", "VDD_IN", io::tegrastats_value::instant, {},
                                       [&](std::string_view w) { warned = w; });
  EXPECT_EQ(log.samples.size(), 1u);
  EXPECT_NE(warned.find("t.txt:2: last line has no newline"), std::string::npos) << warned;
}

// The real sample (PROVENANCE.md): mean POM_5V_GPU 4 779.7 mW over 58 lines, sum 277 225.
TEST(Tegrastats, ReadsTheRealJetsonNanoSample) {
  LAYERWATT_REQUIRE_SHARED();
  const auto log = io::read_tegrastats(
      lw::testing::real_data("icas_jetson_nano_nas/tegrastats_sample/stats_convnet_L5_F512_K3x3_W40_mode0_60.txt"),
      "POM_5V_GPU", io::tegrastats_value::instant, every_second);
  ASSERT_EQ(log.samples.size(), 58u);
  double sum_mw = 0;
  for (const auto& s : log.samples) sum_mw += s.power_uw / 1000;
  EXPECT_EQ(sum_mw, 277'225.0);
  EXPECT_NEAR(sum_mw / 58, 4'779.7, 0.05);
}

}  // namespace tegrastats_test
