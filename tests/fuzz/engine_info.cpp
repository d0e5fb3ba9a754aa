// `trt_engine_info.json` (TensorRT's engine inspector): every dimension is range-checked, and what
// is accepted serialises again.
#include "fuzz_input.hpp"
#include "layerwatt/io/engine_info.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace layerwatt;
  return fuzzing::expect_errors_only([&] {
    const io::json_document doc("trt_engine_info.json", fuzzing::as_text(data, size));
    const auto info = io::parse_engine_info(doc.root());
    for (const auto& layer : info.layers)
      for (const auto& t : layer.inputs)
        for (const auto d : t.dimensions) fuzzing::require(d >= 1 && d <= io::max_dimension, "dimension range");
    (void)io::to_json(info).dump();
  });
}
