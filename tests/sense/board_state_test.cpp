// The board's state recorded beside a measurement (sense/board_state.hpp): nvpmodel's answer and
// the clocks of a fake sysfs tree.

#include "layerwatt/sense/board_state.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/temp_dir.hpp"

namespace sense = layerwatt::sense;
using layerwatt::testing::temp_dir;
using layerwatt::testing::write_text;

namespace board_state_test {

TEST(BoardState, NvpmodelsAnswer) {
  // JetPack 5's `nvpmodel -q`: a warning line may come first.
  const auto mode = sense::parse_nvpmodel_query("NVPM WARN: fan mode is not set!\nNV Power Mode: 15W\n2\n");
  ASSERT_TRUE(mode);
  EXPECT_EQ((*mode)["mode"], "15W");
  EXPECT_EQ((*mode)["id"], 2);
  EXPECT_FALSE(sense::parse_nvpmodel_query("nvpmodel: command not found\n"));
  EXPECT_FALSE(sense::parse_nvpmodel_query("NV Power Mode: MAXN")->contains("id"));
}

TEST(BoardState, ClocksFromSysfsAndNvpmodelsErrorsKept) {
  temp_dir dir;
  const auto gpu = dir / "class/devfreq/17000000.ga10b";
  write_text(gpu / "governor", "nvhost_podgov\n");
  write_text(gpu / "cur_freq", "1300500000\n");
  write_text(gpu / "max_freq", "1300500000\n");
  const auto cpu = dir / "devices/system/cpu/cpufreq/policy0";
  write_text(cpu / "affected_cpus", "0 1 2 3\n");
  write_text(cpu / "scaling_cur_freq", "1984000\n");
  const auto state = sense::read_board_state(dir.path(), (dir / "no-nvpmodel").string());
  EXPECT_EQ(state["clocks"]["devfreq"]["17000000.ga10b"],
            (nlohmann::ordered_json{{"governor", "nvhost_podgov"}, {"cur_freq_hz", 1300500000}, {"max_freq_hz", 1300500000}}));
  EXPECT_EQ(state["clocks"]["cpufreq"]["policy0"], (nlohmann::ordered_json{{"cpus", "0 1 2 3"}, {"cur_khz", 1984000}}));
  // No nvpmodel: the reason is recorded, nothing guessed.
  EXPECT_NE(state["nvpmodel"]["error"].get<std::string>().find("no-nvpmodel"), std::string::npos) << state.dump();
}

}  // namespace board_state_test
