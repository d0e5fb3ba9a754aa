// A network-level training set's totals (network_totals.csv). What is read must write and read
// back the same (engine paths resolved against the file's absolute folder stay as they are), their
// line numbers aside (those say where the input had each row).
#include "fuzz_input.hpp"
#include "layerwatt/io/network_totals.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace layerwatt;
  const auto path = fuzzing::input_file("network_totals.csv", data, size);
  return fuzzing::expect_errors_only([&] {
    const auto totals = io::read_network_totals(path);
    const auto again = fuzzing::scratch_dir() / "network_totals_again.csv";
    io::write_network_totals(again, totals);
    auto back = io::read_network_totals(again);
    fuzzing::require(back.size() == totals.size(), "network totals round trip: as many rows");
    for (std::size_t i = 0; i < back.size(); ++i) back[i].line = totals[i].line;
    fuzzing::require(back == totals, "network totals round trip");
  });
}
