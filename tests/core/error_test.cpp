#include "layerwatt/core/error.hpp"

#include <gtest/gtest.h>

namespace lw = layerwatt;

TEST(Error, LineFormNamesFileAndLine) {
  const lw::error e("run/power.log", 12, "expected a number");
  EXPECT_STREQ(e.what(), "run/power.log:12: expected a number");
  EXPECT_EQ(e.file(), "run/power.log");
  EXPECT_EQ(e.line(), 12u);
  EXPECT_TRUE(e.json_path().empty());
}

TEST(Error, JsonPathForm) {
  const lw::error e("engine.json", std::string("/Layers/3/Name"), "expected a string");
  EXPECT_STREQ(e.what(), "engine.json: at /Layers/3/Name: expected a string");
  EXPECT_EQ(e.json_path(), "/Layers/3/Name");
  EXPECT_EQ(e.line(), 0u);
}

TEST(Error, ExcerptsAreBounded) {
  const std::string huge(1 << 20, 'x');
  const auto q = lw::quote_excerpt(huge);
  EXPECT_LT(q.size(), 100u);
  EXPECT_NE(q.find("1048576 bytes"), std::string::npos);
  EXPECT_EQ(lw::quote_excerpt("ab"), "\"ab\"");
}

TEST(Error, ExcerptsEscapeWhatIsNoPrintableUtf8AndCutBetweenCharacters) {
  EXPECT_EQ(lw::printable_excerpt("µs\x1b[31m\xff"), "µs\\x1B[31m\\xFF");
  EXPECT_EQ(lw::printable_excerpt("abµ", 3), "ab...");  // µ is 2 bytes: not split
  EXPECT_EQ(lw::printable_excerpt("\xe2\x82"), "\\xE2\\x82");  // a character cut short
  EXPECT_EQ(lw::printable_excerpt("a\xc2\x9b" "1m"), "a\\xC2\\x9B1m");  // U+009B, a C1 CSI
}
