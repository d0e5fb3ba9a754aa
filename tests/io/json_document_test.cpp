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

// What nlohmann read last is the input: a cut 1 MB name must not make a 1 MB message, nor may
// its bytes reach the terminal raw.
TEST(JsonDocument, WhatWasReadLastIsCutAndMadePrintable) {
  try {
    io::json_document("l.json", "{\"Layers\": [{\"Name\": \"" + std::string(1'000'000, 'A'));
    ADD_FAILURE() << "no error";
  } catch (const layerwatt::error& e) {
    EXPECT_LT(std::string_view(e.what()).size(), 200u) << e.what();
    EXPECT_NE(std::string_view(e.what()).find("last read: '\"AAAA"), std::string_view::npos) << e.what();
    EXPECT_TRUE(std::string_view(e.what()).ends_with("AAA...'")) << e.what();
  }
  EXPECT_ERROR_MENTIONS(io::json_document("u.json", "{\"a\": \"\xff\x01"), "u.json:1", "last read: '\"\\xFF");
  try {  // an unterminated key: nlohmann adds "; expected string literal" after the quote
    io::json_document("k.json", "{\"" + std::string(1'000'000, 'K'));
    ADD_FAILURE() << "no error";
  } catch (const layerwatt::error& e) {
    EXPECT_LT(std::string_view(e.what()).size(), 250u) << e.what();
    EXPECT_NE(std::string_view(e.what()).find("KKK...'; expected string literal"), std::string_view::npos) << e.what();
  }
}

}  // namespace json_document_test
