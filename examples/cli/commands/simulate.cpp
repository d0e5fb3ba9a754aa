// layerwatt simulate --out RAW_DIR — a raw-data directory from a simulated Jetson, with ground truth:
// in the reference's layout, or a measurement campaign's (`layerwatt measure`).


#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "commands.hpp"
#include "interrupt.hpp"
#include "earlier_output.hpp"
#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/io/directory.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/io/raw_data_dir.hpp"
#include "layerwatt/sim/device_profile.hpp"
#include "layerwatt/campaign/simulate_campaign.hpp"
#include "layerwatt/core/duration_text.hpp"
#include "layerwatt/core/warning.hpp"
#include "layerwatt/join/timed_run.hpp"
#include "layerwatt/sim/simulate_raw_data.hpp"
#include "layerwatt/zoo/registry.hpp"
#include "progress.hpp"
#include "table.hpp"
#include "zoo_options.hpp"

namespace layerwatt::cli {
namespace {

const std::string help = fmt::format(R"(Usage: layerwatt simulate --out RAW_DIR [--models LIST|all] [--engine NAME=FILE]...
                          [--cycles N] [--seed S] [--profile FILE] [--stamps layer-end|callback]
                          [--period-us N] [--jitter-us N] [--clock-offset-us N]
                          [--conversion-us N] [--sensor-samples N]
                          [--batch B] [--input CxHxW] [--precision fp16|fp32] [--jobs N]
       layerwatt simulate --layout campaign --out CAMPAIGN_DIR [--models LIST|all] [--engine NAME=FILE]...
                          [--duration DUR] [--warm-up DUR] [--trim DUR] [--seed S] [--profile FILE]
                          [--period-us N] [--jitter-us N] [--conversion-us N] [--sensor-samples N]
                          [--batch B] [--input CxHxW] [--precision fp16|fp32] [--jobs N]
       layerwatt simulate --print-profile [--profile FILE]

Simulate the reference's Jetson benchmark on a device model and write its raw-data directory
exactly as the Jetson scripts do — idling_power.json; per model the power log with its
.meta.json, <model>_tensorrt.json, trt_profiling/trt_engine_info.json and
trt_profiling/trt_layer_latency.json — plus RAW_DIR/<model>/ground_truth.json: the true mean
runtime and power of every layer. The same seed gives the same bytes; a model's files do not
depend on which other models are simulated. docs/simulator.md describes the device, sensor,
logger and profiler models, the profile file and the ground truth.

With --layout campaign, the device model plays trtexec instead and the folder is the one
`layerwatt measure` writes on a board (docs/file-formats.md, "A measurement campaign"): per
network its layer info, per-layer profile, --exportTimes of a timed run of --duration after
--warm-up, trtexec's stamped output and the power log of the timed run, and
network_measurement.json computed from those files by measure's own analysis (trimmed by
--trim); beside them ground_truth.json, whose "network" holds the true latency and energy per
inference. The summary prints the measured energy beside the truth.

Options:
  --out RAW_DIR         the directory to write (created; files already there are replaced, other
                        networks kept — a warning names them)
  --layout L            reference (default) or campaign
  --duration DUR        campaign: the timed run's length after its warm-up (default 5s)
  --warm-up DUR         campaign: the timed run's warm-up (default 1s)
  --trim DUR            campaign: cut from each end of the timed run (default 1s), under half
                        --duration and no less than how closely the analysis places
                        trtexec's zero on the log's clock (0.8ms for runs under 10s)
  --models LIST|all     comma-separated zoo networks (default all: the 20 of the reference
                        experiment; see layerwatt zoo --list)
  --engine NAME=FILE    also simulate an engine-inspector file under NAME (repeatable)
  --cycles N            reference: inference cycles per model (default 2000; the reference ran 30000)
  --seed S              random seed (default 1)
  --profile FILE        device profile JSON over the defaults (default: the built-in orin-like)
  --stamps MODE         reference: layer-end: stamp at each layer's end; callback: stamp when
                        TensorRT calls the profiler after the inference, as it really does
                        (default: the profile's, callback)
  --period-us N         the power logger's period in µs (default: the profile's, 1400)
  --jitter-us N         the logger period's standard deviation in µs (default: the profile's, 60)
  --clock-offset-us N   reference: profiler clock minus logger clock in µs (default: the profile's, 0)
  --conversion-us N     INA3221 bus and shunt conversion time in µs (default: the profile's, 1100)
  --sensor-samples N    INA3221 averaging count (default: the profile's, 1)
  --batch B             batch size of the zoo networks (default 1)
  --input CxHxW         input size of the zoo networks (default: each network's own)
  --precision P         fp16 (default) or fp32 engines
  --jobs N              models simulated in parallel (default: one per hardware thread)
  --print-profile       print the device profile (defaults, or FILE's) as JSON and exit
  --help                this text

Progress goes to stderr when it is a terminal; a summary table to stdout at the end.

Exit status: 0 success; 1 a bad profile (the message names the JSON path), an unreadable engine
file or a directory that cannot be written; 2 bad command line;
{})", stopped_help);

/// Command-line overrides of the profile, applied after the file.
void apply_overrides(arguments& args, sim::device_profile& profile) {
  if (const auto stamps = args.value("--stamps")) {
    const auto mode = sim::stamp_mode_from_string(*stamps);
    if (!mode) throw usage_error(fmt::format("--stamps expects layer-end or callback, got \"{}\"", *stamps));
    profile.profiler.stamps = *mode;
  }
  if (const auto v = args.number<double>("--period-us", 1, 1e8)) profile.logger.period_us = *v;
  if (const auto v = args.number<double>("--jitter-us", 0, 1e8)) profile.logger.jitter_us = *v;
  if (const auto v = args.number<double>("--clock-offset-us", -1e12, 1e12)) profile.profiler.clock_offset_us = *v;
  if (const auto v = args.number<std::int64_t>("--conversion-us", 1, 1'000'000))
    profile.sensor.bus_conversion_us = profile.sensor.shunt_conversion_us = *v;
  if (const auto v = args.number<std::int64_t>("--sensor-samples", 1, 4096)) profile.sensor.samples = *v;
}

/// Warns where `out` holds networks this run does not simulate — an earlier run's, kept beside the
/// new ones — as `dataset` would find them (io::scan_raw_data_dir: finished models and networks;
/// every folder where a stopped run left `out` marked incomplete, the reader's scan refusing it).
void warn_about_other_networks(const std::filesystem::path& out, const std::vector<sim::model_to_simulate>& models) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(out / "idling_power.json", ec)) return;  // no earlier run dataset could read
  std::vector<std::string> others;
  const auto add = [&](const std::string& name) {
    if (std::none_of(models.begin(), models.end(), [&](const auto& m) { return m.name == name; })) others.push_back(name);
  };
  if (std::filesystem::exists(out / io::incomplete_marker, ec)) {
    for (const auto& folder : io::model_folders(out)) add(folder.filename().string());
  } else {
    const auto earlier = io::scan_raw_data_dir(out);
    for (const auto& m : earlier.models) add(m.name);
    for (const auto& n : earlier.networks) add(n.name);
  }
  warn_about_earlier_output(out, std::move(others), "`dataset`");
}

/// The campaign layout: each model a network measured as `layerwatt measure` measures it.
int simulate_campaign(const std::string& out, const std::vector<sim::model_to_simulate>& models,
                      const sim::device_profile& profile, const campaign::simulated_campaign_options& options,
                      time_stamp idle_at) {
  std::vector<campaign::simulated_network> networks;
  for (const auto& m : models) networks.push_back({m.name, m.engine, m.start});
  progress_bar bar("simulating a campaign", networks.size());
  auto with_progress = options;
  with_progress.on_network_done = [&](const io::network_measurement& m, const sim::network_truth&) { bar.step(m.network); };
  const auto started = std::chrono::steady_clock::now();
  const auto results = campaign::simulate_campaign(out, networks, profile, with_progress, idle_at);
  bar.clear();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  using align = text_table::align;
  text_table table({"network", "inferences", "latency ms", "mean power W", "energy mJ", "true mJ", "above idle mJ",
                    "true mJ", "error %"},
                   {align::left, align::right, align::right, align::right, align::right, align::right, align::right,
                    align::right, align::right});
  for (const auto& [m, truth] : results)
    table.add({m.network, std::to_string(m.inferences), fmt::format("{:.4f}", m.latency_mean_ms),
               fmt::format("{:.2f}", m.mean_power_mw / 1000), fmt::format("{:.4f}", m.energy_per_inference_total_mj),
               fmt::format("{:.4f}", truth.energy_per_inference_total_mj),
               fmt::format("{:.4f}", m.energy_per_inference_above_idle_mj),
               fmt::format("{:.4f}", truth.energy_per_inference_above_idle_mj),
               fmt::format("{:+.2f}", (m.energy_per_inference_above_idle_mj / truth.energy_per_inference_above_idle_mj - 1) * 100)});
  table.print();
  fmt::print("\n{} network{} measured as `layerwatt measure` would on \"{}\" ({:g} s after {:g} s of warm-up, trimmed "
             "{} at each end; seed {}) into {} in {:.1f} s; error %: measured energy above idle against the truth\n",
             results.size(), results.size() == 1 ? "" : "s", profile.name, options.duration_ms / 1000,
             options.warm_up_ms / 1000, format_duration(options.analysis.trim), options.seed, out, seconds);
  return exit_ok;
}

int run(arguments& args) {
  const auto reference_options = args.present({"--stamps", "--clock-offset-us"});
  sim::device_profile profile;
  if (const auto file = args.value("--profile")) profile = sim::read_device_profile(*file);
  apply_overrides(args, profile);
  if (args.flag("--print-profile")) {
    args.finish();
    fmt::print("{}\n", sim::to_json(profile).dump(4));
    return exit_ok;
  }
  const std::string out = args.required("--out");
  const std::string layout = args.value("--layout").value_or("reference");
  if (layout != "reference" && layout != "campaign")
    throw usage_error(fmt::format("--layout expects reference or campaign, got \"{}\"", layout));
  const bool as_campaign = layout == "campaign";
  const std::string model_list = args.value("--models").value_or("all");
  const auto engines = args.values("--engine");
  const auto cycles = args.number<std::int64_t>("--cycles", 1, 100'000'000);
  const auto seed = args.number<std::uint64_t>("--seed", 0, std::numeric_limits<std::uint64_t>::max()).value_or(1);
  const auto jobs = args.number<unsigned>("--jobs", 1, 1024).value_or(0);
  const zoo::build_options build = zoo_build_options(args);
  campaign::simulated_campaign_options timed;
  timed.seed = seed;
  timed.jobs = jobs;
  const auto duration = args.duration("--duration"), warm_up = args.duration("--warm-up"), trim = args.duration("--trim");
  args.finish();
  check_output_directory("--out", out, as_campaign ? "a campaign directory" : "a raw-data directory");
  if (!as_campaign && (duration || warm_up || trim))
    throw usage_error("--duration, --warm-up and --trim are a simulated campaign's; give --layout campaign too");
  if (as_campaign && cycles)
    throw usage_error("--cycles is the reference layout's; a simulated campaign runs for --duration");
  if (as_campaign && !reference_options.empty())
    throw usage_error(fmt::format("{} {} the reference layout's: a campaign's per-layer times are trtexec's profile, "
                                  "not stamps on the logger's clock",
                                  fmt::join(reference_options, " and "), reference_options.size() == 1 ? "is" : "are"));
  if (duration) {
    if (duration->count() <= 0) throw usage_error("--duration expects a duration above 0");
    timed.duration_ms = static_cast<double>(duration->count()) / 1000;
  }
  if (warm_up) {
    if (warm_up->count() < 0) throw usage_error("--warm-up expects a duration of at least 0");
    timed.warm_up_ms = static_cast<double>(warm_up->count()) / 1000;
  }
  if (trim) {
    if (trim->count() < 0) throw usage_error("--trim expects a duration of at least 0");
    timed.analysis.trim = *trim;
  }
  if (as_campaign) check_options("--trim and --duration", [&] { campaign::check_trim(timed); });

  // Each model starts on its own day, fixed by its place in the zoo, so that a model's files are
  // the same whichever other models run with it.
  const time_stamp base = parse_time_stamp("20250101-00:00:00.0");
  const auto day = [&](std::size_t i) { return base + std::chrono::hours(24) * static_cast<int>(i + 1); };
  std::vector<sim::model_to_simulate> models;
  if (model_list == "all") {
    const auto reference = zoo::reference_models();
    for (std::size_t i = 0; i < reference.size(); ++i)
      models.push_back({std::string(reference[i].name), zoo::build(reference[i], build), day(i)});
  } else {
    for (const auto& name : split_list(model_list)) {
      const zoo::zoo_model& model = find_zoo_model(name);
      const auto index = static_cast<std::size_t>(&model - zoo::models.data());
      models.push_back({name, zoo::build(model, build), day(index)});
    }
  }
  for (std::size_t i = 0; i < engines.size(); ++i) {
    const auto equals = engines[i].find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == engines[i].size())
      throw usage_error(fmt::format("--engine expects NAME=FILE, got \"{}\"", engines[i]));
    models.push_back({engines[i].substr(0, equals), io::read_engine_info(engines[i].substr(equals + 1)),
                      day(zoo::models.size() + i)});
  }
  if (models.empty()) throw usage_error("no model to simulate (--models is empty)");
  for (std::size_t i = 0; i < models.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (models[i].name == models[j].name)
        throw usage_error(fmt::format("model \"{}\" given twice (each model has one folder)", models[i].name));

  warn_about_other_networks(out, models);
  writing_directory writing({out}, "simulate");
  if (as_campaign) {
    const int status = simulate_campaign(out, models, profile, timed, base);
    writing.done();
    return status;
  }

  progress_bar bar("simulating", models.size());
  const auto started = std::chrono::steady_clock::now();
  const auto reports = sim::simulate_raw_data(
      out, models, profile,
      {.seed = seed,
       .cycles = cycles.value_or(2000),
       .jobs = jobs,
       .on_model_done =
           [&](const sim::model_report& r) { bar.step(r.name); }},
      base);
  writing.done();
  bar.clear();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  using align = text_table::align;
  text_table table({"model", "layers", "inference ms", "mean power W", "log samples", "run s"},
                   {align::left, align::right, align::right, align::right, align::right, align::right});
  for (const auto& r : reports)
    table.add({r.name, std::to_string(r.layers), fmt::format("{:.3f}", r.inference_ms),
               fmt::format("{:.2f}", r.mean_power_w), std::to_string(r.log_samples), fmt::format("{:.1f}", r.duration_s)});
  table.print();
  fmt::print("\n{} model{} × {} cycles simulated on \"{}\" ({} stamps, sensor refresh {} µs, logger period {} µs, "
             "seed {}) into {} in {:.1f} s\n",
             reports.size(), reports.size() == 1 ? "" : "s", cycles.value_or(2000), profile.name,
             sim::to_string(profile.profiler.stamps), profile.sensor.refresh_interval_us(), profile.logger.period_us, seed,
             out, seconds);
  return exit_ok;
}

}  // namespace

const command simulate_command{"simulate",
                               "simulate a Jetson: raw data in the reference layout or a campaign's + ground truth",
                               help, run};

}  // namespace layerwatt::cli
