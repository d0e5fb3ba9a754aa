#pragma once
// A network's cost from its TensorRT engine: every layer classified by what it computes
// (dataset/classify.hpp), each modelled layer's power (W) and runtime (ms) from the fitted
// models, and the network's totals —
//   runtime (s)         Σ t                  over the layers with a runtime
//   energy (J)          Σ P·t                over the layers with both
//   average power (W)   Σ P·t / Σ t          over the layers with both
// with what each kind contributes. No-op layers cost nothing; layers of a kind without models,
// and unclassified ones, are counted by TensorRT type, so a reader sees what the totals leave out.
//
// A prediction is never silently impossible:
//   - a negative power or runtime (a polynomial far outside its data) is clamped to zero, and the
//     layer is marked and counted — it never enters a total as a negative value;
//   - a layer whose features lie outside the range its models were trained on is marked with
//     those features, and with "precision" when its models saw no layer of its precision (an
//     FP32 engine predicted by models of FP16 ones): its prediction is an extrapolation.
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
#include "layerwatt/dataset/training_csv.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/predict/model_set.hpp"

namespace layerwatt::predict {

struct layer_prediction {
  std::string layer_name;
  std::string layer_type;  ///< TensorRT's ("CaskConvolution", "kgen", ...), as the reference writes it
  layer_kind kind{};
  std::optional<double> power_w;     ///< none when the kind has no power model
  std::optional<double> runtime_ms;  ///< none when the kind has no runtime model
  bool clamped = false;              ///< a negative power or runtime was raised to 0
  std::vector<std::string_view> extrapolated;  ///< features outside a model's training range
};

struct network_totals {
  double runtime_s = 0, average_power_w = 0, energy_j = 0;
  bool runtime_complete = true;  ///< every modelled layer has a runtime
  bool energy_complete = true;   ///< every modelled layer has a power and a runtime
};

/// What the layers of one kind add to the totals.
struct kind_contribution {
  std::size_t layers = 0;
  double runtime_s = 0, energy_j = 0;
};

struct network_prediction {
  std::vector<layer_prediction> layers;             ///< the modelled layers, in engine order
  std::size_t no_op_layers = 0;                     ///< layers that run nothing (cost 0)
  std::map<std::string, std::size_t> not_modelled;  ///< other layers: count per TensorRT type
  network_totals totals;
  std::array<kind_contribution, all_layer_kinds.size()> per_kind{};  ///< indexed by layer_kind

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
};

/// Sets `p.totals` and `p.per_kind` from `p.layers` (average power 0 when no layer has both).
inline void add_totals(network_prediction& p) {
  network_totals t;
  double powered_seconds = 0;
  p.per_kind = {};
  for (const auto& l : p.layers) {
    auto& kind = p.per_kind[static_cast<std::size_t>(l.kind)];
    ++kind.layers;
    t.runtime_complete = t.runtime_complete && l.runtime_ms;
    t.energy_complete = t.energy_complete && l.runtime_ms && l.power_w;
    if (!l.runtime_ms) continue;
    const double seconds = *l.runtime_ms / 1000;
    t.runtime_s += seconds;
    kind.runtime_s += seconds;
    if (!l.power_w) continue;
    t.energy_j += *l.power_w * seconds;
    kind.energy_j += *l.power_w * seconds;
    powered_seconds += seconds;
  }
  t.average_power_w = powered_seconds > 0 ? t.energy_j / powered_seconds : 0;
  p.totals = t;
}

namespace detail {

inline void mark_extrapolated(layer_prediction& layer, std::string_view feature) {
  if (std::find(layer.extrapolated.begin(), layer.extrapolated.end(), feature) == layer.extrapolated.end())
    layer.extrapolated.push_back(feature);
}

/// A model's prediction, clamped at zero (and the layer marked) when negative; the features
/// outside its training range, and "precision" for a precision it was not trained on, are added
/// to the layer's list.
template <typename Features>
std::optional<double> predicted(const std::optional<layer_model<Features>>& model,
                                const std::array<double, Features::size>& row, std::string_view precision,
                                layer_prediction& layer) {
  if (!model) return std::nullopt;
  for (const auto c : model->outside_training_range(row)) mark_extrapolated(layer, Features::names[c]);
  if (!model->trained_on(precision)) mark_extrapolated(layer, features::precision_column);
  const double value = model->predict(row);
  if (value >= 0) return value;
  layer.clamped = true;
  return 0.0;
}

}  // namespace detail

/// Predicts every layer of `engine` that `models` model, classified by `rule`. A modelled layer
/// lacking what its features need is an error naming the layer.
inline network_prediction predict_network(const model_set& models, const io::engine_info& engine,
                                          dataset::classification_rule rule = dataset::classification_rule::semantic) {
  network_prediction out;
  out.layers.reserve(engine.layers.size());
  for (const auto& c : dataset::classify_layers(engine, rule)) {
    if (c.kind == dataset::layer_class::no_op) {
      ++out.no_op_layers;
      continue;
    }
    const auto kind = c.modelled();
    const bool modelled = kind && dataset::with_layout(*kind, [&]<layer_kind Kind>(dataset::training_layout<Kind>) {
      const auto& pair = models.of<Kind>();
      if (pair.empty()) return false;
      using columns = typename dataset::training_layout<Kind>::feature_columns;
      const auto row = features::features_of<columns>(c.features_layer());
      layer_prediction& l = out.layers.emplace_back();
      l.layer_name = c.layer->name;
      l.layer_type = c.layer->layer_type;
      l.kind = Kind;
      const auto precision = io::to_string(features::precision_of(c.features_layer()));
      l.power_w = detail::predicted(pair.power, row, precision, l);
      l.runtime_ms = detail::predicted(pair.runtime, row, precision, l);
      return true;
    });
    if (!modelled) ++out.not_modelled[c.layer->layer_type];
  }
  add_totals(out);
  return out;
}

}  // namespace layerwatt::predict
