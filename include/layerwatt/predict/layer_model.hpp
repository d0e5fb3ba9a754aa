#pragma once
// A fitted pipeline over a feature list, whatever its shape: what a model directory holds is only
// known when it is read (a configuration may have chosen another degree or scaler), so the
// network predictor keeps each model behind this one indirect call. Code that knows its
// pipeline types calls them directly (model::load_pipeline<presets::conv_power>).

#include <algorithm>
#include <array>
#include <concepts>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace layerwatt::predict {

template <typename Features>
class layer_model {
 public:
  using input = std::span<const double, Features::size>;

  template <typename Pipeline>
    requires std::same_as<typename Pipeline::features, Features>
  explicit layer_model(Pipeline fitted, std::string name)
      : fitted_(std::make_shared<const Pipeline>(std::move(fitted))),
        predict_([](const void* p, input row) noexcept { return static_cast<const Pipeline*>(p)->predict(row); }),
        name_(std::move(name)) {
    if (const auto& range = static_cast<const Pipeline*>(fitted_.get())->training_range())
      range_ = range_type{range->min, range->max};
  }

  [[nodiscard]] double predict(input row) const noexcept { return predict_(fitted_.get(), row); }

  /// The precisions the model was trained on ("fp16", ...); empty when not known (files of the
  /// reference's CSVs, without a precision column, and files written before layerwatt kept it).
  [[nodiscard]] const std::vector<std::string>& training_precisions() const noexcept { return precisions_; }
  void set_training_precisions(std::vector<std::string> precisions) { precisions_ = std::move(precisions); }

  /// Whether a layer of this precision is among the model's training rows (true when unknown).
  [[nodiscard]] bool trained_on(std::string_view precision) const {
    return precisions_.empty() || std::find(precisions_.begin(), precisions_.end(), precision) != precisions_.end();
  }

  /// Whether the model knows the range of its training rows (files written before it was kept do not).
  [[nodiscard]] bool knows_training_range() const noexcept { return range_.has_value(); }

  /// The features of `row` outside the range the model was trained on, by column index: where
  /// its prediction is an extrapolation. Empty when the range is unknown.
  [[nodiscard]] std::vector<std::size_t> outside_training_range(input row) const {
    std::vector<std::size_t> out;
    if (range_)
      for (std::size_t c = 0; c < Features::size; ++c)
        if (row[c] < range_->min[c] || row[c] > range_->max[c]) out.push_back(c);
    return out;
  }
  /// The pipeline name its file was saved under ("conv_power", "conv_power<degree=2, ...>").
  [[nodiscard]] const std::string& name() const noexcept { return name_; }

 private:
  struct range_type {
    std::array<double, Features::size> min, max;
  };
  std::shared_ptr<const void> fitted_;
  double (*predict_)(const void*, input) noexcept;
  std::string name_;
  std::optional<range_type> range_;
  std::vector<std::string> precisions_;
};

}  // namespace layerwatt::predict
