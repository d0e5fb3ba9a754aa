#pragma once
// The reference's timeline: each stamp is the moment its layer finished, so a layer ran over
// [stamp − latency, stamp]. Right when the profiler stamps each layer as it completes. When the
// stamps are taken after the whole inference (TensorRT reports layer times at the end of a run),
// every window of a cycle ends at nearly the same instant and they pile up on one another:
// see back_to_back and stamp_spread.

#include <cstddef>
#include <span>
#include <string_view>

#include "layerwatt/join/layer_window.hpp"
#include "layerwatt/join/timeline.hpp"

namespace layerwatt::join {

struct end_stamp {
  static constexpr std::string_view name = "end-stamp";

  void lay_out(std::span<const timed_latency> cycle, std::span<layer_window> out) const noexcept {
    for (std::size_t i = 0; i < cycle.size(); ++i)
      out[i] = {cycle[i].end_stamp - duration_from_ms(cycle[i].latency_ms), cycle[i].end_stamp};
  }
};

static_assert(timeline_policy<end_stamp>);

}  // namespace layerwatt::join
