#include "layerwatt/core/time_stamp.hpp"

#include <gtest/gtest.h>

namespace lw = layerwatt;
using namespace std::chrono;

namespace time_stamp_test {

lw::time_stamp at(int y, unsigned m, unsigned d, int h, int mi, int s, std::int64_t us) {
  return lw::time_stamp{sys_days{year{y} / month{m} / day{d}}} + hours{h} + minutes{mi} + seconds{s} +
         microseconds{us};
}

TEST(TimeStamp, ParsesTheReferenceFormatWithSixDigits) {
  EXPECT_EQ(lw::parse_time_stamp("20241121-05:22:50.156286"), at(2024, 11, 21, 5, 22, 50, 156286));
}

TEST(TimeStamp, FractionHasOneToSixDigitsLikePythonPercentF) {
  EXPECT_EQ(lw::parse_time_stamp("20241121-00:00:01.5"), at(2024, 11, 21, 0, 0, 1, 500000));
  EXPECT_EQ(lw::parse_time_stamp("20241121-00:00:01.50"), at(2024, 11, 21, 0, 0, 1, 500000));
  EXPECT_EQ(lw::parse_time_stamp("20241121-00:00:01.05"), at(2024, 11, 21, 0, 0, 1, 50000));
  EXPECT_EQ(lw::parse_time_stamp("20241121-00:00:01.000001"), at(2024, 11, 21, 0, 0, 1, 1));
  EXPECT_FALSE(lw::try_parse_time_stamp("20241121-00:00:01."));
  EXPECT_FALSE(lw::try_parse_time_stamp("20241121-00:00:01.1234567"));
  EXPECT_FALSE(lw::try_parse_time_stamp("20241121-00:00:01"));
}

TEST(TimeStamp, RejectsMalformedText) {
  for (const char* bad : {"", "2024112-05:22:50.1", "20241121 05:22:50.1", "20241121-05-22-50.1",
                          "20241121-05:22:50,1", "20241321-05:22:50.1", "20240230-05:22:50.1",
                          "20241121-24:00:00.0", "20241121-05:60:00.0", "20241121-05:22:60.0",
                          "2024112a-05:22:50.1", "20241121-05:22:50.1x", "20241121-05:22:50.-1"})
    EXPECT_FALSE(lw::try_parse_time_stamp(bad)) << bad;
}

TEST(TimeStamp, AcceptsLeapDay) {
  EXPECT_EQ(lw::parse_time_stamp("20240229-23:59:59.999999"), at(2024, 2, 29, 23, 59, 59, 999999));
}

TEST(TimeStamp, ErrorNamesTheExpectedFormat) {
  try {
    lw::parse_time_stamp("yesterday");
    FAIL();
  } catch (const lw::error& e) {
    EXPECT_NE(std::string(e.what()).find("YYYYmmdd-HH:MM:SS.ffffff"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("yesterday"), std::string::npos) << e.what();
  }
}

TEST(TimeStamp, FormatsWithSixDigitsAndRoundTrips) {
  const auto t = at(2024, 11, 21, 5, 2, 9, 1286);
  EXPECT_EQ(lw::to_string(t), "20241121-05:02:09.001286");
  EXPECT_EQ(lw::parse_time_stamp(lw::to_string(t)), t);
  EXPECT_EQ(lw::to_string(lw::parse_time_stamp("20241121-00:00:01.5")), "20241121-00:00:01.500000");
}

TEST(TimeStamp, RoundTripsAcrossManyInstants) {
  for (std::int64_t us = -86'400'000'000LL * 400; us < 86'400'000'000LL * 40000; us += 7'777'777'777'777LL) {
    const lw::time_stamp t{microseconds{us}};
    EXPECT_EQ(lw::parse_time_stamp(lw::to_string(t)), t) << us;
  }
}

TEST(TimeStamp, IdleFormat) {
  EXPECT_EQ(lw::parse_idle_time_stamp("20241121-051743"), at(2024, 11, 21, 5, 17, 43, 0));
  EXPECT_EQ(lw::to_idle_string(at(2024, 11, 21, 5, 17, 43, 999)), "20241121-051743");
  EXPECT_FALSE(lw::try_parse_idle_time_stamp("20241121-05:17:43"));
  EXPECT_THROW(lw::parse_idle_time_stamp("20241121-0517"), lw::error);
}

TEST(TimeStamp, ParsingIsConstexpr) {
  static_assert(lw::try_parse_time_stamp("19700101-00:00:00.000001")->time_since_epoch().count() == 1);
  static_assert(!lw::try_parse_time_stamp("19700101-00:00:00"));
}

}  // namespace time_stamp_test
