#include "layerwatt/io/power_log_meta.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace io = layerwatt::io;

TEST(PowerLogMeta, RoundTripKeepsEveryField) {
  lw::testing::temp_dir dir;
  io::power_log_meta m;
  m.rails = {{"VDD_IN", "/sys/x/in1_input", "/sys/x/curr1_input"}};
  m.source = "ina3221-hwmon";
  m.clock = "realtime";
  m.requested_period = lw::microseconds{1000};
  m.sensor_update_interval_ms = 1.0;
  m.sensor_samples = 4;
  m.refresh_interval = lw::microseconds{1100};
  m.stats = {90000, 3, 998.7, 1000, 1031, 12};
  m.extra["note"] = "bench";
  const auto path = io::power_log_meta_path(dir / "m_power_log.log");
  EXPECT_EQ(path.filename(), "m_power_log.log.meta.json");
  io::write_power_log_meta(path, m);
  EXPECT_EQ(io::read_power_log_meta(path), m);
}

TEST(PowerLogMeta, OnlyRailsAreRequired) {
  lw::testing::temp_dir dir;
  lw::testing::write_text(dir / "m.json", R"({"rails": [{"name": "VDD_IN"}]})");
  const auto m = io::read_power_log_meta(dir / "m.json");
  EXPECT_EQ(m.rails.size(), 1u);
  EXPECT_FALSE(m.refresh_interval);
  lw::testing::write_text(dir / "n.json", R"({"rails": [], "sensor": {"refresh_interval_us": -5}})");
  EXPECT_ERROR_MENTIONS(io::read_power_log_meta(dir / "n.json"), "/sensor/refresh_interval_us");
  lw::testing::write_text(dir / "o.json", R"({"source": "x"})");
  EXPECT_ERROR_MENTIONS(io::read_power_log_meta(dir / "o.json"), "\"rails\"");
}
