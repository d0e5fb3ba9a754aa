#pragma once
// The TensorRT side: an nvinfer1::IProfiler that hands every layer report to a layer_timer.
//
//   profile::layer_timer timer(runs);
//   profile::tensorrt_profiler profiler(timer);
//   context->setProfiler(&profiler);
//   ... context->enqueueV3(stream) / executeV2(bindings) in a loop ...
//   profiler.rethrow_if_failed();
//   timer.write("trt_profiling/trt_layer_latency.json");
//
// Needs TensorRT (NvInfer.h); built only where CMake found it (LAYERWATT_WITH_TENSORRT). Written
// for the IProfiler of TensorRT 8.6 to 11, `reportLayerTime(char const*, float) noexcept`, and
// compiled against those versions' headers.

#if !__has_include(<NvInfer.h>)
#error "layerwatt/profile/tensorrt.hpp needs TensorRT's NvInfer.h on the include path"
#endif

#include <NvInfer.h>

#include <exception>
#include <mutex>

#include "layerwatt/profile/layer_timer.hpp"
#include "layerwatt/sense/clock.hpp"

namespace layerwatt::profile {

template <sense::clock Clock = sense::wall_clock>
class tensorrt_profiler final : public nvinfer1::IProfiler {
 public:
  explicit tensorrt_profiler(layer_timer<Clock>& timer) noexcept : timer_(timer) {}

  /// TensorRT's callback, on the thread that runs the inference. It must not throw: a report that
  /// cannot be stored (out of memory) is kept as an error for rethrow_if_failed().
  void reportLayerTime(char const* layer_name, float ms) noexcept override {
    try {
      timer_.record(layer_name, static_cast<double>(ms));
    } catch (...) {
      const std::lock_guard lock(mutex_);
      if (!failure_) failure_ = std::current_exception();
    }
  }

  /// Throws the first error a report met, if any; call it after the benchmark loop.
  void rethrow_if_failed() const {
    const std::lock_guard lock(mutex_);
    if (failure_) std::rethrow_exception(failure_);
  }

 private:
  layer_timer<Clock>& timer_;
  mutable std::mutex mutex_;
  std::exception_ptr failure_;
};

}  // namespace layerwatt::profile
