#pragma once
// scikit-learn's cross_val_predict for the Lasso at one penalty: each fold's rows predicted by the
// Lasso fitted on the other folds' rows, so every row's prediction is made without it, as a new
// row's would be (scikit-learn's StackingRegressor fits its final estimator on it). Equal to
// cross_val_predict(Lasso(alpha, ...), X, y, cv=folds) of scikit-learn 1.2.1 up to rounding.
// fold_predictions keeps every fold model's predictions of every row: where a second model takes
// the prediction as a feature, its cross-validation needs them (network_fit's energy folds).

#include <cstddef>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/core/parallel_for.hpp"
#include "layerwatt/model/blocked_design.hpp"
#include "layerwatt/model/coordinate_descent.hpp"
#include "layerwatt/model/k_fold.hpp"
#include "layerwatt/model/lasso.hpp"
#include "layerwatt/model/linear_model.hpp"

namespace layerwatt::model {

namespace detail {

/// fold_predictions, its errors and warnings naming `who`.
template <coefficient_sign Sign>
Eigen::MatrixXd fold_predictions(const std::string& who, const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                 const std::vector<std::size_t>& bounds, const lasso_options& options,
                                 unsigned threads) {
  check_design(x, y, who);
  check_options(who, options);
  check_fold_bounds(who, bounds, static_cast<std::size_t>(x.rows()));

  const blocked_design design(x, y, options.fit_intercept, bounds, threads);
  const cd_settings settings{options.max_iter, options.tol, Sign == coefficient_sign::positive};
  Eigen::MatrixXd predicted(x.rows(), static_cast<Eigen::Index>(design.blocks()));
  std::vector<cd_result> results(design.blocks());
  parallel_for(design.blocks(), threads, [&](std::size_t f) {
    auto [fit, result] = fit_subset(design, design.without(f), options.alpha, settings);
    predicted.col(static_cast<Eigen::Index>(f)) = (x * fit.coef).array() + fit.intercept;
    results[f] = result;
  });
  std::size_t failures = 0;
  for (const auto& r : results) failures += r.converged() ? 0 : 1;
  if (failures > 0 && options.warn)
    options.warn(fmt::format("{}: coordinate descent stopped at max_iter = {} in {} of {} fits; raise max_iter or alpha",
                             who, options.max_iter, failures, results.size()));
  return predicted;
}

}  // namespace detail

/// x: n × p, y: n. Fold f holds rows [bounds[f], bounds[f + 1]) (k_fold_bounds,
/// grouped_fold_bounds). Returns n × folds predictions: column f is every row's by the Lasso
/// fitted without fold f — on fold f's rows a held-out prediction, on the others an in-sample
/// one (a stacked model's input as the training set without fold f sees it; blocked_design's
/// fold_column). The folds are fitted in parallel on up to `threads` threads (0: one per hardware
/// thread); options.warn is told once if any fit stopped at max_iter. Errors: check_design's,
/// bounds that do not rise strictly from 0 to n in at least 2 folds, a bad alpha, max_iter or tol.
template <coefficient_sign Sign = coefficient_sign::any>
Eigen::MatrixXd fold_predictions(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                 const std::vector<std::size_t>& bounds, const lasso_options& options,
                                 unsigned threads = 0) {
  return detail::fold_predictions<Sign>("fold_predictions(" + lasso<Sign>::type_name() + ")", x, y, bounds, options,
                                        threads);
}

/// Returns n predictions, row i's by the fit without its fold: fold_predictions' held-out
/// entries. Errors: fold_predictions'.
template <coefficient_sign Sign = coefficient_sign::any>
Eigen::VectorXd cross_val_predict(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                  const std::vector<std::size_t>& bounds, const lasso_options& options,
                                  unsigned threads = 0) {
  const Eigen::MatrixXd by_fold = detail::fold_predictions<Sign>("cross_val_predict(" + lasso<Sign>::type_name() + ")",
                                                                 x, y, bounds, options, threads);
  Eigen::VectorXd predicted(x.rows());
  for (std::size_t f = 0; f + 1 < bounds.size(); ++f) {
    const auto start = static_cast<Eigen::Index>(bounds[f]);
    const auto length = static_cast<Eigen::Index>(bounds[f + 1] - bounds[f]);
    predicted.segment(start, length) = by_fold.col(static_cast<Eigen::Index>(f)).segment(start, length);
  }
  return predicted;
}

}  // namespace layerwatt::model
