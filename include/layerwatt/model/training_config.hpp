#pragma once
// What a training run is told, as the reference's config.yaml told it, in JSON:
//
//   {
//     "data_dir": "training_data",
//     "test_models": ["lenet", "resnet18", "vgg16"],
//     "folds": 10,
//     "presets": {
//       "conv_power": {"degree": 3, "scaler": "standard", "positive": true, "n_alphas": 500, "max_iter": 10000}
//     }
//   }
//
// Every key is optional; a preset override names only what it changes. An unknown key, a
// value of the wrong type or out of range is an error naming its JSON path.

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "layerwatt/io/json_document.hpp"
#include "layerwatt/model/preset_catalog.hpp"

namespace layerwatt::model {

/// What a configuration may change in one preset; unset fields keep the preset's own value.
struct preset_overrides {
  presets::preset_shape shape;
  std::optional<std::size_t> n_alphas, max_iter;
};

struct training_config {
  std::optional<std::filesystem::path> data_dir;
  std::vector<std::string> test_models = {"lenet", "resnet18", "vgg16"};  ///< the reference's
  std::size_t folds = 10;
  std::map<std::string, preset_overrides, std::less<>> presets;  ///< by preset name ("conv_power", ...)
};

inline constexpr std::size_t max_folds = 1000;

inline training_config read_training_config(const std::filesystem::path& path) {
  const io::json_document document(path);
  const io::json_node root = document.root();
  root.require_known_keys({"data_dir", "test_models", "folds", "presets"});
  training_config config;
  if (const auto dir = root.find("data_dir")) config.data_dir = dir->as_string();
  if (const auto models = root.find("test_models")) config.test_models = models->as_strings();
  if (const auto folds = root.find("folds")) config.folds = folds->as_integer<std::size_t>(2, max_folds);
  if (const auto section = root.find("presets")) {
    section->require_known_keys(presets::preset_names);
    for (const auto& name : presets::preset_names) {
      const auto node = section->find(name);
      if (!node) continue;
      node->require_known_keys({"degree", "scaler", "positive", "n_alphas", "max_iter"});
      preset_overrides o;
      if (const auto v = node->find("degree")) o.shape.degree = v->as_integer<std::size_t>(1, presets::max_preset_degree);
      if (const auto v = node->find("scaler")) {
        o.shape.scaler = v->as_string();
        if (!presets::is_scaler_name(*o.shape.scaler)) v->fail("\"standard\", \"minmax\" or \"robust\"");
      }
      if (const auto v = node->find("positive")) {
        if (!v->value().is_boolean()) v->fail("true or false");
        o.shape.positive = v->value().get<bool>();
      }
      if (const auto v = node->find("n_alphas")) o.n_alphas = v->as_integer<std::size_t>(1, 100'000);
      if (const auto v = node->find("max_iter")) o.max_iter = v->as_integer<std::size_t>(1, 100'000'000);
      config.presets.emplace(name, std::move(o));
    }
  }
  return config;
}

}  // namespace layerwatt::model
