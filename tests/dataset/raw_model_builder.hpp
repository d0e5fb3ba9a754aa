#pragma once
// Writes small raw-data model folders for the dataset tests.

#include <filesystem>
#include <string>

#include "support/temp_dir.hpp"

namespace layerwatt::testing {

/// RAW/<model>/ with the given power log, latency and engine texts, plus a benchmark summary.
inline void write_raw_model(const std::filesystem::path& raw, const std::string& model, const std::string& power_log,
                            const std::string& latency_json, const std::string& engine_json) {
  if (!std::filesystem::exists(raw / "idling_power.json"))
    write_text(raw / "idling_power.json", R"({"timestamp": "20241121-051743", "avg_idle_power": 1000.0})");
  write_text(raw / model / (model + "_power_log.log"), power_log);
  write_text(raw / model / (model + "_tensorrt.json"),
             R"({"config": {}, "total_time": 1.0, "timestamp": "20241121-052004", "latencies": [1.0],
                 "avg_latency": 1.0, "avg_throughput": 1.0})");
  write_text(raw / model / "trt_profiling" / "trt_layer_latency.json", latency_json);
  write_text(raw / model / "trt_profiling" / "trt_engine_info.json", engine_json);
}

}  // namespace layerwatt::testing
