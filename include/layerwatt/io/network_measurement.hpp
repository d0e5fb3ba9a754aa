#pragma once
// `network_measurement.json`: what a measurement campaign measured of one network — a trtexec
// timed run joined with a power log (join/timed_run.hpp) — written last into the network's
// folder (io/campaign_dir.hpp), so that its presence marks the network finished:
//
// {
//     "network": "resnet18", "source": "layerwatt measure",
//     "latency_mean_ms": 0.9301, "latency_median_ms": 0.9297,          trtexec's latencyMs
//     "gpu_compute_mean_ms": 0.9301, "gpu_compute_median_ms": 0.9297,  trtexec's computeMs
//     "throughput_qps": 1062.4,
//     "inferences": 31874, "inferences_in_window": 29749.7,
//     "run": {"start": "20250102-10:00:09.713204", "end": "20250102-10:00:39.714113"},
//     "window": {"start": "...", "end": "...", "seconds": 28.000909, "trim_s": 1.0},
//     "alignment": {"trtexec_zero": "...", "uncertainty_ms": 0.807},
//     "power": {"rail": "VDD_IN", "source": "ina3221-hwmon", "samples": 28001, "mean_power_mw": 9013.7},
//     "idle": {"power_mw": 5479.9, "file": "idling_power.json"},
//     "energy_per_inference_total_mj": 8.4828, "energy_per_inference_above_idle_mj": 3.3258,
//     "board": {"tensorrt_version": "10.3.0", "nvpmodel": {...}, "clocks": {...}},
//     "trtexec": {"build_command": [...], "timed_command": [...], "reported": {...}}
// }
//
// Times are on the power log's clock (local time, YYYYmmdd-HH:MM:SS.ffffff). Energy per inference
// is over the trimmed window: **total** (the rail's whole draw, idle included) and **above idle**
// (less the idle power over the same time); an inference is one execution of the engine (the
// whole batch). `board` and `trtexec` are kept as they are (what was asked, what was reported).
// Reading requires every key above but `board` and `trtexec`; errors name the file and JSON path.

#include <cstddef>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/json_document.hpp"

