#pragma once
// layer_timer<Clock>: collects what TensorRT's profiler reports — (layer name, latency in ms) once
// per layer per inference — stamped with the clock at each report, and writes
// trt_layer_latency.json in the reference's stamped form.
//
// TensorRT reports the layers of one inference in execution order, and the same order every
// cycle; the timer keeps the order in which it first saw each layer (the file's order) and
// checks the next expected layer first, so a report costs a string comparison, not a hash.
// Like the reference's profiler, the stamp is the moment of the report (after the layer ran).

#include <cstddef>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/io/layer_latency.hpp"
#include "layerwatt/sense/clock.hpp"

namespace layerwatt::profile {

template <sense::clock Clock = sense::wall_clock>
class layer_timer {
 public:
  /// `expected_cycles`: inferences to preallocate for, per layer, so that reports allocate only
  /// when a layer is first seen.
  explicit layer_timer(std::size_t expected_cycles = 0, Clock clock = Clock{})
      : clock_(std::move(clock)), expected_cycles_(expected_cycles) {}

  /// Records one report, stamped now. Thread-safe: TensorRT calls it from its own thread.
  void record(std::string_view layer, double latency_ms) {
    const std::lock_guard lock(mutex_);
    const time_stamp now = clock_.now();
    auto& layers = data_.layers;
    const std::size_t i = next_ < layers.size() && layers[next_].name == layer ? next_ : find_or_add(layer);
    layers[i].latency_ms.push_back(latency_ms);
    layers[i].end_stamps.push_back(now);
    next_ = i + 1 == layers.size() ? 0 : i + 1;
    ++reports_;
  }

  /// Every report so far, layers in first-seen order.
  [[nodiscard]] io::layer_latencies latencies() const {
    const std::lock_guard lock(mutex_);
    return data_;
  }

  /// Writes trt_layer_latency.json (atomically) with every report so far.
  void write(const std::filesystem::path& path) const {
    const std::lock_guard lock(mutex_);
    io::write_layer_latencies(path, data_);
  }

  [[nodiscard]] std::size_t layer_count() const {
    const std::lock_guard lock(mutex_);
    return data_.layers.size();
  }
  [[nodiscard]] std::size_t report_count() const {
    const std::lock_guard lock(mutex_);
    return reports_;
  }

  /// Forgets every report (e.g. those of warm-up runs), keeping the memory.
  void clear() {
    const std::lock_guard lock(mutex_);
    data_.layers.clear();
    index_.clear();
    next_ = 0;
    reports_ = 0;
  }

 private:
  struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };

  std::size_t find_or_add(std::string_view layer) {
    if (const auto it = index_.find(layer); it != index_.end()) return it->second;
    auto& series = data_.layers.emplace_back();
    series.name = layer;
    series.latency_ms.reserve(expected_cycles_);
    series.end_stamps.reserve(expected_cycles_);
    index_.emplace(series.name, data_.layers.size() - 1);
    return data_.layers.size() - 1;
  }

  mutable std::mutex mutex_;
  Clock clock_;
  std::size_t expected_cycles_;
  io::layer_latencies data_{{}, true};
  std::unordered_map<std::string, std::size_t, string_hash, std::equal_to<>> index_;
  std::size_t next_ = 0;  ///< the layer expected next: the one after the last reported
  std::size_t reports_ = 0;
};

}  // namespace layerwatt::profile
