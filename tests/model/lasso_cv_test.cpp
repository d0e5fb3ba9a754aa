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
  model::lasso_cv<> m(
      {.folds = 3, .n_alphas = 4, .max_iter = 20, .warn = [&](std::string_view w) { warnings.emplace_back(w); }});
  m.fit(Eigen::MatrixXd::Random(12, 3), Eigen::VectorXd::Constant(12, 1.5));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("in 13 of 13 fits"), std::string::npos) << warnings[0];
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

// A fold scored on held-out features: each alpha's test MSE is that of the Lasso fitted on the
// other folds' rows of x, predicting the fold from held_out_x; the fit itself uses x.
TEST(LassoCV, ScoresAFoldOnItsHeldOutFeatures) {
  layerwatt::testing::with_design("basic", [&]<model::coefficient_sign Sign>(const design_case& c) {
    const auto bounds = model::k_fold_bounds(static_cast<std::size_t>(c.x.rows()), 4);
    Eigen::MatrixXd held_out = c.x;
    held_out.col(2).array() *= 1.3;
    held_out.col(5).array() += 0.5;
    const model::lasso_cv_options options{.folds = 4, .n_alphas = 8, .tol = 1e-12, .warn = {}};
    model::lasso_cv<Sign> plain(options), same(options), scored_apart(options);
    plain.fit(c.x, c.y, bounds);
    same.fit(c.x, c.y, bounds, {}, c.x);
    scored_apart.fit(c.x, c.y, bounds, {}, held_out);
    EXPECT_EQ(same.mse_path(), plain.mse_path());
    EXPECT_NE(scored_apart.mse_path(), plain.mse_path());
    for (std::size_t f = 0; f + 1 < bounds.size(); ++f) {
      const auto s = static_cast<Eigen::Index>(bounds[f]), len = static_cast<Eigen::Index>(bounds[f + 1] - bounds[f]);
      const auto rest = c.x.rows() - len;
      Eigen::MatrixXd x(rest, c.x.cols());
      Eigen::VectorXd y(rest);
      x << c.x.topRows(s), c.x.bottomRows(rest - s);
      y << c.y.head(s), c.y.tail(rest - s);
      for (std::size_t i = 0; i < scored_apart.alphas().size(); i += 3) {
        model::lasso<Sign> one({.alpha = scored_apart.alphas()[i], .max_iter = 10000, .tol = 1e-12, .warn = {}});
        one.fit(x, y);
        const double mse = (one.predict(held_out.middleRows(s, len)) - c.y.segment(s, len)).squaredNorm() /
                           static_cast<double>(len);
        EXPECT_NEAR(scored_apart.mse_path()(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(f)), mse,
                    1e-6 * mse)
            << "fold " << f << ", alpha " << scored_apart.alphas()[i];
      }
    }
    model::lasso<Sign> all({.alpha = scored_apart.alpha(), .max_iter = 10000, .tol = 1e-12, .warn = {}});
    all.fit(c.x, c.y);
    EXPECT_TRUE(scored_apart.coef().isApprox(all.coef(), 1e-6));
    EXPECT_ERROR_MENTIONS(scored_apart.fit(c.x, c.y, bounds, {}, Eigen::MatrixXd(held_out.leftCols(3))),
                          "held-out features of 60 x 3; expected 60 x 8");
    held_out(0, 0) = std::nan("");
    EXPECT_ERROR_MENTIONS(scored_apart.fit(c.x, c.y, bounds, {}, held_out), "not all finite");
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
