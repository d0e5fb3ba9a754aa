#include "layerwatt/model/presets.hpp"

#include <gtest/gtest.h>

#include "layerwatt/model/metrics.hpp"
#include "model/layer_data.hpp"

namespace presets_test {

namespace model = layerwatt::model;
namespace presets = layerwatt::presets;
namespace tf = layerwatt::transform;
using layerwatt::testing::parity;
using layerwatt::testing::to_matrix;
using layerwatt::testing::to_vector;

static_assert(presets::conv_power::width == 562 && presets::conv_runtime::width == 562);
static_assert(presets::pooling_power::width == 367 && presets::pooling_runtime::width == 367);
static_assert(presets::dense_power::width == 20 && presets::dense_runtime::width == 20);
static_assert(!std::is_same_v<presets::dense_power, presets::dense_runtime>);
static_assert(!std::is_same_v<presets::conv_power, presets::conv_runtime>);
static_assert(
    std::is_same_v<presets::conv_power::estimator_type, model::lasso_cv<model::coefficient_sign::positive>>);
static_assert(
    std::is_same_v<presets::pooling_runtime::estimator_type, model::lasso_cv<model::coefficient_sign::any>>);

// The preset fitted as make_golden.py fitted scikit-learn's pipeline: alpha_, the alpha grid,
// mse_path_, coef_, intercept_, n_iter_, the scaler's parameters and the predictions on the
// training rows agree; so does the reference's training RMSPE.
template <typename Preset>
void expect_scikit_learn(const std::string& name) {
  const auto& g = layerwatt::testing::golden("golden_presets.json")[name];
  const auto data = layerwatt::testing::read_layers<typename Preset::features>(g["layers"].get<std::string>(),
                                                                               g["target"].get<std::string>());
  Preset p({.folds = g["cv"].get<std::size_t>(), .n_alphas = g["n_alphas"].get<std::size_t>()});
  p.fit(data.x, data.y);
  const auto& cv = p.estimator();
  EXPECT_TRUE(parity(cv.alpha(), g["alpha"].get<double>()));
  EXPECT_TRUE(
      parity(Eigen::Map<const Eigen::VectorXd>(cv.alphas().data(), static_cast<Eigen::Index>(cv.alphas().size())),
             to_vector(g["alphas"])));
  EXPECT_TRUE(parity(cv.mse_path(), to_matrix(g["mse_path"])));
  EXPECT_TRUE(parity(cv.coef(), to_vector(g["coef"])));
  EXPECT_TRUE(parity(cv.intercept(), g["intercept"].get<double>()));
  EXPECT_EQ(cv.n_iter(), g["n_iter"].get<std::size_t>());

  constexpr std::size_t last = Preset::transforms_type::size - 1;
  const auto& scaler = p.transforms().template step<last>();
  EXPECT_TRUE(parity(scaler.first(), to_vector(g["scaler"][g["scaler"]["kind"] == "robust" ? "center" : "mean"])));
  EXPECT_TRUE(parity(scaler.second(), to_vector(g["scaler"]["scale"])));

  const Eigen::VectorXd predicted = p.predict(data.x);
  EXPECT_TRUE(parity(predicted, to_vector(g["prediction"])));
  const std::vector<double> actual(data.y.begin(), data.y.end()), ours(predicted.begin(), predicted.end());
  EXPECT_TRUE(parity(model::rmspe(actual, ours), g["train_rmspe"].get<double>()));
  EXPECT_EQ(Preset::name(), name);
}

// The one with the reference's settings in full: n_alphas 500, cv 10.
TEST(Presets, ConvPowerEqualsScikitLearn) { expect_scikit_learn<presets::conv_power>("conv_power"); }
TEST(Presets, ConvRuntimeEqualsScikitLearn) { expect_scikit_learn<presets::conv_runtime>("conv_runtime"); }
TEST(Presets, PoolingPowerEqualsScikitLearn) { expect_scikit_learn<presets::pooling_power>("pooling_power"); }
TEST(Presets, PoolingRuntimeEqualsScikitLearn) {
  expect_scikit_learn<presets::pooling_runtime>("pooling_runtime");
}
TEST(Presets, DensePowerEqualsScikitLearn) { expect_scikit_learn<presets::dense_power>("dense_power"); }
TEST(Presets, DenseRuntimeEqualsScikitLearn) { expect_scikit_learn<presets::dense_runtime>("dense_runtime"); }

TEST(Presets, DefaultToTheReferencesSettings) {
  const presets::conv_power p;
  EXPECT_EQ(p.estimator().settings().folds, 10u);
  EXPECT_EQ(p.estimator().settings().n_alphas, 500u);
  EXPECT_EQ(p.estimator().settings().max_iter, 10000u);
  EXPECT_EQ(p.estimator().settings().tol, 1e-4);
}

TEST(Presets, NameANonDefaultShape) {
  EXPECT_EQ(presets::pooling_power::name(), "pooling_power");
  EXPECT_EQ((presets::pooling_power_pipeline<3, tf::standard_scaler>::name()),
            "pooling_power<degree=3, scaler=standard_scaler>");
  EXPECT_EQ((presets::conv_power_pipeline<2>::name()), "conv_power<degree=2, scaler=standard_scaler>");
}

}  // namespace presets_test
