#include "layerwatt/dataset/preprocessed_dir.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"
#include "support/shared_data.hpp"

namespace ds = layerwatt::dataset;
using layerwatt::testing::reference_data;
using layerwatt::testing::temp_dir;
using layerwatt::testing::write_text;

namespace preprocessed_dir_test {

TEST(PreprocessedDir, FindsTheReferenceFixtureModels) {
  LAYERWATT_REQUIRE_SHARED();
  const auto set = ds::scan_preprocessed_dir(reference_data("seed_fixtures/example_preprocessed_data"));
  ASSERT_EQ(set.models.size(), 2u);
  EXPECT_EQ(set.models[0].name, "model1");
  EXPECT_EQ(set.models[1].mapping.filename(), "power_runtime_mapping_layerwise.csv");
  EXPECT_TRUE(set.incomplete.empty());
}

TEST(PreprocessedDir, ReportsIncompleteFoldersWithWhatTheyLack) {
  temp_dir dir;
  write_text(dir / "a" / "power_runtime_mapping_layerwise.csv", "x\n");
  write_text(dir / "a" / "trt_engine_info.json", "{}");
  write_text(dir / "b" / "power_runtime_mapping_layerwise.csv", "x\n");
  write_text(dir / "stray.txt", "");
  const auto set = ds::scan_preprocessed_dir(dir.path());
  ASSERT_EQ(set.models.size(), 1u);
  ASSERT_EQ(set.incomplete.size(), 1u);
  EXPECT_EQ(set.incomplete[0].name, "b");
  ASSERT_EQ(set.incomplete[0].missing.size(), 1u);
  EXPECT_EQ(set.incomplete[0].missing[0].filename(), "trt_engine_info.json");
  EXPECT_ERROR_MENTIONS(ds::scan_preprocessed_dir(dir / "missing"), "missing", "preprocessed-data directory");
}

}  // namespace preprocessed_dir_test
