#pragma once
// Each column mapped linearly onto [0, 1] by its training minimum and maximum, as
// scikit-learn's MinMaxScaler: x·scale + min with scale = 1 / (max - min) (1 for a column of
// one value) and min = -minimum·scale.

#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "layerwatt/transform/columnwise_scaler.hpp"

namespace layerwatt::transform {

struct min_max_scaler {
  static std::string type_name() { return "min_max_scaler"; }

  template <layout Input>
  struct bind : columnwise_scaler<bind<Input>, Input> {
    static constexpr std::array<std::string_view, 2> parameter_names = {"min", "scale"};
    static std::string type_name() { return min_max_scaler::type_name(); }

    static double apply(double x, double min, double scale) noexcept { return x * scale + min; }

    static std::pair<Eigen::VectorXd, Eigen::VectorXd> fit_parameters(const table& x) {
      Eigen::VectorXd min(x.cols()), scale(x.cols());
      for (Eigen::Index j = 0; j < x.cols(); ++j) {
        const double lowest = x.col(j).minCoeff();
        scale[j] = 1.0 / nonzero_scale(x.col(j).maxCoeff() - lowest);
        min[j] = 0.0 - lowest * scale[j];
      }
      return {std::move(min), std::move(scale)};
    }
  };
};

}  // namespace layerwatt::transform
