#pragma once
// What trtexec prints, kept with when each line reached us: the stamped output file of a
// campaign (`trtexec_build.log`, `trtexec_timed.log`), one line per line trtexec printed,
//
//   20250102-10:00:04.512345 [01/02/2025-10:00:04] [I] Starting inference
//
// the stamp (our wall clock, µs, as the power log's) when the line was read from trtexec's
// pipe, a space, then the line as printed. The stamps are what aligns trtexec's relative times
// with the power log (join/timed_run.hpp); the text is what trtexec reports:
//
//   [I] TensorRT version: 10.3.0                       (8.6 and later; before: &&&& RUNNING
//                                                         TensorRT.trtexec [TensorRT v8201] ...)
//   [I] Starting inference                             printed just before its clock's zero
//   [I] Warmup completed 10 queries over 200 ms        the first line after the timed run
//   [I] Timing trace has 6039 queries over 3.00117 s
//   [I] === Performance summary ===
//   [I] Throughput: 2012.22 qps
//   [I] Latency: min = 0.490234 ms, max = 0.500977 ms, mean = 0.495324 ms, median = 0.495605 ms, ...
//   &&&& PASSED TensorRT.trtexec [TensorRT v100300] # trtexec ...
//
// `trtexec_summary_lines` writes the same lines from a times file (for the fake trtexec of the
// tests and the simulator, which play trtexec).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/line_reader.hpp"
#include "layerwatt/io/number_text.hpp"
#include "layerwatt/io/trtexec_times.hpp"

namespace layerwatt::io {

/// A line of a program's output and when it was read.
struct stamped_line {
  time_stamp t;
  std::string text;
  bool operator==(const stamped_line&) const = default;
};

inline void append_stamped_line(std::string& out, const stamped_line& line) {
  const std::size_t at = out.size();
  out.resize(at + time_stamp_length);
  format_time_stamp(line.t, out.data() + at);
  out += ' ';
  out += line.text;
  out += '\n';
}

inline void write_stamped_lines(const std::filesystem::path& path, std::span<const stamped_line> lines) {
  atomic_output_file out(path);
  for (const auto& line : lines) {
    append_stamped_line(out.buffer(), line);
    out.maybe_flush();
  }
  out.commit();
}

/// Reads a stamped output file; a line without its stamp is an error naming the file and line.
inline std::vector<stamped_line> read_stamped_lines(const std::filesystem::path& path) {
  line_reader in(path);
  std::vector<stamped_line> out;
  while (const auto line = in.next()) {
    const auto stamp = line->size() > time_stamp_length && (*line)[time_stamp_length] == ' '
                           ? try_parse_time_stamp(line->substr(0, time_stamp_length))
                           : std::nullopt;
    if (!stamp)
      throw error(in.path(), in.line_number(),
                  fmt::format("expected a time stamp {} and a space before the line, got {}", time_stamp_format,
                              quote_excerpt(*line)));
    out.push_back({*stamp, std::string(line->substr(time_stamp_length + 1))});
  }
  return out;
}

/// What trtexec's output says, as far as it says it.
struct trtexec_report {
  std::optional<std::string> tensorrt_version;     ///< "10.3.0"
  std::optional<std::size_t> starting_inference;   ///< the line "Starting inference" (0-based)
  std::optional<std::size_t> warmup_completed;     ///< the first line after the timed run
  std::optional<std::size_t> warmup_queries;
  std::optional<double> warmup_ms;
  std::optional<std::size_t> timed_queries;
  std::optional<double> throughput_qps;
  std::optional<double> latency_mean_ms, latency_median_ms;
  std::optional<bool> passed;                      ///< "&&&& PASSED" or "&&&& FAILED"
};

namespace detail {

/// A trtexec log line without its `[MM/DD/YYYY-HH:MM:SS] [I] ` prefix.
inline std::string_view trtexec_message(std::string_view line) {
  for (int i = 0; i < 2 && line.starts_with('['); ++i) {
    const auto close = line.find("] ");
    if (close == std::string_view::npos) break;
    line.remove_prefix(close + 2);
  }
  return line;
}

/// The number after `key` in `text` (up to a space or comma).
inline std::optional<double> number_after(std::string_view text, std::string_view key) {
  const auto at = text.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = text.substr(at + key.size());
  return parse_double(rest.substr(0, std::min(rest.find(' '), rest.find(','))));
}

/// NV_TENSORRT_VERSION as trtexec's banner prints it: 8201 is 8.2.1 (before 10: major·1000 +
/// minor·100 + patch), 100300 is 10.3.0 (from 10: major·10000 + minor·100 + patch).
inline std::optional<std::string> decode_tensorrt_version(std::string_view digits) {
  const auto v = parse_integer<long>(digits);
  if (!v || *v < 1000) return std::nullopt;
  if (*v >= 100000) return fmt::format("{}.{}.{}", *v / 10000, *v / 100 % 100, *v % 100);
  return fmt::format("{}.{}.{}", *v / 1000, *v / 100 % 10, *v % 100);
}

}  // namespace detail

inline trtexec_report parse_trtexec_output(std::span<const stamped_line> lines) {
  trtexec_report r;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view text = lines[i].text, message = detail::trtexec_message(text);
    if (message.starts_with("TensorRT version: ")) {
      r.tensorrt_version = std::string(message.substr(18));
    } else if (text.starts_with("&&&& ")) {
      if (const auto v = text.find("[TensorRT v"); v != std::string_view::npos && !r.tensorrt_version)
        r.tensorrt_version = detail::decode_tensorrt_version(text.substr(v + 11, text.find(']', v) - v - 11));
      if (text.starts_with("&&&& PASSED")) r.passed = true;
      else if (text.starts_with("&&&& FAILED")) r.passed = false;
    } else if (message == "Starting inference") {
      r.starting_inference = i;
    } else if (message.starts_with("Warmup completed ") && !r.warmup_completed) {
      r.warmup_completed = i;
      if (const auto q = detail::number_after(message, "completed ")) r.warmup_queries = static_cast<std::size_t>(*q);
      r.warmup_ms = detail::number_after(message, "queries over ");
    } else if (message.starts_with("Timing trace has ")) {
      if (const auto q = detail::number_after(message, "has ")) r.timed_queries = static_cast<std::size_t>(*q);
    } else if (message.starts_with("Throughput: ")) {
      r.throughput_qps = detail::number_after(message, "Throughput: ");
    } else if (message.starts_with("Latency: ")) {
      r.latency_mean_ms = detail::number_after(message, "mean = ");
      r.latency_median_ms = detail::number_after(message, "median = ");
    }
  }
  return r;
}

