#pragma once
// Attribution by deconvolution: one power per layer, solved from every reading of the run.
//
// The model. Between and around the inferences the rail draws an idle power p₀; while a window
// of layer l is running it draws p₀ + d_l, the same d_l in every cycle (windows that overlap add
// their d). The sensor publishes at each refresh T the mean of that power over [T − W, T]
// (sensor_readings.hpp: where T is, how well it is known). So every reading is linear in the
// unknowns: y = p₀ + Σ_l a_l d_l, a_l the share of the reading's window that layer l's windows
// take — over all cycles, however short the layer. Least squares over all readings with
// p₀ ≥ 0 and d_l ≥ 0 (a running layer draws at least idle) gives one power per layer,
// p₀ + d_l, written to every window of that layer; p₀ itself is solved, not taken from the idle
// file, so it is the power of this run between the inferences.
//
// The refresh interval W comes from the signal (a log's .meta.json, or the user); without it the
// policy throws. The refresh instants are located from the log's value changes
// (refresh_grid.hpp), or, where they cannot be, each reading is modelled with its refresh
// anywhere it could be. A layer no reading sees (all its windows of zero length, or outside the
// log's reach) gets no power; so does every window when the log is empty.
//
// Cost: one pass over the readings and the windows (sorted by start) accumulates the normal
// equations, (L + 1)² numbers for L layers, adding k² products for a reading that sees k layers;
// then a non-negative least-squares solve of that size (nnls.hpp). Nothing grows with the
// number of cycles but the windows' start order.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include <Eigen/Core>
#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/core/warning.hpp"
#include "layerwatt/join/attribution.hpp"
#include "layerwatt/join/nnls.hpp"
#include "layerwatt/join/refresh_grid.hpp"
#include "layerwatt/join/sensor_readings.hpp"

namespace layerwatt::join {

/// How a deconvolution went, for a summary.
struct deconvolution_report {
  double refresh_interval_us = 0;  ///< the sensor's averaging window as used (the grid's, if searched)
  refresh_grid grid;               ///< the refresh instants, if grid.located()
  std::size_t readings = 0;        ///< distinct readings in the equations
  std::size_t contradicting = 0;   ///< grid cells left out: their lines disagree
  std::size_t layers = 0;          ///< distinct layers among the windows
  std::size_t unseen_layers = 0;   ///< layers no reading sees: no power
  std::size_t layers_at_idle = 0;  ///< layers the constraint d ≥ 0 holds at idle
  double idle_power_uw = 0;        ///< p₀
  double residual_rms_uw = 0;      ///< root mean square of reading − model
};

/// The most distinct layers deconvolved: the normal equations take (layers + 1)² doubles.
inline constexpr std::size_t max_deconvolved_layers = 8192;

class deconvolved {
 public:
  static constexpr std::string_view name = "deconvolved";

  struct options {
    /// Told when the log's value changes fit no refresh grid (the phase is then left unknown).
    warning_sink warn = print_warning;
    /// Filled in by each attribute(), if given.
    deconvolution_report* report = nullptr;
  };

  deconvolved() = default;
  explicit deconvolved(options o) : options_(std::move(o)) {}

  void attribute(const power_signal& signal, std::span<const layer_window> windows,
                 std::span<const entry_index> entries, std::span<double> power_uw) {
    if (!signal.refresh_interval || signal.refresh_interval->count() <= 0)
      throw error("deconvolved attribution needs the sensor's refresh interval: a .meta.json beside the power log "
                  "with sensor.refresh_interval_us, or the interval given (--refresh-us)");
    if (entries.size() != windows.size() || power_uw.size() != windows.size())
      throw error(fmt::format("deconvolved attribution: {} windows, {} entries and {} powers", windows.size(),
                              entries.size(), power_uw.size()));
    require_time_order(signal.samples, name);
    deconvolution_report report;
    std::fill(power_uw.begin(), power_uw.end(), no_power);
    if (!signal.samples.empty() && !windows.empty()) solve(signal, windows, entries, power_uw, report);
    else report.refresh_interval_us = static_cast<double>(signal.refresh_interval->count());
    if (options_.report) *options_.report = report;
  }

