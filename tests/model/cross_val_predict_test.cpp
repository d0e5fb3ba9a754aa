#include "layerwatt/model/cross_val_predict.hpp"

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "layerwatt/model/k_fold.hpp"
#include "model/design_cases.hpp"
#include "support/temp_dir.hpp"

namespace cross_val_predict_test {

namespace model = layerwatt::model;
using layerwatt::testing::design_case;
using layerwatt::testing::parity;
using layerwatt::testing::to_vector;

template <model::coefficient_sign Sign>
Eigen::VectorXd predict_like(const design_case& c, double alpha, unsigned threads = 0) {
  const auto bounds = model::k_fold_bounds(static_cast<std::size_t>(c.x.rows()), c.spec["cv"].get<std::size_t>());
  return model::cross_val_predict<Sign>(
      c.x, c.y, bounds, {.alpha = alpha, .fit_intercept = c.fit_intercept, .max_iter = 10000, .warn = {}}, threads);
}

TEST(CrossValPredict, EqualsScikitLearnOnEveryDesign) {
  for (const auto& name : layerwatt::testing::design_names)
    layerwatt::testing::with_design(name, [&]<model::coefficient_sign Sign>(const design_case& c) {
      for (const auto& expected : c.golden["cross_val_predict"]) {
        SCOPED_TRACE(name + ", alpha " + expected["alpha"].dump());
        EXPECT_TRUE(parity(predict_like<Sign>(c, expected["alpha"].get<double>()), to_vector(expected["predicted"])));
      }
    });
}

// A row's prediction is made without it: changing one fold's targets moves no prediction in
// that fold, and moves the other folds'.
TEST(CrossValPredict, PredictsAFoldWithoutItsOwnRows) {
  layerwatt::testing::with_design("basic", [&]<model::coefficient_sign Sign>(const design_case& c) {
    const auto bounds = model::k_fold_bounds(static_cast<std::size_t>(c.x.rows()), 5);
    const model::lasso_options options{.alpha = 0.05, .fit_intercept = true, .max_iter = 10000};
    Eigen::VectorXd changed = c.y;
    const auto s = static_cast<Eigen::Index>(bounds[1]), len = static_cast<Eigen::Index>(bounds[2] - bounds[1]);
    changed.segment(s, len).array() += 10;
    const auto before = model::cross_val_predict<Sign>(c.x, c.y, bounds, options);
    const auto after = model::cross_val_predict<Sign>(c.x, changed, bounds, options);
    EXPECT_EQ(before.segment(s, len), after.segment(s, len));
    EXPECT_GT((before.head(s) - after.head(s)).norm(), 1e-3);
  });
}

// fold_predictions' column f is the Lasso fitted without fold f, predicting every row; its
// held-out entries are cross_val_predict.
TEST(CrossValPredict, KeepsEachFoldModelsPredictionsOfEveryRow) {
  layerwatt::testing::with_design("basic", [&]<model::coefficient_sign Sign>(const design_case& c) {
    const auto bounds = model::k_fold_bounds(static_cast<std::size_t>(c.x.rows()), 4);
    const model::lasso_options options{.alpha = 0.05, .fit_intercept = true, .max_iter = 10000, .tol = 1e-12};
    const Eigen::MatrixXd by_fold = model::fold_predictions<Sign>(c.x, c.y, bounds, options);
    const Eigen::VectorXd held_out = model::cross_val_predict<Sign>(c.x, c.y, bounds, options);
    ASSERT_EQ(by_fold.rows(), c.x.rows());
    ASSERT_EQ(by_fold.cols(), 4);
    for (std::size_t f = 0; f + 1 < bounds.size(); ++f) {
      const auto s = static_cast<Eigen::Index>(bounds[f]), len = static_cast<Eigen::Index>(bounds[f + 1] - bounds[f]);
      const auto rest = c.x.rows() - len;
      Eigen::MatrixXd x(rest, c.x.cols());
      Eigen::VectorXd y(rest);
      x << c.x.topRows(s), c.x.bottomRows(rest - s);
      y << c.y.head(s), c.y.tail(rest - s);
      model::lasso<Sign> one(options);
      one.fit(x, y);
      EXPECT_TRUE(by_fold.col(static_cast<Eigen::Index>(f)).isApprox(one.predict(c.x), 1e-8)) << "fold " << f;
      EXPECT_EQ(by_fold.col(static_cast<Eigen::Index>(f)).segment(s, len), held_out.segment(s, len));
    }
  });
}

TEST(CrossValPredict, GivesTheSameResultsOnAnyNumberOfThreads) {
  layerwatt::testing::with_design("collinear", [&]<model::coefficient_sign Sign>(const design_case& c) {
    EXPECT_EQ(predict_like<Sign>(c, 0.005, 1), predict_like<Sign>(c, 0.005, 3));
  });
}

TEST(CrossValPredict, ReportsFoldsStoppedAtMaxIter) {
  std::vector<std::string> warnings;
  const model::lasso_options options{
      .alpha = 0.1, .max_iter = 50, .warn = [&](std::string_view w) { warnings.emplace_back(w); }};
  const Eigen::VectorXd predicted =
      model::cross_val_predict(Eigen::MatrixXd::Random(12, 3), Eigen::VectorXd::Constant(12, 2.5), {0, 4, 8, 12}, options);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("stopped at max_iter = 50 in 3 of 3 fits"), std::string::npos) << warnings[0];
  EXPECT_EQ(predicted, Eigen::VectorXd::Constant(12, 2.5));
}

TEST(CrossValPredict, RefusesBadInput) {
  const Eigen::MatrixXd x = Eigen::MatrixXd::Random(6, 2);
  const Eigen::VectorXd y = Eigen::VectorXd::Random(6);
  const auto predict = [&](const std::vector<std::size_t>& bounds, const model::lasso_options& options) {
    return model::cross_val_predict(x, y, bounds, options);
  };
  EXPECT_ERROR_MENTIONS(predict({0, 6}, {}),
                        "cross_val_predict(lasso): fold boundaries must rise strictly from 0 to the 6 rows, in at "
                        "least 2 folds");
  EXPECT_ERROR_MENTIONS(predict({0, 3, 3, 6}, {}), "fold boundaries must rise strictly");
  EXPECT_ERROR_MENTIONS(predict({0, 3, 5}, {}), "fold boundaries must rise strictly");
  EXPECT_ERROR_MENTIONS(predict({0, 3, 6}, {.alpha = -1}), "cross_val_predict(lasso): alpha must be >= 0, got -1");
  EXPECT_ERROR_MENTIONS(predict({0, 3, 6}, {.max_iter = 0}), "max_iter must be at least 1");
  EXPECT_ERROR_MENTIONS(model::cross_val_predict(x, Eigen::VectorXd::Random(5), {0, 3, 6}, {}),
                        "6 rows of features but 5 targets");
}

}  // namespace cross_val_predict_test
