#pragma once
// Layer models learnt from whole-network measurements. A network's runtime and energy per
// inference are sums over its layers plus a per-inference overhead (launch, copies):
//
//   T_n = c + Σ_kinds [ b_k · N_k(n) + w_k · Σ_{layers l of kind k in n} φ_k(x_l) ]
//   E_n = c' + P_s · T̂_n + Σ_kinds [ b'_k · N_k(n) + w'_k · Σ_{l of kind k in n} φ_k(x_l) ]
//
// with φ_k the kind's transformed features (train/network_presets.hpp: non-negative terms,
// scaled without centring), b_k a per-layer intercept and c the network constant. Energy has one
// term more: the static power P_s (W) times the network's runtime as the runtime fit predicts it,
// T̂_n — the power a board draws whatever runs (idle, clocks, the CPU's spin-wait) costs energy in
// proportion to time. T̂_n lies in the span of the energy's own terms, but as one term it carries
// what the runtime fit learnt from many more rows (every measured layer's runtime) into a fit of
// few totals, and under the penalty one term costs less than the several it stands for; a
// layer's energy is its energy model's plus P_s times its predicted runtime. That is linear
// in (c, P_s, b, w), so one sparse fit per target finds every kind's model at once from measured
// totals — what a long timed loop measures well on any board — where per-layer power cannot be
// measured at all. The fit:
//   - minimises the squared *relative* error (each network's row divided by its measured total:
//     totals span 10 to 3 000 mJ, and a 10 % miss should cost the same on both) plus α‖·‖₁;
//   - keeps c, P_s, b and w ≥ 0 (a positive Lasso), so with non-negative terms every layer's predicted
//     cost is ≥ 0, on the training layers and on any other;
//   - drops every term that is constant over a kind's training layers, and every polynomial term
//     of a feature that is (the synthetic data sets' classifier always has 10 outputs): its
//     weight could not be told from the intercept's, and would scale with that feature where it
//     varies; the physical terms stay, as they scale with every feature as the cost does; and
//     drops a kind's per-layer intercept where every network has as many layers of the kind (one
//     classifier each) and none of them was measured alone: it could not be told from the
//     network constant, and would be paid once per layer by a network with more of them;
//   - chooses α by K-fold cross-validation **grouped** by network family (a depth sweep's members
//     stay in one fold), on the mean squared relative error of the networks' totals (measured
//     layers are fitted on, not scored); and by the same score whether the
//     convolutions' terms by kernel class (network_presets::kernel_class_columns) take part.
//     Each energy fold takes T̂_n — on the rows it fits and the rows it scores — from runtime
//     models fitted without its groups (model/cross_val_predict.hpp's fold_predictions), not
//     from the final ones, which saw the held-out networks and their measured layers: a held-out
//     network is scored as a new one, and no training row's term carries what the runtime fit
//     learnt from it (α and the column scales still come from all networks); the final fit uses
//     the final ones' T̂_n, as `predict` does.
// Measured single layers (a profile's per-layer runtimes) join the same fit as rows of one layer
// and no network constant, each divided by its network's measured total rather than its own
// cost (by its own where its network has no total of the target): a layer's miss weighs what it
// does in its network's total, so the many µs-long layers
// do not outweigh the few that make the total (divided by their own cost, they pushed the
// large networks' shortfall into the per-inference constant). A layer measured for energy needs
// its runtime measured too (its static-power term is its predicted runtime).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <numeric>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <Eigen/Core>
#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/core/warning.hpp"
#include "layerwatt/dataset/classify.hpp"
#include "layerwatt/dataset/layer_features.hpp"
#include "layerwatt/dataset/training_csv.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/model/cross_val_predict.hpp"
#include "layerwatt/model/grouped_folds.hpp"
#include "layerwatt/model/lasso.hpp"
#include "layerwatt/model/lasso_cv.hpp"
#include "layerwatt/model/linear_model.hpp"
#include "layerwatt/model/pipeline_file.hpp"
#include "layerwatt/model/target.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/train/network_model_dir.hpp"
#include "layerwatt/train/network_presets.hpp"

