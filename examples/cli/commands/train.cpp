// layerwatt train TRAINING_DIR --out MODELS_DIR — layer models per layer (the reference's) or from network totals.

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <ranges>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "commands.hpp"
#include "network_training.hpp"
#include "layerwatt/core/warning.hpp"
#include "layerwatt/dataset/training_dir.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/model/test_split.hpp"
#include "layerwatt/model/train_presets.hpp"
#include "layerwatt/model/training_config.hpp"
#include "layerwatt/model/training_metrics.hpp"
#include "layerwatt/train/network_model_dir.hpp"
#include "layerwatt/train/network_training.hpp"
#include "layerwatt/report/training_report.hpp"
#include "progress.hpp"
#include "stop_signals.hpp"
#include "table.hpp"

namespace layerwatt::cli {
namespace {

constexpr std::string_view help = R"(Usage: layerwatt train [TRAINING_DIR] --out MODELS_DIR [--fit layers] [--config FILE]
                       [--test-models LIST] [--folds N] [--strict]
       layerwatt train TRAINING_DIR --fit network --out MODELS_DIR [--energy total|above-idle]
                       [--test-models LIST] [--folds N] [--strict]

Per-layer training (--fit layers, the default; the reference's method): fit eight models —
power and runtime of convolutional, pooling, dense (the reference's six) and memory-bound
layers — on a training-data directory (TRAINING_DIR/<model>/<kind>.csv, as `layerwatt dataset`
writes it). Each fit uses the rows that measured its target: a runtime-only row (an empty power
cell, from a profile without power) joins the runtime fit only. The models named as test models
are held out: nothing is fitted on them, and the test metrics are computed on their layers.
Each model is a preset pipeline (docs/models.md): polynomial terms and special terms, a scaler,
LassoCV. Values no layer has are errors naming the CSV and line: a power (µW) above 1 000 W, a
runtime (ms) of 0 or less or above an hour, a size that is not a whole number (at least 1; 0 for
paddings, element and byte counts and inputs; bytes may be halves). A kind whose powers all lie
below 1 mW is warned about: powers in W, not µW.

Writes:
  MODELS_DIR/<kind>/<power|runtime>.json   the fitted pipelines (kind: convolutional, pooling,
                             dense, memory_bound)
  MODELS_DIR/metrics.json    per kind and target: rows and models in train and test, alpha,
                             non-zero coefficients, train RMSPE, test RMSPE, RMSE, MSE, R2, MAE,
                             MAPE (power in W, runtime in ms; RMSPE in %, MAPE a fraction)
  MODELS_DIR/report.html     the metrics, and per held-out model a chart of every layer's
                             measured and predicted power and runtime (self-contained)
and prints the metrics table. A kind and target without enough rows is reported and skipped,
and its model file, if an earlier run left one, is removed; so are network-level models an
earlier run left in MODELS_DIR (network.json, runtime.json, energy.json).

Network-level training (--fit network; docs/real-data.md): learn every kind's runtime and
energy models from whole networks' measured totals — what a long timed loop measures well on
any board — in TRAINING_DIR/network_totals.csv (latency, energy per inference, each network's
engine file; docs/file-formats.md), joined by the measured per-layer runtimes of
TRAINING_DIR/<network>/<kind>.csv where there are any. One positive sparse fit per target makes
each network's predicted total — the sum over its layers plus a per-inference constant — match
its measured one in relative error; alpha by cross-validation that keeps each network's "group"
(its family) in one fold. Networks without the chosen energy give runtime alone; where no
training network has it, energy is not fitted (a warning says so). Layer rows of a folder that
network_totals.csv does not list are left out (and named). A target whose cross-validated RMSPE
exceeds 50 % is warned about: networks the models have not seen are predicted no better. So
are units that look wrong: a median power per inference (energy / latency) below 0.5 W (total)
or 50 mW (above idle) — energies in J, or latencies in µs — and networks whose measured layers
take under 1 % of their latency. Writes MODELS_DIR/<kind>/<runtime|energy>.json, network.json
(the constants, the static power, the highest power measured, the models' list),
metrics.json and report.html (measured against predicted for every network); `layerwatt
predict` reads the directory as it is. The held-out networks are fitted on neither target and
predicted after.

Options:
  TRAINING_DIR         the training data (default: the config file's "data_dir")
  --fit layers|network per-layer (default) or network-level training
  --energy WHICH       --fit network: the measured energy the energy models learn, total (idle
                       included; default) or above-idle
  --out MODELS_DIR     where to write the models (required; created if missing)
  --config FILE        JSON: "data_dir" (relative: to the working directory), "test_models",
                       "folds", and per-preset overrides
                       {"presets": {"conv_power": {"degree": 2, "scaler": "robust",
                       "positive": false, "n_alphas": 100, "max_iter": 5000}}} (docs/models.md)
  --test-models LIST   comma-separated held-out models (default: the config's, else
                       lenet,resnet18,vgg16 as in the reference; "" holds out none; with --fit
                       network, none)
  --folds N            cross-validation folds (default: the config's, else 10; with --fit
                       network, 5)
  --strict             exit 1 if a kind and target is skipped (with --fit network: energy, where
                       no training network has it) or a test model is missing (the models that
                       could be fitted are still written)
  --help               this text

Progress is shown on stderr while the fits run, when it is a terminal. Nothing is written until
every fit is done, so an interrupted or failed run leaves MODELS_DIR as it was.

Exit status: 0 done (kinds skipped for too few rows are listed); 1 bad input (a malformed CSV or
config file: the message names the file and line or JSON path), no training data, no kind with
enough rows (each one's reason is listed), a network's power per inference or a fitted static
power above 1000 W (energies or latencies in another unit; nothing written), or with --strict
any skip; 2 bad command line; 130 stopped by SIGINT/SIGTERM while writing (the files are
complete; before that, a signal stops the run and nothing is written).
)";

void print_summary(const model::training_outcome& outcome) {
  using align = text_table::align;
  text_table table({"kind", "target", "train rows", "test rows", "alpha", "non-zero", "train RMSPE %", "test RMSPE %",
                    "test R2"},
                   {align::left, align::left, align::right, align::right, align::right, align::right, align::right,
                    align::right, align::right});
  for (const auto& f : outcome.fits)
    table.add({std::string(to_string(f.kind)), std::string(to_string(f.what)), std::to_string(f.train_rows),
               std::to_string(f.test_rows), fmt::format("{:.3g}", f.alpha), fmt::format("{}/{}", f.nonzero, f.width),
               fmt::format("{:.2f}", f.train_rmspe), f.test ? fmt::format("{:.2f}", f.test->rmspe) : "-",
               f.test ? fmt::format("{:.3f}", f.test->r2) : "-"});
  table.print();
  for (const auto& s : outcome.skipped) fmt::print("skipped {} {}: {}\n", to_string(s.kind), to_string(s.what), s.reason);
}

int run(arguments& args) {
  const std::filesystem::path out = args.required("--out");
  const auto config_file = args.value("--config");
  const auto test_models = args.list("--test-models");
  const auto folds = args.number<std::size_t>("--folds", 2, model::max_folds);
  const bool strict = args.flag("--strict");
  const auto fit = args.value("--fit");
  const auto energy = args.value("--energy");
  if (fit && *fit != "layers" && *fit != "network")
    throw usage_error(fmt::format("--fit expects layers or network, got \"{}\"", *fit));
  const bool network = fit == "network";
  if (energy && !network) throw usage_error("--energy goes with --fit network");
  if (energy && *energy != "total" && *energy != "above-idle")
    throw usage_error(fmt::format("--energy expects total or above-idle, got \"{}\"", *energy));
  if (network && config_file) throw usage_error("--config configures per-layer presets; --fit network takes none");
  const auto positional = args.positional();
  args.finish();
  check_output_directory("--out", out, "a model directory");

  if (network) {
    if (!positional) throw usage_error("missing TRAINING_DIR");
    return run_network_training({*positional, out, test_models.value_or(std::vector<std::string>{}),
                                 folds,
                                 energy == "above-idle" ? train::energy_measure::above_idle : train::energy_measure::total,
                                 strict});
  }

  model::training_config config = config_file ? model::read_training_config(*config_file) : model::training_config{};
  if (test_models) config.test_models = *test_models;
  if (folds) config.folds = *folds;
  if (!positional && !config.data_dir) throw usage_error("missing TRAINING_DIR (or \"data_dir\" in --config)");
  const std::filesystem::path data_dir = positional ? std::filesystem::path(*positional) : *config.data_dir;

  const auto data = dataset::scan_training_dir(data_dir);
  // A campaign's training folder has runtime-only layer rows: its energy is in the networks' totals.
  if (!fit && std::filesystem::exists(train::network_totals_file(data_dir)))
    print_warning(fmt::format("{} is here: this per-layer fit reads the layer rows only; --fit network learns runtime "
                              "and energy from the networks' totals too",
                              train::network_totals_file(data_dir).string()));
  const auto held_out = model::split_test_models(data, config.test_models).test;  // missing ones: warned below
  fmt::print("{}: {} models; held out: {}\n", data_dir.string(), data.models.size(),
             held_out.empty() ? std::string("none")
                              : fmt::format("{}", fmt::join(held_out | std::views::transform(&dataset::training_model::name), ", ")));
  const auto started = std::chrono::steady_clock::now();
  status_line status;
  const auto outcome = model::train_presets(
      data, config,
      [&](const model::fit_started& s) {
        status.show("fitting {} {} ({}/{}, {} rows)", to_string(s.kind), to_string(s.what), s.index + 1, s.total,
                    s.train_rows);
      },
      [&](std::string_view message) { status.warn(message); });
  status.clear();
  for (const auto& missing : outcome.missing_test_models)
    print_warning(fmt::format("test model \"{}\" is not in {}", missing, data_dir.string()));
  if (outcome.fits.empty()) {
    print_summary(outcome);
    throw error(fmt::format("{}: no layer kind has enough training rows; nothing written", data_dir.string()));
  }

  const stop_signals signals;  // the files below are written whole, even if a signal comes now
  train::remove_network_models(out);
  model::save_models(outcome, out);
  model::write_training_metrics(out / "metrics.json", outcome, config);
  io::write_file_atomically(out / "report.html", report::training_report_html(outcome, config, data_dir.string()));

  print_summary(outcome);
  fmt::print("\n{} models in {} ({:.1f} s); metrics.json, report.html\n", outcome.fits.size(), out.string(),
             std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  if (const auto signal = signals.wait(std::chrono::milliseconds{0}); signal && signal->number != SIGCHLD) {
    fmt::print(stderr, "layerwatt train: signal {} came while writing; every file is complete\n", signal->number);
    return exit_interrupted;
  }
  if (strict && (!outcome.skipped.empty() || !outcome.missing_test_models.empty())) {
    fmt::print(stderr, "layerwatt train: {} fit(s) skipped, {} test model(s) missing (--strict)\n",
               outcome.skipped.size(), outcome.missing_test_models.size());
    return exit_failure;
  }
  return exit_ok;
}

}  // namespace

const command train_command{"train", "fit layer models: per layer (power, runtime) or from network totals (runtime, energy)",
                            help, run};

}  // namespace layerwatt::cli
