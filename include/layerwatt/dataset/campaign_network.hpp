#pragma once
// A measurement campaign's network (io/campaign_dir.hpp) as training data:
//
//   TRAINING_DIR/<network>/<kind>.csv        runtime-only rows: each profiled layer's runtime
//                                            (trtexec's mean, or median), power empty
//   TRAINING_DIR/<network>/engine_info.json  a copy of its layer info (trtexec --exportLayerInfo)
//   and its row of TRAINING_DIR/network_totals.csv (io/network_totals.hpp): latency and energy
//   per inference, total and above idle, from network_measurement.json
//
// No per-layer power: a board's sensor cannot tell the layers' power apart (docs/campaign.md);
// the network-level fit learns the layers' energy from the networks' totals instead.

#include <filesystem>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/core/warning.hpp"
#include "layerwatt/dataset/classify.hpp"
#include "layerwatt/dataset/map_model.hpp"
#include "layerwatt/dataset/runtime_rows.hpp"
#include "layerwatt/io/campaign_dir.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/io/network_measurement.hpp"
#include "layerwatt/io/network_totals.hpp"
#include "layerwatt/io/trtexec_profile.hpp"

namespace layerwatt::dataset {

/// The engine copy's name in a network's training folder.
inline constexpr std::string_view campaign_engine_info_file_name = "engine_info.json";

struct campaign_network_summary {
  std::string network;
  runtime_rows_summary rows;
  io::network_total total;  ///< engine path relative to the training folder
};

/// Writes `network`'s runtime-only rows and engine copy into `training_dir / network.name`, and
/// returns its network totals row. An error (naming the file) when its measurement is unreadable.
/// An energy above idle that is not above 0 (the idle power was measured as high as the run's, or
/// higher) is left out of the row, with a warning: the latency and the total energy still count.
inline campaign_network_summary write_campaign_network(const io::campaign_network_files& network,
                                                       const std::filesystem::path& training_dir,
                                                       classification_rule rule = classification_rule::semantic,
                                                       profile_statistic statistic = profile_statistic::mean,
                                                       const warning_sink& warn = print_warning) {
  const auto m = io::read_network_measurement(network.measurement);
  std::optional<double> above_idle_mj = m.energy_per_inference_above_idle_mj;
  if (!(*above_idle_mj > 0)) {
    warn(fmt::format("{}: the energy above idle is not above 0 ({:.4g} mJ; the run's mean power {:.1f} mW, the idle "
                     "power taken {:.1f} mW, {}); its energy_above_idle_mj is left empty (the network joins the fits "
                     "of runtime and total energy); measure the idle power again",
                     network.measurement.string(), *above_idle_mj, m.mean_power_mw, m.idle_power_mw, m.idle_file));
    above_idle_mj.reset();
  }
  const auto engine = io::read_engine_info(network.layer_info);
  const auto out_dir = training_dir / network.name;
  campaign_network_summary s;
  s.network = network.name;
  const auto runtimes = [&] {
    try {
      return profile_runtimes(io::read_trtexec_profile(network.profile), statistic);
    } catch (const error& e) {
      if (!e.file().empty()) throw;
      throw error(fmt::format("{}: {}", network.profile.string(), e.what()));
    }
  }();
  s.rows = write_runtime_rows(engine, runtimes, out_dir, rule);
  copy_engine_info(network.layer_info, out_dir / campaign_engine_info_file_name);
  s.total = {network.name, std::filesystem::path(network.name) / campaign_engine_info_file_name, m.latency_mean_ms,
             m.energy_per_inference_total_mj, above_idle_mj, /*group=*/{}};
  return s;
}

}  // namespace layerwatt::dataset
