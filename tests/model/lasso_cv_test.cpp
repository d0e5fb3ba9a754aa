#include "layerwatt/model/lasso_cv.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "layerwatt/model/k_fold.hpp"
#include "layerwatt/model/lasso.hpp"
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
  model::lasso_cv<> m({.folds = 3, .n_alphas = 4, .max_iter = 1, .tol = 1e-14,
                       .warn = [&](std::string_view w) { warnings.emplace_back(w); }});
  const Eigen::MatrixXd x = Eigen::MatrixXd::Random(12, 3);
  m.fit(x, x * Eigen::Vector3d(1, -2, 3) + 0.1 * Eigen::VectorXd::Random(12));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("stopped at max_iter = 1 in "), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find(" of 13 fits"), std::string::npos) << warnings[0];
}

// A constant target never gets under its tolerance of 0 (as in scikit-learn): said as what it is.
TEST(LassoCV, SaysWhenTheTargetIsConstant) {
  std::vector<std::string> warnings;
  model::lasso_cv<> m(
      {.folds = 3, .n_alphas = 4, .max_iter = 20, .warn = [&](std::string_view w) { warnings.emplace_back(w); }});
  m.fit(Eigen::MatrixXd::Random(12, 3), Eigen::VectorXd::Constant(12, 1.5));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("every training row has the same target"), std::string::npos) << warnings[0];
  EXPECT_EQ(m.predict(Eigen::MatrixXd::Random(2, 3)), Eigen::VectorXd::Constant(2, 1.5));
}

// Scoring a subset of rows: a fold without one scores nothing, the chosen alpha's score is the
// mean over the others, and flagging every row is the same as flagging none.
TEST(LassoCV, ScoresAlphasOnTheFlaggedRowsOnly) {
  const Eigen::MatrixXd x = Eigen::MatrixXd::Random(12, 3);
  const Eigen::VectorXd y = x * Eigen::Vector3d(1, -2, 0.5) + 0.1 * Eigen::VectorXd::Random(12);
  const std::vector<std::size_t> bounds{0, 4, 8, 12};
  model::lasso_cv<> every({.folds = 3, .n_alphas = 10}), flagged({.folds = 3, .n_alphas = 10}),
      some({.folds = 3, .n_alphas = 10});
  every.fit(x, y, bounds);
  flagged.fit(x, y, bounds, std::vector<bool>(12, true));
  EXPECT_EQ(every.mse_path(), flagged.mse_path());
  EXPECT_EQ(every.alpha(), flagged.alpha());
  std::vector<bool> later(12, false);
  for (std::size_t r = 4; r < 12; ++r) later[r] = r % 2 == 0;
  some.fit(x, y, bounds, later);
  EXPECT_TRUE(some.mse_path().col(0).array().isNaN().all());
  const auto best = std::find(some.alphas().begin(), some.alphas().end(), some.alpha()) - some.alphas().begin();
  EXPECT_DOUBLE_EQ(some.cv_mse(), (some.mse_path()(best, 1) + some.mse_path()(best, 2)) / 2);
  EXPECT_ERROR_MENTIONS(some.fit(x, y, bounds, std::vector<bool>(12, false)), "at least one set");
  EXPECT_ERROR_MENTIONS(some.fit(x, y, bounds, std::vector<bool>(5, true)), "5 scored-row flags for 12 rows");
}

