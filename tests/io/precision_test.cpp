#include "layerwatt/io/precision.hpp"

#include <gtest/gtest.h>

namespace io = layerwatt::io;
using io::precision;

namespace precision_test {

// Every spelling TensorRT 8.x and 10.x writes, in the inspector's format strings and as Myelin's bare names.
TEST(Precision, EveryTensorRTDataTypeInEitherSpelling) {
  const std::pair<const char*, precision> cases[] = {
      {"Row major linear FP32 format", precision::fp32},
      {"Channel major FP32 format where channel % 4 == 0", precision::fp32},
      {"Row major linear FP32", precision::fp32},
      {"Float", precision::fp32},
      {"Channel major FP16 format where channel % 8 == 0", precision::fp16},
      {"Half", precision::fp16},
      {"Row major linear BF16 format", precision::bf16},
      {"Row major linear BFloat16 format", precision::bf16},
      {"Channel major BFloat16 format where channel % 8 == 0", precision::bf16},
      {"Row major linear FP8 format", precision::fp8_e4m3},
      {"Row major linear FP8E4M3 format", precision::fp8_e4m3},
      {"E5M2", precision::fp8_e5m2},
      {"Row major linear INT8 format", precision::int8},
      {"Channel major Int8 format where channel % 32 == 0", precision::int8},
      {"Row major linear UInt8 format", precision::uint8},
      {"UINT8", precision::uint8},
      {"Row major linear INT4 format", precision::int4},
      {"Int4", precision::int4},
      {"Row major linear INT32 format", precision::int32},
      {"Int32", precision::int32},
      {"Row major linear Int64 format", precision::int64},
      {"INT64", precision::int64},
      {"Row major linear Bool format", precision::boolean},
      {"BOOL", precision::boolean},
  };
  for (const auto& [format, expected] : cases) EXPECT_EQ(io::precision_of_format(format), expected) << format;
}

// Whole words: "BFloat16" is not "Float", "UInt8" is not "Int8", and a word merely containing a
// type name names none.
TEST(Precision, MatchedAsWholeWordsOnly) {
  EXPECT_NE(io::precision_of_format("BFloat16"), precision::fp32);
  EXPECT_NE(io::precision_of_format("UInt8"), precision::int8);
  EXPECT_EQ(io::precision_of_format("FP16x2"), precision::unknown);
  EXPECT_EQ(io::precision_of_format("Halfway"), precision::unknown);
  EXPECT_EQ(io::precision_of_format(""), precision::unknown);
  EXPECT_EQ(io::precision_of_format("something else"), precision::unknown);
}

TEST(Precision, BitsAndNames) {
  EXPECT_EQ(io::bits_per_element(precision::fp32), 32);
  EXPECT_EQ(io::bits_per_element(precision::bf16), 16);
  EXPECT_EQ(io::bits_per_element(precision::fp8_e5m2), 8);
  EXPECT_EQ(io::bits_per_element(precision::int4), 4);
  EXPECT_EQ(io::bits_per_element(precision::int64), 64);
  EXPECT_EQ(io::bits_per_element(precision::boolean), 8);
  EXPECT_EQ(io::bits_per_element(precision::unknown), 0);
  EXPECT_EQ(io::to_string(precision::bf16), "bf16");
  EXPECT_EQ(io::to_string(precision::fp8_e4m3), "fp8_e4m3");
  EXPECT_EQ(io::to_string(precision::boolean), "bool");
}

}  // namespace precision_test
