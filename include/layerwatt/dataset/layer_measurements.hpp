#pragma once
// A model's measurements gathered over its cycles, layer by layer: what the reference's
// convert step reads from power_runtime_mapping_layerwise.csv. For the modelled layers it keeps
// every cycle's power (idle excluded, the reference's `average_power` column; NaN where the
// cycle has none) and runtime; the others it counts by type, so nothing is dropped unseen.
// Which layers are modelled is the caller's choice: by default the reference's three types
// (classify_layer_type); convert_model passes the engine's classification
// (dataset/classify.hpp: modelled_layers). Rows arrive in any order; a layer's values stay in
// row order.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "layerwatt/dataset/layer_kind.hpp"
#include "layerwatt/dataset/pandas_statistics.hpp"
#include "layerwatt/io/layerwise_mapping.hpp"

namespace layerwatt::dataset {

/// The minimum-measurements rule's finding for one layer.
struct shortfall {
  std::string layer_name;
  std::size_t power_count = 0, run_time_count = 0;
};

/// Whether the layer of this name and TensorRT type is modelled.
using modelled_predicate = std::function<bool(std::string_view name, std::string_view type)>;

inline bool modelled_by_reference_rule(std::string_view, std::string_view type) {
  return classify_layer_type(type).has_value();
}

class layer_measurements {
 public:
  explicit layer_measurements(modelled_predicate modelled = modelled_by_reference_rule)
      : is_modelled_(std::move(modelled)) {}

  struct layer {
    std::string name, type;
    bool modelled = false;          ///< its values are kept
    std::vector<double> power_uw;   ///< idle excluded; NaN where the cycle has no power
    std::vector<double> run_time_ms;
  };

  void add(std::string_view layer_name, std::string_view layer_type, std::optional<double> power_excluding_idle_uw,
           double run_time_ms) {
    layer& l = find_or_add(layer_name, layer_type);
    if (!l.modelled) return;
    l.power_uw.push_back(power_excluding_idle_uw.value_or(missing_value));
    l.run_time_ms.push_back(run_time_ms);
  }

  void add(const io::layerwise_row& row) {
    add(row.layer_name, row.layer_type, row.power_excluding_idle_uw, row.run_time_ms);
  }

  /// The modelled layers sorted by name: pandas' groupby order, hence the reference's row order.
  [[nodiscard]] std::vector<const layer*> modelled_by_name() const {
    std::vector<const layer*> out;
    for (const auto& l : layers_)
      if (l.modelled) out.push_back(&l);
    std::sort(out.begin(), out.end(), [](const layer* a, const layer* b) { return a->name < b->name; });
    return out;
  }

  /// Distinct layers of each type, modelled or not (first type seen for a name).
  [[nodiscard]] std::map<std::string, std::size_t, std::less<>> layers_per_type() const {
    std::map<std::string, std::size_t, std::less<>> out;
    for (const auto& l : layers_) ++out[l.type];
    return out;
  }

  /// Modelled layers with fewer than `minimum` powers or runtimes (non-missing), by name.
  [[nodiscard]] std::vector<shortfall> below(std::size_t minimum) const {
    std::vector<shortfall> out;
    for (const layer* l : modelled_by_name()) {
      const auto powers = static_cast<std::size_t>(
          std::count_if(l->power_uw.begin(), l->power_uw.end(), [](double p) { return !std::isnan(p); }));
      if (powers < minimum || l->run_time_ms.size() < minimum)
        out.push_back({l->name, powers, l->run_time_ms.size()});
    }
    return out;
  }

  [[nodiscard]] const std::vector<layer>& layers() const noexcept { return layers_; }

 private:
  struct name_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };

  layer& find_or_add(std::string_view name, std::string_view type) {
    // Rows repeat the same layers cycle after cycle: try the layer after the last one first.
    if (guess_ < layers_.size() && layers_[guess_].name == name) return layers_[guess_++];
    std::size_t at = 0;
    if (const auto it = index_.find(name); it != index_.end()) {
      at = it->second;
    } else {
      at = layers_.size();
      layers_.push_back({std::string(name), std::string(type), is_modelled_(name, type), {}, {}});
      index_.emplace(layers_.back().name, at);
    }
    guess_ = at + 1;
    return layers_[at];
  }

  modelled_predicate is_modelled_;
  std::vector<layer> layers_;
  std::unordered_map<std::string, std::size_t, name_hash, std::equal_to<>> index_;
  std::size_t guess_ = 0;
};

}  // namespace layerwatt::dataset
