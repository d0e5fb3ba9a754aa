#include "layerwatt/report/bar_chart.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"
#include "well_formed.hpp"

namespace rep = layerwatt::report;
using layerwatt::testing::occurrences;

namespace bar_chart_test {

rep::bar_chart sample() {
  return {"resnet18 — convolutional power",
          "power (W)",
          {"[CONVOLUTION]-[a] + <relu> & more", "conv2", "conv3"},
          {{"measured", "#1f77b4", {1.5, 2.5, 0.5}}, {"predicted", "#ff7f0e", {1.4, 2.9, 0.7}}}};
}

TEST(BarChart, OneBarPerValueAndWellFormed) {
  const auto svg = rep::render_svg(sample());
  EXPECT_EQ(layerwatt::testing::markup_problem(svg), "");
  EXPECT_EQ(occurrences(svg, "<rect"), 6u + 2u);  // bars + legend swatches
  EXPECT_NE(svg.find("&lt;relu&gt; &amp; more"), std::string::npos);  // full name in the tooltip
  EXPECT_NE(svg.find(">…NVOLUTION]-[a]<"), std::string::npos);        // layer_label's 15 characters
  EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
}

TEST(BarChart, TallestBarReachesItsValueOnTheAxis) {
  // 2.9 on an axis to 3: the bar's top is 2.9/3 of the plot height above the base line.
  const auto svg = rep::render_svg(sample());
  EXPECT_NE(svg.find("height=\"251.3\""), std::string::npos) << svg;  // 260 * 2.9 / 3
}

TEST(BarChart, DeterministicAndRejectsRaggedSeries) {
  EXPECT_EQ(rep::render_svg(sample()), rep::render_svg(sample()));
  auto bad = sample();
  bad.series[1].values.pop_back();
  EXPECT_ERROR_MENTIONS(rep::render_svg(bad), "predicted", "2 values for 3 categories");
}

TEST(BarChart, NonFiniteAndNegativeValuesDrawNothing) {
  auto chart = sample();
  chart.series[0].values = {-1.0, std::nan(""), 1.0};
  const auto svg = rep::render_svg(chart);
  EXPECT_EQ(layerwatt::testing::markup_problem(svg), "");
  EXPECT_EQ(occurrences(svg, "height=\"0.0\""), 2u);
}

}  // namespace bar_chart_test
