#pragma once
// A timeline for stamps taken after the whole inference: within a cycle the layers ran end to end
// in execution order (the file's order) and the cycle ended at its last (latest) stamp. Layer i
// then ran over [T − Σ_{j≥i} latency_j, T − Σ_{j>i} latency_j]: the windows tile the cycle with
// no gap and no overlap. Each boundary is rounded from the running sum, so rounding to µs never
// accumulates along the cycle.
//
// The true end of the inference lies at or before the cycle's first stamp (the profiler reports
// after the run), so the windows may be late by up to the cycle's stamp spread; stamp_spread.hpp
// reports it.

#include <algorithm>
#include <cstddef>
#include <span>
#include <string_view>

#include "layerwatt/join/layer_window.hpp"
#include "layerwatt/join/timeline.hpp"

namespace layerwatt::join {

struct back_to_back {
  static constexpr std::string_view name = "back-to-back";

  void lay_out(std::span<const timed_latency> cycle, std::span<layer_window> out) const noexcept {
    if (cycle.empty()) return;
    time_stamp cycle_end = cycle.front().end_stamp;
    for (const auto& entry : cycle) cycle_end = std::max(cycle_end, entry.end_stamp);
    double after_ms = 0;  // latency of the layers after the current one
    time_stamp end = cycle_end;
    for (std::size_t i = cycle.size(); i-- > 0;) {
      after_ms += cycle[i].latency_ms;
      const time_stamp start = cycle_end - duration_from_ms(after_ms);
      out[i] = {start, end};
      end = start;
    }
  }
};

static_assert(timeline_policy<back_to_back>);

}  // namespace layerwatt::join
