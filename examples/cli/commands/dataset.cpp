// layerwatt dataset RAW_DIR --out TRAINING_DIR — map and convert in one pass.

#include <fmt/format.h>

#include "commands.hpp"
#include "pipeline.hpp"

namespace layerwatt::cli {
namespace {

const std::string help = fmt::format(R"(Usage: layerwatt dataset RAW_DIR --out TRAINING_DIR [--preprocessed DIR] [--timeline NAME]
                         [--attribution NAME] [--refresh-us N] [--rail NAME|INDEX|A+B+...]
                         [--clock-offset DUR] [--clock-steps error|split] [--max-gap DUR]
                         [--overlap error|warn] [--min-measurements N] [--classify RULE] [--strict]

`layerwatt map` then `layerwatt convert` in one pass, without reading the mapping files back: for
every model folder of RAW_DIR, join power and latencies, then write TRAINING_DIR/<model>/
convolutional.csv, pooling.csv, dense.csv and memory_bound.csv (see `layerwatt convert --help`),
and TRAINING_DIR/<model>/join.meta.json, how the model was joined (see `layerwatt map --help`).

Options:
  --out DIR            where to write the training CSVs (required)
  --preprocessed DIR   also write what `map` writes (mapping file, engine info copy) and the
                       statistics files to DIR/<model>/ (default: not written)
{}{}{}{}  --help               this text

At the end, the summaries of both steps. A progress bar is drawn on stderr when it is a terminal.

Exit status: 0 every complete model done (incomplete folders are listed and skipped, models
short of measurements are skipped by the rule, unless --strict); 1 a model failed (the others
still go on; the message names the file), no model produced training data (the message gives
each one's reason and what would help), or RAW_DIR is not a raw-data directory; 2 bad command line;
130 stopped by SIGINT/SIGTERM (files finished before stay whole; the one being written is
removed, its previous version kept).
)",
                                     map_options_help, min_measurements_help, classify_option_help, strict_help);

int run(arguments& args) {
  const std::filesystem::path raw_dir = args.required_positional("RAW_DIR");
  const std::filesystem::path out = args.required("--out");
  std::optional<std::filesystem::path> preprocessed;
  if (const auto p = args.value("--preprocessed")) preprocessed = *p;
  const auto options = parse_map_options(args);
  const std::size_t min_measurements = parse_min_measurements(args);
  const auto rule = classify_option(args);
  const bool strict = args.flag("--strict");
  args.finish();

  const auto raw = io::scan_raw_data_dir(raw_dir);
  if (raw.models.empty() && raw.incomplete.empty())
    throw error(fmt::format("{}: no model folders in it", raw_dir.string()));
  std::vector<model_failure> failures;
  std::vector<dataset::convert_summary> converted;
  const auto mapped = map_all(raw, preprocessed, options, rule, failures,
                              [&](const io::raw_model_files& model, const dataset::map_summary& summary,
                                  const dataset::layer_measurements& measurements, const io::engine_info& engine) {
                                const auto stats_dir = preprocessed ? std::optional(*preprocessed / model.name)
                                                                    : std::nullopt;
                                converted.push_back(dataset::convert_model(model.name, measurements, engine,
                                                                           model.engine_info, stats_dir, out / model.name,
                                                                           min_measurements, rule));
                                if (!skip_reason(converted.back(), min_measurements))
                                  dataset::write_join_meta(out / model.name, model, options, summary);
                              });
  if (!mapped.empty()) {
    print_map_summary(mapped, options);
    fmt::print("\n");
    print_convert_summary(converted, min_measurements);
  }
  const auto skipped = skipped_models(converted, min_measurements);
  return print_left_out(raw.incomplete, failures, converted.size() - skipped.size(), skipped, strict,
                        all_short_of_measurements(converted) ? too_few_measurements_advice : "");
}

}  // namespace

const command dataset_command{"dataset", "map and convert in one pass: raw data to training CSVs", help, run};

}  // namespace layerwatt::cli
