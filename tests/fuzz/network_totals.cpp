// A network-level training set's totals (network_totals.csv). What is read must write and read
// back the same (engine paths resolved against the file's absolute folder stay as they are).
#include "fuzz_input.hpp"
#include "layerwatt/io/network_totals.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace layerwatt;
  const auto path = fuzzing::input_file("network_totals.csv", data, size);
  return fuzzing::expect_errors_only([&] {
    const auto totals = io::read_network_totals(path);
    const auto again = fuzzing::scratch_dir() / "network_totals_again.csv";
    io::write_network_totals(again, totals);
    fuzzing::require(io::read_network_totals(again) == totals, "network totals round trip");
  });
}
