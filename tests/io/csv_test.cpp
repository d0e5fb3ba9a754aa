#include "layerwatt/io/csv.hpp"
#include "layerwatt/io/csv_table.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace io = layerwatt::io;
using lw::testing::temp_dir;
using lw::testing::write_text;

TEST(Csv, QuotesOnlyWhenNeeded) {
  std::string out;
  io::append_csv_row(out, {"plain", "a,b", "say \"hi\"", "two\nlines", ""});
  EXPECT_EQ(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\n");
}

TEST(Csv, ReadsQuotedFieldsBackExactly) {
  temp_dir dir;
  std::string text = "name,value\n";
  io::append_csv_row(text, {"a,b \"c\"", "1.5"});
  io::append_csv_row(text, {"multi\nline", "2"});
  text += "plain,3\r\n";
  write_text(dir / "t.csv", text);
  const auto t = io::read_csv_table(dir / "t.csv");
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0][0], "a,b \"c\"");
  EXPECT_EQ(t.rows[1][0], "multi\nline");
  EXPECT_EQ(t.rows[2][0], "plain");
  EXPECT_EQ(t.numbers("value"), (std::vector<double>{1.5, 2.0, 3.0}));
  EXPECT_EQ(t.lines, (std::vector<std::size_t>{2, 3, 5}));
}

// Excel's "CSV UTF-8" starts the file with a byte-order mark: not part of the first column's name.
TEST(Csv, AByteOrderMarkIsNotPartOfTheHeader) {
  temp_dir dir;
  for (const std::string header : {"name,value", "\"name\",value"}) {
    write_text(dir / "b.csv", "\xEF\xBB\xBF" + header + "\n\xEF\xBB\xBF" "a,1\n");
    const auto t = io::read_csv_table(dir / "b.csv");
    EXPECT_EQ(t.header, (std::vector<std::string>{"name", "value"})) << header;
    EXPECT_EQ(t.texts("name"), (std::vector<std::string>{"\xEF\xBB\xBF" "a"})) << "only the file's first line";
  }
}

// As pandas reads it: a blank line (empty, or spaces and tabs only) is no row (an editor's
// trailing line break, a gap between rows); the rows keep the lines they are on.
TEST(Csv, BlankLinesAreSkipped) {
  temp_dir dir;
  write_text(dir / "t.csv", "\na,b\n1,2\n \t \n\r\n3,\"x\n\ny\"\n\n");
  const auto t = io::read_csv_table(dir / "t.csv");
  EXPECT_EQ(t.header, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[1][1], "x\n\ny");  // a blank line inside a quoted field is the field's
  EXPECT_EQ(t.lines, (std::vector<std::size_t>{3, 6}));
  write_text(dir / "blank.csv", "\n\n");
  EXPECT_ERROR_MENTIONS(io::read_csv_table(dir / "blank.csv"), "blank.csv:1:", "header");
}

TEST(Csv, ErrorsNameFileLineAndColumn) {
  temp_dir dir;
  write_text(dir / "t.csv", "a,b\n1,2\n3,x\n");
  EXPECT_ERROR_MENTIONS(io::read_csv_table(dir / "t.csv").numbers("b"), "t.csv:3:", "column \"b\"", "\"x\"");
  EXPECT_ERROR_MENTIONS(io::read_csv_table(dir / "t.csv").numbers("c"), "t.csv:1:", "column \"c\"");
  write_text(dir / "w.csv", "a,b\n1,2,3\n");
  EXPECT_ERROR_MENTIONS(io::read_csv_table(dir / "w.csv"), "w.csv:2:", "2 fields", "got 3");
  write_text(dir / "q.csv", "a,b\n\"1,2\n");
  EXPECT_ERROR_MENTIONS(io::read_csv_table(dir / "q.csv"), "q.csv:2:", "closing");
  write_text(dir / "e.csv", "");
  EXPECT_ERROR_MENTIONS(io::read_csv_table(dir / "e.csv"), "e.csv:1:", "header");
  write_text(dir / "m.csv", "a,b\n1\"2\",3\n");
  EXPECT_ERROR_MENTIONS(io::read_csv_table(dir / "m.csv"), "m.csv:2:");
  // A name given twice: which column a reader took would be a guess (pandas would rename one).
  write_text(dir / "twice.csv", "a,b,a\n1,2,1000\n");
  EXPECT_ERROR_MENTIONS(io::read_csv_table(dir / "twice.csv"), "twice.csv:1:", "\"a\" as columns 1 and 3");
  write_text(dir / "unnamed.csv", ",a,\n0,1,2\n");  // unnamed columns (an index, say) are no names
  EXPECT_EQ(io::read_csv_table(dir / "unnamed.csv").numbers("a")[0], 1);
}

TEST(Csv, TableRoundTrip) {
  temp_dir dir;
  io::csv_table t;
  t.header = {"batch_size", "layer_name"};
  t.rows = {{"1", "conv, first"}, {"8", "pool"}};
  io::write_csv_table(dir / "t.csv", t);
  const auto back = io::read_csv_table(dir / "t.csv");
  EXPECT_EQ(back.header, t.header);
  EXPECT_EQ(back.rows, t.rows);
}
