// `layerwatt train --config FILE`: every key optional, unknown keys and bad values errors with
// their JSON path; what is accepted is within its documented range.
#include "fuzz_input.hpp"
#include "layerwatt/model/training_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace layerwatt;
  const auto path = fuzzing::input_file("config.json", data, size);
  return fuzzing::expect_errors_only([&] {
    const auto config = model::read_training_config(path);
    fuzzing::require(config.folds >= 2 && config.folds <= model::max_folds, "folds in range");
    for (const auto& [name, o] : config.presets)
      fuzzing::require(!o.shape.degree || (*o.shape.degree >= 1 && *o.shape.degree <= presets::max_preset_degree), "degree in range");
  });
}
