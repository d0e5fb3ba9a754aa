// How well do per-layer runtime models trained on real profiles predict a network they have not
// seen? Real per-layer runtimes of two sources in the shared folder (other people's data, read in
// place, never copied):
//   - trtexec on an RTX 3060 Laptop GPU (TensorRT 10, FP16): alexnet, mobilenet_v2 and resnet18,
//     each a --exportLayerInfo + --exportProfile pair. Train on two networks, predict the third,
//     all three ways round.
//   - TensorRT's IProfiler on a Jetson Orin Nano (Torch-TensorRT, FP16): MobileNetV2, 5 cycles.
//     One network only, so its layers are split into 5 folds: train on four, predict the fifth.
// Rows are runtime-only (dataset/runtime_rows.hpp); training is `layerwatt train`'s
// (model::train_presets, the presets' default shapes), prediction `layerwatt predict`'s
// (predict::predict_network, negative predictions clamped to 0). Per kind: the RMSPE of the
// held-out layers' runtimes, beside NeuralPower's runtime RMSPE on its own data (conv 39.97 %,
// FC 41.92 %, pool 11.41 %); per network: the predicted total against the measured one, and
// the share of the measured time the modelled layers hold, under layerwatt's classification and
// under the reference's three-name rule. Writes docs/runtime-accuracy.md.
//
//   scripts/bench.sh runtime_accuracy                      # writes docs/runtime-accuracy.md
//   scripts/bench.sh runtime_accuracy --out /tmp/r.md --folds 5 --shared /path/to/shared
//
// Not a Google Benchmark program: one run, a report. Without the shared folder it says so and
// exits 0.

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/dataset/classify.hpp"
#include "layerwatt/dataset/runtime_rows.hpp"
#include "layerwatt/dataset/training_dir.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/io/layer_latency.hpp"
#include "layerwatt/io/trtexec_profile.hpp"
#include "layerwatt/model/train_presets.hpp"
#include "layerwatt/predict/model_set.hpp"
#include "layerwatt/predict/network_prediction.hpp"
#include "support/report_arguments.hpp"

