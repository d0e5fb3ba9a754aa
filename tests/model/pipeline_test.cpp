#include "layerwatt/model/pipeline.hpp"

#include <gtest/gtest.h>

#include "layerwatt/model/lasso.hpp"
#include "layerwatt/model/lasso_cv.hpp"
#include "layerwatt/transform/feature_union.hpp"
#include "layerwatt/transform/log1p.hpp"
#include "layerwatt/transform/min_max_scaler.hpp"
#include "layerwatt/transform/polynomial.hpp"
#include "layerwatt/transform/special_terms.hpp"
#include "model/layer_data.hpp"
#include "support/temp_dir.hpp"

namespace pipeline_test {

namespace model = layerwatt::model;
namespace tf = layerwatt::transform;
namespace features = layerwatt::features;

using macs = tf::product<features::batch_size, features::input_size, features::output_size>;
using scaled = model::pipeline<features::dense, tf::feature_union<tf::polynomial<2>, tf::special_terms<macs>>,
                               tf::min_max_scaler, model::lasso_cv<model::coefficient_sign::positive>>;
using unscaled = model::pipeline<features::dense, tf::log1p, tf::polynomial<2>, model::lasso<>>;

static_assert(scaled::input_width == 3 && scaled::width == 11);
static_assert(unscaled::width == 10);

const auto& dense_rows() {
  static const auto data = layerwatt::testing::read_layers<features::dense>("dense.csv", "runtime");
  return data;
}

// Predicting a row must be the estimator applied to the fully transformed row.
template <typename P>
void expect_consistent_predictions(const P& p) {
  const auto& data = dense_rows();
  const Eigen::MatrixXd transformed = p.transforms().transform(data.x);
  const Eigen::VectorXd expected = (transformed * p.model().coef).array() + p.model().intercept;
  const Eigen::VectorXd many = p.predict(data.x);
  for (Eigen::Index r = 0; r < data.x.rows(); ++r) {
    const typename P::row row = {data.x(r, 0), data.x(r, 1), data.x(r, 2)};
    EXPECT_EQ(p.predict(row), many[r]) << r;
    EXPECT_NEAR(many[r], expected[r], 1e-12 * std::max(1.0, std::abs(expected[r]))) << r;
  }
}

TEST(Pipeline, PredictsARowAsTheEstimatorOnTheTransformedRow) {
  scaled p({.folds = 5, .n_alphas = 30});
  p.fit(dense_rows().x, dense_rows().y);
  expect_consistent_predictions(p);
  unscaled u({.alpha = 1e-3, .max_iter = 5000, .warn = {}});
  u.fit(dense_rows().x, dense_rows().y);
  expect_consistent_predictions(u);
}

TEST(Pipeline, SpellsItsStructure) {
  EXPECT_EQ(unscaled::type_name(), "pipeline<[batch_size, input_size, output_size], log1p, polynomial<2>, lasso>");
}

TEST(Pipeline, RefusesToPredictBeforeFit) {
  EXPECT_ERROR_MENTIONS(static_cast<void>(unscaled{}.predict(dense_rows().x)), "not fitted");
}

TEST(Pipeline, NamesARowWhoseFeaturesAreNotFinite) {
  tf::table x = dense_rows().x.topRows(10);
  x(6, 1) = -3;  // log1p(-3) is NaN
  unscaled u;
  EXPECT_ERROR_MENTIONS(u.fit(x, dense_rows().y.head(10)), "training row 7", "not finite");
  EXPECT_ERROR_MENTIONS(u.fit(tf::table::Zero(4, 2), Eigen::VectorXd::Zero(4)), "3 values, got 2");
}

}  // namespace pipeline_test
