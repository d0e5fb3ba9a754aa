#pragma once
// A network-level model directory, as `layerwatt train --fit network` writes it:
//
//   MODELS_DIR/<kind>/runtime.json, MODELS_DIR/<kind>/energy.json   each kind's layer models
//   MODELS_DIR/network.json                                          what is added once per inference
//
//   {"form": "network", "version": 4, "runtime_constant_ms": 0.41, "energy_constant_mj": 1.9,
//    "static_power_w": 2.3, "energy": "total", "max_measured_power_w": 9.6,
//    "models": {"convolutional": ["runtime", "energy"], "dense": ["runtime"]}}
//
// A layer's energy is its energy model's plus static_power_w × its predicted runtime (ms → mJ);
// the per-inference constant's likewise (train/network_fit.hpp says why). "models" lists the
// files the fit wrote per kind (a kind only in networks measured without energy has a runtime
// model alone), so that a file deleted or left by another fit is told from a kind's own form.
// "energy" says which measured energy the energy models learnt: "total" (idle included) or
// "above_idle"; null where energy_constant_mj is (no energy was fitted). "max_measured_power_w"
// (optional, null without energy): the highest power per inference, energy ÷ latency, among the
// networks the energy was fitted on; `predict` flags a layer predicted far above it.
// Version 2 added the static power and the convolutions' terms by kernel class, version 3 the
// list, version 4 the highest power and "energy" null without energy; an earlier directory is an
// error that says to train again. network.json's presence marks the directory's form:
// predict/model_set.hpp reads runtime and energy models where it is, power and runtime models
// where it is not.

#include <algorithm>
#include <array>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "layerwatt/core/error.hpp"
#include "layerwatt/core/power_bound.hpp"
#include "layerwatt/dataset/layer_kind.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/directory.hpp"
#include "layerwatt/io/json_document.hpp"
#include "layerwatt/model/preset_catalog.hpp"
#include "layerwatt/model/target.hpp"

