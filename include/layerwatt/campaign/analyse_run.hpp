#pragma once
// From a network folder's files of a timed run — trtexec's times and stamped output, the power
// log — to its network_measurement (io/network_measurement.hpp), by join::join_timed_run. The
// campaign runs it right after the timed run; the simulator runs it on the files it wrote, so a
// simulated campaign goes through the same arithmetic as a real one. Reads files only: runs
// nothing.

#include <filesystem>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "layerwatt/core/error.hpp"
#include "layerwatt/dataset/idle_for_rails.hpp"
#include "layerwatt/io/campaign_dir.hpp"
#include "layerwatt/io/idle_power.hpp"
#include "layerwatt/io/network_measurement.hpp"
#include "layerwatt/io/power_log_meta.hpp"
#include "layerwatt/io/rail_selection.hpp"
#include "layerwatt/io/trtexec_output.hpp"
#include "layerwatt/io/trtexec_times.hpp"
#include "layerwatt/join/timed_run.hpp"

namespace layerwatt::campaign {

/// The idle power a network's energy above idle is taken against, and where it came from.
struct idle_reference {
  io::idle_power idle;
  std::filesystem::path file;  ///< as read
  std::string file_name;       ///< as the measurement names it: relative to the campaign folder
};

/// Analyses `files.times`, `files.timed_output` and `files.power_log` (its first column: a rail,
/// or a sum of rails logged as one) against `idle` (of that same rail). `source` names what
/// measured ("layerwatt measure", "layerwatt simulate"). Errors name the file at fault.
inline io::network_measurement analyse_timed_run(const io::campaign_network_files& files, const idle_reference& idle,
                                                 const join::timed_run_options& options, std::string source) {
  const auto lines = io::read_stamped_lines(files.timed_output);
  const auto report = io::parse_trtexec_output(lines);
  if (!report.starting_inference || !report.warmup_completed)
    throw error(fmt::format("{}: no \"{}\" line in trtexec's output: the run did not start or did not end as trtexec "
                            "reports a timed run",
                            files.timed_output.string(),
                            report.starting_inference ? "Warmup completed" : "Starting inference"));
  const auto times = io::read_trtexec_times(files.times);

  const auto meta_path = io::power_log_meta_path(files.power_log);
  std::optional<io::power_log_meta> meta;
  if (std::filesystem::exists(meta_path)) meta = io::read_power_log_meta(meta_path);
  const auto rails = io::select_rails(files.power_log, io::read_power_log_rails(files.power_log, meta).names, "");
  const auto samples = io::load_power_samples(files.power_log, rails);
  const auto idle_power = dataset::idle_power_for(idle.idle, idle.file, rails);

  join::timed_run run;
  try {
    run = join::join_timed_run(times, lines[*report.starting_inference].t, lines[*report.warmup_completed].t, samples,
                               idle_power.power_uw, options);
  } catch (const error& e) {
    throw error(fmt::format("{} with {}: {}", files.times.string(), files.power_log.filename().string(), e.what()));
  }

  io::network_measurement m;
  m.network = files.name;
  m.source = std::move(source);
  m.latency_mean_ms = run.latency_mean_ms;
  m.latency_median_ms = run.latency_median_ms;
  m.gpu_compute_mean_ms = run.compute_mean_ms;
  m.gpu_compute_median_ms = run.compute_median_ms;
  m.throughput_qps = run.throughput_qps;
  m.inferences = run.inferences;
  m.inferences_in_window = run.inferences_in_window;
  m.run_start = run.first_start;
  m.run_end = run.last_end;
  m.window_start = run.window_start;
  m.window_end = run.window_end;
  m.trim = run.trim;
  m.trtexec_zero = run.alignment.origin;
  m.alignment_uncertainty = run.alignment.uncertainty;
  m.rail = rails.name;
  m.power_source = meta ? meta->source : std::string{"unknown (no .meta.json)"};
  m.power_samples = run.power.samples;
  m.mean_power_mw = run.power.mean_power_uw / 1000;
  m.idle_power_mw = idle_power.power_uw / 1000;
  m.idle_file = idle.file_name;
  m.energy_per_inference_total_mj = run.energy_per_inference_total_mj;
  m.energy_per_inference_above_idle_mj = run.energy_per_inference_above_idle_mj;
  if (report.tensorrt_version) m.board["tensorrt_version"] = *report.tensorrt_version;
  nlohmann::json reported = nlohmann::json::object();
  if (report.throughput_qps) reported["throughput_qps"] = *report.throughput_qps;
  if (report.latency_mean_ms) reported["latency_mean_ms"] = *report.latency_mean_ms;
  if (report.latency_median_ms) reported["latency_median_ms"] = *report.latency_median_ms;
  if (report.warmup_ms) reported["warmup_ms"] = *report.warmup_ms;
  if (report.warmup_queries) reported["warmup_queries"] = *report.warmup_queries;
  m.trtexec["reported"] = std::move(reported);
  return m;
}

}  // namespace layerwatt::campaign
