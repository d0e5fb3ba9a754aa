// The split of a training directory into trained-on and held-out models (model/test_split.hpp).
#include "layerwatt/model/test_split.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lw = layerwatt;

namespace test_split_test {

std::vector<std::string> names(const std::vector<const lw::dataset::training_model*>& models) {
  std::vector<std::string> out;
  for (const auto* m : models) out.push_back(m->name);
  return out;
}

TEST(TestSplit, NamedModelsAreHeldOutInTheDirectorysOrderAndUnknownNamesListed) {
  lw::dataset::training_dir data;
  for (const auto* name : {"alexnet", "resnet18", "vgg16", "zfnet"}) data.models.push_back({name, {}, {}});
  const std::vector<std::string> test_models{"zfnet", "nope", "alexnet", "also_nope"};
  const auto split = lw::model::split_test_models(data, test_models);
  EXPECT_EQ(names(split.test), (std::vector<std::string>{"alexnet", "zfnet"}));
  EXPECT_EQ(names(split.train), (std::vector<std::string>{"resnet18", "vgg16"}));
  EXPECT_EQ(split.missing, (std::vector<std::string>{"nope", "also_nope"}));
  EXPECT_EQ(split.test.front(), &data.models[0]);  // into the directory, not copies
}

TEST(TestSplit, NoTestModelsTrainsOnEveryModel) {
  lw::dataset::training_dir data;
  data.models.push_back({"lenet", {}, {}});
  const auto split = lw::model::split_test_models(data, {});
  EXPECT_EQ(names(split.train), std::vector<std::string>{"lenet"});
  EXPECT_TRUE(split.test.empty());
  EXPECT_TRUE(split.missing.empty());
}

}  // namespace test_split_test
