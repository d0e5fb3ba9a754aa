#pragma once
// One layer kind's training rows, gathered from the CSVs of several models in the order given:
// the feature table a preset fits on, both targets (power converted from the CSV's µW to W, as
// the reference does before fitting; runtime in ms), the layer names, and which rows came from
// which model (for per-model charts and counts). A power above 1 000 W, or a runtime of 0 or
// below or above an hour, is an error naming the file and line (another unit).

#include <cmath>
#include <cstddef>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>
#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/core/power_bound.hpp"

#include "layerwatt/dataset/training_csv.hpp"
#include "layerwatt/dataset/training_dir.hpp"
#include "layerwatt/io/csv_table.hpp"
#include "layerwatt/model/target.hpp"
#include "layerwatt/transform/feature_table.hpp"

namespace layerwatt::model {

inline constexpr double microwatts_per_watt = 1e6;

/// No layer of an inference takes an hour: a runtime above it is in another unit (or garbage).
inline constexpr double max_layer_runtime_ms = 3.6e6;

/// Fails unless `runtime_ms`, row `row` of `table`'s runtime column, is what one layer can take:
/// above 0 and at most an hour (more is another unit, or garbage), naming the file and line.
inline void check_layer_runtime(const io::csv_table& table, Eigen::Index row, double runtime_ms) {
  if (!(runtime_ms > 0 && runtime_ms <= max_layer_runtime_ms))
    throw error(table.file, table.line_of(static_cast<std::size_t>(row)),
                fmt::format("expected a runtime in ms above 0 and at most {:.0f} (an hour) in column \"{}\", got {}",
                            max_layer_runtime_ms, dataset::runtime_column, runtime_ms));
}

namespace detail {

/// Fails at the first measured power or runtime of `table` outside what a layer can take,
/// naming its file and line: such a value would swamp the fit's squared errors (1e200 µW makes
/// every metric infinite).
inline void check_targets(const io::csv_table& table, const Eigen::VectorXd& power_uw, const Eigen::VectorXd& runtime_ms) {
  for (Eigen::Index r = 0; r < power_uw.size(); ++r) {
    if (!std::isnan(power_uw[r]) && !(std::abs(power_uw[r]) <= max_board_power_uw))
      throw error(table.file, table.line_of(static_cast<std::size_t>(r)),
                  fmt::format("expected a power in µW of at most {:g} ({} W) in column \"{}\", got {}",
                              max_board_power_uw, max_board_power_w, dataset::power_column,
                              power_uw[r]));
    if (!std::isnan(runtime_ms[r])) check_layer_runtime(table, r, runtime_ms[r]);
  }
}

}  // namespace detail

struct model_rows {
  std::string model;
  std::size_t first = 0, count = 0;  ///< its rows in the gathered table
};

struct training_rows {
  transform::table x;
  Eigen::VectorXd power_w, runtime_ms;  ///< NaN where a row's CSV cell is empty (not measured)
  std::vector<std::string> layer_names;
  std::vector<std::string> precisions;  ///< the CSV's `precision` column; empty where it has none
  std::vector<model_rows> models;  ///< those with at least one row

  [[nodiscard]] std::size_t rows() const noexcept { return static_cast<std::size_t>(x.rows()); }
};

/// The rows of one target that were measured: what a fit of that target uses.
struct target_rows {
  transform::table x;
  Eigen::VectorXd y;  ///< power (W) or runtime (ms)
  std::vector<std::string> layer_names;
  std::vector<std::string> precisions;
  std::vector<model_rows> models;  ///< those with at least one measured row
  [[nodiscard]] std::size_t rows() const noexcept { return static_cast<std::size_t>(x.rows()); }
};

/// The rows of `rows` whose `what` was measured (its CSV cell not empty).
inline target_rows measured_rows(const training_rows& rows, target what) {
  const Eigen::VectorXd& y = what == target::power ? rows.power_w : rows.runtime_ms;
  std::vector<Eigen::Index> keep;
  target_rows out;
  for (const auto& m : rows.models) {
    const std::size_t first = keep.size();
    for (std::size_t r = m.first; r < m.first + m.count; ++r)
      if (!std::isnan(y[static_cast<Eigen::Index>(r)])) keep.push_back(static_cast<Eigen::Index>(r));
    if (keep.size() > first) out.models.push_back({m.model, first, keep.size() - first});
  }
  out.x.resize(static_cast<Eigen::Index>(keep.size()), rows.x.cols());
  out.y.resize(static_cast<Eigen::Index>(keep.size()));
  for (std::size_t i = 0; i < keep.size(); ++i) {
    const auto at = static_cast<Eigen::Index>(i);
    out.x.row(at) = rows.x.row(keep[i]);
    out.y[at] = y[keep[i]];
    out.layer_names.push_back(rows.layer_names[static_cast<std::size_t>(keep[i])]);
    out.precisions.push_back(rows.precisions[static_cast<std::size_t>(keep[i])]);
  }
  return out;
}

/// The rows of layer kind Kind of every model in `models` that has its CSV.
template <layer_kind Kind>
training_rows read_training_rows(const std::vector<const dataset::training_model*>& models) {
  using features = typename dataset::training_layout<Kind>::feature_columns;
  std::vector<io::csv_table> tables;
  training_rows out;
  std::size_t total = 0;
  for (const auto* m : models) {
    const auto& csv = m->csv[static_cast<std::size_t>(Kind)];
    if (!csv) continue;
    auto table = io::read_csv_table(*csv);
    if (table.rows.empty()) continue;
    out.models.push_back({m->name, total, table.rows.size()});
    total += table.rows.size();
    tables.push_back(std::move(table));
  }
  const auto n = static_cast<Eigen::Index>(total);
  out.x.resize(n, static_cast<Eigen::Index>(features::size));
  out.power_w.resize(n);
  out.runtime_ms.resize(n);
  out.layer_names.reserve(total);
  for (std::size_t i = 0; i < tables.size(); ++i) {
    const auto first = static_cast<Eigen::Index>(out.models[i].first), count = static_cast<Eigen::Index>(out.models[i].count);
    out.x.middleRows(first, count) = transform::feature_table<features>(tables[i]);
    const auto power_uw = transform::target_column(tables[i], dataset::power_column);
    const auto runtime_ms = transform::target_column(tables[i], dataset::runtime_column);
    detail::check_targets(tables[i], power_uw, runtime_ms);
    out.power_w.segment(first, count) = power_uw / microwatts_per_watt;
    out.runtime_ms.segment(first, count) = runtime_ms;
    for (auto& name : tables[i].texts(dataset::layer_name_column)) out.layer_names.push_back(std::move(name));
    for (auto& p : dataset::precision_texts(tables[i])) out.precisions.push_back(std::move(p));
  }
  return out;
}

}  // namespace layerwatt::model
