#pragma once
// `trt_layer_latency.json`: layer name → one entry per inference cycle, in execution order.
//   stamped form (Jetson runs):  "name": [[latency_ms, "YYYYmmdd-HH:MM:SS.ffffff"], ...]
//   bare form (desktop runs):    "name": [latency_ms, ...]
// The order of the layers in the file is the order TensorRT ran them and is kept.

#include <filesystem>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "layerwatt/core/error.hpp"
#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/json_scanner.hpp"
#include "layerwatt/io/number_text.hpp"

namespace layerwatt::io {

struct layer_latency_series {
  std::string name;
  std::vector<double> latency_ms;
  std::vector<time_stamp> end_stamps;  ///< one per latency in the stamped form; empty in the bare form
  bool operator==(const layer_latency_series&) const = default;
};

struct layer_latencies {
  std::vector<layer_latency_series> layers;  ///< execution order
  bool stamped = true;                       ///< false for the bare-list form
  bool operator==(const layer_latencies&) const = default;
};

namespace detail {

/// Reads the file through `in`, calling on_layer(name) at each layer and on_entry(latency_ms,
/// stamp or nullptr, line) at each of its entries, in file order; returns whether the file is in
/// the stamped form. Every syntax error names the file, the line and the JSON path ("/conv1/12":
/// a file written on one line has one line).
template <typename OnLayer, typename OnEntry>
bool scan_layer_latencies(json_scanner& in, OnLayer&& on_layer, OnEntry&& on_entry) {
  std::unordered_set<std::string> seen;
  bool stamped = true, form_known = false;
  std::string name, text;
  std::string layer_pointer;          // "/<name>" once a name is read
  std::optional<std::size_t> entry;  // the entry of its list being read
  in.set_location([&] { return entry ? fmt::format("{}/{}", layer_pointer, *entry) : layer_pointer; });
  struct forget_location {  // it refers to this frame, which an error leaves too
    json_scanner& in;
    ~forget_location() { in.set_location(nullptr); }
  } forget{in};
  in.expect('{', "'{' opening an object of layer name → latency list");
  if (!in.accept('}')) {
    do {
      layer_pointer.clear();
      in.read_string(name, "a layer name (string)");
      layer_pointer = "/" + json_pointer_token(name);
      if (!seen.insert(name).second) in.fail(fmt::format("each layer once, but \"{}\" repeats", name));
      on_layer(name);
      in.expect(':', "':'");
      in.expect('[', fmt::format("'[' opening the latency list of \"{}\"", name));
      if (!in.accept(']')) {
        for (entry = 0;; ++*entry) {
          const bool stamped_entry = in.peek() == '[';
          if (!form_known) {
            stamped = stamped_entry;
            form_known = true;
          } else if (stamped_entry != stamped) {
            in.fail(stamped ? "[latency_ms, \"time stamp\"] like the entries before"
                            : "a bare latency in ms like the entries before");
          }
          const std::size_t line = in.line();
          if (stamped_entry) {
            in.expect('[', "'['");
            const double ms = in.read_number("a latency in ms (number)");
            in.expect(',', "',' then a time stamp");
            in.read_string(text, "a time stamp string");
            const auto stamp = try_parse_time_stamp(text);
            if (!stamp) in.fail_value(fmt::format("a time stamp {}", time_stamp_format), text);
            on_entry(ms, &*stamp, line);
            in.expect(']', "']' closing [latency_ms, \"time stamp\"]");
          } else {
            on_entry(in.read_number("a latency in ms (number) or [latency_ms, \"time stamp\"]"), nullptr, line);
          }
          if (!in.accept(',')) break;
        }
        in.expect(']', "',' or ']' in a latency list");
        entry.reset();
      }
    } while (in.accept(','));
    in.expect('}', "',' or '}' after a layer's list");
  }
  layer_pointer.clear();
  if (in.peek() != json_scanner::eof) in.fail("the end of the file after the top-level object");
  return stamped;
}

}  // namespace detail

inline layer_latencies read_layer_latencies(const std::filesystem::path& path) {
  json_scanner in(path);
  layer_latencies result;
  result.stamped = detail::scan_layer_latencies(
      in, [&](const std::string& name) { result.layers.push_back({name, {}, {}}); },
      [&](double ms, const time_stamp* stamp, std::size_t) {
        auto& series = result.layers.back();
        series.latency_ms.push_back(ms);
        if (stamp) series.end_stamps.push_back(*stamp);
      });
  if (result.layers.empty())  // a run that timed nothing, not a network without layers
    throw error(fmt::format("{}: expected at least one layer's latencies, got none", path.string()));
  return result;
}

/// The line of `path` where entry `cycle` (0-based) of the layer-th layer (0-based, file order)
/// begins: for messages about one entry. Reads the whole file again; 0 when there is no such entry.
inline std::size_t layer_latency_line(const std::filesystem::path& path, std::size_t layer, std::size_t cycle) {
  json_scanner in(path);
  std::size_t layers_seen = 0, entries_seen = 0, found = 0;
  detail::scan_layer_latencies(
      in, [&](const std::string&) { ++layers_seen, entries_seen = 0; },
      [&](double, const time_stamp*, std::size_t line) {
        if (layers_seen == layer + 1 && entries_seen++ == cycle) found = line;
      });
  return found;
}

/// Writes the file as the reference does (Python json.dump, indent 4), atomically.
inline void write_layer_latencies(const std::filesystem::path& path, const layer_latencies& data) {
  atomic_output_file out(path);
  std::string& b = out.buffer();
  b += '{';
  bool first_layer = true;
  for (const auto& layer : data.layers) {
    if (data.stamped && layer.end_stamps.size() != layer.latency_ms.size())
      throw error(fmt::format("{}: layer \"{}\" has {} latencies but {} stamps", path.string(), layer.name,
                              layer.latency_ms.size(), layer.end_stamps.size()));
    b += first_layer ? "\n    " : ",\n    ";
    first_layer = false;
    append_json_string(b, layer.name);
    b += ": [";
    for (std::size_t i = 0; i < layer.latency_ms.size(); ++i) {
      b += i == 0 ? "\n" : ",\n";
      if (data.stamped) {
        b += "        [\n            ";
        append_python_float(b, layer.latency_ms[i]);
        b += ",\n            \"";
        const std::size_t at = b.size();
        b.resize(at + time_stamp_length);
        format_time_stamp(layer.end_stamps[i], b.data() + at);
        b += "\"\n        ]";
      } else {
        b += "        ";
        append_python_float(b, layer.latency_ms[i]);
      }
      out.maybe_flush();
    }
    b += layer.latency_ms.empty() ? "]" : "\n    ]";
  }
  b += first_layer ? "}" : "\n}";
  out.commit();
}

}  // namespace layerwatt::io
