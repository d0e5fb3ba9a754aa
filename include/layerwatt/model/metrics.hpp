#pragma once
// How good predictions are, as the reference reports them: RMSPE with its formula
// (sqrt(mean(((actual − predicted) / (actual + 1e-10))²)) · 100, in percent) and
// scikit-learn's RMSE, MSE, R², MAE and MAPE (a fraction, dividing by max(|actual|, machine
// epsilon)).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"

namespace layerwatt::model {

namespace detail {

inline void check_pairs(std::span<const double> actual, std::span<const double> predicted) {
  if (actual.size() != predicted.size())
    throw error(fmt::format("metrics: {} actual values but {} predictions", actual.size(), predicted.size()));
  if (actual.empty()) throw error("metrics: no values");
}

/// mean over i of f(actual[i], predicted[i])
template <typename F>
double mean_of(std::span<const double> actual, std::span<const double> predicted, F f) {
  check_pairs(actual, predicted);
  double sum = 0;
  for (std::size_t i = 0; i < actual.size(); ++i) sum += f(actual[i], predicted[i]);
  return sum / static_cast<double>(actual.size());
}

}  // namespace detail

/// Root mean squared percentage error in percent, the reference's formula (ε = 1e-10).
inline double rmspe(std::span<const double> actual, std::span<const double> predicted) {
  return std::sqrt(detail::mean_of(actual, predicted,
                                   [](double a, double p) {
                                     const double r = (a - p) / (a + 1e-10);
                                     return r * r;
                                   })) *
         100;
}

inline double mse(std::span<const double> actual, std::span<const double> predicted) {
  return detail::mean_of(actual, predicted, [](double a, double p) { return (a - p) * (a - p); });
}

inline double rmse(std::span<const double> actual, std::span<const double> predicted) {
  return std::sqrt(mse(actual, predicted));
}

inline double mae(std::span<const double> actual, std::span<const double> predicted) {
  return detail::mean_of(actual, predicted, [](double a, double p) { return std::abs(a - p); });
}

/// Mean absolute percentage error as a fraction (scikit-learn's), not in percent.
inline double mape(std::span<const double> actual, std::span<const double> predicted) {
  return detail::mean_of(actual, predicted, [](double a, double p) {
    return std::abs(p - a) / std::max(std::abs(a), std::numeric_limits<double>::epsilon());
  });
}

/// Coefficient of determination; 1 for perfect predictions, 0 when actual is constant but the
/// predictions are not (scikit-learn's force_finite).
inline double r2(std::span<const double> actual, std::span<const double> predicted) {
  detail::check_pairs(actual, predicted);
  double mean = 0;
  for (const double a : actual) mean += a;
  mean /= static_cast<double>(actual.size());
  double residual = 0, total = 0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    residual += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
    total += (actual[i] - mean) * (actual[i] - mean);
  }
  if (residual == 0) return 1.0;
  return total == 0 ? 0.0 : 1 - residual / total;
}

/// All six, as the reference's evaluation reports them.
struct regression_metrics {
  double rmspe, rmse, mse, r2, mae, mape;
};

inline regression_metrics evaluate(std::span<const double> actual, std::span<const double> predicted) {
  return {model::rmspe(actual, predicted), model::rmse(actual, predicted), model::mse(actual, predicted),
          model::r2(actual, predicted),    model::mae(actual, predicted),  model::mape(actual, predicted)};
}

}  // namespace layerwatt::model
