#pragma once
// trtexec's inference times, `--exportTimes=FILE`: one object per timed inference (warm-up left
// out), in trtexec's order (by H2D start), every time in ms since trtexec's inference phase
// began (its `cpuStart`, taken just after it prints "Starting inference"; the warm-up runs first):
//
//   [
//     { "startEnqMs" : 4999.96, "endEnqMs" : 4999.96, "startH2dMs" : 5000.23, "endH2dMs" : 5000.23,
//       "startComputeMs" : 5000.23, "endComputeMs" : 5000.73, "startD2hMs" : 5000.73, "endD2hMs" : 5000.73,
//       "h2dMs" : 0, "computeMs" : 0.497559, "d2hMs" : 0, "latencyMs" : 0.497559 }
//   , { ... }
//   ]
//
// Enqueue times are the host's clock; H2D, compute and D2H are CUDA event times relative to an
// event recorded on the GPU just after cpuStart. trtexec keeps them as floats and prints them
// with six significant digits (`os << float`), so a time of 5 000 ms is good to 5 µs and one of
// 60 000 ms to 50 µs: `trtexec_time_resolution_ms` gives the step. `latencyMs` is h2d + compute +
// d2h. This is the file's form from TensorRT 8.0 on (TensorRT 7 named the copies "In"/"Out").
// The file grows with the run (≈ 270 bytes per inference: 80 MB for a minute at 5 000 qps), so it
// is read by the streaming tokenizer, never as a DOM.

#include <array>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/json_scanner.hpp"

