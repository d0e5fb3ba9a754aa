#pragma once
// A network's per-layer predictions as a CSV, one row per modelled layer in engine order:
//   layer_name,layer_type,power_prediction,runtime_prediction,kind,clamped,extrapolated,power_above_measured
// the reference's four columns first (power in W, runtime in ms, numbers as Python's repr writes
// them, as the reference's pandas does; empty where the layer's kind has no such model, and the
// power where network-level models give an energy in no runtime), then
// the kind, whether a negative prediction was clamped to 0 (0 or 1), the features outside
// the models' training range joined by ';', and whether the power is far above any measured in
// training (0 or 1; empty where nothing bounds it, as for per-layer models; network_prediction.hpp).
// Written atomically.

#include <filesystem>
#include <optional>
#include <string>

#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/csv.hpp"
#include "layerwatt/io/number_text.hpp"
#include "layerwatt/predict/network_prediction.hpp"

namespace layerwatt::predict {

inline std::string predictions_csv_text(const network_prediction& prediction) {
  std::string out =
      "layer_name,layer_type,power_prediction,runtime_prediction,kind,clamped,extrapolated,power_above_measured\n";
  const auto number = [&out](const std::optional<double>& value) {
    if (value) io::append_python_float(out, *value);
    out += ',';
  };
  for (const auto& layer : prediction.layers) {
    io::append_csv_field(out, layer.layer_name);
    out += ',';
    io::append_csv_field(out, layer.layer_type);
    out += ',';
    number(layer.power_w);
    number(layer.runtime_ms);
    out += to_string(layer.kind);
    out += layer.clamped ? ",1," : ",0,";
    std::string features;
    for (const auto f : layer.extrapolated) (features += features.empty() ? "" : ";") += f;
    io::append_csv_field(out, features);
    out += !prediction.power_bound_w ? ",\n" : layer.power_above_measured ? ",1\n" : ",0\n";
  }
  return out;
}

inline void write_predictions_csv(const std::filesystem::path& path, const network_prediction& prediction) {
  io::write_file_atomically(path, predictions_csv_text(prediction));
}

}  // namespace layerwatt::predict
