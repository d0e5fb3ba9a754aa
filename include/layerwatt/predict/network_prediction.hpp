#pragma once
// A network's cost from its TensorRT engine: every layer classified by what it computes
// (dataset/classify.hpp), each modelled layer's power (W) and runtime (ms) from the fitted
// models (a network-level model set's energy per inference — its energy model's plus the static
// power times its runtime — and power as energy ÷ runtime), and
// the network's totals —
//   runtime (s)         Σ t                  over the layers with a runtime
//   energy (J)          Σ P·t                over the layers with both
//   average power (W)   Σ P·t / Σ t          over the layers with both
// plus, for a network-level model set, its per-inference constant (launch and copies) once; and
// what each kind contributes. An energy (and average power) that nothing predicts is none, not 0.
// No-op layers cost nothing; layers of a kind without models, and unclassified ones, are counted
// by TensorRT type, so a reader sees what the totals leave out.
//
// A prediction is never silently impossible:
//   - a negative power or runtime (a polynomial far outside its data) is clamped to zero, and the
//     layer is marked and counted — it never enters a total as a negative value;
//   - a layer whose features lie outside the range its models were trained on is marked with
//     those features, and with "precision" when its models saw no layer of its precision (an
//     FP32 engine predicted by models of FP16 ones): its prediction is an extrapolation;
//   - a layer whose power, by network-level models, is more than plausible_power_factor times
//     the highest power per inference measured in training (or whose energy takes no time) is
//     marked `power_above_measured`.
//
//   const auto models = predict::load_model_set("models");          // once
//   const auto cost = predict::predict_network(models, engine);     // microseconds per network

#include <algorithm>
#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "layerwatt/dataset/classify.hpp"
#include "layerwatt/dataset/layer_features.hpp"
#include "layerwatt/dataset/layer_kind.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/predict/model_set.hpp"
#include "layerwatt/train/network_model_dir.hpp"

namespace layerwatt::predict {

struct layer_prediction {
  std::string layer_name;
  std::string layer_type;  ///< TensorRT's ("CaskConvolution", "kgen", ...), as the reference writes it
  layer_kind kind{};
  std::optional<double> power_w;     ///< none when the kind has no power (or energy) model, or for an energy in no runtime
  std::optional<double> runtime_ms;  ///< none when the kind has no runtime model
  std::optional<double> energy_mj;   ///< per inference, from a network-level energy model
  bool clamped = false;              ///< a negative power or runtime was raised to 0
  std::vector<std::string_view> extrapolated;  ///< features outside a model's training range
  bool power_above_measured = false;  ///< power above plausible_power_factor × the highest measured in training
};

struct network_totals {
  double runtime_s = 0;  ///< the overhead included
  /// The overhead included; none when no layer has an energy (no power or energy model of any)
  /// and the constant has none either: unknown, not 0. The average power is also none for an
  /// energy over no runtime.
  std::optional<double> average_power_w, energy_j;
  double overhead_runtime_s = 0;            ///< a network-level model's per-inference constant
  std::optional<double> overhead_energy_j;  ///< the constant's energy; none without an energy model
  /// Every layer but the no-ops is of a modelled kind and has a runtime: the total is the network's.
  bool runtime_complete = true;
  /// There is an energy, and every layer but the no-ops and the constant have one.
  bool energy_complete = true;
};

/// What the layers of one kind add to the totals.
struct kind_contribution {
  std::size_t layers = 0;
  double runtime_s = 0;
  std::optional<double> energy_j;  ///< none when no layer of the kind has an energy
};

struct network_prediction {
  std::vector<layer_prediction> layers;             ///< the modelled layers, in engine order
  std::size_t no_op_layers = 0;                     ///< layers that run nothing (cost 0)
  std::map<std::string, std::size_t> not_modelled;  ///< other layers: count per TensorRT type
  network_totals totals;
  std::array<kind_contribution, all_layer_kinds.size()> per_kind{};  ///< indexed by layer_kind
  /// The power above which a layer is marked power_above_measured, W; none where nothing bounds it
  /// (per-layer models, whose power is predicted, not derived; a directory without the record).
  std::optional<double> power_bound_w;

