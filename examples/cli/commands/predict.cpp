// layerwatt predict ENGINE_JSON|MODEL.onnx --models MODELS_DIR — a network's per-layer and total cost.

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "classify_option.hpp"
#include "commands.hpp"
#include "layerwatt/core/warning.hpp"
#include "layerwatt/dataset/feature_columns.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/predict/model_set.hpp"
#include "layerwatt/predict/network_prediction.hpp"
#include "layerwatt/predict/predictions_csv.hpp"
#include "layerwatt/report/layer_label.hpp"
#include "network_file.hpp"
#include "table.hpp"

namespace layerwatt::cli {
namespace {

const std::string help = fmt::format(R"(Usage: layerwatt predict ENGINE_JSON|MODEL.onnx --models MODELS_DIR [--out FILE.csv] [--json]
                         [--classify RULE] [--precision P] [--input-shape NAME:DIMS] [--unsupported fail|skip]

Predict the power and runtime of every layer of a TensorRT engine (its engine-inspector file,
trt_engine_info.json, as the Jetson benchmark, trtexec --exportLayerInfo or `layerwatt zoo`
writes it, or an ONNX model, read as the engine TensorRT would build from it: docs/onnx.md)
with the models `layerwatt train` fitted — convolutional, pooling, dense and
memory-bound layers, each classified by what it computes — and the whole network's
  runtime (s)          the sum of the layers' runtimes
  average power (W)    sum of power x runtime / sum of runtime
  energy (J)           sum of power x runtime
with what each kind contributes. No-op layers cost nothing; layers of a kind the models do not
cover are counted by type: the totals leave them out. Network-level models (`train --fit
network`) give each layer a runtime and an energy, its power being energy / runtime, and add the
per-inference constant once (the kinds table's "per inference" row; in no layer, so not in
--out's rows), and say which energy they learnt: the board's total, idle included, or above
idle (`train --energy`). Where no layer has a power or energy model, the energy and average
power (and a kind's energy, where none of its layers has one) are not predicted: "-" or "not
predicted" in the table, null in --json, never 0.

A prediction is never silently impossible: a negative power or runtime (a model far outside
its data) is clamped to 0 and the layer counted as clamped; a layer whose features lie outside
the range its models were trained on, or whose precision no training layer had, is counted as
extrapolated, with those features named (in --json and the CSV). Both counts are printed, and
a warning names the layers. With network-level models, a layer's power (its energy ÷ its
runtime) more than twice the highest power per inference measured in training is flagged
"power above measured", counted and named too.

Options:
  ENGINE_JSON|MODEL.onnx
                       the engine-inspector file, or the ONNX model (weights optional)
  --models MODELS_DIR  the models (MODELS_DIR/<kind>/<power|runtime>.json, or the network-level
                       <runtime|energy>.json and network.json; required)
  --out FILE.csv       also write layer_name,layer_type,power_prediction,runtime_prediction per
                       layer (W, ms), as the reference's inference writes it, then kind,
                       clamped, extrapolated and power_above_measured (its folder is made
                       where missing)
  --json               print the prediction as JSON (layers, kinds, per_inference_constant,
                       not_modelled, totals) instead
                       of the table (which shows a fused layer by its first operation, at most
                       60 characters)
{}{}  --help               this text

Exit status: 0 done; 1 bad input (the message names the file and JSON path or ONNX node: a
malformed engine file or ONNX model, a missing or damaged model file or one network.json does
not list, a layer that lacks what its features need) or an engine with no modelled layer; 2 bad
command line.
)",
                                     classify_option_help, network_options_help);

nlohmann::ordered_json optional_number(const std::optional<double>& value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

/// The energy the models predict: network-level models' as they learnt it ("total" or
/// "above_idle"; none where they learnt none); per-layer models' "above_idle", since the power
/// they learn is each layer's measured power less the idle power (the reference's average_power).
std::optional<std::string> energy_measure(const predict::model_set& models) {
  return models.network ? models.network->energy : std::optional<std::string>("above_idle");
}

/// `network_level`: the models are network-level ones, which add a per-inference constant.
nlohmann::ordered_json as_json(const predict::network_prediction& p, const std::optional<std::string>& measure,
                               bool network_level) {
  // Where nothing bounds a layer's power, whether it is above the bound is unknown: null.
  const auto checked = [&](auto value) {
    return p.power_bound_w ? nlohmann::ordered_json(value) : nlohmann::ordered_json(nullptr);
  };
  nlohmann::ordered_json out;
  auto& layers = out["layers"] = nlohmann::ordered_json::array();
  for (const auto& l : p.layers)
    layers.push_back({{"layer_name", l.layer_name},
                      {"layer_type", l.layer_type},
                      {"kind", to_string(l.kind)},
                      {"power_prediction", optional_number(l.power_w)},
                      {"runtime_prediction", optional_number(l.runtime_ms)},
                      {"clamped", l.clamped},
                      {"extrapolated", l.extrapolated},
                      {"power_above_measured", checked(l.power_above_measured)}});
  auto& kinds = out["kinds"] = nlohmann::ordered_json::object();
  for (const auto kind : all_layer_kinds) {
    const auto& k = p.per_kind[static_cast<std::size_t>(kind)];
    kinds[std::string(to_string(kind))] = {
        {"layers", k.layers},
        {"runtime_s", k.runtime_s},
        {"energy_j", optional_number(k.energy_j)}};
  }
  out["per_inference_constant"] =
      network_level ? nlohmann::ordered_json{{"runtime_s", p.totals.overhead_runtime_s},
                                             {"energy_j", optional_number(p.totals.overhead_energy_j)}}
                    : nlohmann::ordered_json(nullptr);
  out["no_op_layers"] = p.no_op_layers;
  out["not_modelled"] = p.not_modelled;
  out["clamped_layers"] = p.clamped_count();
  out["extrapolated_layers"] = p.extrapolated_count();
  out["power_above_measured_layers"] = checked(p.power_above_measured_count());
  out["power_bound_w"] = optional_number(p.power_bound_w);
  out["totals"] = {{"runtime_s", p.totals.runtime_s},
                   {"average_power_w", optional_number(p.totals.average_power_w)},
                   {"energy_j", optional_number(p.totals.energy_j)},
                   {"energy_measure", measure && p.totals.energy_j ? nlohmann::ordered_json(*measure)
                                                                    : nlohmann::ordered_json(nullptr)},
                   {"runtime_complete", p.totals.runtime_complete},
                   {"energy_complete", p.totals.energy_complete}};
  return out;
}

// TensorRT names fused layers after every operation in them: the table and the warnings show
// the first operation, as the report's charts do (the CSV and --json give names whole).
std::string shortened(const std::string& name) { return report::layer_label(name, 60, report::label_part::operation); }

std::string cell(const std::optional<double>& value, int digits) {
  return value ? fmt::format("{:.{}f}", *value, digits) : "-";
}

void print_table(const predict::network_prediction& p) {
  using align = text_table::align;
  text_table table({"layer", "kind", "power W", "runtime ms", "note"},
                   {align::left, align::left, align::right, align::right, align::left});
  for (const auto& l : p.layers) {
    std::string note = l.clamped ? "clamped" : "";
    if (!l.extrapolated.empty()) note += fmt::format("{}extrapolated", note.empty() ? "" : ", ");
    if (l.power_above_measured) note += fmt::format("{}power above measured", note.empty() ? "" : ", ");
    table.add({shortened(l.layer_name), std::string(to_string(l.kind)), cell(l.power_w, 3), cell(l.runtime_ms, 4),
               std::move(note)});
  }
  table.print();
}

/// What each kind contributes, and network-level models' per-inference constant (`network_level`):
/// the rows add up to the totals.
void print_kinds(const predict::network_prediction& p, bool network_level) {
  using align = text_table::align;
  text_table table({"kind", "layers", "runtime ms", "share", "energy mJ"},
                   {align::left, align::right, align::right, align::right, align::right});
  const auto add = [&](std::string name, std::string layers, double runtime_s, const std::optional<double>& energy_j) {
    const double share = p.totals.runtime_s > 0 ? 100 * runtime_s / p.totals.runtime_s : 0;
    table.add({std::move(name), std::move(layers), fmt::format("{:.4f}", runtime_s * 1e3), fmt::format("{:.1f} %", share),
               cell(energy_j ? std::optional(*energy_j * 1e3) : std::nullopt, 4)});
  };
  for (const auto kind : all_layer_kinds) {
    const auto& k = p.per_kind[static_cast<std::size_t>(kind)];
    if (k.layers > 0) add(std::string(to_string(kind)), std::to_string(k.layers), k.runtime_s, k.energy_j);
  }
  if (network_level) add("per inference", "-", p.totals.overhead_runtime_s, p.totals.overhead_energy_j);
  table.print();
}

/// "a, b, c and 4 more", each name shortened as in the table
std::string some_names(const std::vector<std::string>& names) {
  constexpr std::size_t shown = 3;
  std::string out;
  for (std::size_t i = 0; i < std::min(shown, names.size()); ++i)
    out += fmt::format("{}\"{}\"", i ? ", " : "", shortened(names[i]));
  if (names.size() > shown) out += fmt::format(" and {} more", names.size() - shown);
  return out;
}

static_assert(predict::plausible_power_factor == 2, "help and warn_about say \"twice\"");

void warn_about(const predict::network_prediction& p) {
  std::vector<std::string> clamped, extrapolated, above;
  std::size_t other_precision = 0;
  for (const auto& l : p.layers) {
    if (l.clamped) clamped.push_back(l.layer_name);
    if (!l.extrapolated.empty()) extrapolated.push_back(l.layer_name);
    if (l.power_above_measured) above.push_back(l.layer_name);
    other_precision += std::find(l.extrapolated.begin(), l.extrapolated.end(), features::precision_column) !=
                       l.extrapolated.end();
  }
  if (!clamped.empty())
    print_warning(fmt::format("{} of {} layers predicted a negative power or runtime, clamped to 0 in the totals: {}",
                              clamped.size(), p.layers.size(), some_names(clamped)));
  if (!extrapolated.empty())
    print_warning(fmt::format("{} of {} layers lie outside the range the models were trained on (their predictions "
                              "extrapolate{}): {}",
                              extrapolated.size(), p.layers.size(),
                              other_precision ? fmt::format("; {} of a precision no training layer had", other_precision)
                                              : std::string(),
                              some_names(extrapolated)));
  if (!above.empty())
    print_warning(fmt::format("{} of {} layers are predicted at more than {:.3g} W, twice the highest power per "
                              "inference measured in training, or with an energy in no runtime: their energy or "
                              "runtime is not to be trusted: {}",
                              above.size(), p.layers.size(), p.power_bound_w.value(), some_names(above)));
}

int run(arguments& args) {
  const std::filesystem::path models_dir = args.required("--models");
  const auto csv = args.value("--out");
  const bool json = args.flag("--json");
  const auto rule = classify_option(args);
  const auto network = network_option_values(args);
  const std::filesystem::path engine_file = args.required_positional("ENGINE_JSON or MODEL.onnx");
  args.finish();
  if (std::error_code ec; csv && std::filesystem::is_directory(*csv, ec))
    throw usage_error(fmt::format("--out {}: a directory; expected the CSV file to write", *csv));

  const auto engine = read_network(engine_file, network);
  const auto models = predict::load_model_set(models_dir);
  const auto prediction = [&] {
    try {
      return predict::predict_network(models, engine, rule);
    } catch (const error& e) {  // a layer that lacks what its features need: which file it is in
      throw error(fmt::format("{}: {}", engine_file.string(), e.what()));
    }
  }();
  if (prediction.layers.empty())
    throw error(fmt::format("{}: none of its {} layers is of a kind the models in {} predict", engine_file.string(),
                            engine.layers.size(), models_dir.string()));
  if (csv) predict::write_predictions_csv(*csv, prediction);
  warn_about(prediction);

  const auto measure = energy_measure(models);
  if (json) {
    fmt::print("{}\n", as_json(prediction, measure, models.network.has_value()).dump(2));
    return exit_ok;
  }
  print_table(prediction);
  fmt::print("\n");
  print_kinds(prediction, models.network.has_value());
  std::string left_out;
  for (const auto& [type, count] : prediction.not_modelled) left_out += fmt::format("{}{} {}", left_out.empty() ? "" : ", ", count, type);
  const auto above = prediction.power_bound_w
                         ? fmt::format(", {} power above measured", prediction.power_above_measured_count())
                         : std::string();
  fmt::print("\n{} layers predicted ({} clamped, {} extrapolated{}); {} no-op; {} not modelled{}{}\n",
             prediction.layers.size(), prediction.clamped_count(), prediction.extrapolated_count(), above,
             prediction.no_op_layers, prediction.not_modelled_count(), left_out.empty() ? "" : ": ", left_out);
  const auto& t = prediction.totals;
  fmt::print("Total runtime : {:.6g} s{}\n", t.runtime_s,
             t.runtime_complete ? "" : " (over the layers with a runtime model only)");
  const auto power = t.average_power_w ? fmt::format("{:.3f} W", *t.average_power_w) : "not predicted (no runtime)";
  if (!t.energy_j)
    fmt::print("Average power, total energy : not predicted ({} has no power or energy model of these layers)\n",
               models_dir.string());
  else {
    const std::string which = !measure ? "" : *measure == "total" ? " (idle included)" : " (above idle)";
    if (t.energy_complete)
      fmt::print("Average power : {}\nTotal energy  : {:.6g} J{}\n", power, *t.energy_j, which);
    else
      fmt::print("Average power : {}, Total energy : {:.6g} J{} (over the layers with an energy or power model only)\n",
                 power, *t.energy_j, which);
  }
  if (csv) fmt::print("Per-layer predictions: {}\n", *csv);
  return exit_ok;
}

}  // namespace

const command predict_command{"predict", "predict a network's per-layer and total power, runtime, energy", help, run};

}  // namespace layerwatt::cli