namespace {

namespace lw = layerwatt;
namespace fs = std::filesystem;
namespace ds = layerwatt::dataset;

struct options {
  fs::path shared = LAYERWATT_SHARED_DIR;
  fs::path out = fs::path(LAYERWATT_SOURCE_DIR) / "docs" / "runtime-accuracy.md";
  std::size_t folds = 10;  // the reference's
};

options parse(int argc, char** argv) {
  options o;
  lw::bench::read_report_arguments(argc, argv, "--shared DIR, --out FILE, --folds N",
                                   [&](std::string_view name, const std::string& value) {
                                     if (name == "--shared") o.shared = value;
                                     else if (name == "--out") o.out = value;
                                     else if (name == "--folds") o.folds = std::stoul(value);
                                     else return false;
                                     return true;
                                   });
  return o;
}

/// A network with measured per-layer runtimes.
struct network {
  std::string name;
  lw::io::engine_info engine;
  std::vector<ds::layer_runtime> runtimes;
  [[nodiscard]] double total_ms() const {
    double t = 0;
    for (const auto& r : runtimes) t += r.runtime_ms;
    return t;
  }
};

/// The share of the measured time held by layers of a modelled kind under `rule`.
double coverage(const network& n, ds::classification_rule rule) {
  const auto modelled = ds::modelled_layer_names(n.engine, rule);
  double covered = 0;
  for (const auto& r : n.runtimes)
    if (modelled.contains(r.name)) covered += r.runtime_ms;
  return covered / n.total_ms();
}

/// Relative errors of held-out layers, per kind.
using kind_errors = std::array<std::vector<double>, lw::all_layer_kinds.size()>;

double rmspe(const std::vector<double>& e) {
  if (e.empty()) return std::nan("");
  double s = 0;
  for (const double x : e) s += x * x;
  return 100 * std::sqrt(s / static_cast<double>(e.size()));
}

struct split_result {
  std::string label;
  kind_errors errors;
  double measured_ms = 0, predicted_ms = 0;
  std::size_t extrapolated = 0, clamped = 0, predicted_layers = 0, not_modelled = 0;
  std::vector<std::string> notes;  ///< fits with fewer folds, skipped kinds
};

/// Trains on `train` (runtime rows written per network), predicts `held_out`'s layers named in
/// `scored` (all when empty) and compares with their measured runtimes.
split_result run_split(std::string label, const std::vector<network>& train, const network& held_out,
                       const std::vector<ds::layer_runtime>& scored, std::size_t folds, const fs::path& scratch) {
  fs::remove_all(scratch);
  for (const auto& n : train) ds::write_runtime_rows(n.engine, n.runtimes, scratch / "training" / n.name);
  lw::model::training_config config;
  config.folds = folds;
  split_result r{std::move(label), {}, 0, 0, 0, 0, 0, 0, {}};
  const auto outcome = lw::model::train_presets(
      ds::scan_training_dir(scratch / "training"), config, [](const lw::model::fit_started&) {},
      [&](std::string_view w) { r.notes.emplace_back(w); });
  for (const auto& s : outcome.skipped)
    if (s.what == lw::target::runtime)
      r.notes.push_back(fmt::format("{} runtime not fitted: {}", to_string(s.kind), s.reason));
  lw::model::save_models(outcome, scratch / "models");
  const auto models = lw::predict::load_model_set(scratch / "models");
  const auto prediction = lw::predict::predict_network(models, held_out.engine);

  std::unordered_map<std::string_view, const lw::predict::layer_prediction*> by_name;
  for (const auto& l : prediction.layers) by_name[l.layer_name] = &l;
  for (const auto& m : scored) {
    r.measured_ms += m.runtime_ms;
    const auto found = by_name.find(m.name);
    if (found == by_name.end() || !found->second->runtime_ms) {
      ++r.not_modelled;
      continue;
    }
    const auto& p = *found->second;
    ++r.predicted_layers;
    r.extrapolated += !p.extrapolated.empty();
    r.clamped += p.clamped;
    r.predicted_ms += *p.runtime_ms;
    r.errors[static_cast<std::size_t>(p.kind)].push_back((*p.runtime_ms - m.runtime_ms) / m.runtime_ms);
  }
  return r;
}

std::optional<std::vector<network>> rtx_networks(const fs::path& shared) {
  std::vector<network> out;
  for (const auto* name : {"alexnet", "mobilenet_v2", "resnet18"}) {
    const auto base = shared / "realdata" / "fuzzylabs_desktop_rtx3060_trt" / "trtexec_fp16" / name /
                      (std::string(name) + "_fp16");
    const fs::path info = base.string() + ".graph.json", profile = base.string() + ".profile.json";
    if (!fs::exists(info) || !fs::exists(profile)) return std::nullopt;
    out.push_back({name, lw::io::read_engine_info(info), ds::profile_runtimes(lw::io::read_trtexec_profile(profile))});
  }
  return out;
}

std::optional<network> orin_network(const fs::path& shared) {
  const auto run = shared / "realdata" / "fuzzylabs_jetson_orin_nano_mobilenet_v2" / "run_20241030_5cycles";
  if (!fs::exists(run / "trt_engine_info.json") || !fs::exists(run / "trt_layer_latency.json")) return std::nullopt;
  return network{"mobilenet_v2_orin", lw::io::read_engine_info(run / "trt_engine_info.json"),
                 ds::mean_latencies(lw::io::read_layer_latencies(run / "trt_layer_latency.json"))};
}

constexpr std::array<double, 4> neuralpower_rmspe = {39.97, 11.41, 41.92, std::numeric_limits<double>::quiet_NaN()};

std::string percent(double x) { return std::isnan(x) ? "-" : fmt::format("{:.1f} %", x); }

void table(std::string& md, const std::vector<split_result>& splits) {
  md += "| held out | kind | layers | runtime RMSPE | NeuralPower's |\n|---|---|---|---|---|\n";
  for (const auto& s : splits)
    for (const auto kind : lw::all_layer_kinds) {
      const auto& e = s.errors[static_cast<std::size_t>(kind)];
      if (e.empty()) continue;
      md += fmt::format("| {} | {} | {} | {} | {} |\n", s.label, to_string(kind), e.size(), percent(rmspe(e)),
                        percent(neuralpower_rmspe[static_cast<std::size_t>(kind)]));
    }
  md += "\n| held out | measured total | predicted total | error | layers predicted | extrapolated | clamped | "
        "not modelled |\n|---|---|---|---|---|---|---|---|\n";
  for (const auto& s : splits)
    md += fmt::format("| {} | {:.4f} ms | {:.4f} ms | {:+.1f} % | {} | {} | {} | {} |\n", s.label, s.measured_ms,
                      s.predicted_ms, 100 * (s.predicted_ms - s.measured_ms) / s.measured_ms, s.predicted_layers,
                      s.extrapolated, s.clamped, s.not_modelled);
  std::string notes;
  for (const auto& s : splits)
    for (const auto& n : s.notes) notes += fmt::format("- {}: {}\n", s.label, n);
  if (!notes.empty()) md += "\nWhat the fits said:\n\n" + notes;
}

}  // namespace

