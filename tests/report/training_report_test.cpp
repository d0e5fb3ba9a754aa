#include "layerwatt/report/training_report.hpp"

#include <gtest/gtest.h>

namespace lw = layerwatt;
namespace model = layerwatt::model;

namespace training_report_test {

model::fit_result fit(lw::layer_kind kind, lw::target what, bool with_test) {
  model::fit_result f;
  f.kind = kind;
  f.what = what;
  f.pipeline = std::string(lw::presets::preset_name(kind, what));
  f.train_rows = 120;
  f.train_models = {"alexnet", "vgg11"};
  f.alpha = 0.0125;
  f.width = 562;
  f.nonzero = 17;
  f.train_rmspe = 12.5;
  if (with_test) {
    f.test_rows = 3;
    f.test_models = {"resnet18"};
    f.test = model::regression_metrics{21.25, 0.5, 0.25, 0.875, 0.375, 0.1875};
    f.per_test_model = {{"resnet18", {"conv1 <fused>", "conv2", "conv3"}, {1, 2, 3}, {1.5, 2, 2.5}}};
  }
  return f;
}

TEST(TrainingReport, OneSelfContainedPageWithTheMetricsAndAChartPerHeldOutModelAndTarget) {
  model::training_outcome outcome;
  outcome.fits = {fit(lw::layer_kind::convolutional, lw::target::power, true),
                  fit(lw::layer_kind::convolutional, lw::target::runtime, true),
                  fit(lw::layer_kind::dense, lw::target::power, false)};
  outcome.skipped = {{lw::layer_kind::pooling, lw::target::power, "no rows in any model"}};
  outcome.missing_test_models = {"lenet"};
  model::training_config config;
  config.test_models = {"resnet18", "lenet"};
  const std::string html = lw::report::training_report_html(outcome, config, "training_data");

  EXPECT_NE(html.find("Held-out (test) models: resnet18, lenet. 10-fold"), std::string::npos);
  EXPECT_NE(html.find("not in the data: lenet"), std::string::npos);
  EXPECT_NE(html.find("<td>conv_power</td>"), std::string::npos);
  EXPECT_NE(html.find("21.25"), std::string::npos);  // test RMSPE
  EXPECT_NE(html.find("17 / 562"), std::string::npos);
  EXPECT_NE(html.find("Skipped pooling power: no rows in any model."), std::string::npos);
  // two charts (power and runtime of resnet18's convolutions); none for the fit without a test set
  std::size_t charts = 0;
  for (auto at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1)) ++charts;
  EXPECT_EQ(charts, 2u);
  EXPECT_NE(html.find("resnet18: convolutional layers, runtime"), std::string::npos);
  EXPECT_NE(html.find("runtime (ms)"), std::string::npos);
  EXPECT_NE(html.find("conv1 &lt;fused&gt;"), std::string::npos);  // layer names escaped
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));  // only the SVG namespace
}

}  // namespace training_report_test
