#pragma once
// The Lasso at one penalty: minimise 1/(2n)·‖y − Xw − b‖² + α‖w‖₁ by coordinate descent, with
// scikit-learn's Lasso semantics (centring for the intercept, its duality-gap stopping rule,
// `positive`), so coef and intercept match scikit-learn 1.2.1's.

#include <cstddef>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <Eigen/Core>

#include "layerwatt/core/warning.hpp"
#include "layerwatt/model/blocked_design.hpp"
#include "layerwatt/model/coordinate_descent.hpp"
#include "layerwatt/model/linear_model.hpp"

namespace layerwatt::model {

struct lasso_options {
  double alpha = 1.0;
  bool fit_intercept = true;
  std::size_t max_iter = 1000;
  double tol = 1e-4;
  warning_sink warn = print_warning;  ///< told when coordinate descent stops at max_iter
};

/// Throws unless the coordinate-descent settings make sense (scikit-learn's own checks).
inline void check_settings(const std::string& who, std::size_t max_iter, double tol) {
  if (max_iter < 1) throw error(fmt::format("{}: max_iter must be at least 1", who));
  if (!(tol >= 0)) throw error(fmt::format("{}: tol must be >= 0, got {}", who, tol));
}

/// Throws unless `options` make sense: check_settings's, and alpha ≥ 0.
inline void check_options(const std::string& who, const lasso_options& options) {
  check_settings(who, options.max_iter, options.tol);
  if (!(options.alpha >= 0)) throw error(fmt::format("{}: alpha must be >= 0, got {}", who, options.alpha));
}

/// One fit of a prepared training set from zero coefficients; the intercept comes from the
/// offsets the design centred by.
inline std::pair<linear_fit, cd_result> fit_subset(const blocked_design& design, const blocked_design::subset& s,
                                                   double alpha, const cd_settings& settings) {
  linear_fit fit;
  fit.alpha = alpha;
  fit.coef = Eigen::VectorXd::Zero(s.problem.xty.size());
  coordinate_descent solver(s.problem);
  const cd_result result = solver.solve(alpha * static_cast<double>(s.rows), fit.coef, settings);
  fit.intercept = s.y_offset - (design.x_mean() + s.shift).dot(fit.coef);
  return {std::move(fit), result};
}

template <coefficient_sign Sign = coefficient_sign::any>
class lasso : public linear_estimator_base<lasso_options> {
 public:
  static std::string type_name() { return "lasso" + sign_suffix(Sign); }

  explicit lasso(options settings = {}) : linear_estimator_base(std::move(settings)) {}

  void fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
    check_design(x, y, type_name());
    check_options(type_name(), options_);
    const blocked_design design(x, y, options_.fit_intercept, {0, static_cast<std::size_t>(x.rows())}, 1);
    auto [fit, result] = fit_subset(design, design.without(blocked_design::no_block), options_.alpha,
                                    {options_.max_iter, options_.tol, Sign == coefficient_sign::positive});
    if (!result.converged() && options_.warn)
      options_.warn(
          fmt::format("{}: coordinate descent did not converge in {} iterations (duality gap {:.3e}, "
                      "tolerance {:.3e}); raise max_iter or alpha",
                      type_name(), options_.max_iter, result.gap, result.tolerance));
    finish(std::move(fit), result, static_cast<std::size_t>(x.rows()));
  }
};

}  // namespace layerwatt::model
