#include "layerwatt/dataset/pandas_statistics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace ds = layerwatt::dataset;
constexpr double missing = ds::missing_value;

namespace pandas_statistics_test {

TEST(PandasStatistics, NumpySumIsPairwise) {
  // Below 8 values a plain running sum; from 8 on, eight interleaved partial sums.
  const std::vector<double> seven{1e16, 1, 1, 1, 1, 1, 1};
  EXPECT_EQ(ds::numpy_sum(seven), 1e16);  // each +1 is lost
  // Values numpy gives: ((1e16 + 1) + (1 + 1)) + ((1 + 1) + (1 + 1)) keeps six of the seven ones.
  const std::vector<double> eight{1e16, 1, 1, 1, 1, 1, 1, 1};
  EXPECT_EQ(ds::numpy_sum(eight), 1e16 + 6);
  const std::vector<double> nine{1e16, 1, 1, 1, 1, 1, 1, 1, 1};
  EXPECT_EQ(ds::numpy_sum(nine), 1e16 + 8);
  std::vector<double> many(1000, 0.1);
  double naive = 0;
  for (const double x : many) naive += x;
  EXPECT_EQ(naive, 99.9999999999986);
  EXPECT_EQ(ds::numpy_sum(many), 100.00000000000001);  // numpy.sum(numpy.full(1000, 0.1))
}

TEST(PandasStatistics, GroupMeanIsKahanOverPresentValues) {
  const std::vector<double> values{0.1, missing, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
  EXPECT_EQ(ds::group_mean(values), 0.1);  // a running sum would give 0.09999999999999999
  EXPECT_TRUE(std::isnan(ds::group_mean(std::vector<double>{missing, missing})));
}

TEST(PandasStatistics, LinearQuantilesAsNumpy) {
  const std::vector<double> v{2, 4, 4, 5};
  EXPECT_EQ(ds::linear_quantile(v, 0.25), 3.5);
  EXPECT_EQ(ds::linear_quantile(v, 0.5), 4.0);
  EXPECT_EQ(ds::linear_quantile(v, 0.75), 4.25);
  EXPECT_EQ(ds::linear_quantile(std::vector<double>{7}, 0.75), 7.0);
}

// The reference's fixture, model2: conv_layer1's runtimes and their describe() as pandas wrote it.
TEST(PandasStatistics, DescribeMatchesTheReferenceFixtureBitForBit) {
  std::vector<double> scratch;
  const auto d = ds::describe(std::vector<double>{0.1, 0.08, 0.08, 0.08}, scratch);
  EXPECT_EQ(d.count, 4.0);
  EXPECT_EQ(d.mean, 0.085);
  EXPECT_EQ(d.std, 0.010000000000000004);
  EXPECT_EQ(d.min, 0.08);
  EXPECT_EQ(d.q25, 0.08);
  EXPECT_EQ(d.q50, 0.08);
  EXPECT_EQ(d.q75, 0.085);
  EXPECT_EQ(d.max, 0.1);
  const auto one = ds::describe(std::vector<double>{5, missing, missing, missing}, scratch);
  EXPECT_EQ(one.count, 1.0);
  EXPECT_EQ(one.mean, 5.0);
  EXPECT_TRUE(std::isnan(one.std));
  EXPECT_EQ(one.q75, 5.0);
  const auto none = ds::describe(std::vector<double>{missing}, scratch);
  EXPECT_EQ(none.count, 0.0);
  EXPECT_TRUE(std::isnan(none.mean) && std::isnan(none.min) && std::isnan(none.max));
}

}  // namespace pandas_statistics_test
