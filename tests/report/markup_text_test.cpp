#include "layerwatt/report/markup_text.hpp"

#include <gtest/gtest.h>

TEST(MarkupText, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(layerwatt::report::escaped(R"([CONV] <a> & "b" 'c')"),
            "[CONV] &lt;a&gt; &amp; &quot;b&quot; &#39;c&#39;");
  EXPECT_EQ(layerwatt::report::escaped("plain"), "plain");
}
