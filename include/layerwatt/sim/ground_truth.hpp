#pragma once
// `RAW_DIR/<model>/ground_truth.json`: what the simulator knows and a measurement never does —
// the true mean runtime and power of every layer, and where the sensor and the inferences
// really were in time. The format is documented in docs/simulator.md:
//
// {
//   "model": "resnet18", "source": "layerwatt simulate", "seed": 1, "cycles": 2000,
//   "profile": {...the complete device profile used, stamps and clock offset included...},
//   "idle_power_uw": 5480000.0,
//   "sensor": {"refresh_interval_us": 6600, "first_refresh": "20250109-00:00:00.003117"},
//   "inference_windows": [["20250109-00:00:00.200512", "20250109-00:00:00.201391"], ...],
//   "layers": [{"name": "...", "layer_type": "CaskConvolution", "runtime_ms": 0.0312,
//               "power_uw": 9113245.2, "power_excluding_idle_uw": 3633245.2,
//               "flops": 236027904.0, "bytes": 1806336.0}, ...],
//   "network": {"inferences": 8412, "latency_ms": 1.1237, "cycle_ms": 1.1889,     (a simulated campaign's
//               "energy_per_inference_total_mj": 13.05,                           timed run only)
//               "energy_per_inference_above_idle_mj": 6.54}
// }
//
// Times are on the logger's clock (the power log's); the profiler's stamps are that clock plus
// `profile.profiler.clock_offset_us`. A layer's power is the mean over cycles of its constant
// power during the cycle; a layer TensorRT does not run (NoOp) has runtime 0 and power null.
// `network` is what a measurement campaign measures of the network (io/network_measurement.hpp),
// true over the timed inferences: the mean GPU time of one; the mean time from one's start to the
// next one's; the energy above idle of one (its layers' dynamic power × runtime) and that plus
// the idle power over its cycle.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/json_document.hpp"
#include "layerwatt/sim/device_profile.hpp"

namespace layerwatt::sim {

struct layer_truth {
  std::string name, layer_type;
  double runtime_ms = 0;  ///< mean over cycles
  std::optional<double> power_uw;                 ///< idle included; none for a layer that never runs
  std::optional<double> power_excluding_idle_uw;  ///< power_uw − idle_power_uw
  double flops = 0, bytes = 0;
  bool operator==(const layer_truth&) const = default;
};

/// A campaign network's true totals per inference (see above).
struct network_truth {
  std::size_t inferences = 0;
  double latency_ms = 0, cycle_ms = 0;
  double energy_per_inference_total_mj = 0, energy_per_inference_above_idle_mj = 0;
  bool operator==(const network_truth&) const = default;
};

struct ground_truth {
  std::string model;
  std::uint64_t seed = 0;
  std::int64_t cycles = 0;
  device_profile profile;
  double idle_power_uw = 0;
  std::int64_t refresh_interval_us = 0;
  time_stamp first_refresh;  ///< the sensor publishes at first_refresh + k · refresh_interval_us
  std::vector<std::pair<time_stamp, time_stamp>> inference_windows;  ///< GPU busy, per cycle
  std::vector<layer_truth> layers;  ///< execution order
  std::optional<network_truth> network;
};

inline nlohmann::ordered_json to_json(const ground_truth& g) {
  nlohmann::ordered_json j;
  j["model"] = g.model;
  j["source"] = "layerwatt simulate";
  j["seed"] = g.seed;
  j["cycles"] = g.cycles;
  j["profile"] = to_json(g.profile);
  j["idle_power_uw"] = g.idle_power_uw;
  j["sensor"] = {{"refresh_interval_us", g.refresh_interval_us}, {"first_refresh", layerwatt::to_string(g.first_refresh)}};
  auto windows = nlohmann::ordered_json::array();
  for (const auto& [start, end] : g.inference_windows) windows.push_back({layerwatt::to_string(start), layerwatt::to_string(end)});
  j["inference_windows"] = std::move(windows);
  auto layers = nlohmann::ordered_json::array();
  for (const auto& l : g.layers) {
    const auto optional = [](const std::optional<double>& v) { return v ? nlohmann::ordered_json(*v) : nullptr; };
    layers.push_back({{"name", l.name},
                      {"layer_type", l.layer_type},
                      {"runtime_ms", l.runtime_ms},
                      {"power_uw", optional(l.power_uw)},
                      {"power_excluding_idle_uw", optional(l.power_excluding_idle_uw)},
                      {"flops", l.flops},
                      {"bytes", l.bytes}});
  }
  j["layers"] = std::move(layers);
  if (const auto& n = g.network)
    j["network"] = {{"inferences", n->inferences},
                    {"latency_ms", n->latency_ms},
                    {"cycle_ms", n->cycle_ms},
                    {"energy_per_inference_total_mj", n->energy_per_inference_total_mj},
                    {"energy_per_inference_above_idle_mj", n->energy_per_inference_above_idle_mj}};
  return j;
}

inline void write_ground_truth(const std::filesystem::path& path, const ground_truth& g) {
  io::write_file_atomically(path, to_json(g).dump(4) + "\n");
}

inline ground_truth read_ground_truth(const std::filesystem::path& path) {
  const io::json_document doc(path);
  const io::json_node root = doc.root();
  const auto stamp = [](const io::json_node& node) {
    const auto t = try_parse_time_stamp(node.as_string());
    if (!t) node.fail(fmt::format("a time stamp {}", time_stamp_format));
    return *t;
  };
  ground_truth g;
  g.model = root.object_member("model").as_string();
  g.seed = root.object_member("seed").as_integer<std::uint64_t>();
  g.cycles = root.object_member("cycles").as_integer<std::int64_t>(0);
  g.profile = parse_device_profile(root.object_member("profile"));
  g.idle_power_uw = root.object_member("idle_power_uw").as_double();
  const io::json_node sensor = root.object_member("sensor");
  g.refresh_interval_us = sensor.object_member("refresh_interval_us").as_integer<std::int64_t>(1);
  g.first_refresh = stamp(sensor.object_member("first_refresh"));
  const io::json_node windows = root.object_member("inference_windows");
  for (std::size_t i = 0; i < windows.array_size(); ++i) {
    const io::json_node w = windows.element(i);
    if (w.array_size() != 2) w.fail("[start, end]");
    g.inference_windows.emplace_back(stamp(w.element(0)), stamp(w.element(1)));
  }
  const io::json_node layers = root.object_member("layers");
  for (std::size_t i = 0; i < layers.array_size(); ++i) {
    const io::json_node l = layers.element(i);
    const auto optional = [&](const char* key) -> std::optional<double> {
      if (const auto v = l.find(key)) return v->as_double();
      return std::nullopt;
    };
    g.layers.push_back({l.object_member("name").as_string(), l.object_member("layer_type").as_string(),
                        l.object_member("runtime_ms").as_double(), optional("power_uw"),
                        optional("power_excluding_idle_uw"), l.object_member("flops").as_double(),
                        l.object_member("bytes").as_double()});
  }
  if (const auto n = root.find("network")) {
    network_truth t;
    t.inferences = n->object_member("inferences").as_integer<std::size_t>(1);
    t.latency_ms = n->object_member("latency_ms").as_double();
    t.cycle_ms = n->object_member("cycle_ms").as_double();
    t.energy_per_inference_total_mj = n->object_member("energy_per_inference_total_mj").as_double();
    t.energy_per_inference_above_idle_mj = n->object_member("energy_per_inference_above_idle_mj").as_double();
    g.network = t;
  }
  return g;
}

}  // namespace layerwatt::sim
