#pragma once
// The timeline policy: where, in wall-clock time, each layer ran in one inference cycle.
//
// A timeline policy is a type T with
//   static constexpr std::string_view name;   // as the CLI spells it: "end-stamp"
//   void lay_out(std::span<const timed_latency> cycle, std::span<layer_window> out) const;
// `cycle` holds the layers of one cycle in execution order (the order of trt_layer_latency.json);
// lay_out writes one window per entry into `out` (same size, same order). Latencies are finite
// and not negative (join() checks this before calling). It must be a pure function of its
// arguments: no state, so one object may be used from any number of threads. It does not throw.

#include <concepts>
#include <span>
#include <string_view>

#include "layerwatt/join/layer_window.hpp"

namespace layerwatt::join {

template <typename T>
concept timeline_policy = requires(const T& policy, std::span<const timed_latency> cycle,
                                   std::span<layer_window> out) {
  { T::name } -> std::convertible_to<std::string_view>;
  { policy.lay_out(cycle, out) } -> std::same_as<void>;
};

}  // namespace layerwatt::join
