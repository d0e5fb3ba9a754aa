#include "layerwatt/model/lasso.hpp"

#include <gtest/gtest.h>

#include "model/design_cases.hpp"
#include "support/temp_dir.hpp"

namespace lasso_test {

namespace model = layerwatt::model;
using layerwatt::testing::design_case;
using layerwatt::testing::parity;
using layerwatt::testing::to_vector;

// coef_, intercept_, dual_gap_ within parity; n_iter_ equal: the same sweeps, stopped alike.
TEST(Lasso, EqualsScikitLearnOnEveryDesign) {
  for (const auto& name : layerwatt::testing::design_names)
    layerwatt::testing::with_design(name, [&]<model::coefficient_sign Sign>(const design_case& c) {
      for (const auto& expected : c.golden["lasso"]) {
        model::lasso<Sign> m({.alpha = expected["alpha"].get<double>(),
                              .fit_intercept = c.fit_intercept,
                              .max_iter = 10000,
                              .warn = {}});
        m.fit(c.x, c.y);
        SCOPED_TRACE(name + ", alpha " + expected["alpha"].dump());
        EXPECT_TRUE(parity(m.coef(), to_vector(expected["coef"])));
        EXPECT_TRUE(parity(m.intercept(), expected["intercept"].get<double>()));
        EXPECT_TRUE(parity(m.dual_gap(), expected["dual_gap"].get<double>()));
        EXPECT_EQ(m.n_iter(), expected["n_iter"].get<std::size_t>());
        EXPECT_EQ(m.model().alpha, expected["alpha"].get<double>());
        if (Sign == model::coefficient_sign::positive) {
          EXPECT_GE(m.coef().minCoeff(), 0.0);
        }
      }
    });
}

TEST(Lasso, PredictsXTimesCoefPlusIntercept) {
  model::lasso<> m({.alpha = 0.1});
  Eigen::MatrixXd x(4, 2);
  x << 0, 1, 1, 0, 2, 1, 3, 3;
  const Eigen::VectorXd y = x.col(0) * 2 + Eigen::VectorXd::Constant(4, 1);
  m.fit(x, y);
  EXPECT_TRUE(m.predict(x).isApprox(((x * m.coef()).array() + m.intercept()).matrix()));
  EXPECT_EQ(model::lasso<>::type_name(), "lasso");
  EXPECT_EQ(model::lasso<model::coefficient_sign::positive>::type_name(), "lasso<positive>");
}

TEST(Lasso, ReportsWhenItStopsAtMaxIter) {
  // A constant target: the tolerance is tol·‖y‖² = 0, a gap of 0 is not below it (as in scikit-learn).
  std::vector<std::string> warnings;
  model::lasso<> m({.alpha = 0.1, .max_iter = 50, .warn = [&](std::string_view w) { warnings.emplace_back(w); }});
  m.fit(Eigen::MatrixXd::Random(10, 3), Eigen::VectorXd::Constant(10, 2.5));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("did not converge in 50 iterations"), std::string::npos) << warnings[0];
  EXPECT_EQ(m.intercept(), 2.5);
}

TEST(Lasso, RefusesBadInput) {
  model::lasso<> m;
  EXPECT_ERROR_MENTIONS(m.fit(Eigen::MatrixXd::Zero(3, 2), Eigen::VectorXd::Zero(4)), "3 rows", "4 targets");
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(3, 2);
  x(1, 1) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_ERROR_MENTIONS(m.fit(x, Eigen::VectorXd::Zero(3)), "non-finite");
  EXPECT_ERROR_MENTIONS(model::lasso<>({.alpha = -1}).fit(Eigen::MatrixXd::Zero(3, 2), Eigen::VectorXd::Zero(3)),
                        "alpha must be >= 0");
  EXPECT_ERROR_MENTIONS(model::lasso<>({.max_iter = 0}).fit(Eigen::MatrixXd::Zero(3, 2), Eigen::VectorXd::Zero(3)),
                        "max_iter");
}

}  // namespace lasso_test
