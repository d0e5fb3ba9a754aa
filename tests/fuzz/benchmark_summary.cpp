// `<model>_tensorrt.json`, the benchmark run's summary.
#include "fuzz_input.hpp"
#include "layerwatt/io/benchmark_summary.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace layerwatt;
  const auto path = fuzzing::input_file("model_tensorrt.json", data, size);
  return fuzzing::expect_errors_only([&] { (void)io::read_benchmark_summary(path); });
}
