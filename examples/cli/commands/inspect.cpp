// layerwatt inspect ENGINE_JSON|MODEL.onnx — a network's layers as TensorRT built (or would build) them.

#include <map>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "classify_option.hpp"
#include "commands.hpp"
#include "layerwatt/dataset/classify.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "network_file.hpp"
#include "table.hpp"

namespace layerwatt::cli {
namespace {

const std::string help = fmt::format(R"(Usage: layerwatt inspect ENGINE_JSON|MODEL.onnx [--wide] [--explain] [--classify RULE]
                         [--precision P] [--input-shape NAME:DIMS] [--unsupported fail|skip]

Print a table of the layers in a TensorRT engine-inspector file (trt_engine_info.json, or
trtexec's --exportLayerInfo file), or of the engine TensorRT would build from an ONNX model
(docs/onnx.md): name, TensorRT layer type, the kind layerwatt gives it
(convolutional, pooling, dense, memory_bound, no_op or unclassified), input and output shapes,
kernel (or pooling window), stride, groups and precision (the first input's element type).

Options:
  --wide               print layer names whole (by default they are cut to 48 characters)
  --explain            add the rule that decided each layer's kind
{}{}  --help               this text

Exit status: 0 success; 1 unreadable or malformed file (the message names the JSON path, or
the ONNX node); 2 bad command line.
)",
                                     classify_option_help, network_options_help);

std::string shape(const std::vector<std::int64_t>& dims) { return fmt::format("{}", fmt::join(dims, "x")); }

std::string first_shape(const std::vector<io::tensor_info>& tensors) {
  return tensors.empty() ? "-" : shape(tensors.front().dimensions);
}

std::string optional_shape(const std::optional<std::vector<std::int64_t>>& dims) {
  return dims ? shape(*dims) : "-";
}

std::string cut(const std::string& name, bool wide) {
  constexpr std::size_t limit = 48;
  return wide || name.size() <= limit ? name : name.substr(0, limit - 3) + "...";
}

int run(arguments& args) {
  const bool wide = args.flag("--wide");
  const bool explain = args.flag("--explain");
  const auto rule = classify_option(args);
  const auto network = network_option_values(args);
  const std::string path = args.required_positional("ENGINE_JSON or MODEL.onnx");
  args.finish();

  const io::engine_info engine = read_network(path, network);
  using align = text_table::align;
  std::vector<std::string> columns = {"#", "name", "type", "kind", "input", "output", "kernel", "stride", "groups"};
  std::vector<align> aligns = {align::right, align::left, align::left, align::left, align::left,
                               align::left,  align::left, align::left, align::right};
  if (explain) {
    columns.emplace_back("rule");
    aligns.push_back(align::left);
  }
  columns.emplace_back("precision");
  aligns.push_back(align::left);
  text_table table(columns, aligns);
  std::map<dataset::layer_class, std::size_t> by_class;
  std::map<std::string, std::size_t> unclassified;
  const auto layers = dataset::classify_layers(engine, rule);
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const auto& c = layers[i];
    const auto& l = *c.layer;
    ++by_class[c.kind];
    if (c.kind == dataset::layer_class::unclassified) ++unclassified[l.layer_type];
    const auto& shown = c.features_layer();
    std::vector<std::string> row = {std::to_string(i), cut(l.name, wide), l.layer_type, std::string(to_string(c.kind)),
                                    first_shape(l.inputs), first_shape(l.outputs),
                                    optional_shape(shown.kernel ? shown.kernel : shown.window_size),
                                    optional_shape(shown.stride), shown.groups ? std::to_string(*shown.groups) : "-"};
    if (explain) row.emplace_back(c.reason);
    row.emplace_back(l.inputs.empty() ? "-" : std::string(io::to_string(l.inputs.front().precision())));
    table.add(std::move(row));
  }
  std::string counts;
  for (const auto& [kind, count] : by_class) counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", count, to_string(kind));
  fmt::print("{}: {} layers ({}; {} rule)\n\n", path, engine.layers.size(), counts, to_string(rule));
  table.print();
  if (!unclassified.empty()) {
    fmt::print("\nUnclassified layer types (not modelled; docs/classification.md):");
    for (const auto& [type, count] : unclassified) fmt::print(" {} {}", type, count);
    fmt::print("\n");
  }
  return exit_ok;
}

}  // namespace

const command inspect_command{"inspect", "print the layers of a TensorRT engine-inspector file or an ONNX model", help,
                              run};

}  // namespace layerwatt::cli
