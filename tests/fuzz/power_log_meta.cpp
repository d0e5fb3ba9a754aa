// `<log>.meta.json`, the power logger's sidecar.
#include "fuzz_input.hpp"
#include "layerwatt/io/power_log_meta.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace layerwatt;
  const auto path = fuzzing::input_file("power_log.log.meta.json", data, size);
  return fuzzing::expect_errors_only([&] { (void)io::read_power_log_meta(path); });
}
