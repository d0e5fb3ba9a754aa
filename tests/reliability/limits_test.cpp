// Absurd sizes: each is a clear error or a correct result, with memory bounded by the data kept.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/io/idle_power.hpp"
#include "layerwatt/io/layer_latency.hpp"
#include "layerwatt/io/power_log.hpp"
#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace io = layerwatt::io;
using lw::testing::temp_dir;
using lw::testing::write_text;

namespace limits_test {

io::engine_info engine_with_dimension(const std::string& dimension) {
  const io::json_document doc("trt_engine_info.json", R"({"Layers": [{"Name": "conv", "LayerType": "Convolution",
      "Inputs": [{"Name": "x", "Dimensions": [1, 3, )" + dimension + R"(, 224]}], "Outputs": []}]})");
  return io::parse_engine_info(doc.root());
}

TEST(Limits, AbsurdEngineDimensionsAreErrorsNamingTheJsonPath) {
  for (const char* bad : {"-2", "0", "1099511627776", "2147483648", "1e300", "2.5", "\"224\""})
    EXPECT_ERROR_MENTIONS(engine_with_dimension(bad), "trt_engine_info.json", "/Layers/0/Inputs/0/Dimensions/2",
                          "an integer in [1, 2147483647]");
  // -1 is TensorRT's dynamic dimension: the message says how to build for one shape.
  EXPECT_ERROR_MENTIONS(engine_with_dimension("-1"), "/Layers/0/Inputs/0/Dimensions/2", "dynamic", "--shapes=");
  EXPECT_EQ(engine_with_dimension("2147483647").layers[0].inputs[0].dimensions[2], 2147483647);
}

TEST(Limits, AMillionLatenciesInOneListAreReadWhole) {
  // Memory: 8 bytes per bare latency (16 with its stamp) in the result, plus the scanner's buffer
  // of 1 MB (growing to 16 MB only for a longer token) — independent of the file's size otherwise.
  // 10^7 entries are the same loop ten times longer (80 MB of results); a million keeps CI fast.
  temp_dir dir;
  constexpr std::size_t n = 1'000'000;
  std::string text = "{\"conv1\": [";
  text.reserve(2 * n + 32);
  for (std::size_t i = 0; i < n; ++i) text += i == 0 ? "1" : ",2";
  text += "]}";
  write_text(dir / "l.json", text);
  const auto latencies = io::read_layer_latencies(dir / "l.json");
  ASSERT_EQ(latencies.layers.size(), 1u);
  EXPECT_FALSE(latencies.stamped);
  ASSERT_EQ(latencies.layers[0].latency_ms.size(), n);
  EXPECT_EQ(latencies.layers[0].latency_ms.back(), 2.0);
}

TEST(Limits, AOneMegabyteLogLineIsAnErrorWithAShortExcerpt) {
  temp_dir dir;
  write_text(dir / "p.log", "20241121-05:20:04.261448,5000.0," + std::string(1 << 20, '9') + "\n");
  try {
    (void)io::load_power_samples(dir / "p.log");
    ADD_FAILURE() << "a 1 MB reading was accepted";
  } catch (const lw::error& e) {
    EXPECT_EQ(e.line(), 1u);
    EXPECT_LT(std::string_view(e.what()).size(), 400u);  // the excerpt is cut, not the whole line
  }
}

TEST(Limits, ALineBeyondTheLineLimitIsAnErrorNotAnUnboundedBuffer) {
  temp_dir dir;
  write_text(dir / "p.log", std::string(io::line_reader::default_max_line + 1, '1'));
  EXPECT_ERROR_MENTIONS(io::load_power_samples(dir / "p.log"), "p.log:1", "a line of at most 16777216 bytes");
}

TEST(Limits, DeepJsonNestingIsAnErrorNamingTheLine) {
  temp_dir dir;
  const auto nested = [](std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); };
  write_text(dir / "idling_power.json",
             "{\"timestamp\": \"20241121-052004\",\n\"avg_idle_power\": 1,\n\"x\": " + nested(100'000) + "}");
  EXPECT_ERROR_MENTIONS(io::read_idle_power(dir / "idling_power.json"), "idling_power.json:3",
                        "nested at most 256 levels deep");
  write_text(dir / "idling_power.json",
             "{\"timestamp\": \"20241121-052004\", \"avg_idle_power\": 1, \"x\": " + nested(io::max_json_depth - 1) + "}");
  EXPECT_TRUE(io::read_idle_power(dir / "idling_power.json").extra.contains("x"));
  // Brackets inside strings do not count.
  const io::json_document strings("s.json", "[\"" + std::string(1000, '[') + "\"]");
  EXPECT_EQ(strings.value()[0].get<std::string>().size(), 1000u);
}

TEST(Limits, ANumberBeyondDoubleIsAnErrorNamingTheLine) {
  EXPECT_ERROR_MENTIONS(io::json_document("i.json", "{\n\"avg_idle_power\": 1e400}"), "i.json:2",
                        "a number within double's range");
}

TEST(Limits, NestedLatencyListsAreAnErrorNotARecursion) {
  temp_dir dir;
  write_text(dir / "l.json", "{\"a\": [" + std::string(100'000, '[') + "}");
  EXPECT_ERROR_MENTIONS(io::read_layer_latencies(dir / "l.json"), "l.json:1", "a latency in ms");
}

}  // namespace limits_test
