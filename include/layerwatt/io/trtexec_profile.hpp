#pragma once
// trtexec's per-layer profile, `--exportProfile=FILE` (with `--separateProfileRun` so the timed
// run is not slowed by the profiler): a JSON array whose first element holds the number of
// profiled inferences and whose others are one layer each, in execution order —
//   [{"count": 14590},
//    {"name": "/features/features.0/Conv + ...", "timeMs": 355.08, "averageMs": 0.0243372,
//     "medianMs": 0.024576, "percentage": 4.643}, ...]
// "timeMs" is the layer's total over the count inferences, "averageMs" its mean, "medianMs" its
// median (TensorRT 8.6 and later; absent before), "percentage" its share of the summed time.
// The names are the engine's layer names (those of --exportLayerInfo). A missing member, a
// negative time or a repeated name is an error naming the file and JSON path.
// `write_trtexec_profile` writes the file as trtexec does (its spacing, floats to six digits),
// for the fake trtexec of the tests and the simulator, which play trtexec.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/json_document.hpp"

namespace layerwatt::io {

struct trtexec_layer_time {
  std::string name;
  double total_ms = 0;                 ///< "timeMs": summed over the profiled inferences
  double average_ms = 0;               ///< "averageMs"
  std::optional<double> median_ms;     ///< "medianMs", where trtexec wrote it
  double percentage = 0;               ///< "percentage" of the profile's summed time
  bool operator==(const trtexec_layer_time&) const = default;
};

struct trtexec_profile {
  std::size_t count = 0;                    ///< profiled inferences
  std::vector<trtexec_layer_time> layers;   ///< execution order
  bool operator==(const trtexec_profile&) const = default;
};

inline trtexec_profile parse_trtexec_profile(const json_node& root) {
  if (!root.value().is_array() || root.array_size() == 0)
    root.fail("trtexec's --exportProfile array: [{\"count\": N}, {\"name\", \"timeMs\", \"averageMs\", ...}, ...]");
  trtexec_profile out;
  out.count = root.element(0).object_member("count").as_integer<std::size_t>(1);
  std::unordered_set<std::string> seen;
  for (std::size_t i = 1; i < root.array_size(); ++i) {
    const json_node entry = root.element(i);
    trtexec_layer_time t;
    t.name = entry.object_member("name").as_string();
    const auto time = [&](const char* key) {
      const json_node node = entry.object_member(key);
      const double ms = node.as_double();
      if (ms < 0) node.fail("a time of at least 0 ms");
      return ms;
    };
    t.total_ms = time("timeMs");
    t.average_ms = time("averageMs");
    if (entry.find("medianMs")) t.median_ms = time("medianMs");
    t.percentage = entry.object_member("percentage").as_double();
    if (!seen.insert(t.name).second) entry.object_member("name").fail("a layer named once, not again");
    out.layers.push_back(std::move(t));
  }
  return out;
}

inline trtexec_profile read_trtexec_profile(const std::filesystem::path& path) {
  const json_document document(path);
  return parse_trtexec_profile(document.root());
}

/// Writes `profile` byte for byte as trtexec 10 does (sampleReporting.cpp, printProfile): a
/// layer without a median is written without "medianMs", as trtexec before 8.6 did.
inline void write_trtexec_profile(const std::filesystem::path& path, const trtexec_profile& profile) {
  const auto number = [](double ms) { return fmt::format("{:g}", static_cast<double>(static_cast<float>(ms))); };
  std::string out = fmt::format("[\n  {{ \"count\" : {} }}\n", profile.count);
  for (const auto& l : profile.layers) {
    out += fmt::format(", {{ \"name\" : {}, \"timeMs\" : {}, \"averageMs\" : {}", nlohmann::json(l.name).dump(),
                       number(l.total_ms), number(l.average_ms));
    if (l.median_ms) out += fmt::format(", \"medianMs\" : {}", number(*l.median_ms));
    out += fmt::format(", \"percentage\" : {} }}\n", number(l.percentage));
  }
  out += "]\n";
  write_file_atomically(path, out);
}

}  // namespace layerwatt::io