namespace layerwatt::train {

/// A network measured whole: its layers and its mean cost per inference.
struct measured_network {
  std::string name;
  std::string group;  ///< cross-validation group (its architecture family); its name when empty
  const io::engine_info* engine = nullptr;
  double latency_ms = 0;
  std::optional<double> energy_mj;  ///< per inference; networks without it join the runtime fit only
  std::filesystem::path engine_file = {};  ///< the engine's file, named in errors (empty: the network's name)
};

/// A layer measured alone (a profile's per-layer runtime): its kind's network-level feature
/// columns (network_presets::columns_of<kind>) and its cost.
struct measured_layer {
  layer_kind kind{};
  std::vector<double> features;
  std::string network;  ///< the network it was measured in
  std::string group;    ///< cross-validation group (its network's family); its network's when empty
  std::optional<double> runtime_ms, energy_mj;
  std::string precision = {};  ///< "fp16", ... (io::precision_names); empty where not known
};

struct network_fit_options {
  std::size_t folds = 5;
  std::size_t n_alphas = 50;
  double eps = 1e-3;  ///< alpha_min / alpha_max
  std::size_t max_iter = 10000;
  double tol = 1e-4;
  unsigned threads = 0;  ///< folds in parallel; 0: one thread per hardware thread
  dataset::classification_rule rule = dataset::classification_rule::semantic;
  /// A target whose cross-validated RMSPE (%) exceeds this is warned about: its models predict a
  /// network they have not seen no better than that.
  double warn_cv_rmspe_above = 50;
  /// A median power per inference (energy ÷ latency, W) below this is warned about: energies in J,
  /// or latencies in µs, are likelier than such a draw. The default suits energy above idle, which
  /// can be small on a large board; the total, idle included, is watts on any Jetson while it
  /// runs (`train` asks 0.5 W of it).
  double min_plausible_power_w = 0.05;
  warning_sink warn = print_warning;
};

/// One target's fit (runtime in ms, or energy in mJ, per inference).
struct network_target_fit {
  target what = target::runtime;
  std::size_t networks = 0, layers = 0;  ///< measured rows fitted on
  std::size_t folds = 0;
  double constant = 0;      ///< the per-inference overhead c
  double static_power = 0;  ///< energy only: P_s, W (mJ per ms of predicted runtime)
  /// Energy only: the highest power per inference (energy ÷ latency) among the networks fitted, W;
  /// 0 where only single layers were.
  double max_power_w = 0;
  bool kernel_class_terms = false;  ///< the terms by kernel class kept (cross-validation chose them)
  std::optional<double> other_cv_rmspe;  ///< the configuration not kept's, %; none: no choice (no convolution,
                                         ///< or no term by kernel class that varies)
  std::array<std::optional<std::string>, all_layer_kinds.size()> model_file_text;  ///< absent: no layer of the kind
  std::array<std::size_t, all_layer_kinds.size()> dropped_terms{};  ///< terms constant over the kind's layers
  /// The kind's per-layer intercept left out: every network has as many of its layers (the
  /// synthetic data sets' one classifier), so the network constant could not be told from it.
  std::array<bool, all_layer_kinds.size()> dropped_intercept{};
  double alpha = 0;
  std::size_t nonzero = 0, width = 0;  ///< coefficients (constant, static power and intercepts included)
  double cv_rmspe = 0;                 ///< of the networks' totals at the chosen alpha, over the folds, %
  std::vector<double> fitted;          ///< each measured network's predicted total, in input order

