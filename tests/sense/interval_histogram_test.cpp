#include "layerwatt/sense/interval_histogram.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

namespace sense = layerwatt::sense;
using std::chrono::nanoseconds;

namespace interval_histogram_test {

TEST(IntervalHistogram, EmptyIsZero) {
  const sense::interval_histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.percentile(0.99), nanoseconds{0});
}

TEST(IntervalHistogram, SmallValuesAreExact) {
  sense::interval_histogram h;
  for (int i = 1; i <= 50; ++i) h.record(nanoseconds{i * 10});
  h.record(nanoseconds{-5});  // a clock oddity counts as zero, never as a huge value
  EXPECT_EQ(h.count(), 51u);
  EXPECT_EQ(h.percentile(0.5), nanoseconds{250});
  EXPECT_EQ(h.percentile(1.0), nanoseconds{500});
  EXPECT_EQ(h.percentile(0.0), nanoseconds{0});
}

TEST(IntervalHistogram, PercentilesWithinTheBucketError) {
  sense::interval_histogram h;
  // 1 ms periods with one in a hundred 1.2 ms late, as a paced logger sees them.
  for (int i = 0; i < 10'000; ++i) h.record(nanoseconds{i % 100 == 0 ? 2'200'000 : 1'000'000 + (i % 7) * 1000});
  const auto near = [](nanoseconds got, double want) { return std::abs(static_cast<double>(got.count()) - want) <= want / 512; };
  EXPECT_TRUE(near(h.percentile(0.5), 1'003'000)) << h.percentile(0.5).count();
  EXPECT_TRUE(near(h.percentile(0.98), 1'006'000)) << h.percentile(0.98).count();
  EXPECT_TRUE(near(h.percentile(0.995), 2'200'000)) << h.percentile(0.995).count();
  EXPECT_TRUE(near(h.percentile(1.0), 2'200'000));
  for (const long long v : {511LL, 512LL, 1000LL, 123'456'789LL, 1LL << 62}) {
    sense::interval_histogram one;
    one.record(nanoseconds{v});
    EXPECT_TRUE(near(one.percentile(0.5), static_cast<double>(v))) << v << " -> " << one.percentile(0.5).count();
  }
  h.clear();
  EXPECT_EQ(h.count(), 0u);
}

}  // namespace interval_histogram_test
