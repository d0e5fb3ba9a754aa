#pragma once
// A grouped bar chart as standalone SVG: one group per category (a layer), one bar per series
// (measured, predicted). What the reference logged to MLflow as matplotlib figures, written
// from data with no plotting library, so a report stays self-contained.

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/report/axis_scale.hpp"
#include "layerwatt/report/layer_label.hpp"
#include "layerwatt/report/markup_text.hpp"

namespace layerwatt::report {

struct bar_series {
  std::string name;
  std::string color;  ///< any CSS colour
  std::vector<double> values;
};

struct bar_chart {
  std::string title;
  std::string value_label;              ///< the y axis, with its unit
  std::vector<std::string> categories;  ///< x labels (layer names); shown as layer_label() cuts them, whole in a tooltip
  std::vector<bar_series> series;
  std::size_t label_chars = 15;  ///< as the reference's charts
};

/// Renders the chart; every series must have one value per category. Negative or non-finite
/// values are drawn as zero-height bars (their tooltip still shows the value).
inline std::string render_svg(const bar_chart& chart) {
  for (const auto& s : chart.series)
    if (s.values.size() != chart.categories.size())
      throw error(fmt::format("bar chart \"{}\": series \"{}\" has {} values for {} categories", chart.title,
                              s.name, s.values.size(), chart.categories.size()));
  constexpr double bar_width = 9, group_gap = 8, left = 70, right = 20, top = 50, plot_height = 260;
  const double label_height = 7.0 * static_cast<double>(chart.label_chars) + 10;
  const double group_width = bar_width * static_cast<double>(std::max<std::size_t>(chart.series.size(), 1)) + group_gap;
  const double plot_width = std::max(240.0, group_width * static_cast<double>(chart.categories.size()));
  const double width = left + plot_width + right, height = top + plot_height + label_height + 10;

  double largest = 0;
  for (const auto& s : chart.series)
    for (const double v : s.values)
      if (std::isfinite(v)) largest = std::max(largest, v);
  const axis_scale axis = nice_axis(largest);
  const auto y_of = [&](double v) { return top + plot_height * (1 - std::clamp(v / axis.max, 0.0, 1.0)); };

  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0:.0f}\" height=\"{1:.0f}\" viewBox=\"0 0 {0:.0f} {1:.0f}\" "
      "font-family=\"sans-serif\" font-size=\"11\">\n",
      width, height);
  svg += "<text x=\"" + fmt::format("{:.0f}", left) + "\" y=\"20\" font-size=\"14\" font-weight=\"bold\">";
  append_escaped(svg, chart.title);
  svg += "</text>\n";
  for (std::size_t i = 0; i < chart.series.size(); ++i) {  // legend
    const double x = left + 150.0 * static_cast<double>(i);
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"30\" width=\"10\" height=\"10\" fill=\"{}\"/>", x,
                       escaped(chart.series[i].color));
    svg += fmt::format("<text x=\"{:.1f}\" y=\"39\">", x + 14);
    append_escaped(svg, chart.series[i].name);
    svg += "</text>\n";
  }
  for (const double tick : axis.ticks) {  // grid and value labels
    const double y = y_of(tick);
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" x2=\"{1:.1f}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" stroke=\"#ddd\"/>"
        "<text x=\"{3:.1f}\" y=\"{4:.1f}\" text-anchor=\"end\">{5:g}</text>\n",
        left, left + plot_width, y, left - 4, y + 4, tick);
  }
  svg += fmt::format(
      "<text transform=\"translate(14 {:.1f}) rotate(-90)\" text-anchor=\"middle\">", top + plot_height / 2);
  append_escaped(svg, chart.value_label);
  svg += "</text>\n";
  for (std::size_t c = 0; c < chart.categories.size(); ++c) {
    const double x0 = left + group_width * static_cast<double>(c) + group_gap / 2;
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
      const double v = chart.series[s].values[c];
      const double y = y_of(std::isfinite(v) ? v : 0);
      svg += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"><title>",
                         x0 + bar_width * static_cast<double>(s), y, bar_width - 1, top + plot_height - y,
                         escaped(chart.series[s].color));
      append_escaped(svg, fmt::format("{} — {}: {:.6g}", chart.categories[c], chart.series[s].name, v));
      svg += "</title></rect>\n";
    }
    const std::string& name = chart.categories[c];
    const std::string shown = layer_label(name, chart.label_chars);
    svg += fmt::format("<text transform=\"translate({:.1f} {:.1f}) rotate(-90)\" text-anchor=\"end\"><title>",
                       x0 + group_width / 2 - group_gap / 2 + 3, top + plot_height + 6);
    append_escaped(svg, name);
    svg += "</title>";
    append_escaped(svg, shown);
    svg += "</text>\n";
  }
  svg += fmt::format("<line x1=\"{0:.1f}\" x2=\"{1:.1f}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" stroke=\"#333\"/>\n", left,
                     left + plot_width, top + plot_height);
  svg += "</svg>\n";
  return svg;
}

}  // namespace layerwatt::report
