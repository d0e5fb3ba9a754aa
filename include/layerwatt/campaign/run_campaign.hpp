#pragma once
// A measurement campaign: every network of a list measured into one folder (io/campaign_dir.hpp),
// long and unattended.
//
// - The idle power is measured once, first, into CAMPAIGN_DIR/idling_power.json, with the same
//   sampler as the runs (the same rail or sum of rails), or taken from that file when an earlier
//   run of the campaign wrote it (its rail must be the one sampled now). With `idle_between`, it
//   is measured again before each network into the network's folder, and that one is used.
// - A network with network_measurement.json is finished and skipped (unless `redo`, which keeps
//   it until the new one is written: set_aside_measurement.hpp); any other is measured from
//   scratch (measure_network.hpp): so a campaign stopped anywhere resumes where it stopped.
// - A network that fails is reported with why, and the others go on.
// - A stop request ends the network being measured, which stays unfinished (a redo's earlier
//   measurement is put back); the finished ones are whole (each file is written atomically,
//   network_measurement.json last).

#include <chrono>
#include <exception>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/campaign/measure_network.hpp"
#include "layerwatt/campaign/set_aside_measurement.hpp"
#include "layerwatt/core/error.hpp"
#include "layerwatt/core/warning.hpp"
#include "layerwatt/dataset/idle_for_rails.hpp"
#include "layerwatt/io/campaign_dir.hpp"
#include "layerwatt/io/idle_power.hpp"
#include "layerwatt/io/network_measurement.hpp"
#include "layerwatt/join/timed_run.hpp"
#include "layerwatt/sense/clock.hpp"
#include "layerwatt/sense/idle.hpp"

