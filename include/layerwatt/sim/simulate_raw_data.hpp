#pragma once
// A whole simulated raw-data directory in the reference's layout (io/raw_data_dir.hpp):
//   RAW_DIR/idling_power.json
//   RAW_DIR/<model>/<model>_power_log.log (+ .meta.json), <model>_tensorrt.json,
//   RAW_DIR/<model>/trt_profiling/trt_engine_info.json, trt_profiling/trt_layer_latency.json,
//   RAW_DIR/<model>/ground_truth.json
// Models are simulated in parallel; each model's files depend only on the seed, the profile,
// the model's engine and its start time, never on which other models run or in what order.

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "layerwatt/io/benchmark_summary.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/io/idle_power.hpp"
#include "layerwatt/io/layer_latency.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/io/power_log_meta.hpp"
#include "layerwatt/io/raw_data_dir.hpp"
#include "layerwatt/sim/device_profile.hpp"
#include "layerwatt/sim/ground_truth.hpp"
#include "layerwatt/sim/ina3221.hpp"
#include "layerwatt/core/parallel_for.hpp"
#include "layerwatt/sim/random.hpp"
#include "layerwatt/sim/simulate_model.hpp"

namespace layerwatt::sim {

/// A network to simulate and when its run starts (its first log line).
struct model_to_simulate {
  std::string name;
  io::engine_info engine;
  time_stamp start;
};

/// What one model's simulation produced, for a summary.
struct model_report {
  std::string name;
  std::size_t layers = 0, log_samples = 0;
  double inference_ms = 0;     ///< mean GPU time of one inference
  double mean_power_w = 0;     ///< mean of the true power while the GPU runs the network
  double duration_s = 0;       ///< the whole run, lead-in to lead-out
};

/// Writes one model's folder; returns the path of its ground truth.
inline std::filesystem::path write_simulated_run(const std::filesystem::path& directory, std::string_view model,
                                                 const io::engine_info& engine, const simulated_run& run) {
  const auto files = io::raw_model_files::in(directory, std::string(model));
  io::write_power_log(files.power_log, io::power_log_layout{}, run.power_log);
  io::write_power_log_meta(io::power_log_meta_path(files.power_log), run.meta);
  io::write_benchmark_summary(files.benchmark_summary, run.summary);
  io::write_engine_info(files.engine_info, engine);
  io::write_layer_latencies(files.layer_latency, run.latencies);
  const auto truth = directory / "ground_truth.json";
  write_ground_truth(truth, run.truth);
  return truth;
}

/// The idle measurement the reference takes before the models: the mean of mV × mA over
/// `run.idle_measurement_s` of logger readings of the idle rail, with the sensor's noise and steps.
inline io::idle_power simulate_idle(const device_profile& profile, std::uint64_t seed, time_stamp at) {
  random_stream noise(hash_text("idling_power", seed));
  const ina3221 chip(profile.sensor);
  const double idle_uw = profile.power.idle_mw * 1000;
  const auto samples = static_cast<std::int64_t>(
      std::max(1.0, std::floor(profile.run.idle_measurement_s * 1e6 / profile.logger.period_us)));
  const double per_refresh = static_cast<double>(chip.refresh_interval_us()) / profile.logger.period_us;
  double sum = 0, sum_squares = 0;
  ina3221_reading reading;
  std::int64_t published = -1;
  for (std::int64_t i = 0; i < samples; ++i) {
    // The logger re-reads a value until the chip publishes the next one.
    const auto refresh = static_cast<std::int64_t>(std::floor(static_cast<double>(i) / per_refresh));
    if (refresh != published) {
      reading = chip.read(idle_uw, noise.normal());
      published = refresh;
    }
    const double p = reading.bus_mv * reading.current_ma;
    sum += p;
    sum_squares += p * p;
  }
  const double n = static_cast<double>(samples), mean = sum / n;
  io::idle_power idle;
  idle.timestamp = at;
  idle.avg_idle_power_uw = mean;
  idle.extra["samples"] = samples;
  idle.extra["failed_reads"] = 0;
  idle.extra["std_idle_power"] = std::sqrt(std::max(0.0, sum_squares / n - mean * mean));
  idle.extra["rails"] = {{{"name", profile.sensor.rail}, {"voltage_path", ""}, {"current_path", ""}}};
  idle.extra["source"] = "simulator";
  return idle;
}

struct raw_data_options {
  std::uint64_t seed = 1;
  std::int64_t cycles = 2000;
  unsigned jobs = 0;  ///< threads; 0: one per hardware thread
  /// Called after each model is written (serialised; any thread).
  std::function<void(const model_report&)> on_model_done;
};

/// Simulates every model into `root` (created if needed) and writes the idle file, stamped at
/// `idle_at`. Returns the reports in the models' order. The first error stops the run and is
/// rethrown after the running models finish; files already written stay complete.
inline std::vector<model_report> simulate_raw_data(const std::filesystem::path& root,
                                                   std::span<const model_to_simulate> models,
                                                   const device_profile& profile, const raw_data_options& options,
                                                   time_stamp idle_at) {
  io::write_idle_power(root / "idling_power.json", simulate_idle(profile, options.seed, idle_at));
  std::vector<model_report> reports(models.size());
  std::mutex lock;
  parallel_for(models.size(), options.jobs, [&](std::size_t i) {
    const auto& m = models[i];
    const simulated_run run =
        simulate_model(m.engine, m.name, profile, {.seed = options.seed, .cycles = options.cycles, .start = m.start});
    write_simulated_run(root / m.name, m.name, m.engine, run);
    model_report& r = reports[i];
    r.name = m.name;
    r.layers = m.engine.layers.size();
    r.log_samples = run.power_log.size();
    r.duration_s = run.summary.total_time_s;
    double energy = 0;  // µW·ms
    for (const auto& l : run.truth.layers) {
      r.inference_ms += l.runtime_ms;
      if (l.power_uw) energy += *l.power_uw * l.runtime_ms;
    }
    r.mean_power_w = r.inference_ms > 0 ? energy / r.inference_ms * 1e-6 : 0;
    const std::scoped_lock guard(lock);
    if (options.on_model_done) options.on_model_done(r);
  });
  return reports;
}

}  // namespace layerwatt::sim
