#include "layerwatt/transform/chain.hpp"

#include <gtest/gtest.h>

#include "layerwatt/transform/log1p.hpp"
#include "layerwatt/transform/polynomial.hpp"
#include "layerwatt/transform/standard_scaler.hpp"
#include "support/temp_dir.hpp"

namespace chain_test {

namespace tf = layerwatt::transform;
namespace features = layerwatt::features;

using stage = tf::bind<tf::chain<tf::log1p, tf::polynomial<2>, tf::standard_scaler>, features::dense>;

tf::table sample() {
  tf::table rows(3, 3);
  rows << 1, 256, 10, 4, 1024, 1000, 16, 4096, 100;
  return rows;
}

TEST(Chain, AppliesItsStepsInOrder) {
  static_assert(stage::output::size == 10);
  static_assert(stage::stateful);
  stage s;
  const tf::table out = s.fit_transform(sample());
  const tf::table logs = tf::bind<tf::log1p, features::dense>{}.transform(sample());
  const tf::table expanded = tf::bind<tf::polynomial<2>, features::dense>{}.transform(logs);
  EXPECT_EQ(s.step<0>().transform(sample()), logs);
  EXPECT_EQ(s.step<1>().transform(logs), expanded);
  EXPECT_EQ(s.step<2>().transform(expanded), out);
}

TEST(Chain, TransformsARowAsItTransformsATable) {
  stage s;
  const tf::table out = s.fit_transform(sample());
  std::array<double, 10> row;
  s.transform_row(sample().row(1).data(), row.data());
  for (std::size_t j = 0; j < row.size(); ++j) EXPECT_EQ(row[j], out(1, static_cast<Eigen::Index>(j)));
  std::array<double, 10> before_scaling;
  s.transform_row_through<2>(sample().row(1).data(), before_scaling.data());
  EXPECT_EQ(before_scaling[0], 1.0);
  EXPECT_EQ(before_scaling[3], std::log1p(1000.0));
}

TEST(Chain, SavesAndLoadsItsFittedSteps) {
  stage s;
  static_cast<void>(s.fit_transform(sample()));
  nlohmann::ordered_json saved;
  s.save(saved);
  EXPECT_EQ(saved["type"], "chain<log1p, polynomial<2>, standard_scaler>");
  const layerwatt::io::json_document document("saved.json", saved.dump());
  stage loaded;
  loaded.load(document.root());
  EXPECT_EQ(loaded.transform(sample()), s.transform(sample()));
}

TEST(Chain, RefusesAnotherChainsFile) {
  const layerwatt::io::json_document document("other.json",
                                              R"({"type": "chain<log1p, polynomial<3>, standard_scaler>"})");
  stage s;
  EXPECT_ERROR_MENTIONS(s.load(document.root()), "other.json", "/type",
                        "chain<log1p, polynomial<2>, standard_scaler>");
}

}  // namespace chain_test
