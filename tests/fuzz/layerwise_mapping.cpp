// `power_runtime_mapping_layerwise.csv`, the preprocessed per-cycle, per-layer CSV.
#include "fuzz_input.hpp"
#include "layerwatt/io/layerwise_mapping.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace layerwatt;
  const auto path = fuzzing::input_file("power_runtime_mapping_layerwise.csv", data, size);
  return fuzzing::expect_errors_only([&] {
    std::size_t seen = 0;
    const auto rows = io::read_layerwise_mapping(path, [&](const io::layerwise_row&) { ++seen; });
    fuzzing::require(rows == seen, "row count");
  });
}
