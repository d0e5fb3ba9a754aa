// The training CSVs (convolutional, pooling, dense), read as each kind's feature list.
#include "fuzz_input.hpp"
#include "layerwatt/dataset/training_csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace layerwatt;
  const auto path = fuzzing::input_file("training.csv", data, size);
  fuzzing::expect_errors_only([&] { (void)dataset::read_training_csv<features::convolutional>(path); });
  fuzzing::expect_errors_only([&] { (void)dataset::read_training_csv<features::pooling>(path); });
  fuzzing::expect_errors_only([&] { (void)dataset::read_training_csv<features::dense>(path); });
  return 0;
}