  /// Whether cross-validation kept the terms by kernel class; none where there was no choice.
  [[nodiscard]] std::optional<bool> kernel_class_choice() const noexcept {
    return other_cv_rmspe ? std::optional(kernel_class_terms) : std::nullopt;
  }
};

struct network_fit {
  std::vector<network_target_fit> targets;  ///< runtime, then energy where any network has it
  std::array<std::size_t, all_layer_kinds.size()> layers_per_kind{};  ///< over the measured networks
  std::size_t unclassified_layers = 0;  ///< left out of every sum (warned about)
};

namespace detail {

/// One kind's layers, gathered from every network and measured layer.
struct kind_rows {
  std::vector<std::vector<double>> features;
  std::vector<std::size_t> owner;       ///< the design row each layer adds to
  std::set<std::string, std::less<>> precisions;  ///< of its layers, each once ("" or "unknown": not known)
};

/// A modelled layer of a measured network: its kind, its kind's network-level feature columns
/// and its precision.
struct layer_row {
  layer_kind kind{};
  std::vector<double> features;
  std::string_view precision;  ///< io::precision_names'
};

/// The modelled layers of `n`'s engine as `rule` classifies them, counted into `fit`.
/// Errors: a layer that lacks what its features need, named with `n`'s engine file.
inline std::vector<layer_row> modelled_layers(const measured_network& n, dataset::classification_rule rule,
                                              network_fit& fit) {
  std::vector<layer_row> out;
  try {
    for (const auto& c : dataset::classify_layers(*n.engine, rule)) {
      if (c.kind == dataset::layer_class::unclassified) ++fit.unclassified_layers;
      const auto kind = c.modelled();
      if (!kind) continue;
      ++fit.layers_per_kind[static_cast<std::size_t>(*kind)];
      dataset::with_layout(*kind, [&]<layer_kind Kind>(dataset::training_layout<Kind>) {
        const auto& layer = c.features_layer();
        const auto row = features::features_of<network_presets::columns_of<Kind>>(layer);
        out.push_back({Kind, {row.begin(), row.end()}, io::to_string(features::precision_of(layer))});
      });
    }
  } catch (const error& e) {
    throw error(fmt::format("{}: {}", n.engine_file.empty() ? fmt::format("network \"{}\"", n.name) : n.engine_file.string(),
                            e.what()));
  }
  return out;
}

/// Transformed columns to drop: constant over the kind's layers, or a polynomial term changed by
/// a feature that is. The physical terms (network_presets: after the polynomial's columns) stay:
/// they scale with every feature as the cost does (MACs with the batch and the groups).
template <typename P>
std::vector<bool> dropped_columns(const P& fitted, const transform::table& x, const transform::table& t) {
  constexpr std::size_t width = P::width, inputs = P::input_width;
  constexpr std::size_t polynomial_columns = transform::polynomial_width(inputs, network_presets::degree);
  std::vector<bool> drop(width, false);
  for (std::size_t j = 0; j < width; ++j) {
    const auto c = t.col(static_cast<Eigen::Index>(j));
    drop[j] = c.maxCoeff() == c.minCoeff();
  }
  std::array<double, inputs> base{};
  for (std::size_t i = 0; i < inputs; ++i) base[i] = x(0, static_cast<Eigen::Index>(i));
  const auto before = fitted.transform_row(base);
  for (std::size_t i = 0; i < inputs; ++i) {
    const auto col = x.col(static_cast<Eigen::Index>(i));
    if (col.maxCoeff() != col.minCoeff()) continue;
    auto moved = base;
    moved[i] = base[i] == 0 ? 1 : 2 * base[i];
    const auto after = fitted.transform_row(moved);
    for (std::size_t j = 0; j < polynomial_columns; ++j) drop[j] = drop[j] || after[j] != before[j];
  }
  return drop;
}

/// Whether a kind's layer counts (its design column of ones summed per row) are the same in
/// every measured network and it has no single-layer row: its per-layer intercept would then
/// be the network constant under another name, and would multiply in a network with more of
/// them (64 squeeze-excitation FCs priced as classifiers).
template <typename Counts, typename Rows>
bool intercept_is_the_constant(const Counts& counts, const Rows& rows) {
  std::optional<double> first;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const double c = counts[static_cast<Eigen::Index>(r)];
    if (!rows[r].is_network()) {
      if (c != 0) return false;
      continue;
    }
    if (!first) first = c;
    else if (c != *first) return false;
  }
  return first.has_value();
}

/// A measured row of one target's fit: a network's total, or a layer measured alone.
struct measured_row {
  static constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
  std::size_t network = none, layer = none;  ///< index into the networks, or into the layers
  std::string group;                         ///< cross-validation group
  double y = 0;                              ///< the measured value
  [[nodiscard]] bool is_network() const noexcept { return network != none; }
};

/// Target `what`'s measured rows: networks, then single layers, stably sorted by group (a fold
/// takes whole groups; a layer without one is in its network's, so no fold fits a network's layers
/// and scores the network). Errors: a measured value ≤ 0.
inline std::vector<measured_row> measured_rows(std::span<const measured_network> networks,
                                               std::span<const measured_layer> layers, target what) {
  const auto group_of = [](const measured_network& n) -> const std::string& { return n.group.empty() ? n.name : n.group; };
  std::unordered_map<std::string_view, std::string_view> group_of_network;
  for (const auto& n : networks) group_of_network.emplace(n.name, group_of(n));
  std::vector<measured_row> rows;
  for (std::size_t i = 0; i < networks.size(); ++i) {
    const auto& n = networks[i];
    const auto y = what == target::runtime ? std::optional<double>(n.latency_ms) : n.energy_mj;
    if (y) rows.push_back({i, measured_row::none, group_of(n), *y});
  }
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const auto& l = layers[i];
    const auto y = what == target::runtime ? l.runtime_ms : l.energy_mj;
    const auto network_group = group_of_network.find(l.network);
    const std::string_view group = !l.group.empty()                         ? l.group
                                   : network_group != group_of_network.end() ? network_group->second
                                                                             : l.network;
    if (y) rows.push_back({measured_row::none, i, std::string(group), *y});
  }
  for (const auto& r : rows)
    if (!(r.y > 0))
      throw error(fmt::format("{} {}: measured {} {}; expected > 0", r.is_network() ? "network" : "a layer of network",
                              r.is_network() ? networks[r.network].name : layers[r.layer].network, to_string(what),
                              r.y));
  std::stable_sort(rows.begin(), rows.end(), [](const measured_row& a, const measured_row& b) { return a.group < b.group; });
  return rows;
}