 private:
  void solve(const power_signal& signal, std::span<const layer_window> windows, std::span<const entry_index> entries,
             std::span<double> power_uw, deconvolution_report& report) {
    const auto samples = signal.samples;
    const double nominal_us = static_cast<double>(signal.refresh_interval->count());
    report.grid = fit_refresh_grid(samples, nominal_us);
    std::optional<refresh_grid> grid;
    if (report.grid.located()) grid = report.grid;
    else if (report.grid.changes >= min_grid_changes)
      options_.warn(fmt::format(
          "deconvolved: the power log's value changes fit no sensor refresh grid near {} µs (at best {} of {} "
          "changes, at {:.3f} µs); each reading's refresh is taken to lie anywhere between its line and the one "
          "before",
          nominal_us, report.grid.consistent, report.grid.changes, report.grid.interval_us));
    report.refresh_interval_us = grid ? grid->interval_us : nominal_us;
    const double window_us = report.refresh_interval_us;
    const auto readings = sensor_readings(samples, window_us, grid, &report.contradicting);
    report.readings = readings.size();

    // Columns: 0 is p₀, then one per distinct layer in order of first appearance.
    const time_stamp origin = samples.front().t;
    std::vector<std::int32_t> column;
    std::size_t columns = 1;
    window_layer_.resize(windows.size());
    start_us_.resize(windows.size());
    end_us_.resize(windows.size());
    order_.clear();
    for (std::size_t i = 0; i < windows.size(); ++i) {
      const std::uint32_t layer = entries[i].layer;
      if (layer >= column.size()) column.resize(layer + 1, -1);
      if (column[layer] < 0) {
        if (columns > max_deconvolved_layers)
          throw error(fmt::format("deconvolved attribution handles at most {} distinct layers", max_deconvolved_layers));
        column[layer] = static_cast<std::int32_t>(columns++);
      }
      window_layer_[i] = static_cast<std::uint32_t>(column[layer]);
      // Stamps are truncated to the µs, like the log's (refresh_grid.hpp): ½ µs later on average.
      start_us_[i] = static_cast<double>((windows[i].start - origin).count()) + 0.5;
      end_us_[i] = static_cast<double>((windows[i].end - origin).count()) + 0.5;
      if (end_us_[i] > start_us_[i]) order_.push_back(static_cast<std::uint32_t>(i));
    }
    report.layers = columns - 1;
    std::stable_sort(order_.begin(), order_.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return start_us_[a] < start_us_[b]; });

    const auto m = static_cast<Eigen::Index>(columns);
    Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(m, m);  // upper triangle until the end
    Eigen::VectorXd rhs = Eigen::VectorXd::Zero(m);
    double sum_squares = 0;
    weight_.assign(columns, 0.0);
    std::size_t next = 0;
    active_.clear();
    for (const sensor_reading& r : readings) {
      const reading_kernel kernel(r, window_us);
      while (next < order_.size() && start_us_[order_[next]] < kernel.support_to()) active_.push_back(order_[next++]);
      touched_.clear();
      std::size_t kept = 0;
      for (const std::uint32_t w : active_) {
        if (end_us_[w] <= kernel.support_from()) continue;  // behind this reading, hence every later one
        active_[kept++] = w;
        const double a = kernel.weight(start_us_[w], end_us_[w]);
        if (!(a > 0)) continue;
        const std::uint32_t c = window_layer_[w];
        if (weight_[c] == 0) touched_.push_back(c);
        weight_[c] += a;
      }
      active_.resize(kept);
      std::sort(touched_.begin(), touched_.end());
      const double y = r.power_uw;
      double* g = gram.data();
      g[0] += 1;
      rhs(0) += y;
      sum_squares += y * y;
      for (std::size_t q = 0; q < touched_.size(); ++q) {
        const std::uint32_t cq = touched_[q];
        const double aq = weight_[cq];
        double* col = g + static_cast<std::size_t>(cq) * static_cast<std::size_t>(m);
        col[0] += aq;
        for (std::size_t p = 0; p <= q; ++p) col[touched_[p]] += weight_[touched_[p]] * aq;
        rhs(cq) += aq * y;
      }
      for (const std::uint32_t c : touched_) weight_[c] = 0;
    }
    gram.triangularView<Eigen::StrictlyLower>() = gram.transpose().triangularView<Eigen::StrictlyLower>();

    if (readings.empty()) return;
    const nnls_result solved = solve_nnls(gram, rhs);
    const Eigen::VectorXd& x = solved.x;
    report.idle_power_uw = x(0);
    for (Eigen::Index c = 1; c < m; ++c) {
      if (!(gram(c, c) > 0)) ++report.unseen_layers;
      else if (x(c) == 0) ++report.layers_at_idle;
    }
    const double residual = sum_squares - 2 * x.dot(rhs) + x.dot(gram * x);
    report.residual_rms_uw = std::sqrt(std::max(0.0, residual) / static_cast<double>(readings.size()));
    for (std::size_t i = 0; i < windows.size(); ++i) {
      const auto c = static_cast<Eigen::Index>(window_layer_[i]);
      if (gram(c, c) > 0) power_uw[i] = x(0) + x(c);
    }
  }

  options options_;
  // Scratch, kept between calls.
  std::vector<std::uint32_t> window_layer_, order_, active_, touched_;
  std::vector<double> start_us_, end_us_, weight_;
};

static_assert(attribution_policy<deconvolved>);

}  // namespace layerwatt::join
