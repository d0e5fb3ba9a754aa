#include "layerwatt/io/number_text.hpp"

#include <gtest/gtest.h>

namespace io = layerwatt::io;

TEST(NumberText, FloatsAreSpelledLikePythonRepr) {
  EXPECT_EQ(io::python_float(1000.0), "1000.0");
  EXPECT_EQ(io::python_float(5000.0), "5000.0");
  EXPECT_EQ(io::python_float(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(io::python_float(5437392.769097799), "5437392.769097799");
  EXPECT_EQ(io::python_float(1e16), "1e+16");
  EXPECT_EQ(io::python_float(1e15), "1000000000000000.0");
  EXPECT_EQ(io::python_float(1e-5), "1e-05");
  EXPECT_EQ(io::python_float(-2.0), "-2.0");
  EXPECT_EQ(io::python_float(0.0), "0.0");
}

TEST(NumberText, ParseDoubleTakesTheWholeFieldOnly) {
  EXPECT_EQ(io::parse_double("5000.0"), 5000.0);
  EXPECT_EQ(io::parse_double("+1.5"), 1.5);
  EXPECT_EQ(io::parse_double("-1e3"), -1000.0);
  for (const char* bad : {"", "1.0x", " 1", "nan", "inf", "1e400", "+-1", "0x10", "--1"})
    EXPECT_FALSE(io::parse_double(bad)) << bad;
}

TEST(NumberText, ParseInteger) {
  EXPECT_EQ(io::parse_integer<int>("42"), 42);
  EXPECT_FALSE(io::parse_integer<int>("4.2"));
  EXPECT_FALSE(io::parse_integer<int>("99999999999"));
}
