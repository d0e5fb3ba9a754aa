// Inputs that change under the reader, and sensor files that fail. Readers use read(2) on one
// descriptor (never mmap), so a file deleted or renamed over while being read is read whole as it
// was opened, and one truncated ends like a log cut short: its cut last line is dropped with a
// warning. Sensor value files that fail are simulated by what fails the same way on a normal
// file system: /proc/self/mem at offset 0 (EIO, in tests/sense), a directory (EISDIR) and a FIFO
// (ESPIPE, and an open that must not block).

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <span>
#include <string>
#include <utility>

#include "layerwatt/io/power_log.hpp"
#include "layerwatt/sense/sysfs_attribute.hpp"
#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace io = layerwatt::io;
namespace fs = std::filesystem;
using lw::testing::temp_dir;
using lw::testing::write_text;

namespace input_faults_test {

constexpr std::size_t log_lines = 60'000;  // ~2.4 MB: more than the reader's first 1 MB read

fs::path write_long_log(const temp_dir& dir) {
  std::string text;
  for (std::size_t i = 0; i < log_lines; ++i) text += fmt::format("20241121-05:20:04.{:06},5000.0,{}.0\n", i % 1'000'000, i);
  const auto path = dir / "p_power_log.log";
  write_text(path, text);
  return path;
}

/// Reads `log`, running `interfere` once after the first sample; the samples and the warnings.
template <typename F>
std::pair<std::size_t, std::string> read_while(const fs::path& log, F&& interfere) {
  std::string warnings;
  bool done = false;
  const auto result = io::read_power_log(
      log,
      [&](lw::time_stamp, std::span<const double>) {
        if (!std::exchange(done, true)) interfere();
      },
      [&](std::string_view w) { warnings += w; });
  return {result.samples, warnings};
}

TEST(InputFaults, ALogDeletedWhileReadIsReadWhole) {
  temp_dir dir;
  const auto log = write_long_log(dir);
  const auto [samples, warnings] = read_while(log, [&] { fs::remove(log); });
  EXPECT_EQ(samples, log_lines);
  EXPECT_EQ(warnings, "");
}

TEST(InputFaults, ALogReplacedWhileReadIsReadAsItWasOpened) {
  temp_dir dir;
  const auto log = write_long_log(dir);
  write_text(dir / "new.log", "20241121-05:20:04.000001,1.0,1.0\n");
  const auto [samples, warnings] = read_while(log, [&] { fs::rename(dir / "new.log", log); });
  EXPECT_EQ(samples, log_lines);
  EXPECT_EQ(warnings, "");
  EXPECT_EQ(io::load_power_samples(log).size(), 1u);  // the next reader sees the new file
}

TEST(InputFaults, ALogTruncatedWhileReadDropsTheCutLineWithAWarning) {
  temp_dir dir;
  const auto log = write_long_log(dir);
  const auto [samples, warnings] = read_while(log, [&] { fs::resize_file(log, 0); });
  EXPECT_GT(samples, 0u);
  EXPECT_LT(samples, log_lines);  // what the first read got, whole lines only
  EXPECT_NE(warnings.find("last line has no newline"), std::string::npos) << warnings;
}

TEST(InputFaults, ASensorFileThatIsADirectoryReadsAsAFailedReading) {
  temp_dir dir;
  fs::create_directories(dir / "curr1_input");
  const lw::sense::sysfs_attribute value(dir / "curr1_input");
  EXPECT_EQ(value.read(), std::nullopt);  // EISDIR from pread, the path EIO takes
}

TEST(InputFaults, ASensorFileThatIsAFifoNeitherHangsNorReads) {
  temp_dir dir;
  const auto fifo = dir / "in1_input";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  const lw::sense::sysfs_attribute value(fifo);  // no writer: a blocking open would never return
  EXPECT_EQ(value.read(), std::nullopt);
  EXPECT_EQ(lw::sense::read_sysfs_text(fifo), std::string{});
}

}  // namespace input_faults_test
