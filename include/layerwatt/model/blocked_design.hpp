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
// A block may be scored on other features than it is fitted on (`held_out_x`): where a column
// is itself a prediction (a stacked model's input), a held-out row's value should come from a
// model that did not see the row, as a new row's will.

#include <cstddef>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "layerwatt/model/coordinate_descent.hpp"
#include "layerwatt/core/parallel_for.hpp"

namespace layerwatt::model {

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
  /// `held_out_x`: the features a block's test MSE predicts its rows from (none: x; else x's shape).
  blocked_design(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, bool fit_intercept,
                 std::vector<std::size_t> bounds, unsigned threads, std::vector<bool> scored = {},
                 const std::optional<Eigen::MatrixXd>& held_out_x = std::nullopt)
      : y_(y), bounds_(std::move(bounds)), scored_(std::move(scored)), fit_intercept_(fit_intercept) {
    const Eigen::Index p = x.cols();
    x_mean_ = fit_intercept ? Eigen::RowVectorXd(x.colwise().mean()) : Eigen::RowVectorXd::Zero(p);
    centred_ = x.rowwise() - x_mean_;
    if (held_out_x) held_out_centred_ = held_out_x->rowwise() - x_mean_;
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
      out.shift = (left_out == no_block ? sum_ : Eigen::RowVectorXd(sum_ - block_sum_[left_out])) / rows;
    } else {
      out.shift = Eigen::RowVectorXd::Zero(centred_.cols());
    }
    out.problem.gram = left_out == no_block ? gram_ : Eigen::MatrixXd(gram_ - block_gram_[left_out]);
    if (fit_intercept_) out.problem.gram.noalias() -= rows * out.shift.transpose() * out.shift;
    out.problem.xty =
        centred_.topRows(s).transpose() * y.head(s) + centred_.bottomRows(n - e).transpose() * y.tail(n - e);
    if (fit_intercept_) out.problem.xty -= out.shift.transpose() * y.sum();
    out.problem.y_norm2 = y.squaredNorm();
    out.problem.rows = out.rows;
    return out;
  }

  /// Mean squared error on block `b`'s scored rows (from the held-out features, where given) of
  /// the model `w` fitted on without(b) = `fit`; NaN where the block has none.
  [[nodiscard]] double test_mse(std::size_t b, const subset& fit, const Eigen::VectorXd& w) const {
    const Eigen::Index s = start(b), len = length(b);
    const Eigen::MatrixXd& test = held_out_centred_ ? *held_out_centred_ : centred_;
    Eigen::VectorXd residual = Eigen::VectorXd::Constant(len, fit.y_offset - fit.shift.dot(w));
    for (Eigen::Index k = 0; k < w.size(); ++k)
      if (w[k] != 0.0) residual += w[k] * test.col(k).segment(s, len);
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
  std::optional<Eigen::MatrixXd> held_out_centred_;
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
