#pragma once
// A small run with an exact answer, for the time-integrity tests (the shape of
// ../shared/cases/clock-step-back): three layers per cycle — conv1 0.5 ms at 10 W, pool1 0.2 ms
// at 6 W, fc1 0.3 ms at 8 W, back to back — 4 W between cycles, cycles 5 ms apart (by default) from 1 ms on,
// stamps at each layer's end, the power log sampled every `sample_us` from 0 to 1 ms after the
// last cycle. Both series are stamped by one clock, which may step back when a cycle starts; the
// profiler's stamps may read an offset earlier than the logger's (another time zone).
// write_clock_run() writes it as a raw-data folder `netx` (the reference's layout).

#include <cstdint>
#include <filesystem>
#include <utility>
#include <vector>

#include "join/join_test_support.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/layer_latency.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/io/raw_data_dir.hpp"

namespace layerwatt::testing {

struct clock_run_options {
  std::int64_t cycles = 20;
  std::int64_t cycle_period_us = 5'000;
  std::int64_t sample_us = 100;
  std::int64_t step_back_us = 0;  ///< the clock steps back this much when cycle `step_cycle` starts
  std::int64_t step_cycle = 10;
  std::int64_t profiler_behind_us = 0;  ///< the latency stamps read this much earlier than the log's
  /// Samples whose true time lies strictly inside (gap_from_us, gap_to_us) are missing.
  std::int64_t gap_from_us = 0, gap_to_us = 0;
  /// Samples after this true time are missing (a log that stopped early); 0: none.
  std::int64_t log_ends_us = 0;
};

struct clock_run {
  io::layer_latencies latencies;
  std::vector<io::power_sample> samples;
};

struct run_layer {
  const char* name;
  std::int64_t us;
  double power_uw;
};

inline constexpr run_layer run_layers[] = {{"conv1", 500, 10e6}, {"pool1", 200, 6e6}, {"fc1", 300, 8e6}};
inline constexpr double between_cycles_uw = 4e6;
inline constexpr std::int64_t first_cycle_us = 1'000;

inline clock_run make_clock_run(const clock_run_options& o = {}) {
  const auto cycle_of = [&](std::int64_t true_us) {
    return true_us < first_cycle_us ? 0 : (true_us - first_cycle_us) / o.cycle_period_us;
  };
  const auto wall = [&](std::int64_t true_us, std::int64_t cycle) {
    return at_us(true_us - (cycle >= o.step_cycle ? o.step_back_us : 0));
  };
  clock_run run;
  for (const auto& l : run_layers) run.latencies.layers.push_back({l.name, {}, {}});
  for (std::int64_t c = 0; c < o.cycles; ++c) {
    std::int64_t t = first_cycle_us + c * o.cycle_period_us;
    for (std::size_t k = 0; k < std::size(run_layers); ++k) {
      t += run_layers[k].us;
      run.latencies.layers[k].latency_ms.push_back(static_cast<double>(run_layers[k].us) / 1000.0);
      run.latencies.layers[k].end_stamps.push_back(wall(t, c) - microseconds{o.profiler_behind_us});
    }
  }
  const std::int64_t end_us = first_cycle_us + o.cycles * o.cycle_period_us + 1'000;
  for (std::int64_t s = 0; s <= end_us; s += o.sample_us) {
    if (s > o.gap_from_us && s < o.gap_to_us) continue;
    if (o.log_ends_us && s > o.log_ends_us) continue;
    double p = between_cycles_uw;
    std::int64_t t = first_cycle_us + cycle_of(s) * o.cycle_period_us;
    for (const auto& l : run_layers) {  // the first layer whose [start, end] holds s, as the case's generator
      if (s >= t && s <= t + l.us) {
        p = l.power_uw;
        break;
      }
      t += l.us;
    }
    run.samples.push_back({wall(s, cycle_of(s)), p});
  }
  return run;
}

/// RAW/idling_power.json (3 W, no rail named) and RAW/netx/ holding the run: its log in the
/// reference's one-rail form (5000 mV × power / 5000 mA), latencies, engine info, benchmark summary.
inline io::raw_model_files write_clock_run(const std::filesystem::path& raw, const clock_run_options& o = {}) {
  const auto run = make_clock_run(o);
  const auto files = io::raw_model_files::in(raw / "netx", "netx");
  io::write_file_atomically(raw / "idling_power.json", R"({"timestamp": "20241121-051743", "avg_idle_power": 3000000.0})");
  io::write_file_atomically(files.engine_info, R"({"Layers": [
    {"Name": "conv1", "LayerType": "CaskConvolution", "ParameterType": "Convolution",
     "Inputs": [{"Name": "x", "Dimensions": [1, 3, 32, 32], "Format/Datatype": "Row major linear FP16 format"}],
     "Outputs": [{"Name": "c", "Dimensions": [1, 16, 32, 32], "Format/Datatype": "Row major linear FP16 format"}],
     "Kernel": [3, 3], "PrePadding": [1, 1], "PostPadding": [1, 1], "Stride": [1, 1], "Dilation": [1, 1],
     "OutMaps": 16, "Groups": 1},
    {"Name": "pool1", "LayerType": "CaskPooling", "ParameterType": "Pooling", "PoolingType": "MAX",
     "Inputs": [{"Name": "c", "Dimensions": [1, 16, 32, 32], "Format/Datatype": "Row major linear FP16 format"}],
     "Outputs": [{"Name": "p", "Dimensions": [1, 16, 16, 16], "Format/Datatype": "Row major linear FP16 format"}],
     "WindowSize": [2, 2], "PrePadding": [0, 0], "PostPadding": [0, 0], "Stride": [2, 2]},
    {"Name": "fc1", "LayerType": "CaskGemmConvolution", "ParameterType": "Convolution",
     "Inputs": [{"Name": "p", "Dimensions": [1, 4096, 1, 1], "Format/Datatype": "Row major linear FP16 format"}],
     "Outputs": [{"Name": "y", "Dimensions": [1, 10, 1, 1], "Format/Datatype": "Row major linear FP16 format"}],
     "Kernel": [1, 1], "PrePadding": [0, 0], "PostPadding": [0, 0], "Stride": [1, 1], "Dilation": [1, 1],
     "OutMaps": 10, "Groups": 1}],
  "Bindings": ["x", "y"]})");
  io::write_file_atomically(files.benchmark_summary, R"({"config": {}, "total_time": 0.1, "timestamp": "20241121-052004",
    "latencies": [0.001], "avg_latency": 0.001, "avg_throughput": 1000.0})");
  io::write_layer_latencies(files.layer_latency, run.latencies);
  std::vector<std::pair<time_stamp, std::vector<double>>> lines;
  for (const auto& s : run.samples) lines.push_back({s.t, {5000.0, s.power_uw / 5000.0}});
  io::write_power_log(files.power_log, {}, lines);
  return files;
}

}  // namespace layerwatt::testing
