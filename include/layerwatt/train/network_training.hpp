#pragma once
// A training directory for network-level training, as `layerwatt dataset` writes it from a
// measurement campaign:
//
//   TRAINING_DIR/network_totals.csv          each network's measured latency and energy
//                                            (io/network_totals.hpp), with its engine file
//   TRAINING_DIR/<network>/<kind>.csv        where measured, its layers' runtimes (optional)
//
// read into what train::fit_network_models takes: every network listed with its engine, and the
// measured layer rows of those networks (their runtimes; a power, where measured, gives no energy
// the fit could use, so it is only checked and counted, for a warning). network_totals.csv is the
// training set: the layer rows of a folder it does not list are left out, and named. A missing or
// malformed file is an error naming it; so is a network drawing more than max_static_power_w
// (energy ÷ latency), with its line, and a layer runtime that no layer takes
// (model::check_layer_runtime) or more than twice its network's whole latency (one of them in
// another unit), with the layer file's line. Networks whose measured layers take less than 1 % of
// their latency are warned about, with their lines: a latency in µs (a profile's layers make most
// of an inference; copies and launches do not make 99 % of it).

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <Eigen/Core>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/core/warning.hpp"
#include "layerwatt/dataset/training_csv.hpp"
#include "layerwatt/dataset/training_dir.hpp"
#include "layerwatt/io/csv_table.hpp"
#include "layerwatt/io/directory.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/io/network_totals.hpp"
#include "layerwatt/model/training_rows.hpp"
#include "layerwatt/train/network_fit.hpp"
#include "layerwatt/train/network_model_dir.hpp"
#include "layerwatt/train/network_presets.hpp"
#include "layerwatt/transform/feature_table.hpp"

