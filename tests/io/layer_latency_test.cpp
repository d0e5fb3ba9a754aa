#include "layerwatt/io/layer_latency.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/temp_dir.hpp"
#include "support/shared_data.hpp"

namespace lw = layerwatt;
namespace io = layerwatt::io;
using lw::testing::reference_data;
using lw::testing::temp_dir;
using lw::testing::write_text;

namespace layer_latency_test {

TEST(LayerLatency, ReadsTheStampedFixtureInOrder) {
  LAYERWATT_REQUIRE_SHARED();
  const auto data =
      io::read_layer_latencies(reference_data("seed_fixtures/example_raw_data/multiple_layers/trt_profiling/trt_layer_latency.json"));
  EXPECT_TRUE(data.stamped);
  ASSERT_EQ(data.layers.size(), 2u);
  EXPECT_EQ(data.layers[0].name, "[CONVOLUTION]-[conv0]");
  EXPECT_EQ(data.layers[1].name, "[MATRIX_MULTIPLY]-[fc0]");
  EXPECT_EQ(data.layers[1].latency_ms, std::vector<double>{800.0});
  EXPECT_EQ(data.layers[1].end_stamps, std::vector<lw::time_stamp>{lw::parse_time_stamp("20241121-00:00:02.70")});
}

TEST(LayerLatency, ReadsTheBareDesktopFilesAndAgreesWithAJsonLibrary) {
  LAYERWATT_REQUIRE_SHARED();
  for (const char* name : {"alexnet_torch_trt.json", "resnet18_torch_trt.json"}) {
    const auto path = reference_data(std::string("layer_latency_desktop/") + name);
    const auto data = io::read_layer_latencies(path);
    EXPECT_FALSE(data.stamped);
    const auto expected = nlohmann::ordered_json::parse(lw::testing::read_text(path));
    ASSERT_EQ(data.layers.size(), expected.size()) << name;
    std::size_t i = 0;
    for (const auto& [layer, values] : expected.items()) {
      EXPECT_EQ(data.layers[i].name, layer);
      EXPECT_EQ(data.layers[i].latency_ms, values.get<std::vector<double>>());
      EXPECT_TRUE(data.layers[i].end_stamps.empty());
      ++i;
    }
  }
}

TEST(LayerLatency, StampedRoundTripIsByteExactWithPythonJsonDump) {
  temp_dir dir;
  io::layer_latencies data;
  data.layers.push_back({"conv \"a\" \\ b", {0.03030399978160858, 0.5}, {}});
  data.layers[0].end_stamps = {lw::parse_time_stamp("20241121-05:22:50.156286"),
                               lw::parse_time_stamp("20241121-05:22:50.159908")};
  data.layers.push_back({"empty", {}, {}});
  io::write_layer_latencies(dir / "l.json", data);
  // What Python's json.dump(indent=4) writes for the same dictionary.
  EXPECT_EQ(lw::testing::read_text(dir / "l.json"),
            "{\n    \"conv \\\"a\\\" \\\\ b\": [\n        [\n            0.03030399978160858,\n"
            "            \"20241121-05:22:50.156286\"\n        ],\n        [\n            0.5,\n"
            "            \"20241121-05:22:50.159908\"\n        ]\n    ],\n    \"empty\": []\n}");
  EXPECT_EQ(io::read_layer_latencies(dir / "l.json"), data);
}

TEST(LayerLatency, BareRoundTrip) {
  LAYERWATT_REQUIRE_SHARED();
  temp_dir dir;
  const auto data = io::read_layer_latencies(reference_data("layer_latency_desktop/alexnet_torch_trt.json"));
  io::write_layer_latencies(dir / "l.json", data);
  EXPECT_EQ(io::read_layer_latencies(dir / "l.json"), data);
}

// A file that times no layer is a failed run: an error, not a network mapped to nothing.
TEST(LayerLatency, AnEmptyObjectIsAnErrorAndUnicodeEscapesRead) {
  temp_dir dir;
  write_text(dir / "e.json", " { } ");
  EXPECT_ERROR_MENTIONS(io::read_layer_latencies(dir / "e.json"), "e.json", "at least one layer's latencies");
  write_text(dir / "u.json", R"({"caf\u00e9 \ud83d\ude00": [1.5]})");
  EXPECT_EQ(io::read_layer_latencies(dir / "u.json").layers[0].name, "caf\xc3\xa9 \xf0\x9f\x98\x80");
}

TEST(LayerLatency, MalformedInputNamesFileLineAndJsonPath) {
  temp_dir dir;
  const auto check = [&](std::string_view text, std::initializer_list<std::string_view> parts) {
    write_text(dir / "bad.json", text);
    try {
      io::read_layer_latencies(dir / "bad.json");
      ADD_FAILURE() << "no error for: " << text;
    } catch (const lw::error& e) {
      for (auto part : parts) EXPECT_NE(std::string_view(e.what()).find(part), std::string_view::npos) << e.what();
    }
  };
  check("[1, 2]", {"bad.json:1:", "'{'"});
  check("{\n\"a\": [\n[1.0, \"20241121-00:00:01\"]]}",
        {"bad.json:3:", "expected a time stamp YYYYmmdd-HH:MM:SS.ffffff, got \"20241121-00:00:01\""});
  check("{\"a\": [[1.0, \"20241121-00:00:01.5\"], 2.0]}", {"bad.json:1: at /a/1: ", "like the entries before"});
  // A file on one line: the path places the error (a TensorRT name's slashes escaped, RFC 6901).
  check("{\"/conv/a~b\": [1.0, 2.0, 3.0, x]}", {"bad.json:1: at /~1conv~1a~0b/3: expected a latency"});
  check("{\"a\": [1.0] \"b\": [2.0]}", {"bad.json:1: at /a: expected ',' or '}'"});
  check("{\"a\": [1.0, 2.0 3.0]}", {"bad.json:1: at /a/1: expected ',' or ']'"});
  check("{\"a\": [1.0], 7: [2.0]}", {"bad.json:1: expected a layer name"});
  check("{\"a\": [1.0], \"a\": [2.0]}", {"\"a\" repeats"});
  check("{\"a\": [1.0,]}", {"latency"});
  check("{\"a\": [1.0]", {"end of the file"});
  check("{\"a\": [1.0]} x", {"end of the file after"});
  check("{\"a\": [\"fast\"]}", {"latency in ms"});
  check("{\"a\": [1e999]}", {"latency in ms"});
  check("{\"a\": [1.0, 2.0], \"b\": [[1.0, \"20241121-00:00:01.5\"]]}", {"like the entries before"});
  check("{\"unterminated: [1.0]}", {"closing"});
}

// For messages about one entry (a clock step): the line it begins on, in the reference's indented
// form (4 lines an entry) and on one line.
TEST(LayerLatency, LocatesTheLineOfAnEntry) {
  temp_dir dir;
  const auto stamp = lw::parse_time_stamp("20241121-00:00:01.5");
  io::write_layer_latencies(dir / "l.json", {{{"a", {1.0, 2.0, 3.0}, {stamp, stamp, stamp}},
                                              {"b", {1.0, 2.0, 3.0}, {stamp, stamp, stamp}}},
                                             true});
  EXPECT_EQ(io::layer_latency_line(dir / "l.json", 0, 0), 3u);
  EXPECT_EQ(io::layer_latency_line(dir / "l.json", 0, 2), 11u);
  EXPECT_EQ(io::layer_latency_line(dir / "l.json", 1, 2), 25u);
  EXPECT_EQ(io::layer_latency_line(dir / "l.json", 1, 3), 0u);
  write_text(dir / "one.json", R"({"a": [[1.0, "20241121-00:00:01.5"]],
"b": [[1.0, "20241121-00:00:01.5"], [2.0, "20241121-00:00:01.6"]]})");
  EXPECT_EQ(io::layer_latency_line(dir / "one.json", 1, 1), 2u);
}

}  // namespace layer_latency_test
