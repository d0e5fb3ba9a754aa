#pragma once
// A value axis with "nice" ticks (1, 2 or 5 × 10^k), so charts read like hand-made ones.

#include <algorithm>
#include <cmath>
#include <vector>

namespace layerwatt::report {

struct axis_scale {
  double max = 1;             ///< top of the axis (≥ the largest value)
  std::vector<double> ticks;  ///< from 0 to max inclusive
};

/// An axis from 0 that holds `largest` with about `target_ticks` intervals.
inline axis_scale nice_axis(double largest, int target_ticks = 5) {
  if (!(largest > 0) || !std::isfinite(largest)) largest = 1;
  const double raw_step = largest / std::max(target_ticks, 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw_step)));
  double step = magnitude * 10;
  for (const double m : {1.0, 2.0, 5.0})
    if (m * magnitude >= raw_step) {
      step = m * magnitude;
      break;
    }
  axis_scale axis;
  const int intervals = static_cast<int>(std::ceil(largest / step - 1e-9));
  for (int i = 0; i <= intervals; ++i) axis.ticks.push_back(i * step);
  axis.max = axis.ticks.back();
  return axis;
}

}  // namespace layerwatt::report