namespace layerwatt::train {

/// Which measured energy the energy models learn: idle included, or above idle.
enum class energy_measure { total, above_idle };

constexpr std::string_view to_string(energy_measure e) noexcept { return e == energy_measure::total ? "total" : "above_idle"; }

struct network_training_data {
  std::vector<io::network_total> totals;
  std::vector<io::engine_info> engines;  ///< parallel to totals
  std::vector<measured_layer> layers;    ///< the layer rows with a runtime
  std::vector<std::string> unlisted;     ///< folders with layer rows that network_totals.csv does not list
};

inline std::filesystem::path network_totals_file(const std::filesystem::path& training_dir) {
  return training_dir / "network_totals.csv";
}

inline network_training_data read_network_training_dir(const std::filesystem::path& training_dir,
                                                       const warning_sink& warn = print_warning) {
  io::require_directory(training_dir,
                        "a training directory (network_totals.csv and the networks' folders; docs/file-formats.md)");
  const auto totals_file = network_totals_file(training_dir);
  if (const auto problem = io::file_problem(totals_file); !problem.empty())
    throw error(fmt::format("{}: {}; network-level training reads each network's measured totals there "
                            "(docs/file-formats.md)",
                            totals_file.string(), problem));
  network_training_data data;
  data.totals = io::read_network_totals(totals_file);
  if (data.totals.empty()) throw error(fmt::format("{}: no network in it", totals_file.string()));
  for (const auto& t : data.totals) {
    // Energy ÷ latency above any board's draw: one of them in another unit (µJ, s).
    for (const auto& [energy, column] : {std::pair{t.energy_total_mj, "energy_total_mj"},
                                         std::pair{t.energy_above_idle_mj, "energy_above_idle_mj"}})
      if (const auto why = energy ? implausible_power(*energy, t.latency_ms) : std::nullopt)
        throw error(totals_file.string(), t.line, fmt::format("network \"{}\": {}: {}", t.network, column, *why));
    if (const auto problem = io::file_problem(t.engine_info); !problem.empty())
      throw error(totals_file.string(), t.line,
                  fmt::format("network \"{}\": its engine file {}: {}", t.network, t.engine_info.string(), problem));
    try {
      data.engines.push_back(io::read_engine_info(t.engine_info));
    } catch (const error& e) {
      throw error(totals_file.string(), t.line, fmt::format("network \"{}\": {}", t.network, e.what()));
    }
  }
  // The per-layer rows, where a listed network's folder has them: network_totals.csv is the
  // training set, so a network left out of it (to hold it out, say) lends the fit nothing.
  std::size_t unused_powers = 0;
  for (const auto& model : dataset::find_training_csvs(training_dir).models) {
    const auto network = std::find_if(data.totals.begin(), data.totals.end(),
                                      [&](const io::network_total& t) { return t.network == model.name; });
    if (network == data.totals.end()) {
      data.unlisted.push_back(model.name);
      continue;
    }
    for (const auto kind : all_layer_kinds) {
      const auto& csv = model.csv[static_cast<std::size_t>(kind)];
      if (!csv) continue;
      dataset::with_layout(kind, [&]<layer_kind Kind>(dataset::training_layout<Kind>) {
        const auto table = io::read_csv_table(*csv);
        const auto x = transform::feature_table<network_presets::columns_of<Kind>>(table);
        const auto runtime = transform::target_column(table, dataset::runtime_column);
        if (table.has_column(dataset::power_column))
          for (const double power : table.numbers_or_missing(dataset::power_column)) unused_powers += !std::isnan(power);
        auto precisions = dataset::precision_texts(table);
        for (Eigen::Index r = 0; r < x.rows(); ++r) {
          if (std::isnan(runtime[r])) continue;
          model::check_layer_runtime(table, r, runtime[r]);
          // One layer cannot take more than the whole inference: twice as long is another unit.
          if (runtime[r] > 2 * network->latency_ms)
            throw error(csv->string(), table.line_of(static_cast<std::size_t>(r)),
                        fmt::format("a layer's runtime of {} ms, more than twice network \"{}\"'s whole latency of {} "
                                    "ms in {}: expected both in ms",
                                    runtime[r], model.name, network->latency_ms, totals_file.string()));
          measured_layer l;
          l.kind = Kind;
          l.features.resize(static_cast<std::size_t>(x.cols()));
          Eigen::RowVectorXd::Map(l.features.data(), x.cols()) = x.row(r);
          l.network = model.name;
          l.group = network->group;
          l.runtime_ms = runtime[r];
          l.precision = std::move(precisions[static_cast<std::size_t>(r)]);
          data.layers.push_back(std::move(l));
        }
      });
    }
  }
  if (unused_powers > 0)
    warn(fmt::format("{}: the power of {} layer row(s) is not used: network-level training learns from the "
                     "networks' totals and the layers' runtimes alone (docs/real-data.md)",
                     training_dir.string(), unused_powers));
  std::unordered_map<std::string_view, double> layers_ms;
  for (const auto& l : data.layers) layers_ms[l.network] += *l.runtime_ms;
  std::vector<std::string> far_below;
  for (const auto& t : data.totals)
    if (const auto it = layers_ms.find(t.network); it != layers_ms.end() && it->second < t.latency_ms / 100)
      far_below.push_back(fmt::format("line {}: {} ({:.3g} of {:.3g} ms)", t.line, t.network, it->second, t.latency_ms));
  if (!far_below.empty())
    warn(fmt::format("{}: {} network(s) have measured layers that take less than 1 % of their latency: are both "
                     "in ms, the latency here (not µs) and the layers' runtimes in their folders' <kind>.csv (not s)? {}",
                     totals_file.string(), far_below.size(), fmt::join(far_below, ", ")));
  return data;
}

/// The networks of `data` as fit_network_models takes them, energy as `measure` says, leaving
/// out those named in `held_out`. The networks point into `data`.
inline std::vector<measured_network> measured_networks(const network_training_data& data, energy_measure measure,
                                                       const std::vector<std::string>& held_out = {}) {
  std::vector<measured_network> out;
  for (std::size_t i = 0; i < data.totals.size(); ++i) {
    const auto& t = data.totals[i];
    if (std::find(held_out.begin(), held_out.end(), t.network) != held_out.end()) continue;
    out.push_back({t.network, t.group, &data.engines[i], t.latency_ms,
                   measure == energy_measure::total ? t.energy_total_mj : t.energy_above_idle_mj, t.engine_info});
  }
  return out;
}

/// The measured layers of `data` but those of the networks named in `held_out`.
inline std::vector<measured_layer> measured_layers(const network_training_data& data,
                                                   const std::vector<std::string>& held_out = {}) {
  std::vector<measured_layer> out;
  for (const auto& l : data.layers)
    if (std::find(held_out.begin(), held_out.end(), l.network) == held_out.end()) out.push_back(l);
  return out;
}

}  // namespace layerwatt::train
