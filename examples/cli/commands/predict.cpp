// layerwatt predict ENGINE_JSON --models MODELS_DIR — a network's per-layer and total cost.

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "layerwatt/core/warning.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/predict/model_set.hpp"
#include "layerwatt/predict/network_prediction.hpp"
#include "layerwatt/predict/predictions_csv.hpp"
#include "table.hpp"

namespace layerwatt::cli {
namespace {

constexpr std::string_view help = R"(Usage: layerwatt predict ENGINE_JSON --models MODELS_DIR [--out FILE.csv] [--json]

Predict the power and runtime of every convolutional, pooling and dense layer of a TensorRT
engine (its engine-inspector file, trt_engine_info.json, as the Jetson benchmark or
`layerwatt zoo` writes it) with the models `layerwatt train` fitted, and the whole network's
  runtime (s)          the sum of the layers' runtimes
  average power (W)    sum of power x runtime / sum of runtime
  energy (J)           sum of power x runtime
over the modelled layers, as the reference's inference does. The layers of other types
(reformats, elementwise, activations...) are counted by type: the totals leave them out.

Options:
  ENGINE_JSON          the engine-inspector file
  --models MODELS_DIR  the models (MODELS_DIR/<kind>/<power|runtime>.json; required)
  --out FILE.csv       also write layer_name,layer_type,power_prediction,runtime_prediction per
                       layer (W, ms), as the reference's inference writes it
  --json               print the prediction as JSON (layers, not_modelled, totals) instead of
                       the table (which shortens long fused-layer names to 60 characters)
  --help               this text

Exit status: 0 done; 1 bad input (the message names the file and JSON path: a malformed engine
file, a missing or damaged model file, a layer that lacks what its features need) or an engine
with no modelled layer; 2 bad command line.
)";

nlohmann::ordered_json as_json(const predict::network_prediction& p) {
  nlohmann::ordered_json out;
  auto& layers = out["layers"] = nlohmann::ordered_json::array();
  for (const auto& l : p.layers)
    layers.push_back({{"layer_name", l.layer_name},
                      {"layer_type", l.layer_type},
                      {"kind", to_string(l.kind)},
                      {"power_prediction", l.power_w},
                      {"runtime_prediction", l.runtime_ms}});
  out["not_modelled"] = p.not_modelled;
  out["totals"] = {{"runtime_s", p.totals.runtime_s},
                   {"average_power_w", p.totals.average_power_w},
                   {"energy_j", p.totals.energy_j}};
  return out;
}

// TensorRT names fused layers after every operation in them; the table shows their start.
std::string shortened(const std::string& name) {
  constexpr std::size_t shown = 60;
  return name.size() <= shown ? name : name.substr(0, shown - 3) + "...";
}

void print_table(const predict::network_prediction& p) {
  using align = text_table::align;
  text_table table({"layer", "kind", "power W", "runtime ms"}, {align::left, align::left, align::right, align::right});
  for (const auto& l : p.layers)
    table.add({shortened(l.layer_name), std::string(to_string(l.kind)), fmt::format("{:.3f}", l.power_w),
               fmt::format("{:.4f}", l.runtime_ms)});
  table.print();
}

int run(arguments& args) {
  const std::filesystem::path engine_file = args.required_positional("ENGINE_JSON");
  const std::filesystem::path models_dir = args.required("--models");
  const auto csv = args.value("--out");
  const bool json = args.flag("--json");
  args.finish();

  const auto engine = io::read_engine_info(engine_file);
  const auto models = predict::load_model_set(models_dir);
  const auto prediction = predict::predict_network(models, engine);
  if (prediction.layers.empty())
    throw error(fmt::format("{}: none of its {} layers is of a kind the models in {} predict", engine_file.string(),
                            engine.layers.size(), models_dir.string()));
  if (csv) predict::write_predictions_csv(*csv, prediction);
  const auto negative = std::count_if(prediction.layers.begin(), prediction.layers.end(),
                                      [](const auto& l) { return l.power_w < 0 || l.runtime_ms < 0; });
  if (negative > 0)
    print_warning(fmt::format("{} of {} layers predicted a negative power or runtime: the engine lies outside "
                              "what the models were trained on (the totals include the values as predicted)",
                              negative, prediction.layers.size()));

  if (json) {
    fmt::print("{}\n", as_json(prediction).dump(2));
    return exit_ok;
  }
  print_table(prediction);
  std::string left_out;
  for (const auto& [type, count] : prediction.not_modelled) left_out += fmt::format("{}{} {}", left_out.empty() ? "" : ", ", count, type);
  fmt::print("\n{} layers predicted; {} not modelled{}{}\n", prediction.layers.size(), prediction.not_modelled_count(),
             left_out.empty() ? "" : ": ", left_out);
  fmt::print("Total runtime : {:.6f} s\nAverage power : {:.3f} W\nTotal energy  : {:.6f} J\n", prediction.totals.runtime_s,
             prediction.totals.average_power_w, prediction.totals.energy_j);
  if (csv) fmt::print("Per-layer predictions: {}\n", *csv);
  return exit_ok;
}

}  // namespace

const command predict_command{"predict", "predict a network's per-layer and total power, runtime, energy", help, run};

}  // namespace layerwatt::cli