/// Each network row's power per inference, energy ÷ latency (mJ / ms = W), of the energy's rows.
inline std::vector<double> network_powers(std::span<const measured_row> rows, std::span<const measured_network> networks) {
  std::vector<double> power_w;
  for (const auto& r : rows)
    if (r.is_network()) power_w.push_back(r.y / networks[r.network].latency_ms);
  return power_w;
}

/// Warns where the median of `power_w` (network_powers) is below options.min_plausible_power_w.
/// A warning, not an error: the bound is a judgement, not a law.
inline void warn_if_implausible_power(std::vector<double> power_w, const network_fit_options& options) {
  if (power_w.empty()) return;
  const auto middle = power_w.begin() + static_cast<std::ptrdiff_t>(power_w.size() / 2);
  std::nth_element(power_w.begin(), middle, power_w.end());
  if (*middle < options.min_plausible_power_w)
    options.warn(fmt::format("the networks' median power per inference (energy / latency) is {:.3g} mW, where a "
                             "GPU running a network draws more than {:.3g} mW: are the energies in mJ (not J) and "
                             "the latencies in ms (not µs)?",
                             *middle * 1e3, options.min_plausible_power_w * 1e3));
}

/// One target's design, unweighted: a row per measured row, the columns
/// [constant | energy: static power (the predicted runtime) | per kind: layer count, Σ φ].
struct target_design {
  Eigen::MatrixXd x;
  std::array<std::optional<Eigen::Index>, all_layer_kinds.size()> first_column;  ///< a kind's layer-count column
  std::array<Eigen::Index, all_layer_kinds.size()> width{};                      ///< a kind's terms φ
  std::vector<Eigen::Index> kernel_class_columns;  ///< network_presets::kernel_class_columns, where they vary
  /// A kind's model file, from its coefficients (its fitted pipeline, kept to receive them).
  std::array<std::function<std::string(const model::linear_fit&)>, all_layer_kinds.size()> to_model_file;
};

