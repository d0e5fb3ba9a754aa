#include "layerwatt/model/lasso_cv.hpp"

#include <gtest/gtest.h>

#include "model/design_cases.hpp"
#include "support/temp_dir.hpp"

namespace lasso_cv_test {

namespace model = layerwatt::model;
using layerwatt::testing::design_case;
using layerwatt::testing::parity;
using layerwatt::testing::to_matrix;
using layerwatt::testing::to_vector;

template <model::coefficient_sign Sign>
model::lasso_cv<Sign> fit_like(const design_case& c, unsigned threads = 0) {
  model::lasso_cv<Sign> m({.folds = c.spec["cv"].get<std::size_t>(),
                           .n_alphas = c.spec["n_alphas"].get<std::size_t>(),
                           .fit_intercept = c.fit_intercept,
                           .threads = threads,
                           .warn = {}});
  m.fit(c.x, c.y);
  return m;
}

// The designs cover positive=True, constant columns, more features than rows, a perfectly
// collinear design (a duplicate column and an exact combination: the solution is not unique,
// but both fits run the same sweeps in the same order, so the same one is found), no intercept,
// and a constant target (every alpha at numpy's resolution; every fit stops at max_iter). No
// design needed a fallback to comparing objectives.
TEST(LassoCV, EqualsScikitLearnOnEveryDesign) {
  for (const auto& name : layerwatt::testing::design_names)
    layerwatt::testing::with_design(name, [&]<model::coefficient_sign Sign>(const design_case& c) {
      const auto m = fit_like<Sign>(c);
      const auto& expected = c.golden["lasso_cv"];
      SCOPED_TRACE(name);
      EXPECT_TRUE(parity(m.alpha(), expected["alpha"].get<double>()));
      EXPECT_TRUE(parity(
          Eigen::Map<const Eigen::VectorXd>(m.alphas().data(), static_cast<Eigen::Index>(m.alphas().size())),
          to_vector(expected["alphas"])));
      EXPECT_TRUE(parity(m.mse_path(), to_matrix(expected["mse_path"])));
      EXPECT_TRUE(parity(m.coef(), to_vector(expected["coef"])));
      EXPECT_TRUE(parity(m.intercept(), expected["intercept"].get<double>()));
      EXPECT_EQ(m.n_iter(), expected["n_iter"].get<std::size_t>());
    });
}

TEST(LassoCV, GivesTheSameResultsOnAnyNumberOfThreads) {
  layerwatt::testing::with_design("collinear", [&]<model::coefficient_sign Sign>(const design_case& c) {
    const auto one = fit_like<Sign>(c, 1), two = fit_like<Sign>(c, 2), five = fit_like<Sign>(c, 5);
    EXPECT_EQ(one.mse_path(), two.mse_path());
    EXPECT_EQ(one.mse_path(), five.mse_path());
    EXPECT_EQ(one.coef(), two.coef());
  });
}

TEST(LassoCV, ReportsStopsAtMaxIterOnce) {
  std::vector<std::string> warnings;
  model::lasso_cv<> m(
      {.folds = 3, .n_alphas = 4, .max_iter = 20, .warn = [&](std::string_view w) { warnings.emplace_back(w); }});
  m.fit(Eigen::MatrixXd::Random(12, 3), Eigen::VectorXd::Constant(12, 1.5));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("in 13 of 13 fits"), std::string::npos) << warnings[0];
}

TEST(LassoCV, RefusesImpossibleSettings) {
  const Eigen::MatrixXd x = Eigen::MatrixXd::Random(6, 2);
  const Eigen::VectorXd y = Eigen::VectorXd::Random(6);
  EXPECT_ERROR_MENTIONS(model::lasso_cv<>({.folds = 10}).fit(x, y), "10 cross-validation folds from 6 rows");
  EXPECT_ERROR_MENTIONS(model::lasso_cv<>({.n_alphas = 0}).fit(x, y), "n_alphas");
  EXPECT_ERROR_MENTIONS(model::lasso_cv<>({.folds = 3, .eps = 0}).fit(x, y), "eps");
}

}  // namespace lasso_cv_test
