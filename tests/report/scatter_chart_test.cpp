#include "layerwatt/report/scatter_chart.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "well_formed.hpp"

namespace rep = layerwatt::report;
using layerwatt::testing::occurrences;

namespace scatter_chart_test {

rep::scatter_chart sample() {
  return {"energy: measured and predicted (mJ)",
          "mJ",
          {{"lenet <small> & fast", 1, 1.1, true}, {"vgg16", 100, 80, false}, {"resnet18", 10, 10, false}}};
}

// Log axes over whole decades (1 to 100 here): a point at 10 measured, 10 predicted sits in the
// middle of the 320-pixel plot; held-out points are filled, the others hollow, as the legend says.
TEST(ScatterChart, PointsOnLogAxesWithALegendAndWellFormed) {
  const auto svg = rep::render_svg(sample());
  EXPECT_EQ(layerwatt::testing::markup_problem(svg), "");
  EXPECT_NE(svg.find("cx=\"230.0\" cy=\"200.0\""), std::string::npos) << svg;  // 70 + 160, 40 + 320 - 160
  EXPECT_EQ(occurrences(svg, "fill=\"#e15759\""), 2u);  // lenet and its legend entry
  EXPECT_NE(svg.find(">held out<"), std::string::npos);
  EXPECT_NE(svg.find(">trained on<"), std::string::npos);
  EXPECT_NE(svg.find("lenet &lt;small&gt; &amp; fast: measured 1, predicted 1.1 mJ (+10.0 %)"), std::string::npos);
}

TEST(ScatterChart, PointsWithoutAPositiveValueAreCountedNotDrawn) {
  auto chart = sample();
  chart.points.push_back({"zero", 5, 0, false});
  chart.points.push_back({"nan", std::nan(""), 5, false});
  const auto svg = rep::render_svg(chart);
  EXPECT_NE(svg.find("(2 not drawn: no positive value)"), std::string::npos);
  EXPECT_EQ(occurrences(svg, "<title>"), 3u);
  for (auto& p : chart.points) p.held_out = false;
  EXPECT_EQ(rep::render_svg(chart).find(">held out<"), std::string::npos);  // no filled point, no legend entry
}

// A fit that predicts nothing above 0 still gets its chart: a note in place of the axes.
TEST(ScatterChart, WithNothingToDrawItSaysSo) {
  rep::scatter_chart chart{"runtime: measured and predicted (ms)", "ms", {{"a", 0.004, 0}, {"b", 0.01, 0}}};
  const auto svg = rep::render_svg(chart);
  EXPECT_EQ(layerwatt::testing::markup_problem(svg), "");
  EXPECT_NE(svg.find("no point to draw: none of the 2 has a measured and a predicted value above 0"),
            std::string::npos)
      << svg;
  EXPECT_EQ(occurrences(svg, "<circle"), 0u);
}

}  // namespace scatter_chart_test