/// The design of `fit.what` over `rows`; records the terms and intercepts it drops in `fit`.
/// `predicted_runtime(row)`: the runtime fit's prediction of a row, the energy design's
/// static-power column. Errors: a measured layer with another number of features than its kind's columns.
template <typename PredictedRuntime>
target_design design_of(std::span<const measured_row> rows,
                        std::span<const std::vector<layer_row>> network_layers,
                        std::span<const measured_layer> layers, const PredictedRuntime& predicted_runtime,
                        network_target_fit& fit, const network_fit_options& options) {
  const auto what = fit.what;
  std::array<kind_rows, all_layer_kinds.size()> per_kind;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (rows[r].is_network()) {
      for (const auto& l : network_layers[rows[r].network]) {
        auto& kr = per_kind[static_cast<std::size_t>(l.kind)];
        kr.features.push_back(l.features);
        kr.owner.push_back(r);
        kr.precisions.emplace(l.precision);
      }
    } else {
      const auto& l = layers[rows[r].layer];
      auto& kr = per_kind[static_cast<std::size_t>(l.kind)];
      kr.features.push_back(l.features);
      kr.owner.push_back(r);
      kr.precisions.insert(l.precision);
    }
  }

  const auto n = static_cast<Eigen::Index>(rows.size());
  target_design design;
  std::array<Eigen::MatrixXd, all_layer_kinds.size()> blocks;  // per kind: n × (1 + width)
  Eigen::Index columns = what == target::energy ? 2 : 1;
  for (const auto kind : all_layer_kinds) {
    const auto k = static_cast<std::size_t>(kind);
    auto& kr = per_kind[k];
    if (kr.features.empty()) continue;
    dataset::with_layout(kind, [&]<layer_kind Kind>(dataset::training_layout<Kind>) {
      network_presets::visit_network_preset<Kind>(what, [&]<typename P>(std::type_identity<P>) {
        transform::table x(static_cast<Eigen::Index>(kr.features.size()), static_cast<Eigen::Index>(P::input_width));
        for (std::size_t i = 0; i < kr.features.size(); ++i) {
          if (kr.features[i].size() != P::input_width)
            throw error(fmt::format("a measured {} layer has {} features; expected {}", to_string(Kind),
                                    kr.features[i].size(), P::input_width));
          for (std::size_t c = 0; c < P::input_width; ++c)
            x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)) = kr.features[i][c];
        }
        auto pipeline = std::make_shared<P>();
        const transform::table t = pipeline->fit_transforms(x);
        const auto drop = dropped_columns(*pipeline, x, t);
        Eigen::MatrixXd block = Eigen::MatrixXd::Zero(n, static_cast<Eigen::Index>(P::width + 1));
        for (std::size_t i = 0; i < kr.owner.size(); ++i) {
          const auto r = static_cast<Eigen::Index>(kr.owner[i]);
          block(r, 0) += 1;
          for (std::size_t j = 0; j < P::width; ++j)
            if (!drop[j]) block(r, static_cast<Eigen::Index>(j + 1)) += t(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
        }
        fit.dropped_terms[k] = static_cast<std::size_t>(std::count(drop.begin(), drop.end(), true));
        for (const auto c : network_presets::kernel_class_columns<Kind>())
          if (!drop[c]) design.kernel_class_columns.push_back(columns + 1 + static_cast<Eigen::Index>(c));
        if (intercept_is_the_constant(block.col(0), rows)) {
          block.col(0).setZero();
          fit.dropped_intercept[k] = true;
          if (what == target::runtime)
            options.warn(fmt::format("every network has as many {} layers and none was measured alone: their "
                                     "per-layer cost is left to the per-inference constant (a network with more "
                                     "of them is predicted without it)",
                                     to_string(Kind)));
        }
        blocks[k] = std::move(block);
        design.first_column[k] = columns;
        design.width[k] = static_cast<Eigen::Index>(P::width);
        columns += static_cast<Eigen::Index>(P::width + 1);
        design.to_model_file[k] = [pipeline, precisions = std::vector<std::string>(kr.precisions.begin(), kr.precisions.end())](const model::linear_fit& coefficients) {
          pipeline->set_model(coefficients);
          auto file = model::pipeline_to_json(*pipeline);
          model::add_training_precisions(file, precisions);
          return file.dump(4) + "\n";
        };
      });
    });
  }
  design.x.resize(n, columns);
  for (Eigen::Index r = 0; r < n; ++r) {
    const auto& row = rows[static_cast<std::size_t>(r)];
    design.x(r, 0) = row.is_network() ? 1.0 : 0.0;
    if (what == target::energy) design.x(r, 1) = predicted_runtime(row);
  }
  for (std::size_t k = 0; k < blocks.size(); ++k)
    if (design.first_column[k]) design.x.middleCols(*design.first_column[k], blocks[k].cols()) = blocks[k];
  return design;
}

/// Each row's divisor: its network's measured total — a layer's too where its network's total
/// was measured (its error then counts as its share of the network's), else its own cost.
inline Eigen::VectorXd divisors_of(std::span<const measured_row> rows, std::span<const measured_network> networks,
                                   std::span<const measured_layer> layers) {
  std::unordered_map<std::string_view, double> network_total;
  for (const auto& r : rows)
    if (r.is_network()) network_total.emplace(networks[r.network].name, r.y);
  Eigen::VectorXd divisor(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto& row = rows[r];
    const auto it = row.is_network() ? network_total.end() : network_total.find(layers[row.layer].network);
    divisor[static_cast<Eigen::Index>(r)] = it != network_total.end() ? it->second : row.y;
  }
  return divisor;
}

/// Each measured network's and layer's position in one target's rows.
class row_positions {
 public:
  row_positions(std::span<const measured_row> rows, std::size_t networks, std::size_t layers)
      : network_(networks, measured_row::none), layer_(layers, measured_row::none) {
    for (std::size_t r = 0; r < rows.size(); ++r)
      (rows[r].is_network() ? network_[rows[r].network] : layer_[rows[r].layer]) = r;
  }
  /// measured_row::none where the network or layer has no row in the target.
  [[nodiscard]] std::size_t of(const measured_row& r) const {
    return r.is_network() ? network_[r.network] : layer_[r.layer];
  }

 private:
  std::vector<std::size_t> network_, layer_;
};

/// The runtime fit as the energy's static-power term needs it: its rows, its design as
/// cross-validated (each row divided by its divisor, columns scaled), and each row's prediction.
struct runtime_fit_design {
  std::vector<measured_row> rows;
  row_positions position;
  Eigen::MatrixXd x;
  Eigen::VectorXd y, divisor;
  double alpha = 0;
  Eigen::VectorXd fitted;  ///< ms, per row
};

