#pragma once
// The reference's split of a training directory (run.py): the models named as test models are
// held out, every other model is trained on. One owner, so that what a training run says it
// holds out before fitting is what it then holds out.

#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "layerwatt/dataset/training_dir.hpp"

namespace layerwatt::model {

/// A training directory's models split by name. The pointers are into the training_dir, which
/// must outlive the split.
struct test_split {
  std::vector<const dataset::training_model*> train, test;  ///< in the directory's order
  std::vector<std::string> missing;  ///< test model names no model has, in the order given
};

/// Splits `data`'s models: those named in `test_models` (run.py's TEST_MODELS) are held out.
inline test_split split_test_models(const dataset::training_dir& data, std::span<const std::string> test_models) {
  const auto named = [&](const std::string& name) {
    return std::find(test_models.begin(), test_models.end(), name) != test_models.end();
  };
  test_split split;
  for (const auto& m : data.models) (named(m.name) ? split.test : split.train).push_back(&m);
  for (const auto& name : test_models)
    if (std::none_of(data.models.begin(), data.models.end(), [&](const auto& m) { return m.name == name; }))
      split.missing.push_back(name);
  return split;
}

}  // namespace layerwatt::model
