#pragma once
// A fitted model of one layer kind, whatever its pipeline type: what a model directory holds is
// only known when it is read (a configuration may have chosen another degree or scaler; a
// network-level model reads other columns than a per-layer one), so the network predictor keeps
// each model behind this one indirect call, which reads the pipeline's own feature columns off
// the layer. Code that knows its pipeline types calls them directly
// (model::load_pipeline<presets::conv_power>).

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "layerwatt/dataset/layer_features.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/io/precision.hpp"

namespace layerwatt::predict {

class layer_model {
 public:
  template <typename Pipeline>
  explicit layer_model(Pipeline fitted, std::string name)
      : fitted_(std::make_shared<const Pipeline>(std::move(fitted))),
        predict_([](const void* p, const io::engine_layer& layer, std::vector<std::string_view>* outside) {
          const auto& pipeline = *static_cast<const Pipeline*>(p);
          using columns = typename Pipeline::features;
          const auto row = features::features_of<columns>(layer);
          if (outside)
            if (const auto& range = pipeline.training_range())
              for (std::size_t c = 0; c < columns::size; ++c)
                if (row[c] < range->min[c] || row[c] > range->max[c]) outside->push_back(columns::names[c]);
          return pipeline.predict(row);
        }),
        knows_range_(static_cast<const Pipeline*>(fitted_.get())->training_range().has_value()),
        name_(std::move(name)) {}

  /// The model's value for `layer` (features read as its pipeline's columns; an error naming the
  /// layer if it lacks one). The features outside the range the model was trained on, if asked
  /// for, are appended to `*outside` by name: there the value is an extrapolation.
  [[nodiscard]] double predict(const io::engine_layer& layer, std::vector<std::string_view>* outside = nullptr) const {
    return predict_(fitted_.get(), layer, outside);
  }

  /// The precisions the model was trained on ("fp16", ...); empty when not known (files of the
  /// reference's CSVs, without a precision column, and files written before layerwatt kept it).
  [[nodiscard]] const std::vector<std::string>& training_precisions() const noexcept { return precisions_; }
  void set_training_precisions(std::vector<std::string> precisions) { precisions_ = std::move(precisions); }

  /// Whether a layer of this precision is among the model's training rows; true where either is
  /// not known (no list, or a layer whose engine does not say: "unknown").
  [[nodiscard]] bool trained_on(std::string_view precision) const {
    return precisions_.empty() || precision == io::to_string(io::precision::unknown) ||
           std::find(precisions_.begin(), precisions_.end(), precision) != precisions_.end();
  }

  /// Whether the model knows the range of its training rows (files written before it was kept do not).
  [[nodiscard]] bool knows_training_range() const noexcept { return knows_range_; }

  /// The pipeline name its file was saved under ("conv_power", "conv_power<degree=2, ...>", "network_conv_energy").
  [[nodiscard]] const std::string& name() const noexcept { return name_; }

 private:
  std::shared_ptr<const void> fitted_;
  double (*predict_)(const void*, const io::engine_layer&, std::vector<std::string_view>*);
  bool knows_range_;
  std::string name_;
  std::vector<std::string> precisions_;
};

}  // namespace layerwatt::predict
