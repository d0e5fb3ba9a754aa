#pragma once
// A training run as one self-contained HTML page: the metrics table, the kinds skipped, and per
// held-out model and target a chart of each layer's measured and predicted value (what the
// reference logged to MLflow as pictures).

#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "layerwatt/model/train_presets.hpp"
#include "layerwatt/model/training_config.hpp"
#include "layerwatt/report/bar_chart.hpp"
#include "layerwatt/report/html_page.hpp"

namespace layerwatt::report {

namespace detail {

inline std::string unit_of(target what) {
  return what == target::power ? "W" : what == target::runtime ? "ms" : "mJ";
}

inline std::string number(double v) { return fmt::format("{:.4g}", v); }

}  // namespace detail

inline std::string training_report_html(const model::training_outcome& outcome, const model::training_config& config,
                                        const std::string& data_dir) {
  html_page page("layerwatt training report");
  page.paragraph(fmt::format("Training data: {}. Held-out (test) models: {}. {}-fold cross-validation.", data_dir,
                             config.test_models.empty() ? std::string("none") : fmt::format("{}", fmt::join(config.test_models, ", ")),
                             config.folds));
  if (!outcome.missing_test_models.empty())
    page.paragraph(fmt::format("Named as test models but not in the data: {}.",
                               fmt::join(outcome.missing_test_models, ", ")));

  page.heading("Metrics");
  page.paragraph("RMSPE in percent (the reference's formula); RMSE and MAE in the target's unit (W or ms); MAPE "
                 "as a fraction. Test metrics are over the held-out models' layers.");
  std::vector<std::vector<std::string>> rows;
  for (const auto& f : outcome.fits) {
    const auto test = [&](double model::regression_metrics::*field) {
      return f.test ? detail::number((*f.test).*field) : std::string("-");
    };
    rows.push_back({std::string(to_string(f.kind)), std::string(to_string(f.what)), f.pipeline,
                    fmt::format("{} ({} models)", f.train_rows, f.train_models.size()),
                    fmt::format("{} ({} models)", f.test_rows, f.test_models.size()), detail::number(f.alpha),
                    fmt::format("{} / {}", f.nonzero, f.width), detail::number(f.train_rmspe),
                    test(&model::regression_metrics::rmspe), test(&model::regression_metrics::rmse),
                    test(&model::regression_metrics::r2), test(&model::regression_metrics::mae),
                    test(&model::regression_metrics::mape)});
  }
  page.table({"layer kind", "target", "pipeline", "train rows", "test rows", "alpha", "non-zero coef.", "train RMSPE %",
              "test RMSPE %", "test RMSE", "test R²", "test MAE", "test MAPE"},
             rows);
  for (const auto& s : outcome.skipped)
    page.paragraph(fmt::format("Skipped {} {}: {}.", to_string(s.kind), to_string(s.what), s.reason));

  page.heading("Held-out models, layer by layer");
  for (const auto& f : outcome.fits)
    for (const auto& m : f.per_test_model) {
      bar_chart chart;
      chart.title = fmt::format("{}: {} layers, {}", m.model, to_string(f.kind), to_string(f.what));
      chart.value_label = fmt::format("{} ({})", to_string(f.what), detail::unit_of(f.what));
      chart.categories = m.layer_names;
      chart.series = {{"measured", "#4e79a7", m.measured}, {"predicted", "#f28e2b", m.predicted}};
      page.heading(chart.title, 3);
      page.svg(render_svg(chart));
    }
  return page.render();
}

}  // namespace layerwatt::report
