#pragma once
// A design matrix and target prepared for Lasso fits on "all rows but one block", the shape of
// every K-fold training set and (with no block left out) of the final fit. The Gram matrix of
// each block is computed once — that is n·p² work in all instead of K times as much — and a
// training set's Gram is the sum of the others minus its centring term.
//
// scikit-learn centres each training set by its own means before forming XᵀX. Here X is first
// centred by the means over all rows, so that a training set's own centring is a small
// correction (the difference of the two means) and subtracting it loses no accuracy.
//
// One column may depend on the block left out (`fold_column`): where a column is itself a
// prediction (a stacked model's input), the training set without block b should see it as
// predicted by a model fitted without block b — on its own rows and on block b's, which it is
// scored on — so that no row's value carries what a model learnt from the held-out block. Its
// Gram entries are then formed per training set (n·p work each) instead of from the blocks'.

#include <cstddef>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "layerwatt/model/coordinate_descent.hpp"
#include "layerwatt/core/parallel_for.hpp"

namespace layerwatt::model {

/// A column of the design whose values depend on the block left out.
struct fold_column {
  Eigen::Index index = 0;  ///< the column it replaces
  /// n × blocks: column b holds every row's value when block b is left out (fitted on for the
  /// other rows, scored with for block b's); the design's own column serves the fit on all rows.
  Eigen::MatrixXd values;
};

class blocked_design {
 public:
  static constexpr std::size_t no_block = std::numeric_limits<std::size_t>::max();

  /// A training set: its Lasso problem and what turns coefficients into predictions.
  struct subset {
    gram_problem problem;
    Eigen::RowVectorXd shift;  ///< mean of the centred X over the subset's rows (0 without intercept)
    double y_offset = 0;       ///< mean of y over them (0 without intercept)
    std::size_t rows = 0;
  };

  /// `bounds`: block b is rows [bounds[b], bounds[b + 1]); they must cover all rows in order.
  /// `scored`: the rows a block's test MSE counts (empty: all of them; else one flag per row).
  /// `column`: a column whose values depend on the block left out (none: x's throughout; else a
  /// column of x, values n × blocks).
  blocked_design(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, bool fit_intercept,
                 std::vector<std::size_t> bounds, unsigned threads, std::vector<bool> scored = {},
                 std::optional<fold_column> column = std::nullopt)
      : y_(y), bounds_(std::move(bounds)), scored_(std::move(scored)), fit_intercept_(fit_intercept) {
    const Eigen::Index p = x.cols();
    x_mean_ = fit_intercept ? Eigen::RowVectorXd(x.colwise().mean()) : Eigen::RowVectorXd::Zero(p);
    centred_ = x.rowwise() - x_mean_;
    if (column) {
      column->values.array() -= x_mean_[column->index];
      fold_column_ = std::move(column);
    }
    const std::size_t blocks = bounds_.size() - 1;
    block_gram_.resize(blocks);
    block_sum_.resize(blocks);
    parallel_for(blocks, threads, [&](std::size_t b) {
      const auto rows = centred_.middleRows(start(b), length(b));
      Eigen::MatrixXd& g = block_gram_[b];
      g.setZero(p, p);
      g.selfadjointView<Eigen::Lower>().rankUpdate(rows.transpose());
      for (Eigen::Index j = 1; j < p; ++j) g.col(j).head(j) = g.row(j).head(j).transpose();
      block_sum_[b] = rows.colwise().sum();
    });
    gram_ = Eigen::MatrixXd::Zero(p, p);
    sum_ = Eigen::RowVectorXd::Zero(p);
    for (std::size_t b = 0; b < blocks; ++b) {
      gram_ += block_gram_[b];
      sum_ += block_sum_[b];
    }
  }

