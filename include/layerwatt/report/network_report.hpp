#pragma once
// The page `layerwatt train --fit network` writes as MODELS_DIR/report.html: per target (runtime,
// energy) the fit's figures, measured against predicted for every network on log axes (held-out
// networks filled, a ±10 % band), and the table of those networks.

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/model/target.hpp"
#include "layerwatt/report/html_page.hpp"
#include "layerwatt/report/scatter_chart.hpp"

namespace layerwatt::report {

/// One network's measured and predicted total of one target.
struct network_outcome {
  std::string network;
  double measured = 0, predicted = 0;
  bool held_out = false;
};

/// A target's fit as the report shows it.
struct network_target_summary {
  target what = target::runtime;
  std::size_t networks = 0, layers = 0, folds = 0, nonzero = 0, width = 0;
  double alpha = 0, constant = 0, cv_rmspe = 0;
  double static_power = 0;  ///< energy only: W (mJ per ms of predicted runtime; train/network_fit.hpp)
  /// Whether cross-validation kept the convolutions' terms by kernel class; none: no choice.
  std::optional<bool> kernel_class_terms;
  std::vector<network_outcome> outcomes;
};

/// "kept", "left out", or "-" where there was no choice.
inline std::string kernel_class_terms_text(std::optional<bool> kept) {
  return !kept ? "-" : *kept ? "kept" : "left out";
}

/// "2.31 W" for energy (the static power, W); "-" for runtime, which has none.
inline std::string static_power_text(target what, double watts) {
  return what == target::energy ? fmt::format("{:.4g} W", watts) : "-";
}

/// Mean absolute percentage error of `outcomes` (those held out, or those trained on), %.
inline double mape(const std::vector<network_outcome>& outcomes, bool held_out) {
  double sum = 0;
  std::size_t n = 0;
  for (const auto& o : outcomes)
    if (o.held_out == held_out) sum += std::fabs(o.predicted - o.measured) / o.measured, ++n;
  return n ? 100 * sum / static_cast<double>(n) : std::nan("");
}

inline std::string network_report_html(const std::vector<network_target_summary>& targets, const std::string& source) {
  html_page page("layerwatt: network-level training");
  page.paragraph(fmt::format("Training data: {}. Each target's layer models were fitted jointly so that the sums over "
                             "every network's layers, plus a per-inference constant, match the measured totals; "
                             "energy has the static power times the predicted runtime besides (docs/real-data.md).",
                             source));
  std::vector<std::vector<std::string>> rows;
  const auto percent = [](double v) { return std::isnan(v) ? std::string("-") : fmt::format("{:.2f}", v); };
  for (const auto& t : targets)
    rows.push_back({std::string(to_string(t.what)), std::to_string(t.networks), std::to_string(t.layers),
                    std::to_string(t.folds), fmt::format("{:.3g}", t.alpha), fmt::format("{} / {}", t.nonzero, t.width),
                    fmt::format("{:.4g}", t.constant),
                    static_power_text(t.what, t.static_power),
                    kernel_class_terms_text(t.kernel_class_terms),
                    percent(t.cv_rmspe), percent(mape(t.outcomes, false)),
                    percent(mape(t.outcomes, true))});
  page.table({"target", "networks", "layers", "folds", "alpha", "non-zero", "constant (ms or mJ)", "static power",
              "terms by kernel", "CV RMSPE %",
              "train MAPE %", "held-out MAPE %"},
             rows);
  for (const auto& t : targets) {
    const std::string unit = t.what == target::runtime ? "ms" : "mJ";
    page.heading(fmt::format("{} per inference", to_string(t.what)), 2);
    scatter_chart chart{fmt::format("{}: measured and predicted ({})", to_string(t.what), unit), unit, {}, 0.10};
    for (const auto& o : t.outcomes) chart.points.push_back({o.network, o.measured, o.predicted, o.held_out});
    page.svg(render_svg(chart));
    std::vector<std::vector<std::string>> table;
    for (const auto& o : t.outcomes)
      if (o.held_out)
        table.push_back({o.network, fmt::format("{:.4g}", o.measured), fmt::format("{:.4g}", o.predicted),
                         fmt::format("{:+.1f}", 100 * (o.predicted - o.measured) / o.measured)});
    if (!table.empty())
      page.table({"held-out network", fmt::format("measured {}", unit), fmt::format("predicted {}", unit), "error %"},
                 table);
  }
  return page.render();
}

}  // namespace layerwatt::report
