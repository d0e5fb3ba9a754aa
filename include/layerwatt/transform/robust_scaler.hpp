#pragma once
// (x - median) / inter-quartile range per column, as scikit-learn's RobustScaler: quartiles by
// numpy's linear interpolation (including its two-sided lerp), and a range of 1 where the
// quartiles coincide.

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "layerwatt/transform/columnwise_scaler.hpp"

namespace layerwatt::transform {

/// numpy.percentile(sorted, 100·q, method="linear") of an ascending, non-empty range.
inline double linear_quantile(const std::vector<double>& sorted, double q) noexcept {
  const double virtual_index = static_cast<double>(sorted.size() - 1) * q;
  const auto below = static_cast<std::size_t>(std::floor(virtual_index));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  const double t = virtual_index - static_cast<double>(below);
  const double a = sorted[below], b = sorted[above], diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

struct robust_scaler {
  static std::string type_name() { return "robust_scaler"; }

  template <layout Input>
  struct bind : columnwise_scaler<bind<Input>, Input> {
    static constexpr std::array<std::string_view, 2> parameter_names = {"center", "scale"};
    static std::string type_name() { return robust_scaler::type_name(); }

    static double apply(double x, double center, double scale) noexcept { return (x - center) / scale; }

    static std::pair<Eigen::VectorXd, Eigen::VectorXd> fit_parameters(const table& x) {
      Eigen::VectorXd center(x.cols()), scale(x.cols());
      std::vector<double> column(static_cast<std::size_t>(x.rows()));
      const std::size_t n = column.size();
      for (Eigen::Index j = 0; j < x.cols(); ++j) {
        for (std::size_t r = 0; r < n; ++r) column[r] = x(static_cast<Eigen::Index>(r), j);
        std::sort(column.begin(), column.end());
        center[j] = (column[(n - 1) / 2] + column[n / 2]) / 2;  // numpy: mean of the middle pair
        scale[j] = nonzero_scale(linear_quantile(column, 0.75) - linear_quantile(column, 0.25));
      }
      return {std::move(center), std::move(scale)};
    }
  };
};

}  // namespace layerwatt::transform
