#pragma once
// A network-level model directory, as `layerwatt train --fit network` writes it:
//
//   MODELS_DIR/<kind>/runtime.json, MODELS_DIR/<kind>/energy.json   each kind's layer models
//   MODELS_DIR/network.json                                          what is added once per inference
//
//   {"form": "network", "version": 2, "runtime_constant_ms": 0.41, "energy_constant_mj": 1.9,
//    "static_power_w": 2.3, "energy": "total"}
//
// A layer's energy is its energy model's plus static_power_w × its predicted runtime (ms → mJ);
// the per-inference constant's likewise (train/network_fit.hpp says why). Version 2: the static
// power and the convolutions' terms by kernel class; a version-1 directory is an error that says
// to train again.
// "energy" says which measured energy the energy models learnt: "total" (idle included) or
// "above_idle". Its presence marks the directory's form: predict/model_set.hpp reads runtime and
// energy models where it is, power and runtime models where it is not.

#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "layerwatt/core/error.hpp"
#include "layerwatt/dataset/layer_kind.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/json_document.hpp"
#include "layerwatt/model/preset_catalog.hpp"
#include "layerwatt/model/target.hpp"

namespace layerwatt::train {

inline constexpr int network_models_version = 2;
/// No device draws more (an H100 board 700 W): a fitted or read static power above this is a
/// unit mistake (energies not in mJ, latencies not in ms) or a damaged file.
inline constexpr double max_static_power_w = 10'000;

struct network_constants {
  double runtime_ms = 0;             ///< per inference
  std::optional<double> energy_mj;   ///< per inference; none when no energy was fitted
  std::string energy = "total";      ///< "total" or "above_idle"
  double static_power_w = 0;         ///< energy per ms of predicted runtime, mJ/ms = W
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
  root.require_known_keys({"form", "version", "runtime_constant_ms", "energy_constant_mj", "static_power_w", "energy"});
  if (const auto form = root.object_member("form"); form.as_string() != "network") form.fail("\"network\"");
  if (const auto v = root.object_member("version"); v.as_integer<int>() != network_models_version)
    v.fail(fmt::format("version {} (this library reads that version only: train the models again)",
                       network_models_version));
  network_constants c;
  const auto in_range = [](const io::json_node& node, double max = std::numeric_limits<double>::max()) {
    const double v = node.as_double();
    if (!(v >= 0 && v <= max))
      node.fail(max == std::numeric_limits<double>::max() ? std::string("a finite number of at least 0")
                                                          : fmt::format("a number from 0 to {}", max));
    return v;
  };
  c.runtime_ms = in_range(root.object_member("runtime_constant_ms"));
  if (const auto e = root.find("energy_constant_mj")) c.energy_mj = in_range(*e);
  c.static_power_w = in_range(root.object_member("static_power_w"), max_static_power_w);
  if (const auto e = root.find("energy")) {
    c.energy = e->as_string();
    if (c.energy != "total" && c.energy != "above_idle") e->fail("\"total\" or \"above_idle\"");
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
  j["energy"] = c.energy;
  io::write_file_atomically(network_constants_file(models_dir), j.dump(4) + "\n");
}

/// Removes the network-level models in `models_dir` (network.json, then every kind's
/// runtime.json and energy.json), where network.json marks them: done before per-layer models
/// are written there, so the directory holds one form, the new fit's. Nothing else is touched.
/// Errors: a file that cannot be removed (named).
inline void remove_network_models(const std::filesystem::path& models_dir) {
  std::error_code ec;
  if (!std::filesystem::exists(network_constants_file(models_dir), ec)) return;
  const auto remove = [&ec](const std::filesystem::path& file) {
    if (!std::filesystem::remove(file, ec) && ec)
      throw error(fmt::format("{}: cannot remove: {}", file.string(), ec.message()));
  };
  for (const auto kind : all_layer_kinds)
    for (const auto t : {target::runtime, target::energy}) remove(presets::model_file(models_dir, kind, t));
  remove(network_constants_file(models_dir));  // last: until then the directory still reads as network-level
}

}  // namespace layerwatt::train
