#pragma once
// join(): every layer of every inference cycle, with its window and the power drawn in it.
//
//   const auto latencies = io::read_layer_latencies(".../trt_layer_latency.json");
//   const auto samples = io::load_power_samples(".../resnet18_power_log.log");
//   const auto joined = join::join(latencies, {samples, refresh});  // end_stamp + window_mean
//   const auto other = join::join(latencies, {samples, refresh}, join::back_to_back{}, join::interpolated{});
//   join::for_each_row(joined, latencies, [](const join::join_row& row) { ... });
//
// Processing order is the reference's: cycle k holds the k-th entry of every layer's list, the
// layers of a cycle in the file's (execution) order. A layer with fewer entries than the others
// is simply absent from the later cycles. The result holds three arrays of one element per
// (cycle, layer) entry and nothing per row on the heap: rows refer to the latencies' names.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/layer_latency.hpp"
#include "layerwatt/join/attribution.hpp"
#include "layerwatt/join/end_stamp.hpp"
#include "layerwatt/join/layer_window.hpp"
#include "layerwatt/join/power_signal.hpp"
#include "layerwatt/join/timeline.hpp"
#include "layerwatt/join/window_mean.hpp"

namespace layerwatt::join {

struct joined {
  std::vector<entry_index> entries;   ///< processing order
  std::vector<layer_window> windows;  ///< windows[i] belongs to entries[i]
  std::vector<double> power_uw;       ///< power_uw[i] for windows[i], idle included; no_power if none
  std::size_t cycles = 0;
  std::size_t shortest_list = 0, longest_list = 0;  ///< entries per layer; they differ in a ragged file
  std::optional<microseconds> refresh_interval;     ///< carried from the power signal
  std::string_view timeline, attribution;           ///< the policies' names
};

/// The longest latency the join accepts; anything longer is a unit mistake, not a layer.
inline constexpr double max_latency_ms = 86'400'000.0;

namespace detail {

inline void check_latencies(const io::layer_latencies& latencies) {
  if (!latencies.stamped)
    throw error("the layer latencies have no time stamps (the bare-list form of desktop runs); power can be "
                "mapped to layers only from [latency_ms, \"time stamp\"] entries");
  if (latencies.layers.size() > UINT32_MAX) throw error("more layers than the join can index");
  for (const auto& layer : latencies.layers) {
    if (layer.end_stamps.size() != layer.latency_ms.size())
      throw error(fmt::format("layer \"{}\" has {} latencies but {} time stamps", layer.name, layer.latency_ms.size(),
                              layer.end_stamps.size()));
    if (layer.latency_ms.size() > UINT32_MAX) throw error("more cycles than the join can index");
    for (std::size_t c = 0; c < layer.latency_ms.size(); ++c) {
      const double ms = layer.latency_ms[c];
      if (!(ms >= 0 && ms <= max_latency_ms))
        throw error(fmt::format("layer \"{}\", cycle {}: expected a latency in [0, {}] ms, got {}", layer.name, c + 1,
                                max_latency_ms, ms));
    }
  }
}

}  // namespace detail

/// Lays out every window with `timeline`, then attributes power to all of them with `attribution`
/// (by default the reference's: end_stamp, window_mean). Throws layerwatt::error (naming the
/// layer and cycle) for latencies without stamps, negative or absurd latencies, and whatever the
/// attribution policy cannot use.
template <timeline_policy Timeline = end_stamp, attribution_policy Attribution = window_mean>
joined join(const io::layer_latencies& latencies, const power_signal& signal, const Timeline& timeline = {},
            Attribution attribution = {}) {
  detail::check_latencies(latencies);
  joined out;
  out.refresh_interval = signal.refresh_interval;
  out.timeline = Timeline::name;
  out.attribution = Attribution::name;
  std::size_t total = 0;
  if (!latencies.layers.empty()) out.shortest_list = latencies.layers.front().latency_ms.size();
  for (const auto& layer : latencies.layers) {
    total += layer.latency_ms.size();
    out.shortest_list = std::min(out.shortest_list, layer.latency_ms.size());
    out.longest_list = std::max(out.longest_list, layer.latency_ms.size());
  }
  out.cycles = out.longest_list;
  out.entries.reserve(total);
  out.windows.resize(total);
  std::vector<timed_latency> cycle;
  cycle.reserve(latencies.layers.size());
  std::size_t done = 0;
  for (std::size_t c = 0; c < out.cycles; ++c) {
    cycle.clear();
    for (std::size_t l = 0; l < latencies.layers.size(); ++l) {
      const auto& layer = latencies.layers[l];
      if (c >= layer.latency_ms.size()) continue;
      cycle.push_back({layer.latency_ms[c], layer.end_stamps[c]});
      out.entries.push_back({static_cast<std::uint32_t>(l), static_cast<std::uint32_t>(c)});
    }
    timeline.lay_out(std::span<const timed_latency>(cycle), std::span(out.windows).subspan(done, cycle.size()));
    done += cycle.size();
  }
  out.power_uw.assign(total, no_power);
  const std::span<const layer_window> windows(out.windows);
  if constexpr (layer_aware_attribution<Attribution>)
    attribution.attribute(signal, windows, std::span<const entry_index>(out.entries), std::span(out.power_uw));
  else
    attribution.attribute(signal, windows, std::span(out.power_uw));
  return out;
}

/// One row of the join: a layer in a cycle. Views into the latencies; valid during the call.
struct join_row {
  std::int64_t cycle;  ///< 1-based, as the reference writes it
  std::size_t layer;   ///< index into layer_latencies::layers
  std::string_view layer_name;
  layer_window window;
  double latency_ms;
  std::optional<double> power_uw;  ///< idle included
};

/// Calls sink(const join_row&) for every entry, in processing order. `latencies` must be the
/// ones `result` was joined from.
template <typename Sink>
void for_each_row(const joined& result, const io::layer_latencies& latencies, Sink&& sink) {
  for (std::size_t i = 0; i < result.entries.size(); ++i) {
    const auto [l, c] = result.entries[i];
    const auto& layer = latencies.layers[l];
    const double p = result.power_uw[i];
    sink(join_row{static_cast<std::int64_t>(c) + 1, l, layer.name, result.windows[i], layer.latency_ms[c],
                  std::isnan(p) ? std::nullopt : std::optional<double>(p)});
  }
}

/// Where the windows without power lie relative to the log.
struct coverage {
  std::size_t windows = 0, with_power = 0;
  std::size_t before_log = 0;  ///< ends before the first sample (no power, or the log started late)
  std::size_t after_log = 0;   ///< starts after the last sample (the log stopped early)
  std::size_t inside_log = 0;  ///< in the log's span, yet no power (shorter than the sampling period)
  [[nodiscard]] std::size_t without_power() const noexcept { return windows - with_power; }
};

inline coverage coverage_of(const joined& result, std::span<const io::power_sample> samples) {
  coverage c;
  c.windows = result.windows.size();
  const auto [first, last] = std::minmax_element(samples.begin(), samples.end(),
                                                 [](const auto& a, const auto& b) { return a.t < b.t; });
  for (std::size_t i = 0; i < result.windows.size(); ++i) {
    if (!std::isnan(result.power_uw[i])) {
      ++c.with_power;
      continue;
    }
    const layer_window& w = result.windows[i];
    if (samples.empty() || w.start > last->t) ++c.after_log;
    else if (w.end < first->t) ++c.before_log;
    else ++c.inside_log;
  }
  return c;
}

}  // namespace layerwatt::join
