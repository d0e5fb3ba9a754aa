#pragma once
// A network's per-layer predictions as a CSV, one row per modelled layer in engine order:
//   layer_name,layer_type,power_prediction,runtime_prediction
// power in W, runtime in ms, numbers as Python's repr writes them (as the reference's pandas
// does), written atomically.

#include <filesystem>
#include <string>

#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/csv.hpp"
#include "layerwatt/io/number_text.hpp"
#include "layerwatt/predict/network_prediction.hpp"

namespace layerwatt::predict {

inline std::string predictions_csv_text(const network_prediction& prediction) {
  std::string out = "layer_name,layer_type,power_prediction,runtime_prediction\n";
  for (const auto& layer : prediction.layers) {
    io::append_csv_field(out, layer.layer_name);
    out += ',';
    io::append_csv_field(out, layer.layer_type);
    out += ',';
    io::append_python_float(out, layer.power_w);
    out += ',';
    io::append_python_float(out, layer.runtime_ms);
    out += '\n';
  }
  return out;
}

inline void write_predictions_csv(const std::filesystem::path& path, const network_prediction& prediction) {
  io::write_file_atomically(path, predictions_csv_text(prediction));
}

}  // namespace layerwatt::predict
