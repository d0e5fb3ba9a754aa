#pragma once
// Which timeline fits a latency file? Look at how far apart the stamps of one cycle are.
//
// If the profiler stamps each layer as it finishes (what end_stamp assumes), the stamps of a cycle
// spread over the cycle: from the first layer's end to the last's is at least the latency of every
// layer after the first. If it stamps them all when it reports, after the inference (TensorRT's
// IProfiler does), they bunch together: the spread is only the reporting overhead, far less than
// the layers' summed latency, and back_to_back fits. The ratio of the two, per cycle, tells them
// apart; its median over the run is robust to the odd slow cycle.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "layerwatt/io/layer_latency.hpp"
#include "layerwatt/join/back_to_back.hpp"
#include "layerwatt/join/end_stamp.hpp"

namespace layerwatt::join {

struct cycle_spread {
  std::int64_t cycle = 0;       ///< 1-based
  std::size_t layers = 0;       ///< entries in this cycle
  microseconds spread{0};       ///< latest stamp − earliest stamp
  double latency_sum_ms = 0;    ///< every layer of the cycle
  double after_first_ms = 0;    ///< every layer but the first: what end stamps must spread over
};

/// Calls sink(const cycle_spread&) for every cycle of a stamped latency file, in order.
template <typename Sink>
void for_each_cycle_spread(const io::layer_latencies& latencies, Sink&& sink) {
  std::size_t cycles = 0;
  for (const auto& layer : latencies.layers) cycles = std::max(cycles, layer.end_stamps.size());
  for (std::size_t c = 0; c < cycles; ++c) {
    cycle_spread s;
    s.cycle = static_cast<std::int64_t>(c) + 1;
    time_stamp earliest = time_stamp::max(), latest = time_stamp::min();
    for (const auto& layer : latencies.layers) {
      if (c >= layer.end_stamps.size() || c >= layer.latency_ms.size()) continue;
      earliest = std::min(earliest, layer.end_stamps[c]);
      latest = std::max(latest, layer.end_stamps[c]);
      s.latency_sum_ms += layer.latency_ms[c];
      if (s.layers++ > 0) s.after_first_ms += layer.latency_ms[c];
    }
    s.spread = latest - earliest;
    sink(s);
  }
}

struct stamp_spread_summary {
  std::size_t cycles = 0;
  double median_spread_ms = 0;
  double median_latency_sum_ms = 0;
  /// Median over cycles of spread / (latency of the layers after the first): about 1 or more for
  /// per-layer end stamps, near 0 for stamps taken after the inference. Empty with no cycle of
  /// two layers or more.
  std::optional<double> median_ratio;
  /// end_stamp::name or back_to_back::name (ratio ≥ 0.5 or below), empty when there is no ratio.
  std::string_view suggested_timeline;
};

inline stamp_spread_summary summarize_stamp_spread(const io::layer_latencies& latencies) {
  std::vector<double> spreads, sums, ratios;
  for_each_cycle_spread(latencies, [&](const cycle_spread& s) {
    spreads.push_back(static_cast<double>(s.spread.count()) / 1000.0);
    sums.push_back(s.latency_sum_ms);
    if (s.after_first_ms > 0) ratios.push_back(spreads.back() / s.after_first_ms);
  });
  const auto median = [](std::vector<double>& v) {
    const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    if (v.size() % 2) return *mid;
    return 0.5 * (*mid + *std::max_element(v.begin(), mid));
  };
  stamp_spread_summary out;
  out.cycles = spreads.size();
  if (!spreads.empty()) {
    out.median_spread_ms = median(spreads);
    out.median_latency_sum_ms = median(sums);
  }
  if (!ratios.empty()) {
    out.median_ratio = median(ratios);
    out.suggested_timeline = *out.median_ratio >= 0.5 ? end_stamp::name : back_to_back::name;
  }
  return out;
}

}  // namespace layerwatt::join
