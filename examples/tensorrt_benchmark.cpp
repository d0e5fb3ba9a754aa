// A TensorRT benchmark that collects the reference's raw data in one process: the power logger
// samples the INA3221 on its own thread while the engine runs, and the profiler adapter records
// every layer's latency. Built only where TensorRT is found (LAYERWATT_WITH_TENSORRT).
//
//   tensorrt_benchmark ENGINE OUT_DIR [--model NAME] [--warmup N] [--runs N] [--period-us N]
//                      [--sysfs-root DIR] [--rail NAME]...
//
// writes, in the reference's raw-data layout:
//   OUT_DIR/<model>_power_log.log (+ .meta.json)   power while the timed runs ran
//   OUT_DIR/<model>_tensorrt.json                  configuration and whole-inference latencies
//   OUT_DIR/trt_profiling/trt_layer_latency.json   each layer's latency and stamp, every run
// (trt_profiling/trt_engine_info.json comes from TensorRT's engine inspector, as in the reference.)

#include <NvInfer.h>
#include <cuda_runtime_api.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/benchmark_summary.hpp"
#include "layerwatt/io/number_text.hpp"
#include "layerwatt/profile/layer_timer.hpp"
#include "layerwatt/profile/tensorrt.hpp"
#include "layerwatt/sense/clock.hpp"
#include "layerwatt/sense/ina3221.hpp"
#include "layerwatt/sense/power_logger.hpp"

namespace {

namespace lw = layerwatt;
namespace fs = std::filesystem;

struct settings {
  fs::path engine, out;
  std::string model;
  int warmup = 50, runs = 30000;
  std::chrono::microseconds period{1000};
  fs::path sysfs_root = "/sys";
  std::vector<std::string> rails;
};

settings parse(int argc, char** argv) {
  settings s;
  std::vector<std::string_view> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw lw::error(fmt::format("{} needs a value", a));
      return argv[++i];
    };
    const auto count = [&](int min) {
      const std::string text = value();
      const auto n = lw::io::parse_integer<int>(text);
      if (!n || *n < min) throw lw::error(fmt::format("{} expects a whole number >= {}, got \"{}\"", a, min, text));
      return *n;
    };
    if (a == "--model") s.model = value();
    else if (a == "--warmup") s.warmup = count(0);
    else if (a == "--runs") s.runs = count(1);
    else if (a == "--period-us") s.period = std::chrono::microseconds{count(0)};
    else if (a == "--sysfs-root") s.sysfs_root = value();
    else if (a == "--rail") s.rails.push_back(value());
    else if (a.starts_with("--")) throw lw::error(fmt::format("unknown option {}", a));
    else positional.push_back(a);
  }
  if (positional.size() != 2) throw lw::error("expected ENGINE and OUT_DIR");
  s.engine = positional[0];
  s.out = positional[1];
  if (s.model.empty()) s.model = s.engine.stem().string();
  return s;
}

void check(cudaError_t status, std::string_view what) {
  if (status != cudaSuccess) throw lw::error(fmt::format("CUDA: {}: {}", what, cudaGetErrorString(status)));
}

class trt_logger final : public nvinfer1::ILogger {
  void log(Severity severity, char const* message) noexcept override {
    if (severity <= Severity::kWARNING) std::fprintf(stderr, "TensorRT: %s\n", message);
  }
};

std::size_t element_size(nvinfer1::DataType type, std::string_view tensor) {
  switch (type) {
    case nvinfer1::DataType::kFLOAT:
    case nvinfer1::DataType::kINT32: return 4;
    case nvinfer1::DataType::kHALF: return 2;
    case nvinfer1::DataType::kINT8:
    case nvinfer1::DataType::kBOOL:
    case nvinfer1::DataType::kUINT8: return 1;
#if NV_TENSORRT_MAJOR >= 10
    case nvinfer1::DataType::kBF16: return 2;
    case nvinfer1::DataType::kINT64: return 8;
#endif
    default: throw lw::error(fmt::format("tensor \"{}\": a data type this example does not allocate", tensor));
  }
}

