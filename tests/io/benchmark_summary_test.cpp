#include "layerwatt/io/benchmark_summary.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"
#include "support/shared_data.hpp"

namespace lw = layerwatt;
namespace io = layerwatt::io;

TEST(BenchmarkSummary, ReadsAndRoundTrips) {
  LAYERWATT_REQUIRE_SHARED();
  const auto s = io::read_benchmark_summary(
      lw::testing::reference_data("seed_fixtures/example_raw_data/simple/simple_tensorrt.json"));
  EXPECT_EQ(s.config["model"], "simple");
  EXPECT_EQ(s.latencies_s, std::vector<double>{1.0});
  EXPECT_DOUBLE_EQ(s.total_time_s, 263.73896875);
  lw::testing::temp_dir dir;
  io::write_benchmark_summary(dir / "s.json", s);
  EXPECT_EQ(io::read_benchmark_summary(dir / "s.json"), s);
}

TEST(BenchmarkSummary, MissingKeyIsAnError) {
  lw::testing::temp_dir dir;
  lw::testing::write_text(dir / "s.json", R"({"config": {}, "total_time": 1})");
  EXPECT_ERROR_MENTIONS(io::read_benchmark_summary(dir / "s.json"), "s.json", "timestamp");
}