namespace layerwatt::io {

/// One timed inference, in trtexec's terms (ms since its inference phase began).
struct trtexec_inference {
  double start_enq_ms = 0, end_enq_ms = 0;          ///< host: enqueueing the inference
  double start_h2d_ms = 0, end_h2d_ms = 0;          ///< GPU: copying the inputs in
  double start_compute_ms = 0, end_compute_ms = 0;  ///< GPU: running the engine
  double start_d2h_ms = 0, end_d2h_ms = 0;          ///< GPU: copying the outputs out
  double h2d_ms = 0, compute_ms = 0, d2h_ms = 0;    ///< the three durations
  double latency_ms = 0;                            ///< h2d + compute + d2h
  bool operator==(const trtexec_inference&) const = default;
};

/// trtexec's key for each member, in its order.
inline constexpr std::array<std::string_view, 12> trtexec_times_keys = {
    "startEnqMs", "endEnqMs", "startH2dMs", "endH2dMs", "startComputeMs", "endComputeMs",
    "startD2hMs", "endD2hMs", "h2dMs",      "computeMs", "d2hMs",         "latencyMs"};

namespace detail {

constexpr std::array<double trtexec_inference::*, 12> trtexec_times_members = {
    &trtexec_inference::start_enq_ms,     &trtexec_inference::end_enq_ms,     &trtexec_inference::start_h2d_ms,
    &trtexec_inference::end_h2d_ms,       &trtexec_inference::start_compute_ms, &trtexec_inference::end_compute_ms,
    &trtexec_inference::start_d2h_ms,     &trtexec_inference::end_d2h_ms,     &trtexec_inference::h2d_ms,
    &trtexec_inference::compute_ms,       &trtexec_inference::d2h_ms,         &trtexec_inference::latency_ms};

}  // namespace detail

/// The step of trtexec's printed times near `ms`: one unit in the sixth significant digit.
inline double trtexec_time_resolution_ms(double ms) {
  const double magnitude = std::fabs(ms);
  if (magnitude < 1e-30) return 0;
  return std::pow(10.0, std::floor(std::log10(magnitude)) - 5);
}

/// The latest end of any inference: when trtexec's last timed inference had finished, ms.
inline double last_end_ms(std::span<const trtexec_inference> times) {
  double last = 0;
  for (const auto& t : times) last = std::max({last, t.end_enq_ms, t.end_compute_ms, t.end_d2h_ms});
  return last;
}

/// Reads an --exportTimes file. Each object must hold the twelve keys above, each once, as
/// numbers of at least 0, with every end at or after its start. An empty array (no inference
/// after the warm-up) is an error. Errors name the file and line.
inline std::vector<trtexec_inference> read_trtexec_times(const std::filesystem::path& path) {
  json_scanner in(path);
  std::vector<trtexec_inference> out;
  std::string key;
  in.expect('[', "'[' opening trtexec's --exportTimes array (TensorRT 8 or later)");
  if (!in.accept(']')) {
    do {
      const std::size_t line = in.line();
      in.expect('{', "'{' opening an inference's times");
      trtexec_inference t;
      std::array<bool, 12> seen{};
      if (!in.accept('}')) {
        do {
          in.read_string(key, "a key such as \"startComputeMs\"");
          const auto* found = std::find(trtexec_times_keys.begin(), trtexec_times_keys.end(), key);
          if (found == trtexec_times_keys.end())
            in.fail(fmt::format("one of trtexec's keys ({}), not \"{}\" (TensorRT 8 or later writes these)",
                                fmt::join(trtexec_times_keys, ", "), key));
          const auto k = static_cast<std::size_t>(found - trtexec_times_keys.begin());
          if (seen[k]) in.fail(fmt::format("\"{}\" once per inference", key));
          seen[k] = true;
          in.expect(':', "':'");
          const double ms = in.read_number(fmt::format("a time in ms for \"{}\"", key));
          if (ms < 0) in.fail(fmt::format("a time of at least 0 ms for \"{}\"", key));
          t.*detail::trtexec_times_members[k] = ms;
        } while (in.accept(','));
        in.expect('}', "',' or '}' in an inference's times");
      }
      for (std::size_t k = 0; k < seen.size(); ++k)
        if (!seen[k])
          throw error(path.string(), line, fmt::format("inference {} has no \"{}\"", out.size(), trtexec_times_keys[k]));
      const auto ordered = [&](double start, double end, std::string_view what) {
        if (end < start)
          throw error(path.string(), line,
                      fmt::format("inference {} ends its {} ({} ms) before it starts ({} ms)", out.size(), what, end, start));
      };
      ordered(t.start_enq_ms, t.end_enq_ms, "enqueue");
      ordered(t.start_h2d_ms, t.end_h2d_ms, "H2D copy");
      ordered(t.start_compute_ms, t.end_compute_ms, "compute");
      ordered(t.start_d2h_ms, t.end_d2h_ms, "D2H copy");
      out.push_back(t);
    } while (in.accept(','));
    in.expect(']', "',' or ']' after an inference's times");
  }
  if (in.peek() != json_scanner::eof) in.fail("the end of the file after the array");
  if (out.empty())
    throw error(fmt::format("{}: no timed inference in it (trtexec ran none after its warm-up: a --duration or "
                            "--iterations of 0?)",
                            path.string()));
  return out;
}

/// Appends `ms` as trtexec prints a float: six significant digits, as printf's %g.
inline void append_trtexec_number(std::string& out, double ms) {
  fmt::format_to(std::back_inserter(out), "{:g}", static_cast<double>(static_cast<float>(ms)));
}

/// Writes the file byte for byte as trtexec does (the fake trtexec's and the simulator's path).
inline void write_trtexec_times(const std::filesystem::path& path, std::span<const trtexec_inference> times) {
  atomic_output_file out(path);
  std::string& b = out.buffer();
  b += "[\n";
  const char* separator = "  ";
  for (const auto& t : times) {
    b += separator;
    b += "{ ";
    separator = ", ";
    for (std::size_t k = 0; k < trtexec_times_keys.size(); ++k) {
      if (k) b += ", ";
      b += '"';
      b += trtexec_times_keys[k];
      b += "\" : ";
      append_trtexec_number(b, t.*detail::trtexec_times_members[k]);
    }
    b += " }\n";
    out.maybe_flush();
  }
  b += "]\n";
  out.commit();
}

}  // namespace layerwatt::io
