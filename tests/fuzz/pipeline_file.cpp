// A fitted model's JSON file (`MODELS_DIR/<kind>/<target>.json`), loaded into the preset it names:
// pooling power (robust scaler, special terms) and dense runtime (standard scaler). What loads
// must predict a finite value or not at all — never crash.
#include <array>
#include <cmath>

#include "fuzz_input.hpp"
#include "layerwatt/model/pipeline_file.hpp"
#include "layerwatt/model/presets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace layerwatt;
  const auto path = fuzzing::input_file("model.json", data, size);
  fuzzing::expect_errors_only([&] {
    const auto dense = model::load_pipeline<presets::dense_runtime>(path);
    const std::array<double, 3> row = {1, 4096, 1000};
    static_cast<void>(dense.predict(row));
  });
  return fuzzing::expect_errors_only([&] {
    const auto pooling = model::load_pipeline<presets::pooling_power>(path);
    const std::array<double, 11> row = {1, 64, 112, 112, 64, 56, 56, 3, 3, 2, 2};
    static_cast<void>(pooling.predict(row));
  });
}
