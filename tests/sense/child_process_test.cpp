// Programs layerwatt runs and their output (sense/child_process.hpp): every line stamped in order,
// how a child ended, and no child left behind.

#include "layerwatt/sense/child_process.hpp"

#include <gtest/gtest.h>

#include <signal.h>

#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace sense = layerwatt::sense;

namespace child_process_test {

TEST(ChildProcess, EveryLineStampedInOrderStdoutAndStderrTogether) {
  auto child = sense::child_process::start({"/bin/sh", "-c", "echo one; echo two >&2; printf 'three'"},
                                           sense::child_output::pipe);
  sense::stamped_reader<sense::wall_clock> output(child.output());
  EXPECT_EQ(child.wait(), 0);
  const auto lines = output.finish();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].text, "one");
  EXPECT_EQ(lines[1].text, "two");
  EXPECT_EQ(lines[2].text, "three");  // the last line without its '\n'
  EXPECT_LE(lines[0].t, lines[2].t);
}

TEST(ChildProcess, HowItEnded) {
  EXPECT_EQ(sense::run_program({"/bin/sh", "-c", "echo out; exit 3"}), (std::pair<int, std::string>{3 << 8, "out\n"}));
  EXPECT_EQ(sense::describe_wait_status(3 << 8), "exited with status 3");
  auto child = sense::child_process::start({"/bin/sleep", "10"}, sense::child_output::inherit);
  child.signal(SIGSEGV);
  const int status = child.wait();
  EXPECT_EQ(sense::shell_status(status), 128 + SIGSEGV);
  EXPECT_NE(sense::describe_wait_status(status).find("killed by signal 11"), std::string::npos);
  EXPECT_ERROR_MENTIONS(sense::child_process::start({"/no/such/program"}, sense::child_output::pipe),
                        "cannot run /no/such/program");
  EXPECT_ERROR_MENTIONS(sense::run_program({"/bin/sleep", "10"}, std::chrono::milliseconds{100}), "did not finish within 100 ms");
}

TEST(ChildProcess, AChildStillRunningIsKilledWithItsObject) {
  pid_t pid = -1;
  {
    auto child = sense::child_process::start({"/bin/sleep", "10"}, sense::child_output::inherit);
    pid = child.pid();
    ASSERT_GT(pid, 0);
  }
  EXPECT_EQ(::kill(pid, 0), -1);  // reaped: no such process any more
}

TEST(LineSplitter, ALineLongerThanTheLimitIsCut) {
  sense::line_splitter splitter;
  std::vector<std::string> lines;
  const auto add = [&](std::string_view l) { lines.emplace_back(l); };
  splitter.feed(std::string(sense::line_splitter::max_line + 5, 'x') + "\r\nend", add);
  splitter.flush(add);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].size(), sense::line_splitter::max_line);
  EXPECT_EQ(lines[1], "xxxxx");  // its '\r' dropped
  EXPECT_EQ(lines[2], "end");
}

}  // namespace child_process_test
