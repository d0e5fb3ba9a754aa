#include "layerwatt/core/duration_text.hpp"

#include <gtest/gtest.h>

namespace lw = layerwatt;
using lw::microseconds;

namespace duration_text_test {

TEST(DurationText, ParsesANumberAndAUnit) {
  EXPECT_EQ(lw::parse_duration("1h"), microseconds{3'600'000'000});
  EXPECT_EQ(lw::parse_duration("-30min"), microseconds{-1'800'000'000});
  EXPECT_EQ(lw::parse_duration("+7h"), microseconds{25'200'000'000});
  EXPECT_EQ(lw::parse_duration("1.5s"), microseconds{1'500'000});
  EXPECT_EQ(lw::parse_duration("4 ms"), microseconds{4'000});
  EXPECT_EQ(lw::parse_duration("250us"), microseconds{250});
  EXPECT_EQ(lw::parse_duration("250µs"), microseconds{250});
  EXPECT_EQ(lw::parse_duration("0.0004ms"), microseconds{0});  // rounded to the µs
  for (const char* bad : {"", "1", "h", "1 hour", "1hh", "nan s", "inf s", "1e20h", "1,5s", "--1s", "s1"})
    EXPECT_FALSE(lw::parse_duration(bad)) << bad;
}

TEST(DurationText, FormatsExactlyWithoutTrailingZeros) {
  EXPECT_EQ(lw::format_duration(microseconds{12}), "12 µs");
  EXPECT_EQ(lw::format_duration(microseconds{4'000}), "4 ms");
  EXPECT_EQ(lw::format_duration(microseconds{4'250}), "4.25 ms");
  EXPECT_EQ(lw::format_duration(microseconds{1'500'000}), "1.5 s");
  EXPECT_EQ(lw::format_duration(microseconds{3'600'000'000}), "1 h");
  EXPECT_EQ(lw::format_duration(microseconds{5'400'000'000}), "1 h 30 min");
  EXPECT_EQ(lw::format_duration(microseconds{3'599'900'000}), "59 min 59.9 s");
  EXPECT_EQ(lw::format_duration(microseconds{-7'200'000'000}), "-2 h");
}

TEST(DurationText, TheOptionFormReadsBack) {
  for (const std::int64_t us : {3'600'000'000LL, -5'400'000'000LL, 90'000'000LL, 4'000LL, 1'500LL, 0LL}) {
    const auto text = lw::format_duration_option(microseconds{us});
    EXPECT_EQ(lw::parse_duration(text), microseconds{us}) << text;
  }
  EXPECT_EQ(lw::format_duration_option(microseconds{-25'200'000'000}), "-7h");
  EXPECT_EQ(lw::format_duration_option(microseconds{5'400'000'000}), "90min");
}

}  // namespace duration_text_test
