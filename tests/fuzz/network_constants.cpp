// A network-level model directory's network.json. What is read must write and read back the same.
#include <filesystem>

#include "fuzz_input.hpp"
#include "layerwatt/train/network_model_dir.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace layerwatt;
  const auto dir = fuzzing::scratch_dir() / "network_constants";
  std::filesystem::create_directories(dir);
  std::filesystem::rename(fuzzing::input_file("network.json", data, size), train::network_constants_file(dir));
  return fuzzing::expect_errors_only([&] {
    const auto read = train::read_network_constants(dir);
    fuzzing::require(read.has_value(), "network.json present");
    const auto again = fuzzing::scratch_dir() / "network_constants_again";
    std::filesystem::create_directories(again);
    train::write_network_constants(again, *read);
    const auto back = train::read_network_constants(again);
    bool same = back && back->runtime_ms == read->runtime_ms && back->energy_mj == read->energy_mj &&
                back->energy == read->energy && back->static_power_w == read->static_power_w;
    for (std::size_t k = 0; same && k < read->models.size(); ++k)
      same = back->models[k].runtime == read->models[k].runtime && back->models[k].energy == read->models[k].energy;
    fuzzing::require(same, "network.json round trip");
  });
}
