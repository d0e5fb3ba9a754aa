#include "layerwatt/profile/layer_timer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "layerwatt/io/layer_latency.hpp"
#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace io = layerwatt::io;
namespace profile = layerwatt::profile;
namespace sense = layerwatt::sense;
using std::chrono::microseconds;

namespace layer_timer_test {

TEST(LayerTimer, KeepsFirstSeenOrderAndStampsEachReport) {
  const auto start = lw::parse_time_stamp("20241121-05:22:50.156286");
  profile::layer_timer<sense::manual_clock> timer(2, sense::manual_clock(start, microseconds{10}));
  for (int cycle = 0; cycle < 2; ++cycle) {
    timer.record("conv1 + relu1", 0.25 + cycle);
    timer.record("pool1", 0.125);
    timer.record("fc", 0.5);
  }
  timer.record("late layer", 1.0);  // a layer first seen later goes last
  EXPECT_EQ(timer.layer_count(), 4u);
  EXPECT_EQ(timer.report_count(), 7u);
  const auto data = timer.latencies();
  ASSERT_EQ(data.layers.size(), 4u);
  EXPECT_TRUE(data.stamped);
  EXPECT_EQ(data.layers[0].name, "conv1 + relu1");
  EXPECT_EQ(data.layers[0].latency_ms, (std::vector<double>{0.25, 1.25}));
  EXPECT_EQ(data.layers[0].end_stamps, (std::vector<lw::time_stamp>{start, start + microseconds{30}}));
  EXPECT_EQ(data.layers[2].end_stamps[1], start + microseconds{50});
  EXPECT_EQ(data.layers[3].name, "late layer");
  EXPECT_EQ(data.layers[3].end_stamps, std::vector<lw::time_stamp>{start + microseconds{60}});
}

TEST(LayerTimer, OutOfOrderReportsFindTheirLayer) {
  profile::layer_timer<sense::manual_clock> timer;
  timer.record("a", 1);
  timer.record("b", 2);
  timer.record("a", 3);  // not the expected "a" after "b"? it is: the cycle wrapped
  timer.record("a", 4);  // expected "b", got "a"
  timer.record("b", 5);
  const auto data = timer.latencies();
  ASSERT_EQ(data.layers.size(), 2u);
  EXPECT_EQ(data.layers[0].latency_ms, (std::vector<double>{1, 3, 4}));
  EXPECT_EQ(data.layers[1].latency_ms, (std::vector<double>{2, 5}));
}

TEST(LayerTimer, WritesAFileTheReaderReadsBack) {
  lw::testing::temp_dir dir;
  const auto start = lw::parse_time_stamp("20241121-05:22:50.156286");
  profile::layer_timer<sense::manual_clock> timer(3, sense::manual_clock(start, microseconds{3}));
  for (int cycle = 0; cycle < 3; ++cycle) {
    timer.record("Reformatting CopyNode for Input Tensor 0 to [CONVOLUTION]-[aten_ops.convolution.default]", 0.03030399978160858);
    timer.record("layer \"quoted\" \\ name", 0.1 * (cycle + 1));
  }
  const auto path = dir / "trt_profiling" / "trt_layer_latency.json";
  timer.write(path);
  EXPECT_EQ(io::read_layer_latencies(path), timer.latencies());
  EXPECT_NE(lw::testing::read_text(path).find("\"20241121-05:22:50.156286\""), std::string::npos);
}

TEST(LayerTimer, ClearForgetsWarmUpReports) {
  profile::layer_timer<sense::manual_clock> timer;
  timer.record("a", 1);
  timer.clear();
  EXPECT_EQ(timer.layer_count(), 0u);
  EXPECT_EQ(timer.report_count(), 0u);
  timer.record("b", 2);
  EXPECT_EQ(timer.latencies().layers.at(0).name, "b");
}

TEST(LayerTimer, SafeToCallFromAnotherThread) {
  // TensorRT reports from its own thread while the program may look at the timer.
  profile::layer_timer<sense::steady_clock> timer(1000);
  const std::vector<std::string> layers{"conv", "pool", "fc"};
  std::thread reporter([&] {
    for (int cycle = 0; cycle < 1000; ++cycle)
      for (const auto& l : layers) timer.record(l, 0.5);
  });
  std::thread second([&] {
    for (int i = 0; i < 1000; ++i) timer.record("other thread", 1.0);
  });
  std::size_t seen = 0;
  while (timer.report_count() < 4000) seen = std::max(seen, timer.latencies().layers.size());
  reporter.join();
  second.join();
  const auto data = timer.latencies();
  ASSERT_EQ(data.layers.size(), 4u);
  std::size_t total = 0;
  for (const auto& l : data.layers) {
    EXPECT_EQ(l.latency_ms.size(), l.end_stamps.size());
    EXPECT_TRUE(std::is_sorted(l.end_stamps.begin(), l.end_stamps.end())) << l.name;
    total += l.latency_ms.size();
  }
  EXPECT_EQ(total, 4000u);
  EXPECT_LE(seen, 4u);
}

}  // namespace layer_timer_test
