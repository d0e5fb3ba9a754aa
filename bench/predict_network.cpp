// Predicting a whole network from a model directory, as a search over networks would call it:
// the six default presets fitted once on tests/data/models (3 folds, 20 alphas), loaded once,
// then every layer of the real Jetson Orin resnet18 and vgg16 engines predicted (features from
// the parsed engine, both models, the totals).
// Baseline: what one `layerwatt predict` call costs beyond parsing the engine — loading the six
// model files, then predicting — the price of not keeping the models.

#include <filesystem>
#include <string>

#include <benchmark/benchmark.h>

#include "layerwatt/io/csv_table.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/model/pipeline_file.hpp"
#include "layerwatt/model/preset_catalog.hpp"
#include "layerwatt/predict/model_set.hpp"
#include "layerwatt/predict/network_prediction.hpp"
#include "layerwatt/transform/feature_table.hpp"
#include "support/ratio_reporter.hpp"

namespace {

namespace fs = std::filesystem;
namespace lw = layerwatt;

const fs::path& models_dir() {
  static const fs::path dir = [] {
    const fs::path d = fs::temp_directory_path() / "layerwatt-bench-predict-models";
    const auto fit = [&]<typename P>(lw::layer_kind kind, lw::target what) {
      const auto csv = lw::io::read_csv_table(fs::path(LAYERWATT_SOURCE_DIR) / "tests/data/models" /
                                              (std::string(to_string(kind)) + ".csv"));
      Eigen::VectorXd y = lw::transform::target_column(csv, to_string(what));
      if (what == lw::target::power) y /= 1e6;
      P pipeline({.folds = 3, .n_alphas = 20});
      pipeline.fit(lw::transform::feature_table<typename P::features>(csv), y);
      lw::model::save_pipeline(pipeline, lw::presets::model_file(d, kind, what));
    };
    fit.template operator()<lw::presets::conv_power>(lw::layer_kind::convolutional, lw::target::power);
    fit.template operator()<lw::presets::conv_runtime>(lw::layer_kind::convolutional, lw::target::runtime);
    fit.template operator()<lw::presets::pooling_power>(lw::layer_kind::pooling, lw::target::power);
    fit.template operator()<lw::presets::pooling_runtime>(lw::layer_kind::pooling, lw::target::runtime);
    fit.template operator()<lw::presets::dense_power>(lw::layer_kind::dense, lw::target::power);
    fit.template operator()<lw::presets::dense_runtime>(lw::layer_kind::dense, lw::target::runtime);
    return d;
  }();
  return dir;
}

lw::io::engine_info engine(const std::string& name) {
  return lw::io::read_engine_info(fs::path(LAYERWATT_SOURCE_DIR) / "tests/data/reference/engine_info/jetson_orin" /
                                  (name + ".json"));
}

void predict_loaded(benchmark::State& state, const std::string& name) {
  const auto models = lw::predict::load_model_set(models_dir());
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

BENCHMARK(predict_resnet18)->Unit(benchmark::kMicrosecond);
BENCHMARK(predict_vgg16)->Unit(benchmark::kMicrosecond);
BENCHMARK(load_and_predict_resnet18)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  return layerwatt::bench::run_with_ratios(argc, argv, {{"predict_resnet18", "load_and_predict_resnet18"}});
}
