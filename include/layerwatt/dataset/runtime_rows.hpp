#pragma once
// Runtime-only training rows: an engine's layers with a measured runtime each and no power —
// from trtexec (the layer info of --exportLayerInfo with --profilingVerbosity=detailed gives the
// kinds and features, the profile of --exportProfile the runtimes) or from any per-layer latency
// file. Every timed layer of a modelled kind becomes one row of its kind's training CSV with an
// empty power cell (training_csv.hpp), so it joins the runtime fits only:
//
//   const auto summary = dataset::write_runtime_rows(
//       io::read_engine_info("resnet18.graph.json"),
//       dataset::profile_runtimes(io::read_trtexec_profile("resnet18.profile.json")), "training_data/resnet18");

#include <array>
#include <cstddef>
#include <filesystem>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/dataset/classify.hpp"
#include "layerwatt/dataset/training_csv.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/io/layer_latency.hpp"
#include "layerwatt/io/trtexec_profile.hpp"

namespace layerwatt::dataset {

/// A layer's runtime, by its engine name.
struct layer_runtime {
  std::string name;
  double runtime_ms = 0;
};

/// Which of trtexec's per-layer figures is a row's runtime.
enum class profile_statistic { mean, median };

/// Each profiled layer's mean ("averageMs") or median ("medianMs", TensorRT 8.6 and later: its
/// absence is an error naming the layer), in execution order.
inline std::vector<layer_runtime> profile_runtimes(const io::trtexec_profile& profile,
                                                   profile_statistic statistic = profile_statistic::mean) {
  std::vector<layer_runtime> out;
  for (const auto& t : profile.layers) {
    if (statistic == profile_statistic::median && !t.median_ms)
      throw error(fmt::format("layer \"{}\": the profile has no medianMs (TensorRT before 8.6); use the mean", t.name));
    out.push_back({t.name, statistic == profile_statistic::median ? *t.median_ms : t.average_ms});
  }
  return out;
}

/// Each layer's mean latency over its cycles (a trt_layer_latency.json, either form).
inline std::vector<layer_runtime> mean_latencies(const io::layer_latencies& latencies) {
  std::vector<layer_runtime> out;
  for (const auto& l : latencies.layers)
    if (!l.latency_ms.empty())
      out.push_back({l.name, std::accumulate(l.latency_ms.begin(), l.latency_ms.end(), 0.0) /
                                 static_cast<double>(l.latency_ms.size())});
  return out;
}

struct runtime_rows_summary {
  std::array<std::size_t, all_layer_kinds.size()> rows_per_kind{};  ///< indexed by layer_kind
  std::vector<std::string> not_in_engine;  ///< timed names the engine does not describe
  std::vector<std::string> not_timed;      ///< layers of a modelled kind without a runtime
  double timed_ms = 0;                     ///< Σ runtime over the timed layers
  double modelled_ms = 0;                  ///< of which layers of a modelled kind
};

/// Writes `training_dir/<kind>.csv` for each kind with rows, in place of any there; a kind without
/// rows keeps no earlier CSV.
inline runtime_rows_summary write_runtime_rows(const io::engine_info& engine, std::span<const layer_runtime> runtimes,
                                               const std::filesystem::path& training_dir,
                                               classification_rule rule = classification_rule::semantic) {
  const auto classified = classify_layers(engine, rule);
  std::unordered_map<std::string_view, const classified_layer*> by_name;
  for (const auto& c : classified) by_name[c.layer->name] = &c;

  runtime_rows_summary summary;
  std::array<std::vector<training_record>, all_layer_kinds.size()> records;
  std::unordered_set<std::string_view> timed;
  for (const auto& t : runtimes) {
    summary.timed_ms += t.runtime_ms;
    const auto found = by_name.find(t.name);
    if (found == by_name.end()) {
      summary.not_in_engine.push_back(t.name);
      continue;
    }
    timed.insert(found->first);
    const auto kind = found->second->modelled();
    if (!kind) continue;
    summary.modelled_ms += t.runtime_ms;
    records[static_cast<std::size_t>(*kind)].push_back(
        {&found->second->features_layer(), std::numeric_limits<double>::quiet_NaN(), t.runtime_ms});
  }
  for (const auto& c : classified)
    if (c.modelled() && !timed.contains(c.layer->name)) summary.not_timed.push_back(c.layer->name);

  for (const auto kind : all_layer_kinds) {
    const auto& rows = records[static_cast<std::size_t>(kind)];
    summary.rows_per_kind[static_cast<std::size_t>(kind)] = rows.size();
    if (rows.empty()) io::remove_if_present(training_csv_path(training_dir, kind));
    else write_training_csv(training_csv_path(training_dir, kind), kind, rows);
  }
  return summary;
}

}  // namespace layerwatt::dataset
