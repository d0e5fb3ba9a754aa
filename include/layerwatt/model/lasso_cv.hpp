#pragma once
// scikit-learn's LassoCV: the alpha grid from the centred full data, K-fold cross-validation
// (contiguous folds, no shuffling), a warm-started path per fold, the test MSE per alpha and
// fold, the first alpha with the least mean MSE, and a refit on all rows. Equal to
// scikit-learn 1.2.1's alpha_, coef_, intercept_ and mse_path_ up to rounding.
//
// Faster by construction, not by approximation: the Gram matrix of each fold's test block is
// computed once (training Grams are sums of them), coordinate descent skips coordinates it can
// prove stay zero (coordinate_descent.hpp), and the folds run in parallel.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <Eigen/Core>

#include "layerwatt/core/warning.hpp"
#include "layerwatt/model/alpha_grid.hpp"
#include "layerwatt/model/blocked_design.hpp"
#include "layerwatt/model/k_fold.hpp"
#include "layerwatt/model/lasso.hpp"
#include "layerwatt/model/linear_model.hpp"
#include "layerwatt/core/parallel_for.hpp"

namespace layerwatt::model {

/// Defaults are the reference pipelines' (cv 10, n_alphas 500, max_iter 10000), not
/// scikit-learn's (5, 100, 1000).
struct lasso_cv_options {
  std::size_t folds = 10;
  std::size_t n_alphas = 500;
  double eps = 1e-3;  ///< alpha_min / alpha_max
  std::size_t max_iter = 10000;
  double tol = 1e-4;
  bool fit_intercept = true;
  unsigned threads = 0;               ///< folds in parallel; 0: one thread per hardware thread
  warning_sink warn = print_warning;  ///< told (once per fit) when coordinate descent stopped at max_iter
};

template <coefficient_sign Sign = coefficient_sign::any>
class lasso_cv : public linear_estimator_base<lasso_cv_options> {
 public:
  static std::string type_name() { return "lasso_cv" + sign_suffix(Sign); }

  explicit lasso_cv(options settings = {}) : linear_estimator_base(std::move(settings)) {}

  /// scikit-learn's KFold: `folds` contiguous blocks of rows.
  void fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
    check_options();  // before k_fold_bounds, whose own complaint would hide a bad setting
    fit(x, y, k_fold_bounds(static_cast<std::size_t>(x.rows()), options_.folds));
  }

