#include "layerwatt/model/coordinate_descent.hpp"

#include <random>

#include <gtest/gtest.h>

namespace coordinate_descent_test {

using layerwatt::model::cd_result;
using layerwatt::model::cd_settings;
using layerwatt::model::coordinate_descent;
using layerwatt::model::gram_problem;

// The algorithm as scikit-learn writes it: Q·w kept for all coordinates, every coordinate
// visited every sweep. The solver must make the same iterates with less work.
cd_result plain_coordinate_descent(const gram_problem& pr, double lambda, Eigen::VectorXd& w,
                                   const cd_settings& s) {
  const Eigen::Index p = w.size();
  Eigen::VectorXd h = pr.gram * w;
  const double tol = s.tol * pr.y_norm2;
  double gap = tol + 1;
  for (std::size_t epoch = 0; epoch < s.max_iter; ++epoch) {
    double w_max = 0, d_w_max = 0;
    for (Eigen::Index i = 0; i < p; ++i) {
      if (pr.gram(i, i) == 0.0) continue;
      const double old = w[i];
      if (old != 0.0) h -= old * pr.gram.col(i);
      const double tmp = pr.xty[i] - h[i];
      w[i] = s.positive && tmp < 0 ? 0.0
             : tmp == 0.0          ? 0.0
                          : std::copysign(1.0, tmp) * std::max(std::abs(tmp) - lambda, 0.0) / pr.gram(i, i);
      if (w[i] != 0.0) h += w[i] * pr.gram.col(i);
      d_w_max = std::max(d_w_max, std::abs(w[i] - old));
      w_max = std::max(w_max, std::abs(w[i]));
    }
    if (w_max == 0.0 || d_w_max / w_max < s.tol || epoch + 1 == s.max_iter) {
      const Eigen::VectorXd xta = pr.xty - h;
      const double dual_norm = s.positive ? xta.maxCoeff() : xta.cwiseAbs().maxCoeff();
      const double r_norm2 = pr.y_norm2 + w.dot(h) - 2 * pr.xty.dot(w);
      double c = 1;
      gap = r_norm2;
      if (dual_norm > lambda) {
        c = lambda / dual_norm;
        gap = 0.5 * (r_norm2 + r_norm2 * c * c);
      }
      gap += lambda * w.lpNorm<1>() - c * pr.y_norm2 + c * pr.xty.dot(w);
      if (gap < tol) return {gap, tol, epoch + 1};
    }
  }
  return {gap, tol, s.max_iter};
}

// A centred random design with correlated columns (polynomial-like), as a Gram problem.
gram_problem random_problem(int rows, int cols, unsigned seed, bool duplicate_column = false) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal;
  Eigen::MatrixXd x(rows, cols);
  for (int r = 0; r < rows; ++r) {
    const double base = normal(rng);
    for (int c = 0; c < cols; ++c) x(r, c) = std::pow(std::abs(base) + 0.5, 1 + c % 3) + 0.5 * normal(rng);
  }
  if (duplicate_column) x.col(cols - 1) = x.col(1);
  Eigen::VectorXd y = x.col(0) * 2 - x.col(2) + Eigen::VectorXd::NullaryExpr(rows, [&] { return normal(rng); });
  x = x.rowwise() - x.colwise().mean();
  y.array() -= y.mean();
  return {x.transpose() * x, x.transpose() * y, y.squaredNorm(), static_cast<std::size_t>(rows)};
}

// A descending path of penalties, warm-started, against the plain algorithm.
void expect_same_path(const gram_problem& pr, bool positive) {
  const double lambda_max = pr.xty.cwiseAbs().maxCoeff();
  coordinate_descent solver(pr);
  Eigen::VectorXd w = Eigen::VectorXd::Zero(pr.xty.size()), plain = w;
  const cd_settings settings{10000, 1e-4, positive};
  for (int k = 0; k < 40; ++k) {
    const double lambda = lambda_max * std::pow(10.0, -3.0 * k / 39);
    const cd_result ours = solver.solve(lambda, w, settings);
    const cd_result theirs = plain_coordinate_descent(pr, lambda, plain, settings);
    ASSERT_EQ(ours.epochs, theirs.epochs) << "penalty " << k;
    EXPECT_NEAR(ours.gap, theirs.gap, 1e-9 * pr.y_norm2) << "penalty " << k;
    for (Eigen::Index i = 0; i < w.size(); ++i)
      ASSERT_NEAR(w[i], plain[i], 1e-9 * std::max(1.0, std::abs(plain[i])))
          << "penalty " << k << ", coordinate " << i;
    if (positive) {
      EXPECT_GE(w.minCoeff(), 0.0);
    }
  }
}

TEST(CoordinateDescent, MakesTheIteratesOfThePlainAlgorithm) {
  expect_same_path(random_problem(80, 12, 1), false);
  expect_same_path(random_problem(80, 12, 2), true);
}

TEST(CoordinateDescent, DoesSoWithMoreColumnsThanRowsAndDuplicates) {
  expect_same_path(random_problem(15, 40, 3), false);
  expect_same_path(random_problem(30, 10, 4, true), true);
}

TEST(CoordinateDescent, SkipsZeroColumns) {
  gram_problem pr = random_problem(40, 6, 5);
  pr.gram.row(3).setZero();
  pr.gram.col(3).setZero();
  pr.xty[3] = 0;
  Eigen::VectorXd w = Eigen::VectorXd::Zero(6);
  coordinate_descent solver(pr);
  EXPECT_TRUE(solver.solve(0.01 * pr.xty.cwiseAbs().maxCoeff(), w, {1000, 1e-4, false}).converged());
  EXPECT_EQ(w[3], 0.0);
}

TEST(CoordinateDescent, StartsAfreshFromAnotherPoint) {
  const gram_problem pr = random_problem(60, 8, 6);
  const double lambda = 0.05 * pr.xty.cwiseAbs().maxCoeff();
  coordinate_descent solver(pr);
  Eigen::VectorXd first = Eigen::VectorXd::Zero(8);
  static_cast<void>(solver.solve(lambda, first, {1000, 1e-4, false}));
  Eigen::VectorXd other = Eigen::VectorXd::Constant(8, 0.5), plain = other;
  const cd_result ours = solver.solve(lambda, other, {1000, 1e-4, false});
  const cd_result theirs = plain_coordinate_descent(pr, lambda, plain, {1000, 1e-4, false});
  EXPECT_EQ(ours.epochs, theirs.epochs);
  EXPECT_TRUE(other.isApprox(plain, 1e-9));
}

TEST(CoordinateDescent, StopsAtMaxIter) {
  const gram_problem pr = random_problem(15, 40, 7);
  Eigen::VectorXd w = Eigen::VectorXd::Zero(40);
  coordinate_descent solver(pr);
  const cd_result r = solver.solve(1e-6 * pr.xty.cwiseAbs().maxCoeff(), w, {3, 1e-12, false});
  EXPECT_EQ(r.epochs, 3u);
  EXPECT_FALSE(r.converged());
}

}  // namespace coordinate_descent_test