namespace layerwatt::train {

inline constexpr int network_models_version = 4;
/// A static power above the board bound (core/power_bound.hpp) is a unit mistake (energies not
/// in mJ, or latencies not in ms: each scales it a thousandfold) or a damaged file.
inline constexpr double max_static_power_w = max_board_power_w;

/// Whether `v` is a per-inference constant a model directory can hold: finite, at least 0.
constexpr bool storable_constant(double v) noexcept { return v >= 0 && v <= std::numeric_limits<double>::max(); }
/// Whether `w` is a static power a model directory can hold: a number from 0 to max_static_power_w.
constexpr bool storable_static_power(double w) noexcept { return w >= 0 && w <= max_static_power_w; }
/// Whether `w` is a measured power per inference a model directory can hold: above 0, at most
/// max_static_power_w (no board draws more).
constexpr bool storable_measured_power(double w) noexcept { return w > 0 && w <= max_static_power_w; }

/// What is wrong with a network measured at `energy_mj` per inference of `latency_ms`, where
/// that is no board's power (a unit mistake); none where it is one.
inline std::optional<std::string> implausible_power(double energy_mj, double latency_ms) {
  const double watts = energy_mj / latency_ms;
  if (storable_measured_power(watts)) return std::nullopt;
  return fmt::format("{} mJ in {} ms is {:.6g} W per inference, more than any board draws ({} W): are the energies "
                     "in mJ (not µJ) and the latencies in ms (not s)?",
                     energy_mj, latency_ms, watts, max_static_power_w);
}

/// The models of one kind a fit wrote.
struct kind_model_files {
  bool runtime = false, energy = false;
  /// `t`'s flag; `t` is one of network_targets.
  [[nodiscard]] bool& of(target t) noexcept { return t == target::runtime ? runtime : energy; }
  [[nodiscard]] bool of(target t) const noexcept { return t == target::runtime ? runtime : energy; }
};

/// network.json: what is added once per inference, and what the directory holds.
struct network_constants {
  double runtime_ms = 0;             ///< per inference
  std::optional<double> energy_mj;   ///< per inference; none when no energy was fitted
  std::optional<std::string> energy;  ///< "total" or "above_idle"; none exactly when energy_mj is none
  double static_power_w = 0;         ///< energy per ms of predicted runtime, mJ/ms = W
  /// The highest power per inference (energy ÷ latency) among the networks the energy was fitted
  /// on, W; none without energy, or where not recorded.
  std::optional<double> max_measured_power_w = std::nullopt;
  std::array<kind_model_files, all_layer_kinds.size()> models{};  ///< indexed by layer_kind
};

inline std::filesystem::path network_constants_file(const std::filesystem::path& models_dir) {
  return models_dir / "network.json";
}

/// The directory's network.json, if it has one; a malformed one is an error naming its JSON path.
inline std::optional<network_constants> read_network_constants(const std::filesystem::path& models_dir) {
  std::error_code ec;
  const auto file = network_constants_file(models_dir);
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  const io::json_document document(file);
  const io::json_node root = document.root();
  root.require_known_keys(
      {"form", "version", "runtime_constant_ms", "energy_constant_mj", "static_power_w", "energy",
       "max_measured_power_w", "models"});
  if (const auto form = root.object_member("form"); form.as_string() != "network") form.fail("\"network\"");
  if (const auto v = root.object_member("version"); v.as_integer<int>() != network_models_version)
    v.fail(fmt::format("version {} (this library reads that version only: train the models again)",
                       network_models_version));
  network_constants c;
  const auto at_least_zero = [](const io::json_node& node) {
    const double v = node.as_double();
    if (!storable_constant(v)) node.fail("a finite number of at least 0");
    return v;
  };
  c.runtime_ms = at_least_zero(root.object_member("runtime_constant_ms"));
  if (const auto e = root.find("energy_constant_mj")) c.energy_mj = at_least_zero(*e);
  const auto static_power = root.object_member("static_power_w");
  c.static_power_w = static_power.as_double();
  if (!storable_static_power(c.static_power_w))
    static_power.fail(fmt::format("a power from 0 to {} W", max_static_power_w));
  // Which energy the models learnt, and the highest power measured, go with the energy's constant.
  if (c.energy_mj) {
    const auto energy = root.find("energy");
    if (!energy) {
      const auto expected = "\"total\" or \"above_idle\" (energy_constant_mj is not null)";
      if (root.value().contains("energy")) io::json_node(root.value()["energy"], root.file(), "/energy").fail(expected);
      root.fail(fmt::format("key \"energy\": {}", expected));
    }
    c.energy = energy->as_string();
    if (c.energy != "total" && c.energy != "above_idle") energy->fail("\"total\" or \"above_idle\"");
    if (const auto max_power = root.find("max_measured_power_w")) {
      c.max_measured_power_w = max_power->as_double();
      if (!storable_measured_power(*c.max_measured_power_w))
        max_power->fail(fmt::format("a power above 0 and at most {} W", max_static_power_w));
    }
  } else {
    for (const auto key : {"energy", "max_measured_power_w"})
      if (const auto value = root.find(key)) value->fail("null (energy_constant_mj is null: no energy was fitted)");
  }
  const auto models = root.object_member("models");
  std::array<std::string_view, all_layer_kinds.size()> kinds;
  std::transform(all_layer_kinds.begin(), all_layer_kinds.end(), kinds.begin(), [](layer_kind k) { return to_string(k); });
  models.require_known_keys(kinds);
  for (const auto kind : all_layer_kinds) {
    const auto list = models.find(to_string(kind));
    if (!list) continue;
    auto& files = c.models[static_cast<std::size_t>(kind)];
    if (list->array_size() == 0) list->fail("\"runtime\", \"energy\" or both (a kind without models is not listed)");
    for (std::size_t i = 0; i < list->array_size(); ++i) {
      const auto item = list->element(i);
      const auto name = item.as_string();
      const auto t = std::find_if(network_targets.begin(), network_targets.end(),
                                  [&](target n) { return to_string(n) == name; });
      if (t == network_targets.end()) item.fail("\"runtime\" or \"energy\"");
      if (files.of(*t)) item.fail(fmt::format("\"{}\" once", name));
      files.of(*t) = true;
    }
    // An energy model's static-power share is its kind's predicted runtime; its constant is the fit's.
    if (files.energy && !files.runtime) list->fail("\"runtime\" beside \"energy\"");
    if (files.energy && !c.energy_mj) list->fail("\"runtime\" alone (energy_constant_mj is null: no energy was fitted)");
  }
  return c;
}

inline void write_network_constants(const std::filesystem::path& models_dir, const network_constants& c) {
  nlohmann::ordered_json j;
  j["form"] = "network";
  j["version"] = network_models_version;
  j["runtime_constant_ms"] = c.runtime_ms;
  j["energy_constant_mj"] = c.energy_mj ? nlohmann::ordered_json(*c.energy_mj) : nlohmann::ordered_json(nullptr);
  j["static_power_w"] = c.static_power_w;
  j["energy"] = c.energy ? nlohmann::ordered_json(*c.energy) : nlohmann::ordered_json(nullptr);
  j["max_measured_power_w"] =
      c.max_measured_power_w ? nlohmann::ordered_json(*c.max_measured_power_w) : nlohmann::ordered_json(nullptr);
  auto& models = j["models"] = nlohmann::ordered_json::object();
  for (const auto kind : all_layer_kinds) {
    const auto& files = c.models[static_cast<std::size_t>(kind)];
    auto list = nlohmann::ordered_json::array();
    for (const auto t : network_targets)
      if (files.of(t)) list.push_back(to_string(t));
    if (!list.empty()) models[std::string(to_string(kind))] = std::move(list);
  }
  io::write_file_atomically(network_constants_file(models_dir), j.dump(4) + "\n");
}

/// Removes the network-level models in `models_dir` (every kind's runtime.json and energy.json,
/// then network.json), where network.json marks them: done before per-layer models are written
/// there, so the directory holds one form, the new fit's. Nothing else is touched.
/// Errors: a file that cannot be removed (named).
inline void remove_network_models(const std::filesystem::path& models_dir) {
  std::error_code ec;
  if (!std::filesystem::exists(network_constants_file(models_dir), ec)) return;
  for (const auto kind : all_layer_kinds)
    for (const auto t : network_targets) io::remove_if_present(presets::model_file(models_dir, kind, t));
  io::remove_if_present(network_constants_file(models_dir));  // last: until then the directory still reads as network-level
}

}  // namespace layerwatt::train
