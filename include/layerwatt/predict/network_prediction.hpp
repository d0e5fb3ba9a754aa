#pragma once
// A network's cost from its TensorRT engine: each convolutional, pooling and dense layer's power
// (W) and runtime (ms) from the fitted models, and the totals the reference's inference prints —
//   runtime (s)         Σ t
//   average power (W)   Σ P·t / Σ t
//   energy (J)          Σ P·t
// over the modelled layers. Layers of other types (reformats, elementwise, activations...) and
// of a kind without models are counted by type, so a reader sees what the totals leave out.
//
//   const auto models = predict::load_model_set("models");          // once
//   const auto cost = predict::predict_network(models, engine);     // microseconds per network

#include <map>
#include <string>
#include <vector>

#include "layerwatt/dataset/layer_features.hpp"
#include "layerwatt/dataset/layer_kind.hpp"
#include "layerwatt/dataset/training_csv.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/predict/model_set.hpp"

namespace layerwatt::predict {

struct layer_prediction {
  std::string layer_name;
  std::string layer_type;  ///< TensorRT's ("CaskConvolution", ...), as the reference writes it
  layer_kind kind;
  double power_w, runtime_ms;
};

struct network_totals {
  double runtime_s = 0, average_power_w = 0, energy_j = 0;
};

struct network_prediction {
  std::vector<layer_prediction> layers;                 ///< the modelled layers, in engine order
  std::map<std::string, std::size_t> not_modelled;      ///< other layers: count per TensorRT type
  network_totals totals;

  [[nodiscard]] std::size_t not_modelled_count() const noexcept {
    std::size_t n = 0;
    for (const auto& [type, count] : not_modelled) n += count;
    return n;
  }
};

/// Σ t, Σ P·t / Σ t and Σ P·t of `layers` (average power 0 when Σ t is 0).
inline network_totals totals_of(const std::vector<layer_prediction>& layers) noexcept {
  network_totals t;
  for (const auto& l : layers) {
    const double seconds = l.runtime_ms / 1000;
    t.runtime_s += seconds;
    t.energy_j += l.power_w * seconds;
  }
  t.average_power_w = t.runtime_s > 0 ? t.energy_j / t.runtime_s : 0;
  return t;
}

/// Predicts every layer of `engine` that `models` model. A modelled layer lacking what its
/// features need is an error naming the layer.
inline network_prediction predict_network(const model_set& models, const io::engine_info& engine) {
  network_prediction out;
  out.layers.reserve(engine.layers.size());
  for (const auto& layer : engine.layers) {
    const auto kind = classify_layer_type(layer.layer_type);
    const bool modelled = kind && dataset::with_layout(*kind, [&]<layer_kind Kind>(dataset::training_layout<Kind>) {
      const auto& pair = models.of<Kind>();
      if (!pair) return false;
      const auto row = features::features_of<typename dataset::training_layout<Kind>::feature_columns>(layer);
      out.layers.push_back({layer.name, layer.layer_type, Kind, pair->power.predict(row), pair->runtime.predict(row)});
      return true;
    });
    if (!modelled) ++out.not_modelled[layer.layer_type];
  }
  out.totals = totals_of(out.layers);
  return out;
}

}  // namespace layerwatt::predict
