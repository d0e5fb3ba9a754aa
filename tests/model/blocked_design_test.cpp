#include "layerwatt/model/blocked_design.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace blocked_design_test {

using layerwatt::model::blocked_design;

struct design_fixture {
  Eigen::MatrixXd x = Eigen::MatrixXd::Random(23, 5) * 10 + Eigen::MatrixXd::Constant(23, 5, 100);
  Eigen::VectorXd y = Eigen::VectorXd::Random(23) + Eigen::VectorXd::Constant(23, 7);
  std::vector<std::size_t> bounds{0, 8, 16, 23};
};

// What scikit-learn computes for a training set: centre it by its own means, then XᵀX, Xᵀy.
void expect_training_set(const blocked_design::subset& s, const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                         const Eigen::RowVectorXd& x_mean) {
  const Eigen::RowVectorXd mean = x.colwise().mean();
  const Eigen::MatrixXd xc = x.rowwise() - mean;
  const Eigen::VectorXd yc = y.array() - y.mean();
  EXPECT_TRUE(s.problem.gram.isApprox(xc.transpose() * xc, 1e-12));
  EXPECT_TRUE(s.problem.xty.isApprox(xc.transpose() * yc, 1e-12));
  EXPECT_NEAR(s.problem.y_norm2, yc.squaredNorm(), 1e-12 * yc.squaredNorm());
  EXPECT_NEAR(s.y_offset, y.mean(), 1e-12 * y.mean());
  EXPECT_TRUE((x_mean + s.shift).isApprox(mean, 1e-12));
  EXPECT_EQ(s.rows, static_cast<std::size_t>(x.rows()));
  EXPECT_EQ(s.problem.rows, s.rows);
}

TEST(BlockedDesign, MakesEachTrainingSetsCentredProblem) {
  const design_fixture f;
  const blocked_design design(f.x, f.y, true, f.bounds, 2);
  expect_training_set(design.without(blocked_design::no_block), f.x, f.y, design.x_mean());
  Eigen::MatrixXd x(15, 5);
  x << f.x.topRows(8), f.x.bottomRows(7);
  Eigen::VectorXd y(15);
  y << f.y.head(8), f.y.tail(7);
  expect_training_set(design.without(1), x, y, design.x_mean());
  expect_training_set(design.without(0), f.x.bottomRows(15), f.y.tail(15), design.x_mean());
}

TEST(BlockedDesign, LeavesDataUncentredWithoutIntercept) {
  const design_fixture f;
  const blocked_design design(f.x, f.y, false, f.bounds, 1);
  const auto s = design.without(2);
  const Eigen::MatrixXd x = f.x.topRows(16);
  EXPECT_TRUE(s.problem.gram.isApprox(x.transpose() * x, 1e-12));
  EXPECT_TRUE(s.problem.xty.isApprox(x.transpose() * f.y.head(16), 1e-12));
  EXPECT_EQ(s.y_offset, 0.0);
  EXPECT_TRUE(s.shift.isZero());
}

TEST(BlockedDesign, ScoresABlockWithTheModelOfTheOthers) {
  const design_fixture f;
  const blocked_design design(f.x, f.y, true, f.bounds, 1);
  const auto s = design.without(1);
  const Eigen::VectorXd w = Eigen::VectorXd::LinSpaced(5, -1, 1);
  const double intercept = s.y_offset - (design.x_mean() + s.shift).dot(w);
  const Eigen::VectorXd residual = (f.x.middleRows(8, 8) * w).array() + intercept - f.y.segment(8, 8).array();
  EXPECT_NEAR(design.test_mse(1, s, w), residual.squaredNorm() / 8, 1e-10);
}

// Scored rows only: the block's error over its scored rows (rows 9 and 12 of block 1), NaN for a
// block with none; what is fitted on does not change.
TEST(BlockedDesign, ScoresOnlyTheRowsFlagged) {
  const design_fixture f;
  std::vector<bool> scored(23, false);
  scored[9] = scored[12] = true;
  const blocked_design design(f.x, f.y, true, f.bounds, 1, scored), all(f.x, f.y, true, f.bounds, 1);
  const auto s = design.without(1);
  EXPECT_EQ(s.problem.gram, all.without(1).problem.gram);
  const Eigen::VectorXd w = Eigen::VectorXd::LinSpaced(5, -1, 1);
  const double intercept = s.y_offset - (design.x_mean() + s.shift).dot(w);
  const auto residual = [&](Eigen::Index r) { return f.x.row(r).dot(w) + intercept - f.y[r]; };
  EXPECT_NEAR(design.test_mse(1, s, w), (residual(9) * residual(9) + residual(12) * residual(12)) / 2, 1e-10);
  EXPECT_TRUE(std::isnan(design.test_mse(0, design.without(0), w)));
}

}  // namespace blocked_design_test
