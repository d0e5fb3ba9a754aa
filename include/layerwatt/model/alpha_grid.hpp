#pragma once
// The penalties LassoCV tries: scikit-learn's _alpha_grid for l1_ratio 1. alpha_max, the
// smallest penalty with all coefficients zero, is max|Xᵀy| / n of the centred data; the grid
// is numpy.logspace from log10(alpha_max·eps) to log10(alpha_max), largest first.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include <Eigen/Core>

namespace layerwatt::model {

inline std::vector<double> lasso_alpha_grid(const Eigen::VectorXd& xty, std::size_t rows, std::size_t n_alphas,
                                            double eps) {
  constexpr double resolution = 1e-15;  // numpy.finfo(float).resolution
  const double alpha_max = (xty.size() == 0 ? 0.0 : xty.cwiseAbs().maxCoeff()) / static_cast<double>(rows);
  if (alpha_max <= resolution) return std::vector<double>(n_alphas, resolution);

  // numpy.linspace: i·step + start, the last point exactly stop; then 10^x.
  const double start = std::log10(alpha_max * eps), stop = std::log10(alpha_max);
  std::vector<double> alphas(n_alphas);
  const double step = n_alphas > 1 ? (stop - start) / static_cast<double>(n_alphas - 1) : 0.0;
  for (std::size_t i = 0; i < n_alphas; ++i) {
    const double x = i + 1 == n_alphas && n_alphas > 1 ? stop : static_cast<double>(i) * step + start;
    alphas[n_alphas - 1 - i] = std::pow(10.0, x);
  }
  return alphas;
}

}  // namespace layerwatt::model
