// `trt_layer_latency.json`, stamped ([[ms, "stamp"], ...]) and bare ([ms, ...]) forms, through the
// streaming scanner; what it accepts is written back and must read back the same.
#include "fuzz_input.hpp"
#include "layerwatt/io/layer_latency.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace layerwatt;
  const auto path = fuzzing::input_file("trt_layer_latency.json", data, size);
  return fuzzing::expect_errors_only([&] {
    const auto latencies = io::read_layer_latencies(path);
    for (const auto& layer : latencies.layers)
      fuzzing::require(!latencies.stamped || layer.end_stamps.size() == layer.latency_ms.size(),
                       "one stamp per latency");
    const auto copy = fuzzing::scratch_dir() / "trt_layer_latency.copy.json";
    io::write_layer_latencies(copy, latencies);
    const auto again = io::read_layer_latencies(copy);
    fuzzing::require(again.layers == latencies.layers, "write then read gives the same layers");
  });
}
