#pragma once
// Summary statistics computed the way pandas computes them, so that our statistics CSVs and
// per-layer averages equal the reference's to the last bit, not just to a tolerance:
//   group_mean   DataFrame.groupby(...).mean(): Kahan-compensated sum / count of the non-missing
//   describe     Series.describe(): count, mean, std (ddof 1), min, 25%, 50%, 75%, max, with
//                numpy's pairwise summation, its two-pass variance and its linear quantiles
// Missing values are NaN in and NaN out (pandas writes them as empty cells).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

namespace layerwatt::dataset {

inline constexpr double missing_value = std::numeric_limits<double>::quiet_NaN();

/// numpy's sum of a contiguous float64 array (pairwise summation, blocks of 8 × 16).
inline double numpy_sum(std::span<const double> a) noexcept {
  constexpr std::size_t block = 128;
  const std::size_t n = a.size();
  if (n < 8) {
    double sum = 0.0;
    for (const double x : a) sum += x;
    return sum;
  }
  if (n <= block) {
    std::array<double, 8> r{};
    for (std::size_t k = 0; k < 8; ++k) r[k] = a[k];
    std::size_t i = 8;
    for (; i < n - n % 8; i += 8)
      for (std::size_t k = 0; k < 8; ++k) r[k] += a[i + k];
    double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) sum += a[i];
    return sum;
  }
  std::size_t half = n / 2;
  half -= half % 8;
  return numpy_sum(a.first(half)) + numpy_sum(a.subspan(half));
}

/// pandas' groupby mean of one group: Kahan summation over the non-missing values, in order.
inline double group_mean(std::span<const double> values) noexcept {
  double sum = 0, compensation = 0;
  std::size_t count = 0;
  for (const double x : values) {
    if (std::isnan(x)) continue;
    ++count;
    const double y = x - compensation;
    const double t = sum + y;
    compensation = t - sum - y;
    if (std::isnan(compensation)) compensation = 0;  // an infinite value: keep it infinite
    sum = t;
  }
  return count ? sum / static_cast<double>(count) : missing_value;
}

/// numpy's linear quantile (method "linear") of sorted, non-empty values.
inline double linear_quantile(std::span<const double> sorted, double q) noexcept {
  const auto n = static_cast<double>(sorted.size());
  const double index = (n - 1) * q;  // numpy's virtual index for "linear"
  if (index >= n - 1) return sorted.back();
  const double below = std::floor(index);
  const double t = index - below;
  const double a = sorted[static_cast<std::size_t>(below)], b = sorted[static_cast<std::size_t>(below) + 1];
  const double diff = b - a;
  return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;  // numpy's _lerp
}

/// One row of pandas' describe(); NaN where pandas has no value (std of one value, all of none).
struct description {
  double count = 0, mean = missing_value, std = missing_value, min = missing_value, q25 = missing_value,
         q50 = missing_value, q75 = missing_value, max = missing_value;
};

inline constexpr std::array<const char*, 8> description_columns = {"count", "mean", "std", "min",
                                                                   "25%",   "50%",  "75%", "max"};

/// Series.describe() of values in their original order, NaN for missing ones. `scratch` is reused
/// between calls to avoid allocating per group.
inline description describe(std::span<const double> values, std::vector<double>& scratch) {
  description d;
  // pandas fills missing values with 0 and sums the whole array with numpy.
  scratch.assign(values.begin(), values.end());
  std::size_t count = 0;
  for (double& x : scratch) {
    if (std::isnan(x)) x = 0.0;
    else ++count;
  }
  d.count = static_cast<double>(count);
  if (count == 0) return d;
  const double n = d.count;
  d.mean = numpy_sum(scratch) / n;
  if (count > 1) {
    for (std::size_t i = 0; i < values.size(); ++i) {
      const double deviation = d.mean - values[i];
      scratch[i] = std::isnan(values[i]) ? 0.0 : deviation * deviation;
    }
    d.std = std::sqrt(numpy_sum(scratch) / (n - 1));
  }
  scratch.clear();
  for (const double x : values)
    if (!std::isnan(x)) scratch.push_back(x);
  std::sort(scratch.begin(), scratch.end());
  d.min = scratch.front();
  d.max = scratch.back();
  d.q25 = linear_quantile(scratch, 0.25);
  d.q50 = linear_quantile(scratch, 0.5);
  d.q75 = linear_quantile(scratch, 0.75);
  return d;
}

}  // namespace layerwatt::dataset
