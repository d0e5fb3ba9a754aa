// Syntax errors in any JSON file layerwatt reads: the file, the line, and nlohmann's reason whole
// (what it read last included), never a fragment of it.
#include "layerwatt/io/json_document.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace json_document_test {

namespace io = layerwatt::io;

TEST(JsonDocument, ASyntaxErrorGivesTheFileTheLineAndTheWholeReason) {
  EXPECT_ERROR_MENTIONS(io::json_document("model.json", "{\n  \"intercept\": NaN\n}"),
                        "model.json:2: expected valid JSON: syntax error while parsing value - invalid literal; "
                        "last read: '\"intercept\": N'");
  EXPECT_ERROR_MENTIONS(io::json_document("config.json", "{\"alpha\": tru,\n}"), "config.json:1",
                        "invalid literal; last read: '\"alpha\": tru,'");
  EXPECT_ERROR_MENTIONS(io::json_document("m.json", "{\n\"a\": 1,\n\"gpu_compu"), "m.json:3", "syntax error",
                        "last read: '\"gpu_compu'");
}

}  // namespace json_document_test
