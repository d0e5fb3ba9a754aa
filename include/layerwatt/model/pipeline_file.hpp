#pragma once
// A fitted pipeline as a JSON file, loaded back into the same pipeline type only:
//   {"pipeline": "conv_power", "version": 1, "features": ["batch_size", ...], "width": 562,
//    "training_range": {"min": [...], "max": [...]},
//    "transform": {"type": "chain<...>", "steps": [..., {"type": "standard_scaler",
//    "mean": [...], "scale": [...]}]}, "estimator": "lasso_cv<positive>", "alpha": ...,
//    "intercept": ..., "coef": [...]}
// with coef in transformed-feature order, and each input feature's range over the training rows
// (for flagging a prediction outside it; absent in files written before layerwatt kept it). Numbers are written in their shortest exact form, so
// a loaded pipeline predicts bit-identically. Another pipeline's file, another feature list, a
// wrong count or a damaged file is an error naming the file and JSON path.

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/json_document.hpp"
#include "layerwatt/io/precision.hpp"

namespace layerwatt::model {

inline constexpr int pipeline_file_version = 1;

/// The name a pipeline type is saved under: P::name() for named types (the presets), else its
/// structure (P::type_name()).
template <typename P>
std::string pipeline_name() {
  if constexpr (requires { P::name(); })
    return std::string(P::name());
  else
    return P::type_name();
}

template <typename P>
nlohmann::ordered_json pipeline_to_json(const P& fitted) {
  nlohmann::ordered_json out;
  out["pipeline"] = pipeline_name<P>();
  out["version"] = pipeline_file_version;
  auto& features = out["features"] = nlohmann::ordered_json::array();
  for (const auto name : P::features::names) features.push_back(name);
  fitted.save(out);
  return out;
}

/// The key of a model file that lists the precisions of its training layers ("fp16", ...), each
/// once, sorted: predict marks a layer of another precision extrapolated. Absent where none was
/// known (the reference's CSVs have no precision column; an engine may not say).
inline constexpr std::string_view training_precisions_key = "training_precisions";

/// Lists the precisions among `precisions` (any order, repeats; "" or "unknown" for a layer whose
/// precision is not known, which adds none) in `file` under training_precisions_key, nothing where
/// none is known; returns the list.
inline std::vector<std::string> add_training_precisions(nlohmann::ordered_json& file, std::vector<std::string> precisions) {
  std::erase_if(precisions, [](const std::string& p) { return p.empty() || p == io::to_string(io::precision::unknown); });
  std::sort(precisions.begin(), precisions.end());
  precisions.erase(std::unique(precisions.begin(), precisions.end()), precisions.end());
  if (!precisions.empty()) file[std::string(training_precisions_key)] = precisions;
  return precisions;
}

/// Writes `fitted` to `path` atomically (a temporary file renamed into place).
template <typename P>
void save_pipeline(const P& fitted, const std::filesystem::path& path) {
  io::write_file_atomically(path, pipeline_to_json(fitted).dump(4) + "\n");
}

/// A P from a pipeline file's root object; `settings` are the (fit-time) options it keeps.
template <typename P>
P pipeline_from_json(const io::json_node& root, typename P::options settings = {}) {
  const auto name = root.object_member("pipeline");
  if (const auto found = name.as_string(); found != pipeline_name<P>())
    name.fail(fmt::format("\"{}\" (the pipeline type loading it), got \"{}\"", pipeline_name<P>(), found));
  const auto version = root.object_member("version");
  if (version.as_integer<int>() != pipeline_file_version)
    version.fail(fmt::format("version {} (this library reads that version only)", pipeline_file_version));
  const auto features = root.object_member("features");
  if (features.array_size() != P::features::size)
    features.fail(fmt::format("{} feature names, got {}", P::features::size, features.array_size()));
  for (std::size_t i = 0; i < P::features::size; ++i)
    if (const auto found = features.element(i).as_string(); found != P::features::names[i])
      features.element(i).fail(fmt::format("\"{}\", got \"{}\"", P::features::names[i], found));
  P out(std::move(settings));
  out.load(root);
  return out;
}

template <typename P>
P load_pipeline(const std::filesystem::path& path, typename P::options settings = {}) {
  const io::json_document document(path);
  return pipeline_from_json<P>(document.root(), std::move(settings));
}

}  // namespace layerwatt::model
