// layerwatt convert PREPROCESSED_DIR --out TRAINING_DIR — per-layer averages and features.

#include <fmt/format.h>

#include "commands.hpp"
#include "interrupt.hpp"
#include "pipeline.hpp"

namespace layerwatt::cli {
namespace {

const std::string help = fmt::format(R"(Usage: layerwatt convert PREPROCESSED_DIR --out TRAINING_DIR [--min-measurements N]
                         [--classify RULE] [--strict]

For every model folder of PREPROCESSED_DIR (as `layerwatt map` writes it), like the reference's
convert_measurements.py:
  1. write PREPROCESSED_DIR/<model>/<model>_average_power_stats.csv and
     <model>_average_run_time_stats.csv: count, mean, std, min, quartiles and max over the cycles
     of each layer of a modelled kind (pandas' describe());
  2. skip the model if any of those layers has fewer than N powers or runtimes;
  3. write TRAINING_DIR/<model>/convolutional.csv, pooling.csv, dense.csv and memory_bound.csv:
     one row per layer, its features from trt_engine_info.json, its mean power (µW, idle
     excluded) and runtime (ms), then groups, dilation_0, dilation_1 (convolutional) and
     precision. A kind with no layer gets no file. No-op and unclassified layers are counted in
     the summary. The mapping's join.meta.json (how `map` joined it) is copied along.
Each layer's kind is what it computes (docs/classification.md), or with --classify reference
the reference's three LayerType names (the reference's results, reproduced).

Options:
  --out DIR            where to write the training CSVs (required)
{}{}{}  --help               this text

At the end, a summary: per model the layers written per kind or why it was skipped (naming the
layers short of measurements), the layers per type. A progress bar is drawn on stderr when it is
a terminal.
{}
Exit status: 0 every complete model converted or skipped by the rule (incomplete folders are
listed; any skip is 1 with --strict); 1 a model failed (the others are still converted; the
message names the file and what is missing, and the model's files removed), no model produced
training data (the message gives each one's reason) or PREPROCESSED_DIR is not a directory;
2 bad command line;
{})",
                                     min_measurements_help, classify_option_help, strict_help,
                                     replaced_as_a_whole_help, stopped_help);

int run(arguments& args) {
  const std::filesystem::path out = args.required("--out");
  const std::size_t min_measurements = parse_min_measurements(args);
  const auto rule = classify_option(args);
  const bool strict = args.flag("--strict");
  const std::filesystem::path preprocessed_dir = args.required_positional("PREPROCESSED_DIR");
  args.finish();
  check_output_directory("--out", out, "a training-data directory");
  check_not_input("--out", out, "PREPROCESSED_DIR", preprocessed_dir);

  const auto set = dataset::scan_preprocessed_dir(preprocessed_dir);
  if (set.models.empty() && set.incomplete.empty())
    throw error(fmt::format("{}: no model folders in it", preprocessed_dir.string()));
  writing_directory writing({out}, "convert");
  std::vector<dataset::convert_summary> summaries;
  std::vector<model_failure> failures;
  {
    progress_bar bar("converting", set.models.size());
    for (const auto& model : set.models) {
      bar.step(model.name);
      try {
        auto summary = dataset::convert_preprocessed_model(model, out, min_measurements, rule);
        const auto meta = model.directory / dataset::join_meta_file_name;
        if (!skip_reason(summary, min_measurements) && std::filesystem::is_regular_file(meta))
          io::write_file_atomically(out / model.name / dataset::join_meta_file_name, io::read_text_file(meta));
        else io::remove_if_present(out / model.name / dataset::join_meta_file_name);
        summaries.push_back(std::move(summary));  // converted only when whole: a failure above is a failure
      } catch (const error& e) {
        failures.push_back({model.name, e.what()});
        remove_output_of_failed(failures.back(), training_outputs(out / model.name));
      }
    }
  }
  writing.done();
  print_convert_summary(summaries, min_measurements);
  warn_about_earlier_folders(out, names_of(set.models), "`train`");
  const auto skipped = skipped_models(summaries, min_measurements);
  return print_left_out(set.incomplete, failures, summaries.size() - skipped.size(), skipped, strict,
                        all_short_of_measurements(summaries) ? too_few_measurements_advice : "");
}

}  // namespace

const command convert_command{"convert", "per-layer averages, statistics and features: the training CSVs", help, run};

}  // namespace layerwatt::cli
