#pragma once
// (x - mean) / standard deviation per column, as scikit-learn's StandardScaler: population
// deviation (ddof 0) from its corrected two-pass variance, and a scale of 1 for a column its
// error bound cannot tell from constant (the polynomial bias column, for one).

#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "layerwatt/transform/columnwise_scaler.hpp"

namespace layerwatt::transform {

struct standard_scaler {
  static std::string type_name() { return "standard_scaler"; }

  template <layout Input>
  struct bind : columnwise_scaler<bind<Input>, Input> {
    static constexpr std::array<std::string_view, 2> parameter_names = {"mean", "scale"};
    static std::string type_name() { return standard_scaler::type_name(); }

    static double apply(double x, double mean, double scale) noexcept { return (x - mean) / scale; }

    static std::pair<Eigen::VectorXd, Eigen::VectorXd> fit_parameters(const table& x) {
      const double n = static_cast<double>(x.rows());
      constexpr double eps = std::numeric_limits<double>::epsilon();
      Eigen::VectorXd mean = sum_rows(x) / n;
      Eigen::VectorXd correction = Eigen::VectorXd::Zero(x.cols()), squares = correction;
      for (Eigen::Index r = 0; r < x.rows(); ++r)
        for (Eigen::Index j = 0; j < x.cols(); ++j) {
          const double d = x(r, j) - mean[j];
          correction[j] += d;
          squares[j] += d * d;
        }
      Eigen::VectorXd scale(x.cols());
      for (Eigen::Index j = 0; j < x.cols(); ++j) {
        const double variance = (squares[j] - correction[j] * correction[j] / n) / n;
        const double bound = n * eps * variance + (n * mean[j] * eps) * (n * mean[j] * eps);
        scale[j] = variance <= bound ? 1.0 : std::sqrt(variance);
      }
      return {std::move(mean), std::move(scale)};
    }

   private:
    // Row after row, as numpy sums the first axis of a row-major array.
    static Eigen::VectorXd sum_rows(const table& x) {
      Eigen::VectorXd sum = Eigen::VectorXd::Zero(x.cols());
      for (Eigen::Index r = 0; r < x.rows(); ++r) sum += x.row(r).transpose();
      return sum;
    }
  };
};

}  // namespace layerwatt::transform
