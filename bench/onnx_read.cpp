// Reading ONNX models as a search over architectures reads them — thousands of candidates, each
// read and predicted once — and a model saved with its weights.
//   onnx_read_and_predict    mobilenet_v3_small (103 layers; 40 KB, exported without weights):
//                            the file read, parsed, its shapes inferred, its layers built, and
//                            predicted with models loaded once
//   json_read_and_predict    baseline: the same engine from its engine-inspector JSON (as
//                            `layerwatt zoo` or trtexec write it), read and predicted
//   onnx_steps               the same read, step by step (counters in ms per read): the bytes,
//                            protobuf's parse, the inputs and shapes, the layers, the prediction
//   weights_steps            the same for resnet50 with its 25.6 M weights as initializers
//                            (102 MB, written to a temporary file first): where the time goes
// Everything runs on one thread. The first read in a process also builds ONNX's operator schema
// registry once; main() times it apart, before the benchmarks.

#include <chrono>
#include <filesystem>
#include <string>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/onnx/read_engine_info.hpp"
#include "layerwatt/predict/model_set.hpp"
#include "layerwatt/predict/network_prediction.hpp"
#include "support/ratio_reporter.hpp"
#include "support/training_fixture.hpp"  // tests/support: the models the predict tests use

namespace {

namespace fs = std::filesystem;
namespace lw = layerwatt;

fs::path test_model(const std::string& name) { return fs::path(LAYERWATT_TEST_DATA) / "onnx" / (name + ".onnx"); }

const fs::path searched = test_model("mobilenet_v3_small");

const lw::predict::model_set& models() {
  static const lw::predict::model_set set = [] {
    const fs::path dir = fs::temp_directory_path() / "layerwatt-bench-onnx-models";
    lw::testing::write_model_dir(dir);
    return lw::predict::load_model_set(dir);
  }();
  return set;
}

/// The searched model's engine as an engine-inspector file, for the baseline.
const fs::path& engine_json() {
  static const fs::path file = [] {
    const fs::path f = fs::temp_directory_path() / "layerwatt-bench-onnx-engine.json";
    lw::io::write_engine_info(f, lw::onnx::read_engine_info(searched));
    return f;
  }();
  return file;
}

/// resnet50 with every weight as an initializer of zeros, not as a graph input.
const fs::path& weighted_model() {
  static const fs::path file = [] {
    auto model = lw::onnx::read_model(test_model("resnet50"));
    auto& graph = *model.mutable_graph();
    const auto inputs = lw::onnx::classify_graph_inputs(graph);
    google::protobuf::RepeatedPtrField<::ONNX_NAMESPACE::ValueInfoProto> data;
    for (const auto& input : graph.input()) {
      if (!inputs.weights.contains(input.name())) {
        *data.Add() = input;
        continue;
      }
      auto* t = graph.add_initializer();
      t->set_name(input.name());
      t->set_data_type(::ONNX_NAMESPACE::TensorProto::FLOAT);
      std::size_t count = 1;
      for (const auto& d : input.type().tensor_type().shape().dim()) {
        t->add_dims(d.dim_value());
        count *= static_cast<std::size_t>(d.dim_value());
      }
      t->mutable_raw_data()->assign(count * sizeof(float), '\0');
    }
    graph.mutable_input()->Swap(&data);
    const fs::path f = fs::temp_directory_path() / "layerwatt-bench-resnet50-weights.onnx";
    lw::io::write_file_atomically(f, model.SerializeAsString());
    return f;
  }();
  return file;
}

/// One read of `file` as read_engine_info does it, each step timed into the counters (ms per
/// read): the bytes, protobuf's parse, the inputs and shapes, the layers; then the prediction.
void read_in_steps(benchmark::State& state, const fs::path& file) {
  models();
  double step_ms[5] = {};
  std::size_t layers = 0, bytes_read = 0;
  for (auto _ : state) {
    using clock = std::chrono::steady_clock;
    auto at = clock::now();
    const auto lap = [&](int step) {
      const auto now = clock::now();
      step_ms[step] += std::chrono::duration<double, std::milli>(now - at).count();
      at = now;
    };
    const std::string bytes = lw::io::input_file(file).read_all();
    lap(0);
    auto model = lw::onnx::parse_model(bytes, file.string());
    lap(1);
    const auto inputs = lw::onnx::classify_graph_inputs(model.graph());
    const auto shapes = lw::onnx::infer_shapes(model, inputs.data, {}, file.string());
    lap(2);
    const auto engine = lw::onnx::graph_to_engine(model.graph(), inputs, shapes, file.string(), {});
    lap(3);
    benchmark::DoNotOptimize(lw::predict::predict_network(models(), engine).totals.energy_j);
    lap(4);
    layers = engine.layers.size();
    bytes_read = bytes.size();
  }
  const char* names[] = {"read_ms", "parse_ms", "shapes_ms", "layers_ms", "predict_ms"};
  for (int i = 0; i < 5; ++i) state.counters[names[i]] = benchmark::Counter(step_ms[i], benchmark::Counter::kAvgIterations);
  state.counters["layers"] = static_cast<double>(layers);
  state.counters["MB"] = static_cast<double>(bytes_read) / 1e6;
}

void onnx_read_and_predict(benchmark::State& state) {
  models();
  std::size_t layers = 0;
  for (auto _ : state) {
    const auto engine = lw::onnx::read_engine_info(searched);
    const auto p = lw::predict::predict_network(models(), engine);
    layers = engine.layers.size();
    benchmark::DoNotOptimize(p.totals.energy_j);
  }
  state.counters["layers"] = static_cast<double>(layers);
}

void json_read_and_predict(benchmark::State& state) {
  models();
  std::size_t layers = 0;
  for (auto _ : state) {
    const auto engine = lw::io::read_engine_info(engine_json());
    const auto p = lw::predict::predict_network(models(), engine);
    layers = engine.layers.size();
    benchmark::DoNotOptimize(p.totals.energy_j);
  }
  state.counters["layers"] = static_cast<double>(layers);
}

void onnx_steps(benchmark::State& state) { read_in_steps(state, searched); }
void weights_steps(benchmark::State& state) { read_in_steps(state, weighted_model()); }

BENCHMARK(onnx_read_and_predict)->Unit(benchmark::kMillisecond);
BENCHMARK(json_read_and_predict)->Unit(benchmark::kMillisecond);
BENCHMARK(onnx_steps)->Unit(benchmark::kMillisecond);
BENCHMARK(weights_steps)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  const auto start = std::chrono::steady_clock::now();
  const auto engine = lw::onnx::read_engine_info(searched);
  const std::chrono::duration<double, std::milli> first = std::chrono::steady_clock::now() - start;
  fmt::print("first read in this process: {:.1f} ms for {} layers (ONNX builds its operator schemas once)\n",
             first.count(), engine.layers.size());
  return layerwatt::bench::run_with_ratios(argc, argv, {{"onnx_read_and_predict", "json_read_and_predict"}});
}