  /// The training set of all rows but block `left_out` (no_block: all rows).
  [[nodiscard]] subset without(std::size_t left_out) const {
    const Eigen::Index n = centred_.rows();
    const Eigen::Index s = left_out == no_block ? n : start(left_out);
    const Eigen::Index e = left_out == no_block ? n : s + length(left_out);
    subset out;
    out.rows = static_cast<std::size_t>(n - (e - s));
    const double rows = static_cast<double>(out.rows);

    Eigen::VectorXd y(n - (e - s));
    y << y_.head(s), y_.tail(n - e);
    if (fit_intercept_) {
      out.y_offset = y.mean();
      y.array() -= out.y_offset;
    }
    Eigen::RowVectorXd sum = left_out == no_block ? sum_ : Eigen::RowVectorXd(sum_ - block_sum_[left_out]);
    out.problem.gram = left_out == no_block ? gram_ : Eigen::MatrixXd(gram_ - block_gram_[left_out]);
    out.problem.xty =
        centred_.topRows(s).transpose() * y.head(s) + centred_.bottomRows(n - e).transpose() * y.tail(n - e);
    if (fold_column_ && left_out != no_block) {
      // Column j as the training set sees it: its Gram row, sum and xᵀy entry from its own values.
      const Eigen::Index j = fold_column_->index;
      const auto values = fold_column_->values.col(static_cast<Eigen::Index>(left_out));
      Eigen::VectorXd v(n - (e - s));
      v << values.head(s), values.tail(n - e);
      Eigen::VectorXd cross = centred_.topRows(s).transpose() * v.head(s) +
                              centred_.bottomRows(n - e).transpose() * v.tail(n - e);
      cross[j] = v.squaredNorm();
      out.problem.gram.row(j) = cross.transpose();
      out.problem.gram.col(j) = cross;
      sum[j] = v.sum();
      out.problem.xty[j] = v.dot(y);
    }
    if (fit_intercept_) {
      out.shift = sum / rows;
      out.problem.gram.noalias() -= rows * out.shift.transpose() * out.shift;
      out.problem.xty -= out.shift.transpose() * y.sum();
    } else {
      out.shift = Eigen::RowVectorXd::Zero(centred_.cols());
    }
    out.problem.y_norm2 = y.squaredNorm();
    out.problem.rows = out.rows;
    return out;
  }

  /// Mean squared error on block `b`'s scored rows (the fold column's values for b, where given)
  /// of the model `w` fitted on without(b) = `fit`; NaN where the block has none.
  [[nodiscard]] double test_mse(std::size_t b, const subset& fit, const Eigen::VectorXd& w) const {
    const Eigen::Index s = start(b), len = length(b);
    Eigen::VectorXd residual = Eigen::VectorXd::Constant(len, fit.y_offset - fit.shift.dot(w));
    for (Eigen::Index k = 0; k < w.size(); ++k) {
      if (w[k] == 0.0) continue;
      if (fold_column_ && k == fold_column_->index)
        residual += w[k] * fold_column_->values.col(static_cast<Eigen::Index>(b)).segment(s, len);
      else
        residual += w[k] * centred_.col(k).segment(s, len);
    }
    residual -= y_.segment(s, len);
    Eigen::Index count = len;
    if (!scored_.empty())
      for (Eigen::Index i = 0; i < len; ++i)
        if (!scored_[static_cast<std::size_t>(s + i)]) residual[i] = 0, --count;
    return count ? residual.squaredNorm() / static_cast<double>(count) : std::numeric_limits<double>::quiet_NaN();
  }

  /// Column means of X over all rows (0 without intercept): a fit's X offset is this + shift.
  [[nodiscard]] const Eigen::RowVectorXd& x_mean() const noexcept { return x_mean_; }
  [[nodiscard]] std::size_t blocks() const noexcept { return bounds_.size() - 1; }

 private:
  [[nodiscard]] Eigen::Index start(std::size_t b) const { return static_cast<Eigen::Index>(bounds_[b]); }
  [[nodiscard]] Eigen::Index length(std::size_t b) const {
    return static_cast<Eigen::Index>(bounds_[b + 1] - bounds_[b]);
  }

  Eigen::MatrixXd centred_;
  std::optional<fold_column> fold_column_;  ///< values centred as x's column
  Eigen::VectorXd y_;
  Eigen::RowVectorXd x_mean_, sum_;
  Eigen::MatrixXd gram_;
  std::vector<Eigen::MatrixXd> block_gram_;
  std::vector<Eigen::RowVectorXd> block_sum_;
  std::vector<std::size_t> bounds_;
  std::vector<bool> scored_;
  bool fit_intercept_;
};

}  // namespace layerwatt::model