  [[nodiscard]] std::size_t not_modelled_count() const noexcept {
    std::size_t n = 0;
    for (const auto& [type, count] : not_modelled) n += count;
    return n;
  }
  [[nodiscard]] std::size_t clamped_count() const noexcept {
    std::size_t n = 0;
    for (const auto& l : layers) n += l.clamped;
    return n;
  }
  [[nodiscard]] std::size_t extrapolated_count() const noexcept {
    std::size_t n = 0;
    for (const auto& l : layers) n += !l.extrapolated.empty();
    return n;
  }
  [[nodiscard]] std::size_t power_above_measured_count() const noexcept {
    std::size_t n = 0;
    for (const auto& l : layers) n += l.power_above_measured;
    return n;
  }
};

/// Sets `p.totals` and `p.per_kind` from `p.layers` and the per-inference `constants` of a
/// network-level model set. An energy is none where nothing adds one; the average power is none
/// with it, and for an energy of no runtime.
inline void add_totals(network_prediction& p, const std::optional<train::network_constants>& constants = {}) {
  const auto add = [](std::optional<double>& sum, double value) { sum = sum.value_or(0) + value; };
  network_totals t;
  t.runtime_complete = t.energy_complete = p.not_modelled.empty();  // what is not modelled adds nothing
  double powered_seconds = 0;
  p.per_kind = {};
  for (const auto& l : p.layers) {
    auto& kind = p.per_kind[static_cast<std::size_t>(l.kind)];
    ++kind.layers;
    t.runtime_complete = t.runtime_complete && l.runtime_ms;
    // A network-level model's energy is the layer's own (its power, energy ÷ runtime, is none for
    // an energy in no runtime); a per-layer model's is power × runtime.
    const std::optional<double> energy_j =
        l.energy_mj ? std::optional(*l.energy_mj / 1000)
                    : l.runtime_ms && l.power_w ? std::optional(*l.power_w * *l.runtime_ms / 1000) : std::nullopt;
    t.energy_complete = t.energy_complete && l.runtime_ms && energy_j;
    if (!l.runtime_ms) continue;
    const double seconds = *l.runtime_ms / 1000;
    t.runtime_s += seconds;
    kind.runtime_s += seconds;
    if (!energy_j) continue;
    add(t.energy_j, *energy_j);
    add(kind.energy_j, *energy_j);
    powered_seconds += seconds;
  }
  if (constants) {
    t.overhead_runtime_s = constants->runtime_ms / 1000;
    t.runtime_s += t.overhead_runtime_s;
    t.energy_complete = t.energy_complete && constants->energy_mj.has_value();
    if (constants->energy_mj) {
      t.overhead_energy_j = (*constants->energy_mj + constants->static_power_w * constants->runtime_ms) / 1000;
      add(t.energy_j, *t.overhead_energy_j);
      powered_seconds += t.overhead_runtime_s;
    }
  }
  t.energy_complete = t.energy_complete && t.energy_j;
  if (t.energy_j && powered_seconds > 0) t.average_power_w = *t.energy_j / powered_seconds;
  p.totals = t;
}

/// A network-level model's layer power is a quotient of two fits, energy ÷ runtime, and a short
/// layer's small runtime can make it anything. A board's power while it runs is bounded; the
/// best bound the training data gives is the highest power per inference measured, a mean over
/// every layer of a network. A layer can draw more than its network's mean, but a layer predicted
/// at more than this times the highest mean is the models' extrapolation, not a board's draw.
inline constexpr double plausible_power_factor = 2;

namespace detail {

inline void mark_extrapolated(layer_prediction& layer, std::string_view feature) {
  if (std::find(layer.extrapolated.begin(), layer.extrapolated.end(), feature) == layer.extrapolated.end())
    layer.extrapolated.push_back(feature);
}

/// A model's value for the layer, clamped at zero (and the layer marked) when negative; the
/// features outside its training range, and "precision" for a precision it was not trained on,
/// are added to the layer's list.
inline std::optional<double> predicted(const std::optional<layer_model>& model, const io::engine_layer& features_layer,
                                       std::string_view precision, layer_prediction& layer) {
  if (!model) return std::nullopt;
  std::vector<std::string_view> outside;
  const double value = model->predict(features_layer, &outside);
  for (const auto f : outside) mark_extrapolated(layer, f);
  if (!model->trained_on(precision)) mark_extrapolated(layer, features::precision_column);
  if (value >= 0) return value;
  layer.clamped = true;
  return 0.0;
}

}  // namespace detail

/// Predicts every layer of `engine` that `models` model, classified by `rule`. A network-level
/// model set gives each layer's runtime and energy, and its power as energy ÷ runtime; a
/// per-layer one its power and runtime. Then the totals and what each kind contributes
/// (add_totals: an energy nothing predicts is none). A modelled layer lacking what its features
/// need is an error naming the layer.
inline network_prediction predict_network(const model_set& models, const io::engine_info& engine,
                                          dataset::classification_rule rule = dataset::classification_rule::semantic) {
  network_prediction out;
  out.layers.reserve(engine.layers.size());
  if (models.network && models.network->max_measured_power_w)
    out.power_bound_w = plausible_power_factor * *models.network->max_measured_power_w;
  for (const auto& c : dataset::classify_layers(engine, rule)) {
    if (c.kind == dataset::layer_class::no_op) {
      ++out.no_op_layers;
      continue;
    }
    const auto kind = c.modelled();
    const kind_models* m = kind ? &models.of(*kind) : nullptr;
    if (!m || m->empty()) {
      ++out.not_modelled[c.layer->layer_type];
      continue;
    }
    layer_prediction& l = out.layers.emplace_back();
    l.layer_name = c.layer->name;
    l.layer_type = c.layer->layer_type;
    l.kind = *kind;
    const auto& layer = c.features_layer();
    const auto precision = io::to_string(features::precision_of(layer));
    l.runtime_ms = detail::predicted(m->runtime, layer, precision, l);
    if (m->energy) {
      l.energy_mj = detail::predicted(m->energy, layer, precision, l);
      if (l.runtime_ms && models.network) *l.energy_mj += models.network->static_power_w * *l.runtime_ms;  // W·ms = mJ
      // mJ / ms = W; an energy in no time has no power (none, not 0), and is above any bound
      const bool timeless = l.runtime_ms && *l.runtime_ms == 0 && *l.energy_mj > 0;
      if (l.runtime_ms && !timeless) l.power_w = *l.runtime_ms > 0 ? *l.energy_mj / *l.runtime_ms : 0.0;
      if (out.power_bound_w) l.power_above_measured = timeless || (l.power_w && *l.power_w > *out.power_bound_w);
    } else {
      l.power_w = detail::predicted(m->power, layer, precision, l);
    }
  }
  add_totals(out, models.network);
  return out;
}

}  // namespace layerwatt::predict
