#include "layerwatt/transform/log1p.hpp"

#include <gtest/gtest.h>

#include "support/golden.hpp"

namespace log1p_test {

namespace tf = layerwatt::transform;
namespace features = layerwatt::features;
using layerwatt::testing::golden;
using layerwatt::testing::to_matrix;

using stage = tf::bind<tf::log1p, features::convolutional>;

TEST(Log1p, KeepsTheColumnNames) {
  static_assert(std::is_same_v<stage::output, features::convolutional>);
  static_assert(!stage::stateful);
  EXPECT_EQ(stage::type_name(), "log1p");
}

TEST(Log1p, MatchesNumpyToTheLastBit) {
  // numpy's vectorised log1p and glibc's may differ in the last bit; nothing more.
  const auto rows = to_matrix(golden("golden_transforms.json")["rows"]);
  const auto expected = to_matrix(golden("golden_transforms.json")["log1p"]);
  const stage s;
  const tf::table out = s.transform(rows);
  for (Eigen::Index r = 0; r < rows.rows(); ++r)
    for (Eigen::Index c = 0; c < rows.cols(); ++c)
      EXPECT_NEAR(out(r, c), expected(r, c), 2.3e-16 * std::abs(expected(r, c))) << r << ", " << c;
}

TEST(Log1p, ZeroStaysZero) {
  const stage s;
  std::array<double, 13> in{}, out{};
  out.fill(1);
  s.transform_row(in.data(), out.data());
  for (const double v : out) EXPECT_EQ(v, 0.0);
}

TEST(Log1p, RejectsAWrongWidth) {
  const stage s;
  EXPECT_THROW(static_cast<void>(s.transform(tf::table::Zero(2, 3))), layerwatt::error);
}

}  // namespace log1p_test
