#pragma once
// The simulated device: how fast and how hungry its GPU is, how its INA3221 power monitor and
// the logger read it, and how the TensorRT profiler stamps layers. docs/simulator.md explains
// every field and the assumptions behind the defaults ("orin-like").
//
// A profile file (JSON) is read on top of the defaults: it names only what it changes, e.g.
//   {"name": "fast-sensor", "sensor": {"samples": 1, "bus_conversion_us": 140}}
// An unknown key or a value out of range is an error naming its JSON path.

#include <cstdint>
#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/json_document.hpp"

namespace layerwatt::sim {

/// When the profiler stamps a layer: at the layer's end on the GPU, or when TensorRT calls the
/// profiler back after the whole inference (what it really does: every layer of a cycle then
/// has nearly the same stamp).
enum class stamp_mode { layer_end, callback };

constexpr std::string_view to_string(stamp_mode m) noexcept { return m == stamp_mode::layer_end ? "layer-end" : "callback"; }

constexpr std::optional<stamp_mode> stamp_mode_from_string(std::string_view text) noexcept {
  if (text == "layer-end") return stamp_mode::layer_end;
  if (text == "callback") return stamp_mode::callback;
  return std::nullopt;
}

/// The GPU's speed: a roofline with occupancy, per-kernel overhead and tactic variation.
struct compute_profile {
  double tensor_fp16_tflops = 20;   ///< dense FP16 on tensor cores (convolutions and GEMMs)
  double cuda_fp16_tflops = 5;      ///< FP16 on CUDA cores (grouped/depthwise, pooling, pointwise)
  double cuda_fp32_tflops = 2.5;    ///< FP32 (no tensor cores)
  double memory_gbps = 204.8;       ///< DRAM bandwidth
  double compute_efficiency = 0.6;  ///< best fraction of peak FLOPs a large layer reaches
  double memory_efficiency = 0.7;   ///< best fraction of peak bandwidth a large layer reaches
  double half_occupancy_outputs = 150'000;  ///< output elements at which compute efficiency is half its best
  double half_bandwidth_bytes = 262'144;    ///< bytes moved at which bandwidth efficiency is half its best
  double winograd_speedup = 1.6;    ///< 3×3 stride-1 dense convolutions beat their FLOP count
  double roofline_sharpness = 4;    ///< p of the smooth maximum (t_compute^p + t_memory^p)^(1/p)
  double launch_overhead_us = 3;    ///< per kernel
  double tactic_sigma = 0.15;       ///< log-normal spread of runtime per layer configuration
  double runtime_noise_sigma = 0.04;  ///< log-normal spread of runtime per cycle
  double timer_resolution_ns = 32;  ///< the profiler's latencies are multiples of this
  std::int64_t tactic_seed = 1;     ///< picks the per-configuration variation (a device's "tactics")
};

/// The rail's power: idle, plus while a layer runs a dynamic part that grows with utilisation.
struct power_profile {
  double idle_mw = 5480;          ///< the board at rest (VDD_IN of the reference's log: 5000 mV × 1096 mA)
  double active_mw = 1200;        ///< any kernel running: clocks and caches awake
  double compute_mw = 8000;       ///< added at full compute utilisation
  double compute_exponent = 0.8;  ///< utilisation^exponent: power rises fastest at low utilisation
  double memory_mw = 3500;        ///< added at full memory bandwidth
  double layer_sigma = 0.05;      ///< log-normal spread of dynamic power per layer configuration
  double noise_sigma = 0.03;      ///< log-normal spread of dynamic power per cycle
  double drift_fraction = 0;      ///< dynamic power grows by this fraction over the run (warming up)
  double drift_time_constant_s = 60;
};

/// The INA3221 and the Linux driver's view of it.
struct sensor_profile {
  std::string rail = "VDD_IN";
  double bus_voltage_mv = 5000;
  std::int64_t bus_conversion_us = 1100;    ///< the chip's reset default
  std::int64_t shunt_conversion_us = 1100;  ///< the chip's reset default
  std::int64_t samples = 1;                 ///< averaging count
  std::int64_t channels = 3;                ///< enabled channels, converted in turn
  double shunt_mohm = 5;
  double bus_lsb_mv = 8;     ///< bus-voltage register resolution
  double shunt_lsb_uv = 40;  ///< shunt-voltage register resolution (40 µV / 5 mΩ = 8 mA)
  double current_noise_ma = 4;  ///< RMS noise of one conversion, before averaging