/// Device buffers for every input and output of the engine, bound to the context by name.
class io_buffers {
 public:
  io_buffers(const nvinfer1::ICudaEngine& engine, nvinfer1::IExecutionContext& context) {
    for (int i = 0; i < engine.getNbIOTensors(); ++i) {
      const char* name = engine.getIOTensorName(i);
      const auto dims = engine.getTensorShape(name);
      std::size_t bytes = element_size(engine.getTensorDataType(name), name);
      for (int d = 0; d < dims.nbDims; ++d) {
        if (dims.d[d] < 0) throw lw::error(fmt::format("tensor \"{}\" has a dynamic shape; build the engine static", name));
        bytes *= static_cast<std::size_t>(dims.d[d]);
      }
      void* memory = nullptr;
      check(cudaMalloc(&memory, bytes), "cudaMalloc");
      buffers_.push_back(memory);
      check(cudaMemset(memory, 0, bytes), "cudaMemset");
      if (!context.setTensorAddress(name, memory)) throw lw::error(fmt::format("cannot bind tensor \"{}\"", name));
    }
  }
  io_buffers(const io_buffers&) = delete;
  io_buffers& operator=(const io_buffers&) = delete;
  ~io_buffers() {
    for (void* b : buffers_) cudaFree(b);
  }

 private:
  std::vector<void*> buffers_;
};

int benchmark(const settings& s) {
  std::ifstream file(s.engine, std::ios::binary);
  const std::vector<char> plan{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  if (plan.empty()) throw lw::error(fmt::format("{}: cannot read the engine", s.engine.string()));

  trt_logger logger;
  const std::unique_ptr<nvinfer1::IRuntime> runtime{nvinfer1::createInferRuntime(logger)};
  const std::unique_ptr<nvinfer1::ICudaEngine> engine{runtime->deserializeCudaEngine(plan.data(), plan.size())};
  if (!engine) throw lw::error(fmt::format("{}: TensorRT cannot load this engine", s.engine.string()));
  const std::unique_ptr<nvinfer1::IExecutionContext> context{engine->createExecutionContext()};
  const io_buffers buffers(*engine, *context);
  cudaStream_t stream = nullptr;
  check(cudaStreamCreate(&stream), "cudaStreamCreate");
  const auto infer = [&] {
    if (!context->enqueueV3(stream)) throw lw::error("enqueueV3 failed");
    check(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
  };
  for (int i = 0; i < s.warmup; ++i) infer();

  // The timer and the logger stamp with the same clock (local wall-clock time, like the
  // reference), so the join can line up layers and power samples.
  lw::profile::layer_timer<lw::sense::wall_clock> timer(static_cast<std::size_t>(s.runs));
  lw::profile::tensorrt_profiler<lw::sense::wall_clock> profiler(timer);
  context->setProfiler(&profiler);  // enqueueV3 now reports every layer to it

  const fs::path log = s.out / (s.model + "_power_log.log");
  lw::sense::power_logger<lw::sense::ina3221_sampler, lw::sense::wall_clock> power(
      lw::sense::ina3221_sampler::open(s.sysfs_root, s.rails), {.log = log, .sampling = {.period = s.period}});
  std::vector<double> latencies_s;
  latencies_s.reserve(static_cast<std::size_t>(s.runs));
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < s.runs; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    infer();
    latencies_s.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  const double total_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const lw::io::power_log_meta meta = power.stop();
  cudaStreamDestroy(stream);

  profiler.rethrow_if_failed();
  timer.write(s.out / "trt_profiling" / "trt_layer_latency.json");
  lw::io::benchmark_summary summary;
  summary.config = {{"model", s.model}, {"engine", s.engine.string()}, {"warmup", s.warmup}, {"runs", s.runs}};
  summary.total_time_s = total_s;
  summary.timestamp = lw::to_idle_string(lw::sense::wall_clock{}.now());
  summary.avg_latency_s = std::accumulate(latencies_s.begin(), latencies_s.end(), 0.0) / static_cast<double>(s.runs);
  summary.avg_throughput = static_cast<double>(s.runs) / total_s;
  summary.latencies_s = std::move(latencies_s);
  lw::io::write_benchmark_summary(s.out / (s.model + "_tensorrt.json"), summary);

  fmt::print("{} runs of {} in {:.3f} s ({:.3f} ms each); {} layers timed; {} power samples at {:.0f}/s in {}\n",
             s.runs, s.model, total_s, summary.avg_latency_s * 1e3, timer.layer_count(), meta.stats.samples,
             meta.stats.rate_hz, log.string());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return benchmark(parse(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tensorrt_benchmark: %s\n", e.what());
    return 1;
  }
}
