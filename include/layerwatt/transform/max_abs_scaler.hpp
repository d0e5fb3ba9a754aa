#pragma once
// Each column divided by its largest absolute training value, as scikit-learn's MaxAbsScaler:
// x / scale with scale = max|x| (1 for a column of zeros). It does not centre, so a column of
// non-negative values stays non-negative: what a layer cost built from non-negative terms and
// coefficients needs to stay non-negative for every layer (train/network_fit.hpp).

#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "layerwatt/transform/columnwise_scaler.hpp"

namespace layerwatt::transform {

struct max_abs_scaler {
  static std::string type_name() { return "max_abs_scaler"; }

  template <layout Input>
  struct bind : columnwise_scaler<bind<Input>, Input> {
    static constexpr std::array<std::string_view, 2> parameter_names = {"max_abs", "scale"};
    static std::string type_name() { return max_abs_scaler::type_name(); }

    static double apply(double x, double /*max_abs*/, double scale) noexcept { return x / scale; }

    static std::pair<Eigen::VectorXd, Eigen::VectorXd> fit_parameters(const table& x) {
      Eigen::VectorXd max_abs(x.cols()), scale(x.cols());
      for (Eigen::Index j = 0; j < x.cols(); ++j) {
        max_abs[j] = x.col(j).cwiseAbs().maxCoeff();
        scale[j] = nonzero_scale(max_abs[j]);
      }
      return {std::move(max_abs), std::move(scale)};
    }
  };
};

}  // namespace layerwatt::transform
