#include "layerwatt/model/alpha_grid.hpp"

#include <gtest/gtest.h>

#include "support/golden.hpp"

namespace alpha_grid_test {

using layerwatt::model::lasso_alpha_grid;

TEST(AlphaGrid, IsLogSpacedDownToEpsTimesAlphaMax) {
  Eigen::VectorXd xty(3);
  xty << 2.0, -50.0, 10.0;
  const auto alphas = lasso_alpha_grid(xty, 10, 4, 1e-3);
  ASSERT_EQ(alphas.size(), 4u);
  EXPECT_NEAR(alphas.front(), 5.0, 1e-15);  // max |Xᵀy| / n, as 10^log10(it)
  EXPECT_NEAR(alphas[1], 5.0 * 0.1, 1e-15);
  EXPECT_NEAR(alphas.back(), 5.0 * 1e-3, 1e-17);
}

TEST(AlphaGrid, MatchesScikitLearnsGrids) {
  const auto& designs = layerwatt::testing::golden("designs.json");
  const auto& g = layerwatt::testing::golden("golden_lasso.json");
  for (const auto& name : {"basic", "positive", "more_features_than_rows", "collinear"}) {
    const Eigen::MatrixXd x = layerwatt::testing::to_matrix(designs[name]["X"]);
    const Eigen::VectorXd y = layerwatt::testing::to_vector(designs[name]["y"]);
    const Eigen::MatrixXd xc = x.rowwise() - x.colwise().mean();
    const Eigen::VectorXd yc = y.array() - y.mean();
    const Eigen::VectorXd expected = layerwatt::testing::to_vector(g[name]["lasso_cv"]["alphas"]);
    const auto alphas = lasso_alpha_grid(xc.transpose() * yc, static_cast<std::size_t>(x.rows()),
                                         static_cast<std::size_t>(expected.size()), 1e-3);
    for (Eigen::Index i = 0; i < expected.size(); ++i)
      EXPECT_NEAR(alphas[static_cast<std::size_t>(i)], expected[i], 1e-13 * expected[i]) << name << " " << i;
  }
}

TEST(AlphaGrid, IsFlatAtNumpysResolutionForAConstantTarget) {
  const auto alphas = lasso_alpha_grid(Eigen::VectorXd::Zero(4), 10, 5, 1e-3);
  for (const double a : alphas) EXPECT_EQ(a, 1e-15);
}

TEST(AlphaGrid, OfOneIsTheSmallestEnd) {
  Eigen::VectorXd xty(1);
  xty << 10.0;
  EXPECT_NEAR(lasso_alpha_grid(xty, 1, 1, 1e-3).front(), 1e-2, 1e-17);  // numpy.linspace(a, b, 1) == [a]
}

}  // namespace alpha_grid_test