// A column that depends on the fold: each alpha's test MSE on fold f is that of the Lasso fitted
// on the other folds' rows with the column's values for f, predicting fold f from the same
// values; the final fit uses x's column. With and without an intercept (whose centring the
// column's own values must then enter).
TEST(LassoCV, FitsAndScoresEachFoldWithItsOwnColumn) {
  layerwatt::testing::with_design("basic", [&]<model::coefficient_sign Sign>(const design_case& c) {
    const auto bounds = model::k_fold_bounds(static_cast<std::size_t>(c.x.rows()), 4);
    constexpr Eigen::Index j = 2;
    model::fold_column column{j, Eigen::MatrixXd(c.x.rows(), 4)};
    for (Eigen::Index f = 0; f < 4; ++f)
      column.values.col(f) = c.x.col(j).array() * (1 + 0.1 * static_cast<double>(f)) + 0.2 * static_cast<double>(f);
    for (const bool intercept : {true, false}) {
      const model::lasso_cv_options options{.folds = 4, .n_alphas = 8, .tol = 1e-12, .fit_intercept = intercept,
                                            .warn = {}};
      model::lasso_cv<Sign> plain(options), same(options), by_fold(options);
      plain.fit(c.x, c.y, bounds);
      same.fit(c.x, c.y, bounds, {}, model::fold_column{j, c.x.col(j).replicate(1, 4)});
      by_fold.fit(c.x, c.y, bounds, {}, column);
      EXPECT_TRUE(same.mse_path().isApprox(plain.mse_path(), 1e-10));
      EXPECT_FALSE(by_fold.mse_path().isApprox(plain.mse_path(), 1e-3));
      for (std::size_t f = 0; f + 1 < bounds.size(); ++f) {
        const auto s = static_cast<Eigen::Index>(bounds[f]), len = static_cast<Eigen::Index>(bounds[f + 1] - bounds[f]);
        const auto rest = c.x.rows() - len;
        Eigen::MatrixXd x_f = c.x;
        x_f.col(j) = column.values.col(static_cast<Eigen::Index>(f));
        Eigen::MatrixXd x(rest, c.x.cols());
        Eigen::VectorXd y(rest);
        x << x_f.topRows(s), x_f.bottomRows(rest - s);
        y << c.y.head(s), c.y.tail(rest - s);
        for (std::size_t i = 0; i < by_fold.alphas().size(); i += 3) {
          model::lasso<Sign> one(
              {.alpha = by_fold.alphas()[i], .fit_intercept = intercept, .max_iter = 10000, .tol = 1e-12, .warn = {}});
          one.fit(x, y);
          const double mse =
              (one.predict(x_f.middleRows(s, len)) - c.y.segment(s, len)).squaredNorm() / static_cast<double>(len);
          EXPECT_NEAR(by_fold.mse_path()(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(f)), mse, 1e-6 * mse)
              << "fold " << f << ", alpha " << by_fold.alphas()[i] << ", intercept " << intercept;
        }
      }
      model::lasso<Sign> all(
          {.alpha = by_fold.alpha(), .fit_intercept = intercept, .max_iter = 10000, .tol = 1e-12, .warn = {}});
      all.fit(c.x, c.y);
      EXPECT_TRUE(by_fold.coef().isApprox(all.coef(), 1e-6));
    }
    model::lasso_cv<Sign> m({.folds = 4, .warn = {}});
    EXPECT_ERROR_MENTIONS(m.fit(c.x, c.y, bounds, {}, model::fold_column{j, column.values.leftCols(3)}),
                          "a fold column 2 of 60 x 3; expected a column from 0 to 7 of 60 x 4 (rows x folds)");
    EXPECT_ERROR_MENTIONS(m.fit(c.x, c.y, bounds, {}, model::fold_column{8, column.values}), "a fold column 8");
    column.values(0, 0) = std::nan("");
    EXPECT_ERROR_MENTIONS(m.fit(c.x, c.y, bounds, {}, column), "not all finite");
  });
}

TEST(LassoCV, RefusesImpossibleSettings) {
  const Eigen::MatrixXd x = Eigen::MatrixXd::Random(6, 2);
  const Eigen::VectorXd y = Eigen::VectorXd::Random(6);
  EXPECT_ERROR_MENTIONS(model::lasso_cv<>({.folds = 10}).fit(x, y), "10 cross-validation folds from 6 rows");
  EXPECT_ERROR_MENTIONS(model::lasso_cv<>({.n_alphas = 0}).fit(x, y), "n_alphas");
  EXPECT_ERROR_MENTIONS(model::lasso_cv<>({.folds = 3, .eps = 0}).fit(x, y), "eps");
}

}  // namespace lasso_cv_test