int main(int argc, char** argv) try {
  const options o = parse(argc, argv);
  const auto rtx = rtx_networks(o.shared);
  const auto orin = orin_network(o.shared);
  if (!rtx || !orin) {
    fmt::print("runtime_accuracy: skipped: the real profiles are not under {} (the shared folder's realdata/; "
               "pass --shared DIR)\n",
               o.shared.string());
    return 0;
  }
  const auto started = std::chrono::steady_clock::now();
  const fs::path scratch = fs::temp_directory_path() / fmt::format("layerwatt-runtime-accuracy-{}", ::getpid());

  std::string md =
      "# Per-layer runtime models on real profiles\n\n"
      "Generated by `bench/runtime_accuracy.cpp` (`scripts/bench.sh runtime_accuracy`); do not edit by hand. "
      "Data: the shared folder's `realdata/` (other people's measurements, read in place; see each folder's "
      "PROVENANCE.md). Rows are runtime-only; every model is the preset's default shape, fitted by "
      "`layerwatt train`'s LassoCV with " +
      std::to_string(o.folds) +
      " folds (as many as rows where a kind has fewer) and predicted as `layerwatt predict` does "
      "(negative predictions clamped to 0). RMSPE is over the held-out layers of a kind; NeuralPower's figures "
      "are its runtime RMSPE on its own data, for scale.\n\n";

  md += "## Which layers a model covers\n\nThe share of each network's measured time held by layers of a "
        "modelled kind: layerwatt's classification by what a layer computes against the reference's three "
        "LayerType names.\n\n| network | source | layers timed | measured | layerwatt | reference's rule |\n"
        "|---|---|---|---|---|---|\n";
  std::vector<std::pair<const network*, std::string_view>> all;
  for (const auto& n : *rtx) all.emplace_back(&n, "trtexec, RTX 3060 Laptop");
  all.emplace_back(&*orin, "IProfiler, Jetson Orin Nano");
  for (const auto& [n, source] : all)
    md += fmt::format("| {} | {} | {} | {:.4f} ms | {:.1f} % | {:.1f} % |\n", n->name, source, n->runtimes.size(),
                      n->total_ms(), 100 * coverage(*n, ds::classification_rule::semantic),
                      100 * coverage(*n, ds::classification_rule::reference));

  std::vector<split_result> rtx_splits;
  for (std::size_t h = 0; h < rtx->size(); ++h) {
    std::vector<network> train;
    for (std::size_t i = 0; i < rtx->size(); ++i)
      if (i != h) train.push_back((*rtx)[i]);
    rtx_splits.push_back(run_split((*rtx)[h].name, train, (*rtx)[h], (*rtx)[h].runtimes, o.folds, scratch));
  }
  md += "\n## RTX 3060: train on two networks, predict the third\n\n";
  table(md, rtx_splits);

  // The Orin MobileNetV2: layers in 5 folds by position; each fold predicted by models of the others.
  constexpr std::size_t layer_folds = 5;
  split_result pooled{"all folds", {}, 0, 0, 0, 0, 0, 0, {}};
  for (std::size_t f = 0; f < layer_folds; ++f) {
    network train{orin->name, orin->engine, {}};
    std::vector<ds::layer_runtime> scored;
    for (std::size_t i = 0; i < orin->runtimes.size(); ++i)
      (i % layer_folds == f ? scored : train.runtimes).push_back(orin->runtimes[i]);
    auto r = run_split(fmt::format("fold {}", f + 1), {train}, *orin, scored, o.folds, scratch);
    for (std::size_t k = 0; k < pooled.errors.size(); ++k)
      pooled.errors[k].insert(pooled.errors[k].end(), r.errors[k].begin(), r.errors[k].end());
    pooled.measured_ms += r.measured_ms;
    pooled.predicted_ms += r.predicted_ms;
    pooled.extrapolated += r.extrapolated;
    pooled.clamped += r.clamped;
    pooled.predicted_layers += r.predicted_layers;
    pooled.not_modelled += r.not_modelled;
    for (auto& n : r.notes) pooled.notes.push_back(fmt::format("fold {}: {}", f + 1, n));
  }
  md += "\n## Jetson Orin Nano MobileNetV2: layers in 5 folds, each predicted by models of the other four\n\n"
        "One network only: the total is the sum of the out-of-fold predictions.\n\n";
  table(md, {pooled});

  fs::remove_all(scratch);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  md += fmt::format("\nWhole run: {:.1f} s.\n", seconds);
  lw::io::write_file_atomically(o.out, md);
  std::fputs(md.c_str(), stdout);
  fmt::print("\nwrote {}\n", o.out.string());
  return 0;
} catch (const std::exception& e) {
  fmt::print(stderr, "runtime_accuracy: {}\n", e.what());
  return 1;
}
