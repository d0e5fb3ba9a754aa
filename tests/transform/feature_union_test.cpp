#include "layerwatt/transform/feature_union.hpp"

#include <gtest/gtest.h>

#include "layerwatt/transform/polynomial.hpp"
#include "layerwatt/transform/special_terms.hpp"
#include "layerwatt/transform/standard_scaler.hpp"

namespace feature_union_test {

namespace tf = layerwatt::transform;
namespace features = layerwatt::features;

using product_term = tf::product<features::input_size, features::output_size>;
using stage = tf::bind<tf::feature_union<tf::polynomial<1>, tf::special_terms<product_term>>, features::dense>;

TEST(FeatureUnion, PutsThePartsSideBySide) {
  static_assert(stage::output::size == 4 + 1);
  static_assert(!stage::stateful);
  tf::table rows(2, 3);
  rows << 1, 2, 3, 4, 5, 6;
  tf::table expected(2, 5);
  expected << 1, 1, 2, 3, 6, 1, 4, 5, 6, 30;
  EXPECT_EQ(stage{}.transform(rows), expected);
  EXPECT_EQ(stage::type_name(), "union<polynomial<1>, special_terms<product<input_size, output_size>>>");
}

TEST(FeatureUnion, FitsStatefulParts) {
  using scaled =
      tf::bind<tf::feature_union<tf::standard_scaler, tf::special_terms<product_term>>, features::dense>;
  static_assert(scaled::stateful);
  scaled s;
  tf::table rows(2, 3);
  rows << 1, 2, 3, 3, 2, 5;
  const tf::table out = s.fit_transform(rows);
  EXPECT_EQ(out(0, 0), -1);
  EXPECT_EQ(out(1, 0), 1);
  EXPECT_EQ(out(0, 1), 0);  // a constant column: scale 1
  EXPECT_EQ(out(1, 3), 10);
  nlohmann::ordered_json saved;
  s.save(saved);
  EXPECT_EQ(saved["parts"].size(), 2u);
  EXPECT_EQ(saved["parts"][0]["type"], "standard_scaler");
}

}  // namespace feature_union_test
