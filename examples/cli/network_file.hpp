#pragma once
// The network `inspect` and `predict` read: a TensorRT engine-inspector file (trt_engine_info.json,
// trtexec's --exportLayerInfo, `layerwatt zoo`), or an ONNX model (*.onnx) read as the layers
// TensorRT would build from it — where this build has the ONNX front end (docs/onnx.md).

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "arguments.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/io/number_text.hpp"
#include "layerwatt/io/precision.hpp"

namespace layerwatt::cli {

inline constexpr std::string_view network_options_help =
    R"(  --precision P        an ONNX model's engine precision: fp16 (default, as the reference's
                       engines), fp32 or int8 (an engine file carries its own)
  --input-shape NAME:DIMS
                       an ONNX input's shape where its dimensions are dynamic, as trtexec's
                       --shapes (e.g. input:1x3x224x224); repeatable
  --unsupported fail|skip
                       an ONNX operation without a rule: an error naming the node (fail,
                       default), or a warning and a layer left out of the totals (skip)
)";

/// How an ONNX model is read; empty for an engine file.
struct network_options {
  std::optional<io::precision> precision;
  std::vector<std::pair<std::string, std::vector<std::int64_t>>> input_shapes;
  std::optional<bool> skip_unsupported;
};

/// "input:1x3x224x224" → {"input", {1, 3, 224, 224}}.
inline std::pair<std::string, std::vector<std::int64_t>> parse_named_shape(std::string_view text) {
  const auto colon = text.rfind(':');
  std::vector<std::int64_t> dims;
  if (colon != std::string_view::npos && colon > 0)
    for (std::size_t at = colon + 1; at <= text.size();) {
      const auto x = std::min(text.find('x', at), text.size());
      const auto d = io::parse_integer<std::int64_t>(text.substr(at, x - at));
      if (!d || *d < 1 || *d > io::max_dimension) {
        dims.clear();
        break;
      }
      dims.push_back(*d);
      at = x + 1;
    }
  if (dims.empty())
    throw usage_error(fmt::format("--input-shape expects NAME:DIMS with positive dimensions (e.g. input:1x3x224x224), "
                                  "got \"{}\"",
                                  text));
  return {std::string(text.substr(0, colon)), std::move(dims)};
}

inline network_options network_option_values(arguments& args) {
  network_options out;
  if (const auto p = args.value("--precision")) {
    if (*p == "fp16") out.precision = io::precision::fp16;
    else if (*p == "fp32") out.precision = io::precision::fp32;
    else if (*p == "int8") out.precision = io::precision::int8;
    else throw usage_error(fmt::format("--precision expects fp16, fp32 or int8, got \"{}\"", *p));
  }
  for (const auto& value : args.values("--input-shape"))
    for (const auto& item : split_list(value)) out.input_shapes.push_back(parse_named_shape(item));
  if (const auto u = args.value("--unsupported")) {
    if (*u != "fail" && *u != "skip") throw usage_error(fmt::format("--unsupported expects fail or skip, got \"{}\"", *u));
    out.skip_unsupported = *u == "skip";
  }
  return out;
}

/// Whether `file` is read as an ONNX model (its extension is .onnx).
inline bool is_onnx_file(const std::filesystem::path& file) {
  std::string ext = file.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".onnx";
}

/// The layers of `file`: an engine-inspector JSON, or an ONNX model read with `options` (given
/// for a JSON file, they are a usage error). Defined in network_file.cpp, which alone includes ONNX.
io::engine_info read_network(const std::filesystem::path& file, const network_options& options);

}  // namespace layerwatt::cli
