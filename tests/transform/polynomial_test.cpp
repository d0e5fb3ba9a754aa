#include "layerwatt/transform/polynomial.hpp"

#include <gtest/gtest.h>

#include "support/golden.hpp"

namespace polynomial_test {

namespace tf = layerwatt::transform;
namespace features = layerwatt::features;
using layerwatt::testing::golden;
using layerwatt::testing::to_matrix;

static_assert(tf::polynomial_width(13, 3) == 560);
static_assert(tf::polynomial_width(13, 2) == 105);
static_assert(tf::polynomial_width(3, 3) == 20);
static_assert(tf::polynomial_width(11, 3) == 364);
static_assert(tf::bind<tf::polynomial<3>, features::convolutional>::output::size == 560);
static_assert(tf::bind<tf::polynomial<1>, tf::columns<4>>::output::size == 5);

template <std::size_t Degree, typename Input>
tf::table expand(const tf::table& rows) {
  return tf::bind<tf::polynomial<Degree>, Input>{}.transform(rows);
}

using conv = features::convolutional;

// Same monomials, same order, same multiplication order: scikit-learn's values exactly.
TEST(Polynomial, EqualsPolynomialFeaturesBitForBit) {
  const auto& g = golden("golden_transforms.json");
  const tf::table rows = to_matrix(g["rows"]);
  EXPECT_EQ((expand<2, conv>(rows)), to_matrix(g["polynomial_2"]));
  EXPECT_EQ((expand<3, conv>(rows.topRows(2))), to_matrix(g["polynomial_3"]));
  // Of non-integer inputs too: numpy's own log1p values in, scikit-learn's products out.
  const tf::table logs = to_matrix(g["log1p"]).topRows(2);
  EXPECT_EQ((expand<3, conv>(logs)), to_matrix(g["polynomial_3_of_log1p"]));
}

TEST(Polynomial, OrdersTermsDegreeByDegreeLexicographically) {
  tf::table row(1, 3);
  row << 2, 3, 5;
  const tf::table out = expand<2, tf::columns<3>>(row);
  // 1, a, b, c, aa, ab, ac, bb, bc, cc
  const std::array<double, 10> expected = {1, 2, 3, 5, 4, 6, 10, 9, 15, 25};
  ASSERT_EQ(out.cols(), 10);
  for (Eigen::Index j = 0; j < 10; ++j) EXPECT_EQ(out(0, j), expected[static_cast<std::size_t>(j)]) << j;
  const tf::table cubic = expand<3, tf::columns<3>>(row);
  // ..., aaa, aab, aac, abb, abc, acc, bbb, bbc, bcc, ccc
  const std::array<double, 10> third = {8, 12, 20, 18, 30, 50, 27, 45, 75, 125};
  for (Eigen::Index j = 0; j < 10; ++j) EXPECT_EQ(cubic(0, 10 + j), third[static_cast<std::size_t>(j)]) << j;
}

TEST(Polynomial, NamesItsDegree) { EXPECT_EQ(tf::polynomial<3>::type_name(), "polynomial<3>"); }

}  // namespace polynomial_test