/// The lines trtexec prints after its timed run, computed from the run's times as trtexec
/// computes them — in float; the mean a float sum; the median of the sorted values; percentile p
/// the value below which all but ⌊(1 − p/100)·n⌋ lie; throughput over the host walltime from the
/// first H2D start to the last D2H end — without the `[date] [I] ` prefix.
inline std::vector<std::string> trtexec_summary_lines(std::span<const trtexec_inference> times,
                                                      std::size_t warmup_queries, double warmup_ms) {
  if (times.empty()) throw error("a trtexec summary needs at least one timed inference");
  const auto g = [](float v) { return fmt::format("{:g}", static_cast<double>(v)); };
  const auto f = [](double v) { return static_cast<float>(v); };
  const float walltime_ms = f(times.back().end_d2h_ms) - f(times.front().start_h2d_ms);
  const auto statistics = [&](auto metric) {
    std::vector<float> v;
    v.reserve(times.size());
    for (const auto& t : times) v.push_back(metric(t));
    std::sort(v.begin(), v.end());
    float sum = 0;
    for (const float x : v) sum += x;
    const std::size_t n = v.size();
    const float median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    const auto percentile = [&](float p) {
      const auto all = static_cast<std::int32_t>(n), exclude = static_cast<std::int32_t>((1 - p / 100) * static_cast<float>(all));
      return v[static_cast<std::size_t>(std::max(all - 1 - exclude, 0))];
    };
    return fmt::format("min = {} ms, max = {} ms, mean = {} ms, median = {} ms, percentile(90%) = {} ms, "
                       "percentile(95%) = {} ms, percentile(99%) = {} ms",
                       g(v.front()), g(v.back()), g(sum / static_cast<float>(n)), g(median), g(percentile(90)),
                       g(percentile(95)), g(percentile(99)));
  };
  float compute_total_ms = 0;
  for (const auto& t : times) compute_total_ms += f(t.compute_ms);
  return {fmt::format("Warmup completed {} queries over {} ms", warmup_queries, g(f(warmup_ms))),
          fmt::format("Timing trace has {} queries over {} s", times.size(), g(walltime_ms / 1000)),
          "",
          "=== Performance summary ===",
          fmt::format("Throughput: {} qps", g(static_cast<float>(times.size()) / walltime_ms * 1000)),
          fmt::format("Latency: {}", statistics([&](const trtexec_inference& t) { return f(t.latency_ms); })),
          fmt::format("Enqueue Time: {}", statistics([&](const trtexec_inference& t) { return f(t.end_enq_ms) - f(t.start_enq_ms); })),
          fmt::format("H2D Latency: {}", statistics([&](const trtexec_inference& t) { return f(t.h2d_ms); })),
          fmt::format("GPU Compute Time: {}", statistics([&](const trtexec_inference& t) { return f(t.compute_ms); })),
          fmt::format("D2H Latency: {}", statistics([&](const trtexec_inference& t) { return f(t.d2h_ms); })),
          fmt::format("Total Host Walltime: {} s", g(walltime_ms / 1000)),
          fmt::format("Total GPU Compute Time: {} s", g(compute_total_ms / 1000)),
          "Explanations of the performance metrics are printed in the verbose logs."};
}

}  // namespace layerwatt::io