/// The runtime rows' fold boundaries that leave out what the target's folds `bounds` over its
/// `rows` leave out: both row lists are sorted by group, so a fold's groups are a run in each
/// (a runtime-only group joins the fold whose run it falls in).
inline std::vector<std::size_t> matching_bounds(std::span<const measured_row> rows,
                                                const std::vector<std::size_t>& bounds,
                                                std::span<const measured_row> runtime_rows) {
  std::vector<std::size_t> out{0};
  for (std::size_t f = 1; f + 1 < bounds.size(); ++f) {
    const auto first = std::lower_bound(runtime_rows.begin(), runtime_rows.end(), rows[bounds[f]].group,
                                        [](const measured_row& r, const std::string& g) { return r.group < g; });
    out.push_back(static_cast<std::size_t>(first - runtime_rows.begin()));
  }
  out.push_back(runtime_rows.size());
  return out;
}

/// The sizes of the runs of one group in `rows` (sorted by group), in order.
inline std::vector<std::size_t> group_sizes(std::span<const measured_row> rows) {
  std::vector<std::size_t> sizes;
  for (std::size_t r = 0; r < rows.size(); ++r)
    if (r == 0 || rows[r].group != rows[r - 1].group) sizes.push_back(1);
    else ++sizes.back();
  return sizes;
}

/// Scales each of x's columns to unit root mean square, so the penalty weighs terms alike (zero
/// columns stay); returns the scales.
inline Eigen::VectorXd to_unit_rms(Eigen::MatrixXd& x) {
  Eigen::VectorXd scale(x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const double rms = std::sqrt(x.col(j).squaredNorm() / static_cast<double>(x.rows()));
    scale[j] = rms > 0 ? rms : 1.0;
    x.col(j) /= scale[j];
  }
  return scale;
}

}  // namespace detail

