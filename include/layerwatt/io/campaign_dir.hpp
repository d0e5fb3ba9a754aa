#pragma once
// A measurement campaign's folder (`layerwatt measure`, `layerwatt simulate --layout campaign`):
//
//   CAMPAIGN_DIR/idling_power.json                 the idle power, measured once per campaign
//   CAMPAIGN_DIR/<network>/layer_info.json         trtexec --exportLayerInfo (engine inspector JSON)
//   CAMPAIGN_DIR/<network>/profile.json            trtexec --exportProfile (per-layer times)
//   CAMPAIGN_DIR/<network>/times.json              trtexec --exportTimes of the timed run
//   CAMPAIGN_DIR/<network>/power_log.log           layerwatt's power log of the timed run (+ .meta.json)
//   CAMPAIGN_DIR/<network>/trtexec_build.log       trtexec's output, build and profile run, stamped
//   CAMPAIGN_DIR/<network>/trtexec_timed.log       trtexec's output, timed run, stamped
//   CAMPAIGN_DIR/<network>/engine.plan             the engine built from an ONNX model (none for an engine given)
//   CAMPAIGN_DIR/<network>/idling_power.json       the idle power before this network (--idle-between only)
//   CAMPAIGN_DIR/<network>/network_measurement.json   written last: the network is finished
//
// A network folder is recognised by any of these files; it is finished when it has
// network_measurement.json, layer_info.json and profile.json (what `dataset` reads).

#include <array>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "layerwatt/io/network_measurement.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/io/power_log_meta.hpp"

namespace layerwatt::io {

struct campaign_network_files {
  std::string name;
  std::filesystem::path directory, layer_info, profile, times, power_log, build_output, timed_output, engine,
      idle_power, measurement;

  /// The files of network `name` in `directory`, whether or not they exist.
  static campaign_network_files in(const std::filesystem::path& directory, std::string name) {
    campaign_network_files f;
    f.directory = directory;
    f.layer_info = directory / "layer_info.json";
    f.profile = directory / "profile.json";
    f.times = directory / "times.json";
    f.power_log = directory / "power_log.log";
    f.build_output = directory / "trtexec_build.log";
    f.timed_output = directory / "trtexec_timed.log";
    f.engine = directory / "engine.plan";
    f.idle_power = directory / "idling_power.json";
    f.measurement = directory / network_measurement_file_name;
    f.name = std::move(name);
    return f;
  }

  /// What `dataset` needs of a finished network.
  [[nodiscard]] std::array<std::filesystem::path, 3> required() const { return {measurement, layer_info, profile}; }

  /// Every file a measurement writes, network_measurement.json last (set_aside_measurement sets
  /// it aside first and puts it back last): an unfinished network's are removed before it is
  /// measured again. The folder's own names: a linked power log's link goes, what lies beside
  /// the file it names (outside the folder, perhaps a rescued `.partial`) stays.
  [[nodiscard]] std::vector<std::filesystem::path> written() const {
    const auto beside_log = [&](std::string_view suffix) {
      return std::filesystem::path(power_log) += suffix;
    };
    return {layer_info,   profile,     times,       power_log,  beside_log(power_log_meta_suffix),
            beside_log(power_log_partial_suffix), build_output, timed_output, engine, idle_power,
            measurement};
  }
};

/// True when `folder` holds any file of a campaign network (not the reference's layout).
inline bool is_campaign_network_folder(const std::filesystem::path& folder) {
  std::error_code ec;
  const auto f = campaign_network_files::in(folder, folder.filename().string());
  for (const auto& path : {f.measurement, f.layer_info, f.profile, f.times, f.build_output, f.timed_output})
    if (std::filesystem::exists(path, ec)) return true;
  return false;
}

}  // namespace layerwatt::io