  /// Folds given by their boundaries: fold f tests rows [bounds[f], bounds[f + 1]) (grouped
  /// folds: rows sorted by group, boundaries between groups; model/grouped_folds.hpp).
  /// `scored`: the rows whose test error scores an alpha (empty: all; else one flag per row) —
  /// every row is fitted on, the scored ones are what the fit is for. A fold without a scored
  /// row scores nothing (NaN in mse_path); an alpha's score is the mean over the others.
  /// `column`: a column whose values depend on the fold (blocked_design.hpp). Where a column is
  /// itself a prediction (a stacked model's input), its values for fold f from a model fitted
  /// without fold f make fold f's score what a new row would get; the final fit uses x's column.
  /// Errors: bounds not rising strictly from 0 to the rows; a `scored` of another length, or no
  /// scored row; a `column` naming no column of x, of another shape than rows × folds, or with a
  /// non-finite value.
  void fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const std::vector<std::size_t>& bounds,
           std::vector<bool> scored = {}, std::optional<fold_column> column = std::nullopt) {
    check_design(x, y, type_name());
    check_options();
    const std::size_t n = static_cast<std::size_t>(x.rows());
    check_fold_bounds(type_name(), bounds, n);
    const std::size_t folds = bounds.size() - 1;
    if (column && (column->index < 0 || column->index >= x.cols() || column->values.rows() != x.rows() ||
                   column->values.cols() != static_cast<Eigen::Index>(folds) || !column->values.allFinite()))
      throw error(fmt::format("{}: a fold column {} of {} x {}{}; expected a column from 0 to {} of {} x {} (rows x "
                              "folds), finite",
                              type_name(), column->index, column->values.rows(), column->values.cols(),
                              column->values.allFinite() ? "" : ", not all finite", x.cols() - 1, x.rows(), folds));
    if (!scored.empty() && (scored.size() != n || std::find(scored.begin(), scored.end(), true) == scored.end()))
      throw error(fmt::format("{}: {} scored-row flags for {} rows, {} of them set; expected one per row, at least "
                              "one set",
                              type_name(), scored.size(), n, std::count(scored.begin(), scored.end(), true)));
    const blocked_design design(x, y, options_.fit_intercept, bounds, options_.threads, std::move(scored),
                                std::move(column));
    const blocked_design::subset all = design.without(blocked_design::no_block);
    alphas_ = lasso_alpha_grid(all.problem.xty, n, options_.n_alphas, options_.eps);
    const cd_settings settings{options_.max_iter, options_.tol, Sign == coefficient_sign::positive};

    const auto a = static_cast<Eigen::Index>(alphas_.size());
    mse_path_.resize(a, static_cast<Eigen::Index>(folds));
    std::vector<convergence> fold_convergence(folds);
    parallel_for(folds, options_.threads, [&](std::size_t f) {
      const blocked_design::subset train = design.without(f);
      coordinate_descent solver(train.problem);
      Eigen::VectorXd w = Eigen::VectorXd::Zero(x.cols());
      for (Eigen::Index i = 0; i < a; ++i) {
        fold_convergence[f].add(solver.solve(alphas_[i] * static_cast<double>(train.rows), w, settings));
        mse_path_(i, static_cast<Eigen::Index>(f)) = design.test_mse(f, train, w);
      }
    });

    // The mean over the scoring folds, summed in fold order as numpy does; the first smallest wins.
    Eigen::Index best = 0;
    cv_mse_ = 0;
    for (Eigen::Index i = 0; i < a; ++i) {
      double sum = 0;
      std::size_t scoring = 0;
      for (Eigen::Index f = 0; f < mse_path_.cols(); ++f)
        if (!std::isnan(mse_path_(i, f))) sum += mse_path_(i, f), ++scoring;
      const double mean = sum / static_cast<double>(scoring);
      if (i == 0 || mean < cv_mse_) {
        best = i;
        cv_mse_ = mean;
      }
    }

    auto [fit, result] = fit_subset(design, all, alphas_[static_cast<std::size_t>(best)], settings);
    convergence total;
    for (const auto& c : fold_convergence) total.merge(c);
    total.add(result);
    // A constant target has a tolerance of 0 that no gap gets under (as in scikit-learn): that,
    // not max_iter, is what to tell (of the final fit's target: a fold's rows may be constant alone).
    if (total.failures > 0 && result.tolerance == 0 && options_.warn)
      options_.warn(fmt::format("{}: every training row has the same target: the model predicts that constant",
                                type_name()));
    else if (total.failures > 0 && options_.warn)
      options_.warn(fmt::format(
          "{}: coordinate descent stopped at max_iter = {} in {} of {} fits (largest duality "
          "gap {:.3e} for tolerance {:.3e})",
          type_name(), options_.max_iter, total.failures, total.fits, total.worst_gap, total.worst_tolerance));
    finish(std::move(fit), result, n);
  }

  [[nodiscard]] double alpha() const noexcept { return model().alpha; }
  /// The grid, largest first (scikit-learn's alphas_).
  [[nodiscard]] const std::vector<double>& alphas() const noexcept { return alphas_; }
  /// Test MSE per alpha (rows) and fold (columns): scikit-learn's mse_path_.
  [[nodiscard]] const Eigen::MatrixXd& mse_path() const noexcept { return mse_path_; }
  /// The chosen alpha's test MSE, the mean over the folds that score.
  [[nodiscard]] double cv_mse() const noexcept { return cv_mse_; }

 private:
  void check_options() const {
    check_settings(type_name(), options_.max_iter, options_.tol);
    if (options_.n_alphas == 0) throw error(type_name() + ": n_alphas must be at least 1");
    if (!(options_.eps > 0)) throw error(fmt::format("{}: eps must be > 0, got {}", type_name(), options_.eps));
  }

  struct convergence {
    std::size_t fits = 0, failures = 0;
    double worst_gap = 0, worst_tolerance = 0;
    void add(const cd_result& r) {
      ++fits;
      if (r.converged()) return;
      if (++failures == 1 || r.gap - r.tolerance > worst_gap - worst_tolerance) {
        worst_gap = r.gap;
        worst_tolerance = r.tolerance;
      }
    }
    void merge(const convergence& other) {
      fits += other.fits;
      if (other.failures > 0 &&
          (failures == 0 || other.worst_gap - other.worst_tolerance > worst_gap - worst_tolerance)) {
        worst_gap = other.worst_gap;
        worst_tolerance = other.worst_tolerance;
      }
      failures += other.failures;
    }
  };

  std::vector<double> alphas_;
  Eigen::MatrixXd mse_path_;
  double cv_mse_ = 0;
};

}  // namespace layerwatt::model
