#include "layerwatt/sense/replay.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace sense = layerwatt::sense;

namespace replay_test {

TEST(Replay, PlaysTheScriptWithFailuresAndRepeats) {
  sense::replay_sampler s({{"VDD_IN", "", ""}}, {{{5000, 1000}}, {}, {{5000, 1100}}}, {.refresh_interval = std::chrono::microseconds{1000}});
  sense::rail_reading r[1];
  EXPECT_TRUE(s.read(r));
  EXPECT_EQ(r[0].current_ma, 1000.0);
  EXPECT_FALSE(s.read(r));
  EXPECT_TRUE(s.read(r));
  EXPECT_EQ(r[0].current_ma, 1100.0);
  EXPECT_TRUE(s.read(r));
  EXPECT_EQ(r[0].current_ma, 1000.0);
  EXPECT_EQ(s.source(), "replay");
  EXPECT_EQ(s.timing().refresh_interval, std::chrono::microseconds{1000});
}

TEST(Replay, ScriptMustFitTheRails) {
  EXPECT_ERROR_MENTIONS(sense::replay_sampler({{"A", "", ""}, {"B", "", ""}}, {{{1, 1}}}), "step 0", "1 readings", "2 rails");
  EXPECT_ERROR_MENTIONS(sense::replay_sampler({}, {{}}), "1 to 16 rails");
  EXPECT_ERROR_MENTIONS(sense::replay_sampler({{"A", "", ""}}, {}), "at least one step");
}

}  // namespace replay_test
