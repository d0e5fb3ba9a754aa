#pragma once
// A fitted pipeline over a feature list, whatever its shape: what a model directory holds is only
// known when it is read (a configuration may have chosen another degree or scaler), so the
// network predictor keeps each model behind this one indirect call. Code that knows its
// pipeline types calls them directly (model::load_pipeline<presets::conv_power>).

#include <concepts>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <utility>

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
        name_(std::move(name)) {}

  [[nodiscard]] double predict(input row) const noexcept { return predict_(fitted_.get(), row); }
  /// The pipeline name its file was saved under ("conv_power", "conv_power<degree=2, ...>").
  [[nodiscard]] const std::string& name() const noexcept { return name_; }

 private:
  std::shared_ptr<const void> fitted_;
  double (*predict_)(const void*, input) noexcept;
  std::string name_;
};

}  // namespace layerwatt::predict
