#include "layerwatt/join/python_sum.hpp"

#include <gtest/gtest.h>

#include <initializer_list>

namespace join = layerwatt::join;

namespace python_sum_test {

double sum_of(std::initializer_list<double> values) {
  join::python_sum s;
  for (const double v : values) s.add(v);
  return s.value();
}

// Python 3.12's sum() (the reference's interpreter): sum([0.1] * 10) == 1.0, where a plain
// running sum gives 0.9999999999999999.
TEST(PythonSum, CompensatesLikePython312) {
  EXPECT_EQ(sum_of({0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}), 1.0);
  // 1e16 + 1 rounds back to 1e16 twice; the compensation keeps both ones.
  EXPECT_EQ(sum_of({1e16, 1.0, 1.0}), 1e16 + 2.0);
  EXPECT_EQ(sum_of({1.0, 1e100, 1.0, -1e100}), 2.0);
}

TEST(PythonSum, EmptyAndSingleSums) {
  EXPECT_EQ(sum_of({}), 0.0);
  EXPECT_EQ(sum_of({5'500'000.0}), 5'500'000.0);
}

}  // namespace python_sum_test
