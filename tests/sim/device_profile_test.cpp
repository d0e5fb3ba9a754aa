#include "layerwatt/sim/device_profile.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace layerwatt::sim {
namespace device_profile_test {

device_profile parse(std::string_view text) {
  const io::json_document doc("profile.json", text);
  return parse_device_profile(doc.root());
}

TEST(DeviceProfile, DefaultsDescribeTheReferenceSetUp) {
  const device_profile p;
  EXPECT_EQ(p.name, "orin-like");
  // The INA3221's reset configuration: 3 channels × (1.1 ms bus + 1.1 ms shunt) × 1 sample.
  EXPECT_EQ(p.sensor.refresh_interval_us(), 6600);
  EXPECT_EQ(p.logger.period_us, 1400);
  EXPECT_EQ(p.profiler.stamps, stamp_mode::callback);
}

TEST(DeviceProfile, AFileOverridesOnlyWhatItNames) {
  const auto p = parse(R"({"name": "fast", "sensor": {"samples": 4, "bus_conversion_us": 140},
                           "profiler": {"stamps": "layer-end", "clock_offset_us": -250.5}})");
  EXPECT_EQ(p.name, "fast");
  EXPECT_EQ(p.sensor.samples, 4);
  EXPECT_EQ(p.sensor.refresh_interval_us(), 3 * (140 + 1100) * 4);
  EXPECT_EQ(p.profiler.stamps, stamp_mode::layer_end);
  EXPECT_EQ(p.profiler.clock_offset_us, -250.5);
  EXPECT_EQ(to_json(parse("{}")), to_json(device_profile{}));
}

TEST(DeviceProfile, WritesEveryFieldAndReadsItBack) {
  device_profile p;
  p.compute.tactic_seed = 99;
  p.power.drift_fraction = 0.1;
  p.profiler.stamps = stamp_mode::layer_end;
  const testing::temp_dir dir;
  write_device_profile(dir / "p.json", p);
  EXPECT_EQ(to_json(read_device_profile(dir / "p.json")), to_json(p));
  EXPECT_TRUE(to_json(p)["compute"].contains("launch_overhead_us"));
}

TEST(DeviceProfile, MistakesAreErrorsWithTheirJsonPath) {
  EXPECT_ERROR_MENTIONS(parse(R"({"sensors": {}})"), "profile.json", "\"sensors\" is not one");
  EXPECT_ERROR_MENTIONS(parse(R"({"sensor": {"sample": 4}})"), "/sensor", "\"sample\" is not one");
  EXPECT_ERROR_MENTIONS(parse(R"({"sensor": {"samples": 0}})"), "/sensor/samples", "[1, 4096]");
  EXPECT_ERROR_MENTIONS(parse(R"({"sensor": {"channels": 4}})"), "/sensor/channels", "[1, 3]");
  EXPECT_ERROR_MENTIONS(parse(R"({"logger": {"period_us": "fast"}})"), "/logger/period_us", "a number");
  EXPECT_ERROR_MENTIONS(parse(R"({"power": {"idle_mw": -1}})"), "/power/idle_mw", "a number in");
  EXPECT_ERROR_MENTIONS(parse(R"({"profiler": {"stamps": "end"}})"), "/profiler/stamps", "layer-end");
  EXPECT_ERROR_MENTIONS(parse(R"({"run": 3})"), "/run", "an object");
  EXPECT_ERROR_MENTIONS(parse("[]"), "a device profile");
}

}  // namespace device_profile_test
}  // namespace layerwatt::sim
