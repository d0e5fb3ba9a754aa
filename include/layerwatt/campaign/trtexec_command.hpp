#pragma once
// The networks of a campaign and the two trtexec command lines each one gets.
//
// Build and profile run (not logged):
//   trtexec --onnx=NET.onnx --saveEngine=DIR/engine.plan      (or --loadEngine=NET.plan for an engine)
//           --profilingVerbosity=detailed --exportLayerInfo=DIR/layer_info.json
//           --exportProfile=DIR/profile.json --separateProfileRun --duration=3 FLAGS...
// Timed run (the power logger running):
//   trtexec --loadEngine=ENGINE --warmUp=5000 --duration=30 --exportTimes=DIR/times.json FLAGS...
//
// FLAGS are the user's, given to both runs as they are (--fp16, --int8, --shapes=input:1x3x224x224,
// --useSpinWait, ...): trtexec takes build flags with --loadEngine and ignores them.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/io/campaign_dir.hpp"

namespace layerwatt::campaign {

enum class network_format {
  onnx,    ///< a model trtexec builds an engine from (--onnx)
  engine,  ///< a serialized engine (--loadEngine); built with --profilingVerbosity=detailed for its layer info
};

/// A network to measure: its name (the file's stem, its folder's name), file and format.
struct network_input {
  std::string name;
  std::filesystem::path path;
  network_format format = network_format::onnx;
  bool operator==(const network_input&) const = default;
};

/// The format of a network file by its extension: .onnx, or .plan, .engine, .trt for an engine.
inline std::optional<network_format> network_format_of(const std::filesystem::path& file) {
  const auto ext = file.extension().string();
  if (ext == ".onnx") return network_format::onnx;
  if (ext == ".plan" || ext == ".engine" || ext == ".trt") return network_format::engine;
  return std::nullopt;
}

/// The networks of `inputs`, each a network file or a folder of them (its .onnx, .plan, .engine
/// and .trt files, sorted by name), in the order given. Errors: a path that is neither, a file of
/// another kind, an empty folder, two networks of one name (they would share a folder).
inline std::vector<network_input> list_networks(std::span<const std::filesystem::path> inputs) {
  namespace fs = std::filesystem;
  std::vector<network_input> out;
  const auto add = [&](const fs::path& file) {
    const auto format = network_format_of(file);
    if (!format)
      throw error(fmt::format("{}: not a network file (expected .onnx, or .plan, .engine or .trt for a serialized "
                              "engine)",
                              file.string()));
    const std::string name = file.stem().string();
    for (const auto& n : out)
      if (n.name == name)
        throw error(fmt::format("{} and {}: two networks named \"{}\" (a network's folder is named after its file); "
                                "rename one",
                                n.path.string(), file.string(), name));
    out.push_back({name, file, *format});
  };
  for (const auto& input : inputs) {
    std::error_code ec;
    if (fs::is_directory(input, ec)) {
      std::vector<fs::path> files;
      for (const auto& entry : fs::directory_iterator(input))
        if (entry.is_regular_file() && network_format_of(entry.path())) files.push_back(entry.path());
      if (files.empty())
        throw error(fmt::format("{}: no network file in it (.onnx, .plan, .engine, .trt)", input.string()));
      std::sort(files.begin(), files.end());
      for (const auto& f : files) add(f);
    } else if (fs::is_regular_file(input, ec)) {
      add(input);
    } else {
      throw error(fmt::format("{}: no such file or folder", input.string()));
    }
  }
  return out;
}

struct trtexec_options {
  std::filesystem::path program = "trtexec";
  std::vector<std::string> flags;                 ///< the user's, to both runs
  microseconds profile_duration{3'000'000};       ///< the build run's --duration: the profile's length
  microseconds warm_up{5'000'000};                ///< the timed run's --warmUp
  microseconds duration{30'000'000};              ///< the timed run's --duration
};

/// trtexec as given, else found in PATH, else where JetPack installs it.
inline std::filesystem::path find_trtexec(const std::optional<std::filesystem::path>& given) {
  namespace fs = std::filesystem;
  if (given) return *given;
  if (const char* path = std::getenv("PATH")) {
    std::string_view rest = path;
    while (!rest.empty()) {
      const auto colon = std::min(rest.find(':'), rest.size());
      const fs::path candidate = fs::path(rest.substr(0, colon)) / "trtexec";
      std::error_code ec;
      if (fs::is_regular_file(candidate, ec)) return candidate;
      rest.remove_prefix(std::min(colon + 1, rest.size()));
    }
  }
  const fs::path jetpack = "/usr/src/tensorrt/bin/trtexec";
  std::error_code ec;
  if (fs::is_regular_file(jetpack, ec)) return jetpack;
  throw error("trtexec is neither in PATH nor at /usr/src/tensorrt/bin/trtexec (where JetPack installs it); give "
              "its path with --trtexec");
}

namespace detail {

/// Seconds or ms as trtexec reads them (a float): `30`, `0.25`.
inline std::string trtexec_number(microseconds d, double unit_us) {
  return fmt::format("{}", static_cast<double>(d.count()) / unit_us);
}

}  // namespace detail

/// The engine the timed run loads: the one given, or the one the build run saves.
inline std::filesystem::path engine_of(const network_input& network, const io::campaign_network_files& files) {
  return network.format == network_format::engine ? network.path : files.engine;
}

inline std::vector<std::string> build_command(const trtexec_options& t, const network_input& network,
                                              const io::campaign_network_files& files) {
  std::vector<std::string> argv = {t.program.string()};
  if (network.format == network_format::onnx) {
    argv.push_back("--onnx=" + network.path.string());
    argv.push_back("--saveEngine=" + files.engine.string());
  } else {
    argv.push_back("--loadEngine=" + network.path.string());
  }
  argv.insert(argv.end(), {"--profilingVerbosity=detailed", "--exportLayerInfo=" + files.layer_info.string(),
                           "--exportProfile=" + files.profile.string(), "--separateProfileRun",
                           "--duration=" + detail::trtexec_number(t.profile_duration, 1e6)});
  argv.insert(argv.end(), t.flags.begin(), t.flags.end());
  return argv;
}

inline std::vector<std::string> timed_command(const trtexec_options& t, const network_input& network,
                                              const io::campaign_network_files& files) {
  std::vector<std::string> argv = {t.program.string(), "--loadEngine=" + engine_of(network, files).string(),
                                   "--warmUp=" + detail::trtexec_number(t.warm_up, 1e3),
                                   "--duration=" + detail::trtexec_number(t.duration, 1e6),
                                   "--exportTimes=" + files.times.string()};
  argv.insert(argv.end(), t.flags.begin(), t.flags.end());
  return argv;
}

}  // namespace layerwatt::campaign
