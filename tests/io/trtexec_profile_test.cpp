#include "layerwatt/io/trtexec_profile.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

namespace io = layerwatt::io;
using layerwatt::testing::temp_dir;
using layerwatt::testing::write_text;

namespace trtexec_profile_test {

// The shape of trtexec 10's --exportProfile file, with numbers of our own.
TEST(TrtexecProfile, ReadsCountAndEveryLayerInOrder) {
  temp_dir dir;
  write_text(dir / "p.json", R"([
  { "count" : 200 }
, { "name" : "Reformatting CopyNode for Input Tensor 0 to conv", "timeMs" : 2.5, "averageMs" : 0.0125, "medianMs" : 0.012, "percentage" : 10 }
, { "name" : "conv + relu", "timeMs" : 22.5, "averageMs" : 0.1125, "medianMs" : 0.11, "percentage" : 90 }
])");
  const auto p = io::read_trtexec_profile(dir / "p.json");
  EXPECT_EQ(p.count, 200u);
  ASSERT_EQ(p.layers.size(), 2u);
  EXPECT_EQ(p.layers[1], (io::trtexec_layer_time{"conv + relu", 22.5, 0.1125, 0.11, 90}));
  // TensorRT before 8.6 writes no median.
  write_text(dir / "old.json", R"([{"count": 5}, {"name": "a", "timeMs": 1, "averageMs": 0.2, "percentage": 100}])");
  EXPECT_FALSE(io::read_trtexec_profile(dir / "old.json").layers[0].median_ms);
}

TEST(TrtexecProfile, ErrorsNameTheFileAndJsonPath) {
  temp_dir dir;
  const auto expect = [&](std::string_view text, std::initializer_list<std::string_view> parts) {
    write_text(dir / "p.json", text);
    try {
      static_cast<void>(io::read_trtexec_profile(dir / "p.json"));
      ADD_FAILURE() << "no error for " << text;
    } catch (const layerwatt::error& e) {
      for (const auto part : parts) EXPECT_NE(std::string_view(e.what()).find(part), std::string_view::npos) << e.what();
    }
  };
  expect(R"({"count": 3})", {"p.json", "--exportProfile array"});
  expect(R"([])", {"p.json", "--exportProfile array"});
  expect(R"([{"name": "a"}])", {"/0", "\"count\""});
  expect(R"([{"count": 0}])", {"/0/count"});
  expect(R"([{"count": 1}, {"name": "a", "averageMs": 1, "percentage": 1}])", {"/1", "\"timeMs\""});
  expect(R"([{"count": 1}, {"name": "a", "timeMs": -1, "averageMs": 1, "percentage": 1}])", {"/1/timeMs", "at least 0"});
  expect(R"([{"count": 1}, {"name": "a", "timeMs": 1, "averageMs": 1, "percentage": 1},
             {"name": "a", "timeMs": 1, "averageMs": 1, "percentage": 1}])",
         {"/2/name", "named once"});
}

TEST(TrtexecProfile, TheRealRtx3060Profiles) {
  LAYERWATT_REQUIRE_SHARED();
  // Sums of averageMs per PROVENANCE.md: alexnet 0.524 ms, mobilenet_v2 0.411 ms, resnet18 0.364 ms.
  const std::pair<const char*, double> nets[] = {{"alexnet", 0.524}, {"mobilenet_v2", 0.411}, {"resnet18", 0.364}};
  for (const auto& [net, sum_ms] : nets) {
    const auto p = io::read_trtexec_profile(layerwatt::testing::real_data(
        fmt::format("fuzzylabs_desktop_rtx3060_trt/trtexec_fp16/{0}/{0}_fp16.profile.json", net)));
    double sum = 0;
    for (const auto& l : p.layers) sum += l.average_ms;
    EXPECT_NEAR(sum, sum_ms, 0.0005) << net;
    EXPECT_GT(p.count, 0u);
  }
}

// What the fake trtexec and the simulator write is trtexec's file: the real ones, read and
// written again, come back byte for byte; one without medians (TensorRT 8.5) reads back equal.
TEST(TrtexecProfile, WrittenAsTrtexecWritesIt) {
  LAYERWATT_REQUIRE_SHARED();
  temp_dir dir;
  for (const auto* net : {"alexnet", "mobilenet_v2", "resnet18"}) {
    const auto real = layerwatt::testing::real_data(
        fmt::format("fuzzylabs_desktop_rtx3060_trt/trtexec_fp16/{0}/{0}_fp16.profile.json", net));
    io::write_trtexec_profile(dir / "p.json", io::read_trtexec_profile(real));
    EXPECT_EQ(layerwatt::testing::read_text(dir / "p.json"), layerwatt::testing::read_text(real)) << net;
  }
}

TEST(TrtexecProfile, AProfileWithoutMediansRoundTrips) {
  temp_dir dir;
  const io::trtexec_profile p{7, {{"conv \"a\"", 0.875, 0.125, std::nullopt, 100}}};
  io::write_trtexec_profile(dir / "p.json", p);
  EXPECT_EQ(io::read_trtexec_profile(dir / "p.json"), p);
}

}  // namespace trtexec_profile_test
