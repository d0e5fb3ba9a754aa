#include "layerwatt/report/html_page.hpp"

#include <gtest/gtest.h>

#include "layerwatt/report/bar_chart.hpp"
#include "well_formed.hpp"

namespace rep = layerwatt::report;

TEST(HtmlPage, SelfContainedAndWellFormed) {
  rep::html_page page("Training report <models>");
  page.heading("convolutional & power")
      .paragraph("RMSPE < 10%")
      .table({"metric", "value"}, {{"RMSPE", "7.35"}, {"layer", "a<b"}})
      .svg(rep::render_svg({"t", "W", {"a"}, {{"measured", "#000", {1.0}}}}));
  const auto html = page.render();
  EXPECT_EQ(layerwatt::testing::markup_problem(html, true), "");
  EXPECT_NE(html.find("<title>Training report &lt;models&gt;</title>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"n\">7.35</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>a&lt;b</td>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));  // no external resource
}
