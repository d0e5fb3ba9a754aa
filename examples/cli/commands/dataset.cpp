// layerwatt dataset RAW_DIR --out TRAINING_DIR — map and convert in one pass.

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "commands.hpp"
#include "interrupt.hpp"
#include "layerwatt/dataset/campaign_network.hpp"
#include "layerwatt/io/network_totals.hpp"
#include "pipeline.hpp"

namespace layerwatt::cli {
namespace {

const std::string help = fmt::format(R"(Usage: layerwatt dataset RAW_DIR --out TRAINING_DIR [--preprocessed DIR] [--timeline NAME]
                         [--attribution NAME] [--refresh-us N] [--rail NAME|INDEX|A+B+...]
                         [--clock-offset DUR] [--clock-steps error|split] [--max-gap DUR]
                         [--overlap error|warn] [--min-measurements N] [--classify RULE]
                         [--profile-statistic mean|median] [--strict]

Training data from RAW_DIR, whose folders may be of two kinds, told apart by their files:

- a model in the reference's layout (<model>_power_log.log, trt_profiling/...): `layerwatt map`
  then `layerwatt convert` in one pass, without reading the mapping files back — join power and
  latencies, then write TRAINING_DIR/<model>/convolutional.csv, pooling.csv, dense.csv and
  memory_bound.csv (see `layerwatt convert --help`), and TRAINING_DIR/<model>/join.meta.json,
  how the model was joined (see `layerwatt map --help`);
- a network of a measurement campaign (`layerwatt measure`; network_measurement.json,
  layer_info.json, profile.json): TRAINING_DIR/<network>/<kind>.csv of runtime-only rows (each
  profiled layer's runtime, the power cell empty), TRAINING_DIR/<network>/engine_info.json (its
  layer info), and its row of TRAINING_DIR/network_totals.csv — latency_ms, energy_total_mj,
  energy_above_idle_mj per inference — which network-level training fits (docs/campaign.md).

Options:
  --out DIR            where to write the training CSVs (required)
  --preprocessed DIR   also write what `map` writes (mapping file, engine info copy) and the
                       statistics files to DIR/<model>/ (default: not written; reference
                       layout only)
  --profile-statistic S  a campaign network's layer runtime: trtexec's mean (default; the
                       means add up to the network's latency) or median
{}{}{}{}  --help               this text

The reference layout's options (--preprocessed, the join's from --timeline to --overlap,
--min-measurements) and a campaign's (--profile-statistic) are refused where RAW_DIR holds no
folder of that kind: they would change nothing.
{}
At the end, the summaries of both steps. A progress bar is drawn on stderr when it is a terminal.

Exit status: 0 every complete model done (incomplete folders are listed and skipped, models
short of measurements are skipped by the rule, unless --strict); 1 a model failed (the others
still go on; the message names the file and the model's files removed), no model produced
training data (the message gives each one's reason and what would help), or RAW_DIR is not a
raw-data directory; 2 bad command line or an option RAW_DIR has no folder for;
{})",
                                     map_options_help, min_measurements_help, classify_option_help, strict_help,
                                     replaced_as_a_whole_help, stopped_help);

/// The campaign networks of `raw` as training data, and TRAINING_DIR/network_totals.csv.
std::vector<dataset::campaign_network_summary> write_campaign_networks(const io::raw_data_set& raw,
                                                                       const std::filesystem::path& out,
                                                                       dataset::classification_rule rule,
                                                                       dataset::profile_statistic statistic,
                                                                       std::vector<model_failure>& failures) {
  std::vector<dataset::campaign_network_summary> written;
  progress_bar bar("reading the campaign", raw.networks.size());
  for (const auto& network : raw.networks) {
    bar.step(network.name);
    try {
      written.push_back(dataset::write_campaign_network(network, out, rule, statistic,
                                                        [&](std::string_view w) { bar.warn(w); }));
    } catch (const error& e) {
      failures.push_back({network.name, e.what()});
    }
  }
  bar.clear();
  const auto totals_file = out / "network_totals.csv";
  if (!written.empty()) {
    std::vector<io::network_total> totals;
    for (const auto& w : written) totals.push_back(w.total);
    io::write_network_totals(totals_file, totals);
  } else if (io::remove_if_present(totals_file)) {
    print_warning(fmt::format("{}: removed: {}, and an earlier run's totals would be read as this run's",
                              totals_file.string(),
                              raw.networks.empty() ? "this run read no measurement campaign"
                                                   : "no network of this run could be read"));
  }
  return written;
}

void print_campaign_summary(const std::vector<dataset::campaign_network_summary>& networks,
                            const std::filesystem::path& out) {
  using align = text_table::align;
  text_table table({"network", "convolutional", "pooling", "dense", "memory_bound", "latency ms", "energy mJ",
                    "above idle mJ"},
                   {align::left, align::right, align::right, align::right, align::right, align::right, align::right,
                    align::right});
  for (const auto& n : networks) {
    const auto& r = n.rows.rows_per_kind;
    table.add({n.network, count_or_dash(r[0]), count_or_dash(r[1]), count_or_dash(r[2]), count_or_dash(r[3]),
               fmt::format("{:.4f}", n.total.latency_ms), fmt::format("{:.4f}", *n.total.energy_total_mj),
               n.total.energy_above_idle_mj ? fmt::format("{:.4f}", *n.total.energy_above_idle_mj) : "-"});
  }
  fmt::print("Measurement campaign: runtime-only rows per layer kind (from trtexec's profile), and the networks' "
             "totals in {}:\n\n",
             (out / "network_totals.csv").string());
  table.print();
  for (const auto& n : networks) {
    if (!n.rows.not_in_engine.empty())
      fmt::print("{}: {} profiled layer(s) not in its layer info, left out: {}\n", n.network, n.rows.not_in_engine.size(),
                 fmt::join(n.rows.not_in_engine, "; "));
    if (!n.rows.not_timed.empty())
      fmt::print("{}: {} layer(s) of a modelled kind without a time in the profile: {}\n", n.network,
                 n.rows.not_timed.size(), fmt::join(n.rows.not_timed, "; "));
  }
}

/// Refuses `options` where RAW_DIR has no folder they apply to (`kind`): they would change nothing.
void refuse_inapplicable(const std::vector<std::string_view>& options, bool applicable, std::string_view kind,
                         const std::filesystem::path& raw_dir) {
  if (!options.empty() && !applicable)
    throw usage_error(fmt::format("{} appl{} to {}; {} holds none", fmt::join(options, ", "),
                                  options.size() == 1 ? "ies" : "y", kind, raw_dir.string()));
}

int run(arguments& args) {
  const auto reference_options = args.present({"--preprocessed", "--timeline", "--attribution", "--refresh-us", "--rail",
                                               "--clock-offset", "--clock-steps", "--max-gap", "--overlap",
                                               "--min-measurements"});
  const auto campaign_options = args.present({"--profile-statistic"});
  const std::filesystem::path out = args.required("--out");
  std::optional<std::filesystem::path> preprocessed;
  if (const auto p = args.value("--preprocessed")) preprocessed = *p;
  const auto options = parse_map_options(args);
  const std::size_t min_measurements = parse_min_measurements(args);
  const auto rule = classify_option(args);
  auto statistic = dataset::profile_statistic::mean;
  if (const auto s = args.value("--profile-statistic")) {
    if (*s == "median") statistic = dataset::profile_statistic::median;
    else if (*s != "mean") throw usage_error(fmt::format("--profile-statistic expects mean or median, got \"{}\"", *s));
  }
  const bool strict = args.flag("--strict");
  const std::filesystem::path raw_dir = args.required_positional("RAW_DIR");
  args.finish();
  check_output_directory("--out", out, "a training-data directory");
  if (preprocessed) check_output_directory("--preprocessed", *preprocessed, "a preprocessed-data directory");
  check_not_input("--out", out, "RAW_DIR", raw_dir);
  if (preprocessed) check_not_input("--preprocessed", *preprocessed, "RAW_DIR", raw_dir);

  const auto raw = io::scan_raw_data_dir(raw_dir);
  if (raw.models.empty() && raw.networks.empty() && raw.incomplete.empty())
    throw error(fmt::format("{}: no model folders in it", raw_dir.string()));
  // An incomplete folder counts for its layout: its gaps are the thing to report, not the options.
  const auto incomplete_of = [&](bool campaign) {
    return std::any_of(raw.incomplete.begin(), raw.incomplete.end(),
                       [&](const auto& gaps) { return gaps.campaign_network == campaign; });
  };
  refuse_inapplicable(reference_options, !raw.models.empty() || incomplete_of(false), "models in the reference's layout",
                      raw_dir);
  refuse_inapplicable(campaign_options, !raw.networks.empty() || incomplete_of(true),
                      "a measurement campaign's networks", raw_dir);
  std::vector<std::filesystem::path> filled{out};
  if (preprocessed) filled.push_back(*preprocessed);
  writing_directory writing(filled, "dataset");
  std::vector<model_failure> failures;
  const auto networks = write_campaign_networks(raw, out, rule, statistic, failures);
  std::vector<dataset::convert_summary> converted;
  const auto mapped = raw.models.empty() ? std::vector<dataset::map_summary>{} : map_all(raw, preprocessed, options, rule, failures,
                              [&](const io::raw_model_files& model, const dataset::map_summary& summary,
                                  const dataset::layer_measurements& measurements, const io::engine_info& engine) {
                                const auto stats_dir = preprocessed ? std::optional(*preprocessed / model.name)
                                                                    : std::nullopt;
                                converted.push_back(dataset::convert_model(model.name, measurements, engine,
                                                                           model.engine_info, stats_dir, out / model.name,
                                                                           min_measurements, rule));
                                if (!skip_reason(converted.back(), min_measurements))
                                  dataset::write_join_meta(out / model.name, model, options, summary);
                                else io::remove_if_present(out / model.name / dataset::join_meta_file_name);
                              });
  for (auto& failure : failures) remove_output_of_failed(failure, training_outputs(out / failure.model));
  writing.done();
  if (!mapped.empty()) {
    print_map_summary(mapped, options);
    fmt::print("\n");
    print_convert_summary(converted, min_measurements);
  }
  if (!networks.empty()) {
    if (!mapped.empty()) fmt::print("\n");
    print_campaign_summary(networks, out);
  }
  warn_about_earlier_folders(out, names_of(raw.networks, names_of(raw.models)), "`train`");
  const auto skipped = skipped_models(converted, min_measurements);
  return print_left_out(raw.incomplete, failures, converted.size() - skipped.size() + networks.size(), skipped, strict,
                        all_short_of_measurements(converted) ? too_few_measurements_advice : "");
}

}  // namespace

const command dataset_command{"dataset", "map and convert in one pass: raw data to training CSVs", help, run};

}  // namespace layerwatt::cli
