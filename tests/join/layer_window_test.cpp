#include "layerwatt/join/layer_window.hpp"

#include <gtest/gtest.h>

#include <string>

#include "layerwatt/io/csv_table.hpp"
#include "support/temp_dir.hpp"

namespace lw = layerwatt;

namespace layer_window_test {

// Golden pairs from Python's timedelta(milliseconds=x), made by tests/data/join/make_reference_join.py.
TEST(LayerWindow, DurationRoundsExactlyAsPythonTimedelta) {
  const auto table = lw::io::read_csv_table(std::string(LAYERWATT_TEST_DATA) + "/join/timedelta_ms_to_us.csv");
  const auto ms = table.numbers("ms"), us = table.numbers("us");
  ASSERT_GT(ms.size(), 200u);
  for (std::size_t i = 0; i < ms.size(); ++i)
    EXPECT_EQ(lw::join::duration_from_ms(ms[i]).count(), static_cast<std::int64_t>(us[i])) << "ms = " << ms[i];
}

TEST(LayerWindow, HalfMicrosecondsGoToEven) {
  EXPECT_EQ(lw::join::duration_from_ms(0.0015).count(), 2);  // 1.5 µs
  EXPECT_EQ(lw::join::duration_from_ms(0.0025).count(), 2);  // 2.5 µs
  EXPECT_EQ(lw::join::duration_from_ms(400.0).count(), 400'000);
  EXPECT_EQ(lw::join::duration_from_ms(0.0).count(), 0);
}

}  // namespace layer_window_test