namespace layerwatt::io {

struct network_measurement {
  std::string network, source;
  double latency_mean_ms = 0, latency_median_ms = 0;
  double gpu_compute_mean_ms = 0, gpu_compute_median_ms = 0;
  double throughput_qps = 0;
  std::size_t inferences = 0;        ///< timed, after trtexec's warm-up
  double inferences_in_window = 0;   ///< counted by time (join::inferences_in_window)
  time_stamp run_start, run_end;     ///< the timed inferences: first H2D start to last D2H end
  time_stamp window_start, window_end;
  microseconds trim{0};              ///< cut from each end of the run
  time_stamp trtexec_zero;           ///< trtexec's time 0 on the log's clock
  microseconds alignment_uncertainty{0};
  std::string rail, power_source;
  std::size_t power_samples = 0;     ///< in the window
  double mean_power_mw = 0;          ///< over the window, idle included
  double idle_power_mw = 0;
  std::string idle_file;             ///< relative to the campaign folder
  double energy_per_inference_total_mj = 0, energy_per_inference_above_idle_mj = 0;
  nlohmann::json board = nlohmann::json::object();    ///< TensorRT version, nvpmodel, clocks
  nlohmann::json trtexec = nlohmann::json::object();  ///< its command lines and its own report
  bool operator==(const network_measurement&) const = default;
};

inline constexpr std::string_view network_measurement_file_name = "network_measurement.json";

namespace detail {

inline double to_seconds(microseconds d) { return static_cast<double>(d.count()) / 1e6; }

}  // namespace detail

inline nlohmann::ordered_json to_json(const network_measurement& m) {
  nlohmann::ordered_json j;
  j["network"] = m.network;
  j["source"] = m.source;
  j["latency_mean_ms"] = m.latency_mean_ms;
  j["latency_median_ms"] = m.latency_median_ms;
  j["gpu_compute_mean_ms"] = m.gpu_compute_mean_ms;
  j["gpu_compute_median_ms"] = m.gpu_compute_median_ms;
  j["throughput_qps"] = m.throughput_qps;
  j["inferences"] = m.inferences;
  j["inferences_in_window"] = m.inferences_in_window;
  j["run"] = {{"start", layerwatt::to_string(m.run_start)}, {"end", layerwatt::to_string(m.run_end)}};
  j["window"] = {{"start", layerwatt::to_string(m.window_start)},
                 {"end", layerwatt::to_string(m.window_end)},
                 {"seconds", detail::to_seconds(m.window_end - m.window_start)},
                 {"trim_s", detail::to_seconds(m.trim)}};
  j["alignment"] = {{"trtexec_zero", layerwatt::to_string(m.trtexec_zero)},
                    {"uncertainty_ms", static_cast<double>(m.alignment_uncertainty.count()) / 1e3}};
  j["power"] = {{"rail", m.rail}, {"source", m.power_source}, {"samples", m.power_samples}, {"mean_power_mw", m.mean_power_mw}};
  j["idle"] = {{"power_mw", m.idle_power_mw}, {"file", m.idle_file}};
  j["energy_per_inference_total_mj"] = m.energy_per_inference_total_mj;
  j["energy_per_inference_above_idle_mj"] = m.energy_per_inference_above_idle_mj;
  j["board"] = m.board;
  j["trtexec"] = m.trtexec;
  return j;
}

inline void write_network_measurement(const std::filesystem::path& path, const network_measurement& m) {
  write_file_atomically(path, to_json(m).dump(4) + "\n");
}

inline network_measurement read_network_measurement(const std::filesystem::path& path) {
  const json_document doc(path);
  const json_node root = doc.root();
  const auto stamp = [](const json_node& node) {
    const auto t = try_parse_time_stamp(node.as_string());
    if (!t) node.fail(fmt::format("a time stamp {}", time_stamp_format));
    return *t;
  };
  const auto non_negative = [](const json_node& node) {
    const double v = node.as_double();
    if (v < 0) node.fail("a number of at least 0");
    return v;
  };
  const auto us = [&](const json_node& node, double scale) {
    return microseconds{static_cast<std::int64_t>(std::llround(non_negative(node) * scale))};
  };
  network_measurement m;
  m.network = root.object_member("network").as_string();
  if (m.network.empty()) root.object_member("network").fail("a network name");
  m.source = root.object_member("source").as_string();
  m.latency_mean_ms = non_negative(root.object_member("latency_mean_ms"));
  m.latency_median_ms = non_negative(root.object_member("latency_median_ms"));
  m.gpu_compute_mean_ms = non_negative(root.object_member("gpu_compute_mean_ms"));
  m.gpu_compute_median_ms = non_negative(root.object_member("gpu_compute_median_ms"));
  m.throughput_qps = non_negative(root.object_member("throughput_qps"));
  m.inferences = root.object_member("inferences").as_integer<std::size_t>(1);
  m.inferences_in_window = non_negative(root.object_member("inferences_in_window"));
  const json_node run = root.object_member("run"), window = root.object_member("window"),
                  alignment = root.object_member("alignment"), power = root.object_member("power"),
                  idle = root.object_member("idle");
  m.run_start = stamp(run.object_member("start"));
  m.run_end = stamp(run.object_member("end"));
  m.window_start = stamp(window.object_member("start"));
  m.window_end = stamp(window.object_member("end"));
  if (m.window_end <= m.window_start) window.object_member("end").fail("a time after the window's start");
  m.trim = us(window.object_member("trim_s"), 1e6);
  m.trtexec_zero = stamp(alignment.object_member("trtexec_zero"));
  m.alignment_uncertainty = us(alignment.object_member("uncertainty_ms"), 1e3);
  m.rail = power.object_member("rail").as_string();
  m.power_source = power.object_member("source").as_string();
  m.power_samples = power.object_member("samples").as_integer<std::size_t>();
  m.mean_power_mw = non_negative(power.object_member("mean_power_mw"));
  m.idle_power_mw = non_negative(idle.object_member("power_mw"));
  m.idle_file = idle.object_member("file").as_string();
  m.energy_per_inference_total_mj = non_negative(root.object_member("energy_per_inference_total_mj"));
  // Above idle may be negative: a rail that draws less during the run than at rest says the idle
  // measurement was off, and the number shows it rather than hiding it.
  const json_node above_idle = root.object_member("energy_per_inference_above_idle_mj");
  m.energy_per_inference_above_idle_mj = above_idle.as_double();
  if (m.energy_per_inference_above_idle_mj > m.energy_per_inference_total_mj)
    above_idle.fail(fmt::format("at most energy_per_inference_total_mj ({}): the idle draw is taken away from the total",
                                m.energy_per_inference_total_mj));
  if (const auto board = root.find("board")) m.board = board->value();
  if (const auto trtexec = root.find("trtexec")) m.trtexec = trtexec->value();
  return m;
}

}  // namespace layerwatt::io
