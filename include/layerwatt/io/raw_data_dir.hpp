#pragma once
// The reference's raw-data layout, as the Jetson benchmark writes it:
//   RAW_DIR/idling_power.json
//   RAW_DIR/<model>/<model>_power_log.log            (+ optional <model>_power_log.log.meta.json)
//   RAW_DIR/<model>/<model>_tensorrt.json                (optional: the benchmark's summary)
//   RAW_DIR/<model>/trt_profiling/trt_engine_info.json
//   RAW_DIR/<model>/trt_profiling/trt_layer_latency.json
// A model folder that lacks a file is reported with the files it lacks, never skipped silently.
// The benchmark's summary is not required: nothing the power and layers are mapped with is in it,
// and a benchmark of one's own writes none. Hidden folders (.git, .cache) are no models.
// A folder holding a measurement campaign's files (io/campaign_dir.hpp) is a campaign network,
// listed apart: a raw-data directory may hold both kinds, which `dataset` reads each its own way.

#include <algorithm>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/campaign_dir.hpp"
#include "layerwatt/io/directory.hpp"
#include "layerwatt/io/power_log_meta.hpp"

namespace layerwatt::io {

struct raw_model_files {
  std::string name;
  std::filesystem::path directory, power_log, benchmark_summary, engine_info, layer_latency;
  std::optional<std::filesystem::path> power_log_meta;  ///< the logger's sidecar, when present

  /// The files of model `name` under `directory`, whether or not they exist.
  static raw_model_files in(const std::filesystem::path& directory, std::string name) {
    raw_model_files m;
    m.directory = directory;
    m.power_log = directory / (name + "_power_log.log");
    m.benchmark_summary = directory / (name + "_tensorrt.json");
    m.engine_info = directory / "trt_profiling" / "trt_engine_info.json";
    m.layer_latency = directory / "trt_profiling" / "trt_layer_latency.json";
    m.name = std::move(name);
    return m;
  }

  [[nodiscard]] std::vector<std::filesystem::path> required() const { return {power_log, engine_info, layer_latency}; }
};

/// A folder that lacks a file it needs: `missing` where nothing is, `not_files` where something
/// else (a directory, say) takes the file's name; or a campaign network's folder that also holds
/// files of the reference layout (`other_layout`: which is this run's cannot be told).
struct incomplete_model {
  std::string name;
  std::vector<std::filesystem::path> missing, not_files, other_layout;
  bool campaign_network = false;  ///< a campaign network's folder, else one in the reference's layout

  /// Those of `required` that are no readable file (io::file_problem), as the gaps of `name`.
  static incomplete_model of(std::string name, std::span<const std::filesystem::path> required) {
    incomplete_model gaps{std::move(name), {}, {}, {}, false};
    for (const auto& f : required)
      if (const auto problem = file_problem(f); !problem.empty())
        (problem == "missing" ? gaps.missing : gaps.not_files).push_back(f);
    return gaps;
  }

  [[nodiscard]] bool complete() const noexcept { return missing.empty() && not_files.empty() && other_layout.empty(); }

  /// "missing a.json, b.log; c.log not a file (a directory?)": file names only, the folder is
  /// `name`'s.
  [[nodiscard]] std::string describe() const {
    const auto names = [](const std::vector<std::filesystem::path>& files) {
      std::vector<std::string> out;
      for (const auto& f : files) out.push_back(f.filename().string());
      return out;
    };
    std::vector<std::string> parts;
    if (!missing.empty()) parts.push_back(fmt::format("missing {}", fmt::join(names(missing), ", ")));
    if (!not_files.empty())
      parts.push_back(fmt::format("{} not a file (a directory?)", fmt::join(names(not_files), ", ")));
    if (!other_layout.empty())
      parts.push_back(fmt::format("a campaign network's files beside the reference layout's {}: a folder holds one "
                                  "layout (remove the earlier run's files)",
                                  fmt::join(names(other_layout), ", ")));
    return fmt::format("{}", fmt::join(parts, "; "));
  }
};

struct raw_data_set {
  std::filesystem::path root, idle_power;
  std::vector<raw_model_files> models;       ///< complete model folders, sorted by name
  std::vector<campaign_network_files> networks;  ///< finished campaign networks, sorted by name
  std::vector<incomplete_model> incomplete;  ///< folders that lack a required file (of either kind)
};

inline raw_data_set scan_raw_data_dir(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  require_directory(root, "a raw-data directory (idling_power.json and one folder per model or network)");
  raw_data_set set;
  set.root = root;
  set.idle_power = root / "idling_power.json";
  if (const auto problem = file_problem(set.idle_power); !problem.empty())
    throw error(fmt::format("{}: {}; a raw-data directory holds the idle power it was measured with",
                            set.idle_power.string(), problem));
  for (const auto& folder : model_folders(root)) {
    if (is_campaign_network_folder(folder)) {
      auto network = campaign_network_files::in(folder, folder.filename().string());
      auto gaps = incomplete_model::of(network.name, network.required());
      gaps.campaign_network = true;
      std::error_code ec;
      for (const auto& f : raw_model_files::in(folder, network.name).required())
        if (fs::exists(fs::symlink_status(f, ec))) gaps.other_layout.push_back(f);
      if (gaps.complete())
        set.networks.push_back(std::move(network));
      else set.incomplete.push_back(std::move(gaps));
      continue;
    }
    auto files = raw_model_files::in(folder, folder.filename().string());
    if (auto gaps = incomplete_model::of(files.name, files.required()); !gaps.complete()) {
      set.incomplete.push_back(std::move(gaps));
      continue;
    }
    std::error_code ec;
    if (auto meta = power_log_meta_path(files.power_log); fs::is_regular_file(meta, ec))
      files.power_log_meta = std::move(meta);
    set.models.push_back(std::move(files));
  }
  return set;
}

}  // namespace layerwatt::io
