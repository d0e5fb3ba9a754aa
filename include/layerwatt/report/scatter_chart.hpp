#pragma once
// Measured against predicted, one point per network, on logarithmic axes as standalone SVG: the
// diagonal is a perfect prediction, the shaded band ±10 % around it. Totals span orders of
// magnitude (a few to thousands of mJ), which only log axes show evenly.

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/report/markup_text.hpp"

namespace layerwatt::report {

struct scatter_point {
  std::string label;  ///< shown in the point's tooltip
  double measured = 0, predicted = 0;
  bool held_out = false;  ///< drawn filled; training points hollow
};

struct scatter_chart {
  std::string title;
  std::string unit;  ///< of both axes
  std::vector<scatter_point> points;
  double band = 0.10;  ///< the relative error shaded around the diagonal
};

/// Renders the chart. Points with a non-positive or non-finite value are left out (a log axis
/// has no place for them) and counted in the title; without any to draw, the chart says so (a
/// fit that predicts nothing above 0 is a result to show, not a reason to lose the report).
inline std::string render_svg(const scatter_chart& chart) {
  constexpr double size = 320, left = 70, top = 40, right = 20, bottom = 50;
  std::vector<const scatter_point*> shown;
  for (const auto& p : chart.points)
    if (p.measured > 0 && p.predicted > 0 && std::isfinite(p.measured) && std::isfinite(p.predicted)) shown.push_back(&p);
  const auto opening = [&](double width, double height) {
    std::string svg = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0:.0f}\" height=\"{1:.0f}\" viewBox=\"0 0 {0:.0f} "
        "{1:.0f}\" font-family=\"sans-serif\" font-size=\"11\">\n<text x=\"{2:.0f}\" y=\"20\" font-size=\"14\" "
        "font-weight=\"bold\">",
        width, height, left);
    append_escaped(svg, chart.title);
    return svg;
  };
  if (shown.empty())
    return opening(left + size + right, 60) +
           fmt::format("</text>\n<text x=\"{:.0f}\" y=\"45\">no point to draw: none of the {} has a measured and a "
                       "predicted value above 0</text>\n</svg>\n",
                       left, chart.points.size());
  double lo = shown.front()->measured, hi = lo;
  for (const auto* p : shown) lo = std::min({lo, p->measured, p->predicted}), hi = std::max({hi, p->measured, p->predicted});
  const double low_decade = std::floor(std::log10(lo)), high_decade = std::max(low_decade + 1, std::ceil(std::log10(hi)));
  const auto at = [&](double v) { return (std::log10(v) - low_decade) / (high_decade - low_decade) * size; };
  const auto x_of = [&](double v) { return left + at(v); };
  const auto y_of = [&](double v) { return top + size - at(v); };
  const double width = left + size + right, height = top + size + bottom;

  std::string svg = opening(width, height);
  if (shown.size() < chart.points.size()) svg += fmt::format(" ({} not drawn: no positive value)", chart.points.size() - shown.size());
  svg += "</text>\n";
  // The legend, for the kinds of point drawn: held out filled, trained on hollow.
  double legend_x = left;
  for (const bool held_out : {true, false}) {
    if (std::none_of(shown.begin(), shown.end(), [&](const auto* p) { return p->held_out == held_out; })) continue;
    svg += fmt::format("<circle cx=\"{:.0f}\" cy=\"31\" r=\"{}\" fill=\"{}\" stroke=\"#e15759\"/><text x=\"{:.0f}\" "
                       "y=\"35\">{}</text>\n",
                       legend_x + 4, held_out ? 4 : 2.5, held_out ? "#e15759" : "none", legend_x + 12,
                       held_out ? "held out" : "trained on");
    legend_x += 80;
  }
  // The ±band around the diagonal, clipped to the plot.
  const double low = std::pow(10.0, low_decade), high = std::pow(10.0, high_decade);
  svg += fmt::format("<polygon points=\"{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}\" fill=\"#4e79a7\" "
                     "fill-opacity=\"0.12\"/>\n",
                     x_of(low), y_of(low * (1 + chart.band)), x_of(high / (1 + chart.band)), y_of(high), x_of(high),
                     y_of(high * (1 - chart.band)), x_of(low), y_of(low * (1 - chart.band)));
  svg += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#888\"/>\n", x_of(low),
                     y_of(low), x_of(high), y_of(high));
  svg += fmt::format("<rect x=\"{:.0f}\" y=\"{:.0f}\" width=\"{:.0f}\" height=\"{:.0f}\" fill=\"none\" stroke=\"#333\"/>\n",
                     left, top, size, size);
  for (double d = low_decade; d <= high_decade; ++d) {  // a tick and label per decade
    const double v = std::pow(10.0, d);
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.0f}\" text-anchor=\"middle\">{:g}</text>\n", x_of(v), top + size + 15, v);
    svg += fmt::format("<text x=\"{:.0f}\" y=\"{:.1f}\" text-anchor=\"end\">{:g}</text>\n", left - 5, y_of(v) + 4, v);
  }
  svg += fmt::format("<text x=\"{:.0f}\" y=\"{:.0f}\" text-anchor=\"middle\">measured ({})</text>\n", left + size / 2,
                     top + size + 35, chart.unit);
  svg += fmt::format("<text x=\"15\" y=\"{:.0f}\" transform=\"rotate(-90 15 {:.0f})\" text-anchor=\"middle\">predicted "
                     "({})</text>\n",
                     top + size / 2, top + size / 2, chart.unit);
  for (const auto* p : shown) {
    svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\" fill=\"{}\" stroke=\"#e15759\"><title>", x_of(p->measured),
                       y_of(p->predicted), p->held_out ? 4 : 2.5, p->held_out ? "#e15759" : "none");
    append_escaped(svg, fmt::format("{}: measured {:.4g}, predicted {:.4g} {} ({:+.1f} %)", p->label, p->measured,
                                    p->predicted, chart.unit, 100 * (p->predicted - p->measured) / p->measured));
    svg += "</title></circle>\n";
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace layerwatt::report
