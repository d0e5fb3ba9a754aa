#pragma once
// What the three scalers share: two parameter vectors per column (scikit-learn's names), a
// per-column formula, persistence. A scaler derives from columnwise_scaler<Derived, Input> and
// provides `type_name()`, `parameter_names` ({"mean", "scale"}, ...), `fit_parameters(table)`
// returning both vectors, and `apply(x, first, second)`.

#include <array>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include <Eigen/Core>

#include "layerwatt/core/error.hpp"
#include "layerwatt/transform/parameters.hpp"
#include "layerwatt/transform/stage.hpp"

namespace layerwatt::transform {

template <typename Derived, layout Input>
class columnwise_scaler {
 public:
  using input = Input;
  using output = Input;
  static constexpr bool stateful = true;
  static constexpr std::size_t width = Input::size;

  table fit_transform(const table& in) {
    check_width(in, width, Derived::type_name());
    if (in.rows() == 0) throw error(fmt::format("{}: cannot fit on zero rows", Derived::type_name()));
    std::tie(first_, second_) = Derived::fit_parameters(in);
    return transform(in);
  }

  [[nodiscard]] table transform(const table& in) const {
    check_width(in, width, Derived::type_name());
    if (!fitted()) throw error(fmt::format("{}: transform before fit", Derived::type_name()));
    table out(in.rows(), in.cols());
    for (Eigen::Index r = 0; r < in.rows(); ++r) transform_row(in.row(r).data(), out.row(r).data());
    return out;
  }

  void transform_row(const double* in, double* out) const noexcept {
    for (std::size_t j = 0; j < width; ++j) out[j] = transform_value(j, in[j]);
  }

  [[nodiscard]] double transform_value(std::size_t column, double x) const noexcept {
    const auto j = static_cast<Eigen::Index>(column);
    return Derived::apply(x, first_[j], second_[j]);
  }

  void save(nlohmann::ordered_json& out) const {
    out["type"] = Derived::type_name();
    out[std::string(Derived::parameter_names[0])] = parameters_to_json(first_);
    out[std::string(Derived::parameter_names[1])] = parameters_to_json(second_);
  }

  void load(const io::json_node& node) {
    expect_type(node, Derived::type_name());
    first_ = read_parameters(node, Derived::parameter_names[0], width);
    second_ = read_parameters(node, Derived::parameter_names[1], width);
  }

  [[nodiscard]] bool fitted() const noexcept { return first_.size() == static_cast<Eigen::Index>(width); }
  /// The parameters under their scikit-learn names (mean_/scale_, min_/scale_, center_/scale_).
  [[nodiscard]] const Eigen::VectorXd& first() const noexcept { return first_; }
  [[nodiscard]] const Eigen::VectorXd& second() const noexcept { return second_; }

 private:
  Eigen::VectorXd first_, second_;
};

/// scikit-learn's _handle_zeros_in_scale: a scale below 10 machine epsilons becomes 1.
inline double nonzero_scale(double scale) noexcept {
  return scale < 10 * std::numeric_limits<double>::epsilon() ? 1.0 : scale;
}

}  // namespace layerwatt::transform
