// layerwatt zoo NAME --out FILE — a network's engine-inspector file without a GPU.

#include <map>
#include <string>

#include <fmt/format.h>

#include "commands.hpp"
#include "layerwatt/dataset/classify.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/sim/layer_cost.hpp"
#include "layerwatt/zoo/model_size.hpp"
#include "layerwatt/zoo/registry.hpp"
#include "table.hpp"
#include "zoo_options.hpp"

namespace layerwatt::cli {
namespace {

constexpr std::string_view help = R"(Usage: layerwatt zoo NAME [--batch B] [--input CxHxW] [--precision fp16|fp32] --out FILE
       layerwatt zoo --list [--batch B] [--input CxHxW] [--precision fp16|fp32]

Write the trt_engine_info.json TensorRT would build for a network of the zoo — the reference
experiment's 20 (torchvision's definitions, and the reference's lenet), ShuffleNetV2, EfficientNet,
Xception and U-Net (docs/zoo.md): every layer in execution order with its input and output
shapes, kernel or pooling window, padding, stride, dilation and groups, fused the way TensorRT
fuses them. --list prints the networks with their layer counts, their parameters and MACs as
torchinfo counts the PyTorch definition, and the GFLOP the simulator runs.

Options:
  --out FILE           where to write the engine file (required unless --list)
  --batch B            batch size (default 1)
  --input CxHxW        input channels, height and width (default: the network's, 3x224x224;
                       lenet 1x32x32, xception 3x299x299, efficientnet_b4 3x380x380,
                       efficientnet_v2_m 3x480x480)
  --precision P        fp16 (default, as the reference's engines) or fp32
  --list               list the networks instead
  --help               this text

Exit status: 0 success; 1 the network cannot take that input (the message names the layer) or
the file cannot be written; 2 bad command line (an unknown network lists the known ones);
130 stopped by SIGINT/SIGTERM (files finished before stay whole; the one being written is
removed, its previous version kept).
)";

void list(const zoo::build_options& options) {
  using align = text_table::align;
  text_table table(
      {"network", "input", "layers", "conv", "pool", "dense", "memory", "no-op", "params", "GMAC", "GFLOP"},
      {align::left, align::left, align::right, align::right, align::right, align::right, align::right, align::right,
       align::right, align::right, align::right});
  for (const auto& model : zoo::models) {
    const io::engine_info engine = zoo::build(model, options);
    const zoo::model_size size = zoo::size_of(model, options);
    std::map<dataset::layer_class, std::size_t> kinds;
    for (const auto& c : dataset::classify_layers(engine)) ++kinds[c.kind];
    double flops = 0;
    for (const auto& l : engine.layers) flops += sim::cost_of(l).flops;
    const auto input = options.input.value_or(model.default_input);
    const auto count = [&](dataset::layer_class c) { return std::to_string(kinds[c]); };
    using enum dataset::layer_class;
    table.add({std::string(model.name), fmt::format("{}x{}x{}x{}", options.batch, input.channels, input.height, input.width),
               std::to_string(engine.layers.size()), count(convolutional), count(pooling), count(dense),
               count(memory_bound), count(no_op), std::to_string(size.parameters),
               fmt::format("{:.3f}", static_cast<double>(size.macs) / 1e9), fmt::format("{:.3f}", flops / 1e9)});
  }
  table.print();
}

int run(arguments& args) {
  const bool listing = args.flag("--list");
  zoo::build_options options = zoo_build_options(args);
  if (listing) {
    if (args.value("--out")) throw usage_error("--out with --list: --list prints the networks and writes no file");
    args.finish();
    list(options);
    return exit_ok;
  }
  const std::string out = args.required("--out");
  const std::string name = args.required_positional("NAME (try --list)");
  args.finish();
  const zoo::zoo_model& model = find_zoo_model(name);
  const io::engine_info engine = zoo::build(model, options);
  io::write_engine_info(out, engine);
  const auto modelled = dataset::modelled_layer_names(engine).size();
  fmt::print("{}: {} layers ({} of a modelled kind) written to {}\n", model.name, engine.layers.size(), modelled, out);
  return exit_ok;
}

}  // namespace

const command zoo_command{"zoo", "write the TensorRT engine file of a zoo network (no GPU needed)", help, run};

}  // namespace layerwatt::cli