/// Fits runtime (and energy, where measured) models of every layer kind the networks hold.
/// Errors: no network; a network without an engine, with a latency ≤ 0, or whose energy ÷
/// latency is above max_static_power_w (another unit); a measured value ≤ 0; a layer whose energy
/// is measured but not its runtime; a layer with another number of features than its kind's
/// columns, or lacking what they need (named with its engine file); fewer groups than two.
inline network_fit fit_network_models(std::span<const measured_network> networks,
                                      std::span<const measured_layer> layers = {},
                                      const network_fit_options& options = {}) {
  if (networks.empty() && layers.empty()) throw error("network-level training needs at least one measured network");
  for (const auto& n : networks) {
    if (!n.engine) throw error(fmt::format("network \"{}\": no engine (its layers) given", n.name));
    if (!(n.latency_ms > 0)) throw error(fmt::format("network \"{}\": latency {} ms; expected > 0", n.name, n.latency_ms));
    if (const auto why = n.energy_mj ? implausible_power(*n.energy_mj, n.latency_ms) : std::nullopt)
      throw error(fmt::format("network \"{}\": {}", n.name, *why));
  }
  for (const auto& l : layers)
    if (l.energy_mj && !l.runtime_ms)
      throw error(fmt::format("a layer of network \"{}\": its energy is measured but not its runtime; the energy "
                              "fit needs both (its static-power term is its predicted runtime)",
                              l.network));
  network_fit out;

  // Every layer of every network, classified and its features taken once, for both targets.
  std::vector<std::vector<detail::layer_row>> network_layers;
  for (const auto& n : networks) network_layers.push_back(detail::modelled_layers(n, options.rule, out));
  if (out.unclassified_layers > 0)
    options.warn(fmt::format("{} unclassified layers are in no sum: their cost falls on the others and the constant",
                             out.unclassified_layers));

  // The runtime fit, kept for the energy's static-power term: its final models' prediction of
  // each row (as `predict` prices it), and its design, refitted without each energy fold's
  // networks for that fold's term. The runtime target comes first.
  static_assert(network_targets[0] == target::runtime && network_targets[1] == target::energy);
  std::optional<detail::runtime_fit_design> runtime;
  const auto has_energy = [](const auto& measured) { return measured.energy_mj.has_value(); };
  const bool energy_measured = std::any_of(networks.begin(), networks.end(), has_energy) ||
                               std::any_of(layers.begin(), layers.end(), has_energy);
  for (const auto what : network_targets) {
    auto rows = detail::measured_rows(networks, layers, what);
    if (rows.empty()) continue;
    network_target_fit fit;
    fit.what = what;
    if (what == target::energy) {
      const auto power_w = detail::network_powers(rows, networks);
      if (!power_w.empty()) fit.max_power_w = *std::max_element(power_w.begin(), power_w.end());
      detail::warn_if_implausible_power(power_w, options);
    }
    fit.networks = static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), [](const auto& r) { return r.is_network(); }));
    fit.layers = rows.size() - fit.networks;
    const auto predicted_runtime = [&](const detail::measured_row& r) {
      return runtime->fitted[static_cast<Eigen::Index>(runtime->position.of(r))];
    };
    const auto design = detail::design_of(rows, network_layers, layers, predicted_runtime, fit, options);
    const Eigen::VectorXd divisor = detail::divisors_of(rows, networks, layers);
    Eigen::MatrixXd x = design.x.array().colwise() / divisor.array();
    Eigen::VectorXd y(x.rows());
    for (std::size_t r = 0; r < rows.size(); ++r)
      y[static_cast<Eigen::Index>(r)] = rows[r].y / divisor[static_cast<Eigen::Index>(r)];
    const Eigen::VectorXd scale = detail::to_unit_rms(x);

    const auto group_sizes = detail::group_sizes(rows);
    if (group_sizes.size() < 2)
      throw error(fmt::format("network-level {} fit: {} group(s) of networks (a network's group is its family: "
                              "network_totals.csv's group column, or its name where that is empty); "
                              "cross-validation needs at least 2",
                              to_string(what), group_sizes.size()));
    fit.folds = std::min(options.folds, group_sizes.size());
    if (fit.folds < options.folds)
      options.warn(fmt::format("network-level {} fit: {} groups of networks, fewer than the {} folds: {} folds",
                               to_string(what), group_sizes.size(), options.folds, fit.folds));
    using lasso_type = model::lasso_cv<model::coefficient_sign::positive>;
    const auto folds = model::grouped_fold_bounds(group_sizes, fit.folds);
    // The networks' totals score an alpha, as they are what the fit is for; measured layers only
    // inform it (all rows score where there are only layers).
    std::vector<bool> scored;
    if (fit.networks > 0 && fit.layers > 0)
      for (const auto& r : rows) scored.push_back(r.is_network());
    // `configuration` names the design in warnings ("": the full one).
    const auto warn = [&](std::string_view configuration) {
      return [&, configuration](std::string_view message) {
        options.warn(fmt::format("network-level {} fit{}: {}", to_string(what), configuration, message));
      };
    };
    // The energy's static-power column as each fold sees it: the predicted runtime by the
    // runtime models fitted without the fold's groups, on the rows fitted on and the rows scored
    // alike (divided and scaled as the column).
    std::optional<model::fold_column> static_power_by_fold;
    if (what == target::energy) {
      const Eigen::MatrixXd by_fold = model::fold_predictions<model::coefficient_sign::positive>(
          runtime->x, runtime->y, detail::matching_bounds(rows, folds, runtime->rows),
          {.alpha = runtime->alpha, .fit_intercept = false, .max_iter = options.max_iter, .tol = options.tol,
           .warn = warn(" (the runtime models of its folds)")},
          options.threads);
      static_power_by_fold.emplace(1, Eigen::MatrixXd(x.rows(), by_fold.cols()));
      for (std::size_t r = 0; r < rows.size(); ++r) {
        const auto i = static_cast<Eigen::Index>(r);
        const auto at = static_cast<Eigen::Index>(runtime->position.of(rows[r]));
        static_power_by_fold->values.row(i) = by_fold.row(at) * (runtime->divisor[at] / divisor[i] / scale[1]);
      }
    }
    const auto cross_validated = [&](const Eigen::MatrixXd& design_x, std::string_view configuration) {
      lasso_type lasso({.folds = fit.folds,
                        .n_alphas = options.n_alphas,
                        .eps = options.eps,
                        .max_iter = options.max_iter,
                        .tol = options.tol,
                        .fit_intercept = false,
                        .threads = options.threads,
                        .warn = warn(configuration)});
      lasso.fit(design_x, y, folds, scored, static_power_by_fold);
      return lasso;
    };
    // Two configurations, the one grouped cross-validation scores better kept: with the terms by
    // kernel class (network_presets::kernel_class_columns), and without them.
    auto lasso = cross_validated(x, "");
    fit.kernel_class_terms = !design.kernel_class_columns.empty();
    if (fit.kernel_class_terms) {
      Eigen::MatrixXd without = x;
      for (const auto c : design.kernel_class_columns) without.col(c).setZero();
      auto other = cross_validated(without, " without the terms by kernel class");
      if (other.cv_mse() <= lasso.cv_mse()) {
        std::swap(lasso, other);
        fit.kernel_class_terms = false;
        x = std::move(without);
      }
      fit.other_cv_rmspe = 100 * std::sqrt(other.cv_mse());
    }
    const Eigen::VectorXd beta = lasso.model().coef.cwiseQuotient(scale);
    fit.alpha = lasso.alpha();
    fit.width = static_cast<std::size_t>(beta.size());
    fit.nonzero = static_cast<std::size_t>((beta.array() != 0).count());
    fit.cv_rmspe = 100 * std::sqrt(lasso.cv_mse());
    if (!(fit.cv_rmspe <= options.warn_cv_rmspe_above))
      options.warn(fmt::format("network-level {} fit: a cross-validated RMSPE of {:.1f} % over {} networks and {} "
                               "layers: a network the models have not seen is predicted no better; measure more (and "
                               "more varied) networks",
                               to_string(what), fit.cv_rmspe, fit.networks, fit.layers));
    fit.constant = beta[0];
    if (what == target::energy) fit.static_power = beta[1];
    for (std::size_t k = 0; k < all_layer_kinds.size(); ++k) {
      const auto at = design.first_column[k];
      if (!at) continue;
      model::linear_fit coefficients;
      coefficients.alpha = fit.alpha;
      coefficients.intercept = beta[*at];
      coefficients.coef = beta.segment(*at + 1, design.width[k]);
      fit.model_file_text[k] = design.to_model_file[k](coefficients);
    }
    Eigen::VectorXd fitted = design.x * beta;
    fit.fitted.assign(networks.size(), std::nan(""));
    for (std::size_t r = 0; r < rows.size(); ++r)
      if (rows[r].is_network()) fit.fitted[rows[r].network] = fitted[static_cast<Eigen::Index>(r)];
    if (what == target::runtime && energy_measured) {
      detail::row_positions position(rows, networks.size(), layers.size());
      runtime.emplace(detail::runtime_fit_design{std::move(rows), std::move(position), std::move(x), std::move(y),
                                                 divisor, fit.alpha, std::move(fitted)});
    }
    out.targets.push_back(std::move(fit));
  }
  return out;
}

