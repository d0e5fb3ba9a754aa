// Power-log parsing throughput: layerwatt's streaming reader against a naive C++ reader
// (std::getline + std::stod + std::get_time), one thread each. The baseline is that naive
// reader and nothing more: not the reference's path (pandas read_csv plus datetime parsing, which
// the join benchmark's reference_map.py times as part of the whole map), so its ratio says how
// much the reader's design gains in C++, not how much faster than the Python system it is.
// Target (issue 2): >= 150 MB/s on one core and >= 10x the naive reader.

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <string>

#include "layerwatt/io/power_log.hpp"
#include "support/ratio_reporter.hpp"

namespace {

namespace io = layerwatt::io;

/// One million samples at the reference logger's ~1.4 ms period (~38 MB), written once.
const std::filesystem::path& log_file() {
  static const std::filesystem::path path = [] {
    auto p = std::filesystem::temp_directory_path() / "layerwatt-bench-power.log";
    std::vector<std::pair<layerwatt::time_stamp, std::vector<double>>> samples;
    auto t = layerwatt::parse_time_stamp("20241121-05:20:04.261448");
    for (int i = 0; i < 1'000'000; ++i) {
      t += std::chrono::microseconds(1300 + i % 200);
      samples.emplace_back(t, std::vector<double>{5000.0, 1096.0 + (i % 977) * 0.5});
    }
    io::write_power_log(p, {}, samples);
    return p;
  }();
  return path;
}

void layerwatt_reader(benchmark::State& state) {
  const auto bytes = static_cast<std::int64_t>(std::filesystem::file_size(log_file()));
  for (auto _ : state) {
    double sum = 0;
    io::read_power_log(log_file(), [&](layerwatt::time_stamp t, std::span<const double> r) {
      sum += r[0] * r[1] + static_cast<double>(t.time_since_epoch().count() & 1);
    });
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(state.iterations() * bytes);
}

void naive_reader(benchmark::State& state) {
  const auto bytes = static_cast<std::int64_t>(std::filesystem::file_size(log_file()));
  for (auto _ : state) {
    std::ifstream in(log_file());
    std::string line, stamp, volts, amps;
    double sum = 0;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::getline(fields, stamp, ',');
      std::getline(fields, volts, ',');
      std::getline(fields, amps, ',');
      std::tm tm{};
      std::istringstream(stamp.substr(0, 17)) >> std::get_time(&tm, "%Y%m%d-%H:%M:%S");
      const double fraction = std::stod(stamp.substr(17));
      sum += std::stod(volts) * std::stod(amps) + fraction + tm.tm_sec;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(state.iterations() * bytes);
}

BENCHMARK(layerwatt_reader)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(naive_reader)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

int main(int argc, char** argv) {
  return layerwatt::bench::run_with_ratios(argc, argv, {{"layerwatt_reader", "naive_reader"}});
}
