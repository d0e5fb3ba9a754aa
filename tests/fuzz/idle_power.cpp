// `idling_power.json`: a stamp, a non-negative power, extra keys kept.
#include "fuzz_input.hpp"
#include "layerwatt/io/idle_power.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace layerwatt;
  const auto path = fuzzing::input_file("idling_power.json", data, size);
  return fuzzing::expect_errors_only([&] {
    const auto idle = io::read_idle_power(path);
    fuzzing::require(idle.avg_idle_power_uw >= 0, "power not negative");
  });
}
