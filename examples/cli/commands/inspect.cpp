// layerwatt inspect ENGINE_JSON — a network's layers as TensorRT built them.

#include <map>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "commands.hpp"
#include "layerwatt/dataset/layer_kind.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "table.hpp"

namespace layerwatt::cli {
namespace {

constexpr std::string_view help = R"(Usage: layerwatt inspect ENGINE_JSON [--wide]

Print a table of the layers in a TensorRT engine-inspector file (trt_engine_info.json):
name, TensorRT layer type, the kind layerwatt models (convolutional, pooling, dense or -),
input and output shapes, kernel (or pooling window), stride, groups and precision.

Options:
  --wide     print layer names whole (by default they are cut to 48 characters)
  --help     this text

Exit status: 0 success; 1 unreadable or malformed file (the message names the JSON path);
2 bad command line.
)";

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
  const std::string path = args.required_positional("ENGINE_JSON");
  const bool wide = args.flag("--wide");
  args.finish();

  const io::engine_info engine = io::read_engine_info(path);
  using align = text_table::align;
  text_table table({"#", "name", "type", "kind", "input", "output", "kernel", "stride", "groups", "precision"},
                   {align::right, align::left, align::left, align::left, align::left, align::left, align::left,
                    align::left, align::right, align::left});
  std::map<std::string, std::size_t> by_type;
  std::size_t modelled = 0;
  for (std::size_t i = 0; i < engine.layers.size(); ++i) {
    const auto& l = engine.layers[i];
    const auto kind = classify_layer_type(l.layer_type);
    modelled += kind.has_value();
    ++by_type[l.layer_type];
    table.add({std::to_string(i), cut(l.name, wide), l.layer_type, kind ? std::string(to_string(*kind)) : "-",
               first_shape(l.inputs), first_shape(l.outputs), optional_shape(l.kernel ? l.kernel : l.window_size),
               optional_shape(l.stride), l.groups ? std::to_string(*l.groups) : "-",
               l.inputs.empty() ? "-" : std::string(io::to_string(l.inputs.front().precision()))});
  }
  fmt::print("{}: {} layers, {} modelled (convolutional, pooling, dense)\n\n", path, engine.layers.size(),
             modelled);
  table.print();
  fmt::print("\nLayer types:");
  for (const auto& [type, count] : by_type) fmt::print(" {} {}", type, count);
  fmt::print("\n");
  return exit_ok;
}

}  // namespace

const command inspect_command{"inspect", "print the layers of a TensorRT engine-inspector file", help, run};

}  // namespace layerwatt::cli
