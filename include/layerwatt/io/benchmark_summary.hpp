#pragma once
// `<model>_tensorrt.json`: the benchmark run's configuration and whole-inference latencies.
// Times are in seconds, as the reference writes them.

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "layerwatt/io/json_document.hpp"

namespace layerwatt::io {

struct benchmark_summary {
  nlohmann::json config = nlohmann::json::object();  ///< model, dtype, input_shape, warmup, runs, ...
  double total_time_s = 0;
  std::string timestamp;  ///< YYYYmmdd-HHMMSS, kept as text
  std::vector<double> latencies_s;
  double avg_latency_s = 0;
  double avg_throughput = 0;
  bool operator==(const benchmark_summary&) const = default;
};

inline benchmark_summary read_benchmark_summary(const std::filesystem::path& path) {
  const json_document doc(path);
  const json_node root = doc.root();
  benchmark_summary s;
  const json_node config = root.object_member("config");
  if (!config.value().is_object()) config.fail("an object");
  s.config = config.value();
  s.total_time_s = root.object_member("total_time").as_double();
  s.timestamp = root.object_member("timestamp").as_string();
  s.latencies_s = root.object_member("latencies").as_doubles();
  s.avg_latency_s = root.object_member("avg_latency").as_double();
  s.avg_throughput = root.object_member("avg_throughput").as_double();
  return s;
}

inline void write_benchmark_summary(const std::filesystem::path& path, const benchmark_summary& s) {
  nlohmann::ordered_json out;
  out["config"] = s.config;
  out["total_time"] = s.total_time_s;
  out["timestamp"] = s.timestamp;
  out["latencies"] = s.latencies_s;
  out["avg_latency"] = s.avg_latency_s;
  out["avg_throughput"] = s.avg_throughput;
  write_file_atomically(path, out.dump(4) + "\n");
}

}  // namespace layerwatt::io
