// tegrastats logs, with and without stamps: what is read runs forward in time with powers ≥ 0,
// for one rail and for a sum; anything else is a layerwatt::error.
#include "fuzz_input.hpp"
#include "layerwatt/io/tegrastats.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace layerwatt;
  const auto path = fuzzing::input_file("tegrastats.txt", data, size);
  const auto quiet = [](std::string_view) {};
  const io::tegrastats_clock clock{parse_time_stamp("20250101-00:00:00.0"), microseconds{1'000'000}};
  return fuzzing::expect_errors_only([&] {
    const auto rails = io::tegrastats_rail_names(path);
    fuzzing::require(!rails.empty(), "a line has a rail");
    const std::string spec = rails.size() > 1 ? rails[0] + "+" + rails[1] : rails[0];
    for (const auto& given : {clock, io::tegrastats_clock{}}) {
      try {
        const auto log = io::read_tegrastats(path, spec, io::tegrastats_value::average, given, quiet);
        fuzzing::require(!log.samples.empty(), "samples");
        for (std::size_t i = 0; i < log.samples.size(); ++i) {
          fuzzing::require(log.samples[i].power_uw >= 0, "power not negative");
          fuzzing::require(i == 0 || log.samples[i].t >= log.samples[i - 1].t, "forward in time");
        }
      } catch (const error&) {
        // one of the two clocks is always wrong for the file; the other may be too
      }
    }
  });
}
