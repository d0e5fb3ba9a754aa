#include "layerwatt/io/idle_power.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"
#include "support/shared_data.hpp"

namespace lw = layerwatt;
namespace io = layerwatt::io;
using lw::testing::temp_dir;
using lw::testing::write_text;

TEST(IdlePower, ReadsTheFixture) {
  LAYERWATT_REQUIRE_SHARED();
  const auto idle = io::read_idle_power(lw::testing::reference_data("seed_fixtures/example_raw_data/idling_power.json"));
  EXPECT_EQ(idle.avg_idle_power_uw, 5'000'000.0);
  EXPECT_EQ(idle.timestamp, lw::parse_idle_time_stamp("20241121-051743"));
  EXPECT_TRUE(idle.extra.empty());
}

TEST(IdlePower, ExtraKeysSurviveARoundTrip) {
  temp_dir dir;
  io::idle_power idle{lw::parse_idle_time_stamp("20241121-051743"), 4234560.155322008, {}};
  idle.extra["samples"] = 120000;
  idle.extra["rails"] = {"VDD_IN"};
  io::write_idle_power(dir / "idling_power.json", idle);
  EXPECT_EQ(io::read_idle_power(dir / "idling_power.json"), idle);
}

TEST(IdlePower, ErrorsNameTheKey) {
  temp_dir dir;
  write_text(dir / "a.json", R"({"timestamp": "20241121-051743"})");
  EXPECT_ERROR_MENTIONS(io::read_idle_power(dir / "a.json"), "a.json", "avg_idle_power");
  write_text(dir / "b.json", R"({"timestamp": "20241121-05:17:43.0", "avg_idle_power": 1.0})");
  EXPECT_ERROR_MENTIONS(io::read_idle_power(dir / "b.json"), "/timestamp", "YYYYmmdd-HHMMSS");
  write_text(dir / "c.json", R"({"timestamp": "20241121-051743", "avg_idle_power": "5W"})");
  EXPECT_ERROR_MENTIONS(io::read_idle_power(dir / "c.json"), "/avg_idle_power", "number");
  write_text(dir / "e.json", R"({"timestamp": "20241121-051743", "avg_idle_power": 1e300})");
  EXPECT_ERROR_MENTIONS(io::read_idle_power(dir / "e.json"), "/avg_idle_power", "from 0 to 1e+09 (1000 W)");
  write_text(dir / "d.json", R"([1])");
  EXPECT_ERROR_MENTIONS(io::read_idle_power(dir / "d.json"), "d.json", "object");
  EXPECT_ERROR_MENTIONS(io::read_idle_power(dir / "missing.json"), "missing.json", "cannot open");
}

// The writer refuses what the reader would: a sensor read wrong is caught when measured, not
// when the file is used hours later.
TEST(IdlePower, WhatNoReaderTakesIsNotWritten) {
  temp_dir dir;
  io::idle_power idle;
  idle.avg_idle_power_uw = -250'000'000;
  EXPECT_ERROR_MENTIONS(io::write_idle_power(dir / "idle.json", idle), "idle.json: not written", "from 0 to 1e+09",
                        "-250000000");
  EXPECT_FALSE(std::filesystem::exists(dir / "idle.json"));
}
