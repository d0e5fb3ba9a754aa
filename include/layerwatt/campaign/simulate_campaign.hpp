#pragma once
// A measurement campaign on the simulated device (`layerwatt simulate --layout campaign`): the
// same folder `layerwatt measure` writes on a board (io/campaign_dir.hpp), its network
// measurements computed from the simulated files by the campaign's own analysis (analyse_run.hpp),
// so a simulated campaign goes through the arithmetic of a real one; beside each network, its
// ground_truth.json (sim/ground_truth.hpp) with the true totals the measurement estimates.
//
//   CAMPAIGN_DIR/idling_power.json        the simulated idle measurement
//   CAMPAIGN_DIR/<network>/...            as `layerwatt measure` (no engine.plan), and ground_truth.json
//
// Networks are simulated in parallel; each one's files depend only on the seed, the profile, the
// network and its start time.

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "layerwatt/campaign/analyse_run.hpp"
#include "layerwatt/core/duration_text.hpp"
#include "layerwatt/core/error.hpp"
#include "layerwatt/io/campaign_dir.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/io/idle_power.hpp"
#include "layerwatt/io/network_measurement.hpp"
#include "layerwatt/join/timed_run.hpp"
#include "layerwatt/sim/device_profile.hpp"
#include "layerwatt/sim/ground_truth.hpp"
#include "layerwatt/core/parallel_for.hpp"
#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/sim/simulate_raw_data.hpp"
#include "layerwatt/sim/simulate_trtexec_run.hpp"

namespace layerwatt::campaign {

/// A network to simulate and when its timed run's power log starts.
struct simulated_network {
  std::string name;
  io::engine_info engine;
  time_stamp start;
};

struct simulated_campaign_options {
  std::uint64_t seed = 1;
  double warm_up_ms = 1000, duration_ms = 5000;  ///< trtexec's --warmUp and --duration
  std::size_t profile_inferences = 500;
  join::timed_run_options analysis;              ///< as `layerwatt measure --trim`
  unsigned jobs = 0;                             ///< threads; 0: one per hardware thread
  /// Called after each network is written (serialised; any thread).
  std::function<void(const io::network_measurement&, const sim::network_truth&)> on_network_done;

  /// The timed run's --duration, to the µs.
  [[nodiscard]] microseconds duration() const { return microseconds{std::llround(duration_ms * 1000)}; }
};

/// The simulated timed run of a network starting at `start`, as `options` ask for it.
inline sim::trtexec_run_options run_options(const simulated_campaign_options& options, time_stamp start) {
  return {.seed = options.seed,
          .start = start,
          .warm_up_ms = options.warm_up_ms,
          .duration_ms = options.duration_ms,
          .profile_inferences = options.profile_inferences};
}

/// The least trim the analysis of a run simulated with `options` accepts: the uncertainty with
/// which it places trtexec's zero on the log's clock (join::align_trtexec_run). The run's output
/// lines bracket the zero by start_delay_us + sync_us, and its times are printed to the step of
/// the last one's, which ends at warm-up + duration or later: a lower bound, so no trim the
/// analysis accepts is refused (the analysis still refuses one under a coarser step).
inline microseconds least_trim(const simulated_campaign_options& options) {
  const auto run = run_options(options, {});
  const double last_end_ms = run.warm_up_ms + run.duration_ms;
  const auto finished = join::at_trtexec_ms(run.start, (run.start_delay_us + run.sync_us) / 1000 + last_end_ms);
  return join::align_trtexec_run(run.start, finished, last_end_ms).uncertainty;
}

/// Throws error unless `options.analysis.trim` suits the simulated runs: under half the duration
/// (join::check_trim_fits) and no less than least_trim.
inline void check_trim(const simulated_campaign_options& options) {
  join::check_trim_fits(options.analysis.trim, options.duration());
  if (const auto least = least_trim(options); options.analysis.trim < least)
    throw error(fmt::format("a trim of {} is less than the {} to which the analysis places trtexec's zero on the "
                            "log's clock: trim at least that much",
                            format_duration(options.analysis.trim), format_duration(least)));
}

/// What was measured of a network, and the truth.
struct simulated_network_result {
  io::network_measurement measurement;
  sim::network_truth truth;
};

/// Simulates every network into `root` (created if needed), the idle file stamped at `idle_at`;
/// results in the networks' order. Errors: a trim that does not suit the runs (check_trim), before
/// anything is written. The first error stops the run and is rethrown; a network whose
/// network_measurement.json is absent is unfinished, as in a real campaign.
inline std::vector<simulated_network_result> simulate_campaign(const std::filesystem::path& root,
                                                               std::span<const simulated_network> networks,
                                                               const sim::device_profile& profile,
                                                               const simulated_campaign_options& options,
                                                               time_stamp idle_at) {
  check_trim(options);
  idle_reference idle{sim::simulate_idle(profile, options.seed, idle_at), root / "idling_power.json",
                      "idling_power.json"};
  std::error_code created;
  std::filesystem::create_directories(root, created);
  if (std::error_code ec; !std::filesystem::is_directory(root, ec))
    throw error(fmt::format("{}: cannot create the campaign directory: {}", root.string(),
                            created ? created.message() : "a file is there"));
  io::write_idle_power(idle.file, idle.idle);
  std::vector<simulated_network_result> results(networks.size());
  std::mutex lock;
  parallel_for(networks.size(), options.jobs, [&](std::size_t i) {
    const auto& n = networks[i];
    const auto files = io::campaign_network_files::in(root / n.name, n.name);
    std::filesystem::remove(files.measurement);  // unfinished until this run's analysis is written
    const auto run = sim::simulate_trtexec_run(n.engine, n.name, profile, run_options(options, n.start));
    sim::write_simulated_trtexec_run(files, n.engine, run);
    auto m = analyse_timed_run(files, idle, options.analysis, "layerwatt simulate");
    m.board["simulated_device"] = profile.name;
    m.trtexec["warm_up_ms"] = options.warm_up_ms;
    m.trtexec["duration_ms"] = options.duration_ms;
    io::write_network_measurement(files.measurement, m);
    results[i] = {std::move(m), *run.truth.network};
    const std::scoped_lock guard(lock);
    if (options.on_network_done) options.on_network_done(results[i].measurement, results[i].truth);
  });
  return results;
}

}  // namespace layerwatt::campaign
