#include "layerwatt/sim/ground_truth.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace layerwatt::sim {
namespace ground_truth_test {

TEST(GroundTruth, RoundTripsWithItsProfileAndNullPowers) {
  ground_truth g;
  g.model = "net";
  g.seed = 7;
  g.cycles = 2;
  g.profile.profiler.stamps = stamp_mode::layer_end;
  g.profile.sensor.samples = 4;
  g.idle_power_uw = 5e6;
  g.refresh_interval_us = 26400;
  g.first_refresh = parse_time_stamp("20250101-00:00:00.001234");
  g.inference_windows = {{parse_time_stamp("20250101-00:00:00.2"), parse_time_stamp("20250101-00:00:00.201")},
                         {parse_time_stamp("20250101-00:00:00.3"), parse_time_stamp("20250101-00:00:00.301")}};
  g.layers = {{"conv", "CaskConvolution", 0.25, 9e6, 4e6, 1e9, 1e6}, {"squeeze", "NoOp", 0, {}, {}, 0, 0}};
  const testing::temp_dir dir;
  write_ground_truth(dir / "ground_truth.json", g);
  const auto back = read_ground_truth(dir / "ground_truth.json");
  EXPECT_EQ(back.model, g.model);
  EXPECT_EQ(back.seed, g.seed);
  EXPECT_EQ(back.cycles, g.cycles);
  EXPECT_EQ(to_json(back.profile), to_json(g.profile));
  EXPECT_EQ(back.idle_power_uw, g.idle_power_uw);
  EXPECT_EQ(back.refresh_interval_us, g.refresh_interval_us);
  EXPECT_EQ(back.first_refresh, g.first_refresh);
  EXPECT_EQ(back.inference_windows, g.inference_windows);
  EXPECT_EQ(back.layers, g.layers);
  EXPECT_NE(testing::read_text(dir / "ground_truth.json").find("\"power_uw\": null"), std::string::npos);
}

TEST(GroundTruth, BadFilesNameThePath) {
  const testing::temp_dir dir;
  testing::write_text(dir / "g.json", R"({"model": "m", "seed": 1, "cycles": 1, "profile": {}, "idle_power_uw": 1,
      "sensor": {"refresh_interval_us": 6600, "first_refresh": "yesterday"}, "inference_windows": [], "layers": []})");
  EXPECT_ERROR_MENTIONS(read_ground_truth(dir / "g.json"), "g.json", "/sensor/first_refresh", "time stamp");
}

}  // namespace ground_truth_test
}  // namespace layerwatt::sim
