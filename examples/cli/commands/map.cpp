// layerwatt map RAW_DIR --out PREPROCESSED_DIR — power per layer per cycle, for every model.

#include <fmt/format.h>

#include "commands.hpp"
#include "interrupt.hpp"
#include "pipeline.hpp"

namespace layerwatt::cli {
namespace {

const std::string help = fmt::format(R"(Usage: layerwatt map RAW_DIR --out PREPROCESSED_DIR [--timeline NAME] [--attribution NAME]
                     [--refresh-us N] [--rail NAME|INDEX|A+B+...] [--clock-offset DUR]
                     [--clock-steps error|split] [--max-gap DUR] [--overlap error|warn] [--strict]

For every model folder of RAW_DIR (RAW_DIR/idling_power.json, RAW_DIR/<model>/<model>_power_log.log,
trt_profiling/trt_layer_latency.json and trt_profiling/trt_engine_info.json), join the power log
with the layer latencies and write, like the reference's map_power_to_layers.py:
  PREPROCESSED_DIR/<model>/power_runtime_mapping_layerwise.csv  one row per layer per cycle:
      cycle, layer_name, layer_type, power with and without idle power (µW), runtime (ms)
  PREPROCESSED_DIR/<model>/trt_engine_info.json                a copy of the engine info
  PREPROCESSED_DIR/<model>/join.meta.json                      how it was joined: rails, idle
      power, policies, clock offset, clock steps and gaps found, where the windows fell
A layer the engine info does not name is typed Unknown; a window without power is an empty cell.
Both files must run forward on one clock: a backward step in either, and latency stamps that do
not overlap the power log, stop the model with an error saying where and by how much.

Options:
  --out DIR            where to write (required); model folders are created in it
{}{}  --help               this text

At the end, a summary: per model the rows, how many windows got a power and where those without
one lie (before the power log, inside it, after it), which timeline the stamps fit; the layers
per type; with deconvolved, per model how the sensor's refreshes were located and the solved idle
power; folders skipped for a missing file. A progress bar is drawn on stderr when it is a
terminal.

Exit status: 0 every complete model mapped (incomplete folders are listed and skipped, unless
--strict); 1 a model failed (the others are still mapped; the message names the file and line,
and the model's files it removed from PREPROCESSED_DIR), no model was mapped (the message gives
each one's reason), or RAW_DIR is not a raw-data directory; 2 bad command line;
{})",
                                     map_options_help, strict_help, stopped_help);

int run(arguments& args) {
  const std::filesystem::path out = args.required("--out");
  const auto options = parse_map_options(args);
  const bool strict = args.flag("--strict");
  const std::filesystem::path raw_dir = args.required_positional("RAW_DIR");
  args.finish();
  check_output_directory("--out", out, "a preprocessed-data directory");
  check_not_input("--out", out, "RAW_DIR", raw_dir);

  const auto raw = io::scan_raw_data_dir(raw_dir);
  if (raw.models.empty() && raw.networks.empty() && raw.incomplete.empty())
    throw error(fmt::format("{}: no model folders in it", raw_dir.string()));
  writing_directory writing({out}, "map");
  std::vector<model_failure> failures, skipped;
  for (const auto& n : raw.networks)
    skipped.push_back({n.name, "a measurement campaign's network: no per-layer power to join (`layerwatt dataset` "
                               "reads it)"});
  const auto summaries = map_all(raw, out, options, dataset::classification_rule::semantic, failures,
                                 [](const auto&, const auto&, const auto&, const auto&) {});
  writing.done();
  if (!summaries.empty()) print_map_summary(summaries, options);
  warn_about_earlier_folders(out, names_of(raw.models), "`convert`");
  for (const auto& s : skipped) fmt::print("skipped {}: {}\n", s.model, s.why);
  fmt::print("Wrote {} model(s) to {}\n", summaries.size(), out.string());
  return print_left_out(raw.incomplete, failures, summaries.size(), skipped, strict);
}

}  // namespace

const command map_command{"map", "join power logs and layer latencies: power per layer per cycle", help, run};

}  // namespace layerwatt::cli