/// Throws where `fit` cannot be saved and read back: a per-inference constant that is not a
/// finite number of at least 0, or a static power that is not a number from 0 to
/// `max_static_power_w` (energies or latencies in another unit).
inline void check_storable(const network_fit& fit) {
  for (const auto& f : fit.targets) {
    if (!storable_constant(f.constant))
      throw error(fmt::format("network-level {} fit: a per-inference constant of {:.6g} {}, not a finite number of at "
                              "least 0",
                              to_string(f.what), f.constant, f.what == target::runtime ? "ms" : "mJ"));
    if (!storable_static_power(f.static_power))
      throw error(fmt::format("network-level {} fit: a static power of {:.6g} W, not a device's (0 to {} W): are the "
                              "energies in mJ and the latencies in ms?",
                              to_string(f.what), f.static_power, max_static_power_w));
  }
}

/// Writes `fit` as a network-level model directory (network_model_dir.hpp): each kind's
/// <runtime|energy>.json, then network.json, each atomically; a per-layer model file (power.json)
/// or a kind's file this fit did not make is removed, so the directory holds this fit only.
/// `energy` names the measured energy the energy models learnt ("total" or "above_idle").
/// Errors: check_storable's, before anything is written; a file that cannot be removed (named).
inline void save_network_models(const network_fit& fit, const std::filesystem::path& models_dir,
                                std::string_view energy = "total") {
  check_storable(fit);
  // network.json out first and in last: a save cut short reads as incomplete, never as these
  // models under an earlier fit's constants and list.
  io::remove_if_present(network_constants_file(models_dir));
  network_constants constants;
  for (const auto kind : all_layer_kinds) {
    io::remove_if_present(presets::model_file(models_dir, kind, target::power));
    for (const auto t : network_targets) {
      const auto file = presets::model_file(models_dir, kind, t);
      const auto it = std::find_if(fit.targets.begin(), fit.targets.end(), [&](const auto& f) { return f.what == t; });
      const auto& text = it == fit.targets.end() ? std::optional<std::string>{}
                                                 : it->model_file_text[static_cast<std::size_t>(kind)];
      if (text) io::write_file_atomically(file, *text);
      else io::remove_if_present(file);
      constants.models[static_cast<std::size_t>(kind)].of(t) = text.has_value();
    }
  }
  for (const auto& f : fit.targets) {
    (f.what == target::runtime ? constants.runtime_ms : constants.energy_mj.emplace()) = f.constant;
    if (f.what == target::energy) {
      constants.static_power_w = f.static_power;
      constants.energy = std::string(energy);
      if (f.max_power_w > 0) constants.max_measured_power_w = f.max_power_w;
    }
  }
  write_network_constants(models_dir, constants);
}

}  // namespace layerwatt::train
