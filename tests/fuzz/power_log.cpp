// `<model>_power_log.log`, one rail (the reference's header-less form) or several (with a header):
// every line delivered holds a stamp and one mV,mA pair per rail; rail 0's power is loadable.
#include <span>

#include "fuzz_input.hpp"
#include "layerwatt/io/power_log.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace layerwatt;
  const auto path = fuzzing::input_file("power_log.log", data, size);
  const auto quiet = [](std::string_view) {};
  return fuzzing::expect_errors_only([&] {
    std::size_t delivered = 0;
    const auto result = io::read_power_log(
        path,
        [&](time_stamp, std::span<const double> readings) {
          ++delivered;
          fuzzing::require(readings.size() == 0 || readings.size() % 2 == 0, "mV,mA pairs");
        },
        quiet);
    fuzzing::require(result.samples == delivered, "samples counts the lines delivered");
    fuzzing::require(result.layout.rail_count() <= io::max_power_log_rails, "rail bound");
    const auto samples = io::load_power_samples(path, 0, quiet);
    fuzzing::require(samples.size() == delivered, "one power per line");
  });
}
