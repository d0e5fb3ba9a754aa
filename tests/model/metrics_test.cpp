#include "layerwatt/model/metrics.hpp"

#include <gtest/gtest.h>

#include "support/golden.hpp"
#include "support/temp_dir.hpp"

namespace metrics_test {

namespace model = layerwatt::model;

TEST(Metrics, EqualTheReferencesAndScikitLearns) {
  const auto& g = layerwatt::testing::golden("golden_metrics.json");
  for (const auto& name : {"typical", "with_zero_actual", "perfect", "constant_actual"}) {
    const auto actual = g[name]["actual"].get<std::vector<double>>();
    const auto predicted = g[name]["predicted"].get<std::vector<double>>();
    const model::regression_metrics m = model::evaluate(actual, predicted);
    SCOPED_TRACE(name);
    for (const auto& [value, key] : {std::pair{m.rmspe, "rmspe"},
                                     {m.rmse, "rmse"},
                                     {m.mse, "mse"},
                                     {m.r2, "r2"},
                                     {m.mae, "mae"},
                                     {m.mape, "mape"}})
      EXPECT_NEAR(value, g[name][key].get<double>(), 1e-12 * std::max(1.0, std::abs(g[name][key].get<double>())))
          << key;
  }
}

TEST(Metrics, RefuseMismatchedOrEmptyInput) {
  const std::vector<double> two = {1, 2}, three = {1, 2, 3}, none;
  EXPECT_ERROR_MENTIONS(model::rmspe(two, three), "2 actual values but 3 predictions");
  EXPECT_ERROR_MENTIONS(model::r2(none, none), "no values");
}

}  // namespace metrics_test