namespace layerwatt::campaign {

struct campaign_settings {
  std::filesystem::path root;            ///< CAMPAIGN_DIR
  network_settings network;
  std::chrono::nanoseconds idle_duration = std::chrono::seconds{30};
  bool idle_between = false;             ///< measure the idle power again before each network
  bool redo = false;                     ///< measure finished networks again
};

enum class outcome { measured, skipped, failed, interrupted };

struct network_result {
  std::string network;
  outcome result = outcome::failed;
  std::optional<io::network_measurement> measurement;  ///< measured, or skipped: the earlier one
  std::string why;  ///< failed: the error; stopped: what became of an earlier measurement (a redo's), if any
  std::chrono::steady_clock::duration took{};
};

/// What the campaign tells as it goes (each may be empty).
struct campaign_events {
  std::function<void(std::string_view what)> status;             ///< a transient status line
  std::function<void(const io::idle_power&, const std::filesystem::path& file, bool measured_now)> idle;
  std::function<void(std::size_t index, std::size_t count, const network_result&)> network_done;
  warning_sink warn = print_warning;  ///< what a run put right (a killed redo's files)
};

namespace detail {

/// A rail_selection naming what a sampler reads (its one column), to check an idle file against.
inline io::rail_selection sampled_rail(std::string name) {
  io::rail_selection r;
  r.name = name;
  r.columns = {0};
  r.rails = {std::move(name)};
  r.named = true;
  return r;
}

template <sense::clock Clock, typename MakeSampler>
idle_reference measure_or_read_idle(const std::filesystem::path& file, std::string file_name, MakeSampler& make_sampler,
                                    const campaign_settings& settings, bool reuse, const std::stop_token& stop,
                                    const campaign_events& events) {
  auto sampler = make_sampler();
  const auto rail = sampled_rail(std::string(sampler.rails().front().name));
  std::error_code ec;
  if (reuse && std::filesystem::exists(file, ec)) {
    auto idle = io::read_idle_power(file);
    dataset::idle_power_for(idle, file, rail);  // an idle file of another rail is an error here
    if (events.idle) events.idle(idle, file, false);
    return {std::move(idle), file, std::move(file_name)};
  }
  if (events.status) events.status(fmt::format("measuring the idle power of {}", rail.name));
  Clock clock;
  auto idle = sense::measure_idle(sampler, clock, settings.idle_duration, settings.network.sampling.period, stop);
  if (stop.stop_requested()) throw interrupted{};
  idle.extra["source"] = std::string(sampler.source());
  io::write_idle_power(file, idle);
  if (events.idle) events.idle(idle, file, true);
  return {std::move(idle), file, std::move(file_name)};
}

}  // namespace detail

/// Measures `networks` as described above; one result per network, in order (those after a stop
/// are absent). `make_sampler()` opens a fresh sampler for each run and the idle measurement.
/// A layerwatt::error while a network is measured fails that network alone, unless there is no
/// idle power yet (nothing can be measured: it is thrown). Any other exception (the disk, a bug)
/// is thrown as it is; during a redo, the earlier measurement is put back first and `events.warn`
/// told so, with the attempt's files where they now are.
template <sense::clock Clock = sense::wall_clock, typename MakeSampler>
std::vector<network_result> run_campaign(std::span<const network_input> networks, MakeSampler&& make_sampler,
                                         const campaign_settings& settings, const std::stop_token& stop,
                                         const campaign_events& events = {}) {
  join::check_trim_fits(settings.network.analysis.trim, settings.network.trtexec.duration);
  std::vector<network_result> results;
  std::optional<idle_reference> campaign_idle;
  const auto status = [&](std::string text) {
    if (events.status) events.status(text);
  };
  for (std::size_t i = 0; i < networks.size(); ++i) {
    const auto& network = networks[i];
    const auto files = io::campaign_network_files::in(settings.root / network.name, network.name);
    const auto started = std::chrono::steady_clock::now();
    network_result r;
    r.network = network.name;
    std::error_code ec;
    const auto recovered = set_aside_measurement::recover(files);
    if (recovered && recovered->whole && events.warn) events.warn(recovered->report);
    if (recovered && !recovered->whole) {  // measured now, the rest of the earlier files would later be put over it
      r.why = fmt::format("{}; not measured until they are", recovered->report);
    } else if (!settings.redo && std::filesystem::exists(files.measurement, ec)) {
      r.result = outcome::skipped;
      try {
        r.measurement = io::read_network_measurement(files.measurement);
      } catch (const error& e) {
        r.result = outcome::failed;
        r.why = fmt::format("finished before, but: {}", e.what());
      }
    } else {
      if (stop.stop_requested()) break;
      std::optional<set_aside_measurement> earlier;  // a redo's: put back unless the new one is written
      try {
        if (!campaign_idle)
          campaign_idle = detail::measure_or_read_idle<Clock>(settings.root / "idling_power.json", "idling_power.json",
                                                              make_sampler, settings, true, stop, events);
        if (std::filesystem::exists(files.measurement, ec)) earlier.emplace(files);
        const idle_reference idle =
            settings.idle_between
                ? detail::measure_or_read_idle<Clock>(files.idle_power, network.name + "/idling_power.json", make_sampler,
                                                      settings, false, stop, events)
                : *campaign_idle;
        const std::string prefix = fmt::format("[{}/{}] {}", i + 1, networks.size(), network.name);
        r.measurement = measure_network<Clock>(
            network, files, make_sampler, idle, settings.network, stop,
            [&](std::string_view stage, std::chrono::steady_clock::duration elapsed) {
              status(fmt::format("{}: {} ({:.0f} s)", prefix, stage, std::chrono::duration<double>(elapsed).count()));
            });
        if (earlier) earlier->discard();
        r.result = outcome::measured;
      } catch (const interrupted&) {
        r.result = outcome::interrupted;
        if (earlier) r.why = earlier->put_back({});
      } catch (const error& e) {
        if (!campaign_idle) throw;  // no idle power: nothing can be measured
        r.result = outcome::failed;
        r.why = earlier ? earlier->put_back(e.what()) : e.what();
      } catch (const std::exception& e) {  // not the network's fault (the disk, a bug): the campaign stops
        if (earlier && events.warn) events.warn(fmt::format("{}: {}", network.name, earlier->put_back(e.what())));
        throw;
      }
    }
    r.took = std::chrono::steady_clock::now() - started;
    results.push_back(std::move(r));
    if (events.network_done) events.network_done(i, networks.size(), results.back());
    if (results.back().result == outcome::interrupted) break;
  }
  return results;
}

}  // namespace layerwatt::campaign