  /// How often the chip publishes a new value, and the window it averages: every enabled
  /// channel converts bus and shunt voltage `samples` times in turn.
  [[nodiscard]] std::int64_t refresh_interval_us() const noexcept {
    return channels * (bus_conversion_us + shunt_conversion_us) * samples;
  }
};

/// The power logger's loop (the reference's Python loop reads two sysfs files per sample).
struct logger_profile {
  double period_us = 1400;
  double jitter_us = 60;             ///< normal spread of each period
  double stall_probability = 0.002;  ///< chance per sample of a scheduler stall
  double stall_us = 3000;            ///< mean length of a stall
};

/// TensorRT's profiler as the reference's callback records it.
struct profiler_profile {
  stamp_mode stamps = stamp_mode::callback;
  double callback_delay_us = 40;    ///< from the inference's end to the first callback
  double callback_spacing_us = 12;  ///< between callbacks (a Python call, datetime.now, strftime)
  double callback_jitter_us = 3;
  double clock_offset_us = 0;       ///< profiler clock minus logger clock
};

/// The benchmark loop around the inferences.
struct run_profile {
  double inference_gap_us = 500;  ///< host work before each inference (Python, enqueue); the GPU idles
  double gap_sigma = 0.25;        ///< log-normal spread of that gap
  double lead_in_ms = 200;        ///< logging before the first inference
  double lead_out_ms = 50;        ///< logging after the last callback
  double idle_measurement_s = 5;  ///< length of the simulated idle measurement
};

struct device_profile {
  std::string name = "orin-like";
  std::string description =
      "A Jetson AGX Orin-class GPU at FP16 under TensorRT, read through the INA3221 on VDD_IN at the chip's "
      "reset configuration, by a Python logger and TensorRT's profiler callback (docs/simulator.md).";
  compute_profile compute;
  power_profile power;
  sensor_profile sensor;
  logger_profile logger;
  profiler_profile profiler;
  run_profile run;
};

namespace detail {

/// Every field once, with its JSON location and valid range: the reader, the writer and the
/// docs' table follow this list. `f(section, key, member, min, max)`; section "" is top level.
template <typename Profile, typename F>
void for_each_profile_field(Profile& p, F&& f) {
  constexpr double inf = 1e300;
  f("", "name", p.name, 0, 0);
  f("", "description", p.description, 0, 0);
  auto& c = p.compute;
  f("compute", "tensor_fp16_tflops", c.tensor_fp16_tflops, 1e-3, 1e4);
  f("compute", "cuda_fp16_tflops", c.cuda_fp16_tflops, 1e-3, 1e4);
  f("compute", "cuda_fp32_tflops", c.cuda_fp32_tflops, 1e-3, 1e4);
  f("compute", "memory_gbps", c.memory_gbps, 1e-3, 1e5);
  f("compute", "compute_efficiency", c.compute_efficiency, 1e-3, 1);
  f("compute", "memory_efficiency", c.memory_efficiency, 1e-3, 1);
  f("compute", "half_occupancy_outputs", c.half_occupancy_outputs, 0, inf);
  f("compute", "half_bandwidth_bytes", c.half_bandwidth_bytes, 0, inf);
  f("compute", "winograd_speedup", c.winograd_speedup, 1, 10);
  f("compute", "roofline_sharpness", c.roofline_sharpness, 1, 100);
  f("compute", "launch_overhead_us", c.launch_overhead_us, 0, 1e6);
  f("compute", "tactic_sigma", c.tactic_sigma, 0, 3);
  f("compute", "runtime_noise_sigma", c.runtime_noise_sigma, 0, 3);
  f("compute", "timer_resolution_ns", c.timer_resolution_ns, 0, 1e6);
  f("compute", "tactic_seed", c.tactic_seed, std::int64_t{0}, std::int64_t{1} << 53);
  auto& w = p.power;
  f("power", "idle_mw", w.idle_mw, 1, 1e7);
  f("power", "active_mw", w.active_mw, 0, 1e7);
  f("power", "compute_mw", w.compute_mw, 0, 1e7);
  f("power", "compute_exponent", w.compute_exponent, 0.05, 10);
  f("power", "memory_mw", w.memory_mw, 0, 1e7);
  f("power", "layer_sigma", w.layer_sigma, 0, 3);
  f("power", "noise_sigma", w.noise_sigma, 0, 3);
  f("power", "drift_fraction", w.drift_fraction, -0.9, 10);
  f("power", "drift_time_constant_s", w.drift_time_constant_s, 1e-3, 1e7);
  auto& s = p.sensor;
  f("sensor", "rail", s.rail, 0, 0);
  f("sensor", "bus_voltage_mv", s.bus_voltage_mv, 1, 1e6);
  f("sensor", "bus_conversion_us", s.bus_conversion_us, std::int64_t{1}, std::int64_t{1'000'000});
  f("sensor", "shunt_conversion_us", s.shunt_conversion_us, std::int64_t{1}, std::int64_t{1'000'000});
  f("sensor", "samples", s.samples, std::int64_t{1}, std::int64_t{4096});
  f("sensor", "channels", s.channels, std::int64_t{1}, std::int64_t{3});
  f("sensor", "shunt_mohm", s.shunt_mohm, 1e-3, 1e6);
  f("sensor", "bus_lsb_mv", s.bus_lsb_mv, 0, 1e4);
  f("sensor", "shunt_lsb_uv", s.shunt_lsb_uv, 0, 1e6);
  f("sensor", "current_noise_ma", s.current_noise_ma, 0, 1e6);
  auto& l = p.logger;
  f("logger", "period_us", l.period_us, 1, 1e8);
  f("logger", "jitter_us", l.jitter_us, 0, 1e8);
  f("logger", "stall_probability", l.stall_probability, 0, 1);
  f("logger", "stall_us", l.stall_us, 0, 1e8);
  auto& r = p.profiler;
  f("profiler", "stamps", r.stamps, 0, 0);
  f("profiler", "callback_delay_us", r.callback_delay_us, 0, 1e8);
  f("profiler", "callback_spacing_us", r.callback_spacing_us, 0, 1e8);
  f("profiler", "callback_jitter_us", r.callback_jitter_us, 0, 1e8);
  f("profiler", "clock_offset_us", r.clock_offset_us, -1e12, 1e12);
  auto& u = p.run;
  f("run", "inference_gap_us", u.inference_gap_us, 0, 1e9);
  f("run", "gap_sigma", u.gap_sigma, 0, 3);
  f("run", "lead_in_ms", u.lead_in_ms, 0, 1e7);
  f("run", "lead_out_ms", u.lead_out_ms, 0, 1e7);
  f("run", "idle_measurement_s", u.idle_measurement_s, 1e-3, 1e5);
}

inline constexpr std::string_view profile_sections[] = {"compute", "power", "sensor", "logger", "profiler", "run"};

}  // namespace detail

/// The profile as JSON, every field written (a complete, commented-by-docs starting point).
inline nlohmann::ordered_json to_json(const device_profile& profile) {
  nlohmann::ordered_json j;
  detail::for_each_profile_field(profile, [&](std::string_view section, std::string_view key, const auto& value,
                                              auto, auto) {
    auto& target = section.empty() ? j : j[std::string(section)];
    if constexpr (std::is_same_v<std::decay_t<decltype(value)>, stamp_mode>) target[std::string(key)] = to_string(value);
    else target[std::string(key)] = value;
  });
  return j;
}

/// The defaults with the document's values over them.
inline device_profile parse_device_profile(const io::json_node& root) {
  if (!root.value().is_object()) root.fail("an object (a device profile)");
  device_profile profile;
  const auto known = [&](std::string_view section, std::string_view key) {
    bool found = false;
    detail::for_each_profile_field(profile, [&](std::string_view s, std::string_view k, auto&, auto, auto) {
      found = found || (s == section && k == key);
    });
    return found;
  };
  for (const auto& [key, value] : root.value().items()) {
    const bool section = std::find(std::begin(detail::profile_sections), std::end(detail::profile_sections), key) !=
                         std::end(detail::profile_sections);
    if (!section && !known("", key))
      root.fail(fmt::format("only the keys name, description, {} (\"{}\" is not one)",
                            fmt::join(detail::profile_sections, ", "), key));
    if (!section) continue;
    const io::json_node node = root.object_member(key);
    if (!value.is_object()) node.fail("an object");
    for (const auto& item : value.items())
      if (!known(key, item.key()))
        node.fail(fmt::format("a known {} field (\"{}\" is not one; docs/simulator.md lists them)", key, item.key()));
  }
  detail::for_each_profile_field(profile, [&](std::string_view section, std::string_view key, auto& member, auto min,
                                              auto max) {
    std::optional<io::json_node> parent = section.empty() ? std::optional(root) : root.find(section);
    if (!parent) return;
    const auto node = parent->find(key);
    if (!node) return;
    using type = std::decay_t<decltype(member)>;
    if constexpr (std::is_same_v<type, std::string>) {
      member = node->as_string();
    } else if constexpr (std::is_same_v<type, stamp_mode>) {
      const auto mode = stamp_mode_from_string(node->as_string());
      if (!mode) node->fail("\"layer-end\" or \"callback\"");
      member = *mode;
    } else if constexpr (std::is_same_v<type, std::int64_t>) {
      // Checked here as well: json_node::as_integer does not apply `min` to unsigned JSON numbers.
      const auto v = node->as_integer<std::int64_t>(min, max);
      if (v < min) node->fail(fmt::format("an integer in [{}, {}]", min, max));
      member = v;
    } else {
      const double v = node->as_double();
      if (!(v >= min && v <= max)) node->fail(fmt::format("a number in [{}, {}]", min, max));
      member = v;
    }
  });
  return profile;
}

inline device_profile read_device_profile(const std::filesystem::path& path) {
  const io::json_document doc(path);
  return parse_device_profile(doc.root());
}

inline void write_device_profile(const std::filesystem::path& path, const device_profile& profile) {
  io::write_file_atomically(path, to_json(profile).dump(4) + "\n");
}

}  // namespace layerwatt::sim
