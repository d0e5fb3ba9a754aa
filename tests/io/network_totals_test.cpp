#include "layerwatt/io/network_totals.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace io = layerwatt::io;
using layerwatt::testing::temp_dir;
using layerwatt::testing::write_text;

namespace network_totals_test {

TEST(NetworkTotals, ReadsEveryColumnAndResolvesEnginesAgainstTheFile) {
  temp_dir dir;
  write_text(dir / "t" / "network_totals.csv",
             "network,engine_info,latency_ms,energy_total_mj,energy_above_idle_mj\n"
             "resnet18,resnet18/engine_info.json,4.25,31.5,12.75\n"
             "vgg16,/abs/vgg16.json,12.5,,\n");
  const auto totals = io::read_network_totals(dir / "t" / "network_totals.csv");
  ASSERT_EQ(totals.size(), 2u);
  EXPECT_EQ(totals[0], (io::network_total{"resnet18", dir / "t" / "resnet18/engine_info.json", 4.25, 31.5, 12.75, "", 2}));
  EXPECT_EQ(totals[1].engine_info, "/abs/vgg16.json");
  EXPECT_EQ(totals[1].line, 3u);
  EXPECT_FALSE(totals[1].energy_total_mj);

  write_text(dir / "back" / "x.json", "");
  std::vector<io::network_total> rows = {{"a,b", "a/engine_info.json", 1.5, 2.25, std::nullopt, "family"}};
  io::write_network_totals(dir / "back" / "totals.csv", rows);
  const auto back = io::read_network_totals(dir / "back" / "totals.csv");
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].network, "a,b");
  EXPECT_EQ(back[0].engine_info, dir / "back" / "a/engine_info.json");
  EXPECT_EQ(back[0].energy_total_mj, 2.25);
  EXPECT_FALSE(back[0].energy_above_idle_mj);
  EXPECT_EQ(back[0].group, "family");
}

TEST(NetworkTotals, MistakesNameFileLineAndColumn) {
  temp_dir dir;
  const auto expect = [&](std::string_view rows, std::initializer_list<std::string_view> parts) {
    write_text(dir / "t.csv", "network,engine_info,latency_ms,energy_total_mj,energy_above_idle_mj\n" + std::string(rows));
    try {
      static_cast<void>(io::read_network_totals(dir / "t.csv"));
      ADD_FAILURE() << "no error for " << rows;
    } catch (const layerwatt::error& e) {
      for (const auto part : parts) EXPECT_NE(std::string_view(e.what()).find(part), std::string_view::npos) << e.what();
    }
  };
  expect("a,a.json,1,3,2\na,b.json,1,3,2\n", {"t.csv:3", "listed twice"});
  expect("a,a.json,,3,2\n", {"t.csv:2", "latency_ms"});
  expect("a,a.json,-1,3,2\n", {"t.csv:2", "latency_ms", "above 0"});
  expect("a,a.json,1,0,3\n", {"t.csv:2", "energy_total_mj", "above 0"});
  expect("a,a.json,1,x,3\n", {"t.csv:2", "energy_total_mj", "a number"});
  expect("a,,1,3,2\n", {"t.csv:2", "engine_info"});
  expect("a,a.json,1,3,2\nb,b.json,1,2,3\n", {"t.csv:3", "energy_above_idle_mj 3 is more than energy_total_mj 2"});
  write_text(dir / "u.csv", "network,latency_ms\na,1\n");
  EXPECT_ERROR_MENTIONS(io::read_network_totals(dir / "u.csv"), "u.csv:1", "engine_info");
}

}  // namespace network_totals_test
