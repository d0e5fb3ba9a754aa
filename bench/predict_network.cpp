// Predicting a whole network from a model directory, as a search over networks would call it:
// the six default presets fitted once on tests/data/models (3 folds, 20 alphas), loaded once,
// then every layer of the resnet18 and vgg16 engines predicted (the zoo's, equal layer for layer
// to the real Jetson Orin ones: tests/zoo; classification, features, both models, the totals).
// The same with network-level models (`train --fit network`'s wider pipelines: degree-2 terms,
// physical terms, runtime and energy), fitted once on the zoo's networks to the totals the
// per-layer models give them — their values do not change the time, the pipelines' width does.
// Baseline, stated plainly: layerwatt itself, reloading the model files on every call (what one
// `layerwatt predict` process costs beyond parsing the engine) — the price of not keeping the
// models, not a comparison with another tool. The reference predicts through scikit-learn
// pipelines, whose one-row prediction bench/lasso_cv_fit.cpp times against layerwatt's.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>

#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/predict/model_set.hpp"
#include "layerwatt/predict/network_prediction.hpp"
#include "layerwatt/train/network_fit.hpp"
#include "layerwatt/zoo/registry.hpp"
#include "support/ratio_reporter.hpp"
#include "support/training_fixture.hpp"  // tests/support: the models the predict tests use

namespace {

namespace fs = std::filesystem;
namespace lw = layerwatt;

const fs::path& models_dir() {
  static const fs::path dir = [] {
    const fs::path d = fs::temp_directory_path() / "layerwatt-bench-predict-models";
    lw::testing::write_model_dir(d);
    return d;
  }();
  return dir;
}

lw::io::engine_info engine(const std::string& name) { return lw::zoo::build(lw::zoo::find_model(name)); }

const fs::path& network_models_dir() {
  static const fs::path dir = [] {
    const fs::path d = fs::temp_directory_path() / "layerwatt-bench-predict-network-models";
    const auto per_layer = lw::predict::load_model_set(models_dir());
    std::vector<lw::io::engine_info> engines;
    for (const auto& m : lw::zoo::models) engines.push_back(lw::zoo::build(m));
    std::vector<lw::train::measured_network> networks;
    for (std::size_t i = 0; i < engines.size(); ++i) {
      const auto totals = lw::predict::predict_network(per_layer, engines[i]).totals;
      networks.push_back({std::string(lw::zoo::models[i].name), "", &engines[i], totals.runtime_s * 1e3,
                          totals.energy_j.value() * 1e3});
    }
    lw::train::network_fit_options quiet;
    quiet.warn = [](std::string_view) {};
    lw::train::save_network_models(lw::train::fit_network_models(networks, {}, quiet), d);
    return d;
  }();
  return dir;
}

void predict_loaded(benchmark::State& state, const std::string& name, const fs::path& dir = models_dir()) {
  const auto models = lw::predict::load_model_set(dir);
  const auto e = engine(name);
  std::size_t layers = 0;
  for (auto _ : state) {
    const auto p = lw::predict::predict_network(models, e);
    layers = p.layers.size();
    benchmark::DoNotOptimize(p.totals.energy_j);
  }
  state.counters["layers"] = static_cast<double>(layers);
  state.counters["s_per_layer"] = benchmark::Counter(
      static_cast<double>(layers), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void load_then_predict(benchmark::State& state, const std::string& name) {
  const auto e = engine(name);
  models_dir();
  for (auto _ : state) {
    const auto models = lw::predict::load_model_set(models_dir());
    benchmark::DoNotOptimize(lw::predict::predict_network(models, e).totals.energy_j);
  }
}

void predict_resnet18(benchmark::State& state) { predict_loaded(state, "resnet18"); }
void predict_vgg16(benchmark::State& state) { predict_loaded(state, "vgg16"); }
void load_and_predict_resnet18(benchmark::State& state) { load_then_predict(state, "resnet18"); }
void predict_resnet18_network_level(benchmark::State& state) {
  predict_loaded(state, "resnet18", network_models_dir());
}
void predict_vgg16_network_level(benchmark::State& state) { predict_loaded(state, "vgg16", network_models_dir()); }

BENCHMARK(predict_resnet18)->Unit(benchmark::kMicrosecond);
BENCHMARK(predict_vgg16)->Unit(benchmark::kMicrosecond);
BENCHMARK(load_and_predict_resnet18)->Unit(benchmark::kMicrosecond);
BENCHMARK(predict_resnet18_network_level)->Unit(benchmark::kMicrosecond);
BENCHMARK(predict_vgg16_network_level)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  return layerwatt::bench::run_with_ratios(argc, argv, {{"predict_resnet18", "load_and_predict_resnet18"}});
}
