// The `sensors`, `log` and `idle` commands (examples/cli/commands/), run as a user runs them: a
// separate process on a fake sysfs tree, stopped with real signals.

#include <signal.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "layerwatt/io/idle_power.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/io/power_log_meta.hpp"
#include "sense/fake_sysfs.hpp"
#include "support/cli.hpp"
#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace io = layerwatt::io;
namespace fs = std::filesystem;
using lw::testing::read_text;
using std::chrono::milliseconds;

namespace cli_commands_test {

class CliCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    LAYERWATT_SKIP_WITHOUT_CLI();
    hwmon_ = lw::testing::add_orin_nano(dir_.path());
  }

  /// Starts `layerwatt ARGS...` with stdout and stderr to files in the temporary directory.
  pid_t start(std::vector<std::string> args) {
    return lw::testing::spawn_cli(std::move(args), dir_ / "stdout", dir_ / "stderr");
  }

  static int finish(pid_t pid) { return lw::testing::wait_exit_status(pid); }

  int run(std::vector<std::string> args) { return finish(start(std::move(args))); }

  static std::size_t lines(const fs::path& path) {
    const auto text = read_text(path);
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  }

  /// Waits (up to 20 s: a sanitized process starts slowly) until `path` has `n` lines.
  static bool wait_for_lines(const fs::path& path, std::size_t n) {
    for (int i = 0; i < 2000; ++i) {
      if (fs::exists(path) && lines(path) >= n) return true;
      std::this_thread::sleep_for(milliseconds{10});
    }
    return false;
  }

  /// The log is whole: every sample the meta counts is a line, and the reader reads them all.
  static void expect_complete_log(const fs::path& log) {
    EXPECT_FALSE(fs::exists(log.string() + ".partial"));
    const auto meta = io::read_power_log_meta(io::power_log_meta_path(log));
    EXPECT_GT(meta.stats.samples, 0u);
    const std::size_t header = meta.rails.size() > 1 ? 1 : 0;
    EXPECT_EQ(lines(log), meta.stats.samples + header);
    const auto samples = io::load_power_samples(log, 0, [](std::string_view w) { ADD_FAILURE() << w; });
    EXPECT_EQ(samples.size(), meta.stats.samples);
  }

  std::string root() const { return dir_.path().string(); }

  lw::testing::temp_dir dir_;
  fs::path hwmon_;
};

TEST_F(CliCommands, SigintStopsALogWithEverySampleWritten) {
  const auto log = dir_ / "p_power_log.log";
  const pid_t pid = start({"log", "--sysfs-root", root(), "--period-us", "500", "--seconds", "60", "--out", log.string()});
  ASSERT_TRUE(wait_for_lines(log.string() + ".partial", 3)) << read_text(dir_ / "stderr");
  ASSERT_EQ(kill(pid, SIGINT), 0);
  EXPECT_EQ(finish(pid), 130) << read_text(dir_ / "stderr");
  expect_complete_log(log);
  EXPECT_NE(read_text(dir_ / "stderr").find("samples of VDD_IN"), std::string::npos);
}

TEST_F(CliCommands, LogReturnsTheCommandsExitStatus) {
  const auto log = dir_ / "p.log";
  EXPECT_EQ(run({"log", "--sysfs-root", root(), "--rail", "VDD_IN", "--rail", "VDD_SOC", "--out", log.string(), "--",
                 "sh", "-c", "sleep 0.05; echo from the command; exit 3"}),
            3);
  expect_complete_log(log);
  EXPECT_TRUE(read_text(log).starts_with("timestamp,VDD_IN_mV,VDD_IN_mA,VDD_SOC_mV,VDD_SOC_mA\n"));
  EXPECT_EQ(read_text(dir_ / "stdout"), "from the command\n");
}

TEST_F(CliCommands, SigtermToTheLoggerReachesTheCommand) {
  const auto log = dir_ / "p.log";
  const pid_t pid = start({"log", "--sysfs-root", root(), "--out", log.string(), "--", "sleep", "60"});
  ASSERT_TRUE(wait_for_lines(log.string() + ".partial", 2)) << read_text(dir_ / "stderr");
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  EXPECT_EQ(finish(pid), 128 + SIGTERM);  // sleep's own death by SIGTERM
  expect_complete_log(log);
}

TEST_F(CliCommands, ACommandThatCannotStartLeavesNothing) {
  const auto log = dir_ / "p.log";
  EXPECT_EQ(run({"log", "--sysfs-root", root(), "--out", log.string(), "--", (dir_ / "no-such-program").string()}), 127);
  EXPECT_FALSE(fs::exists(log));
  EXPECT_FALSE(fs::exists(log.string() + ".partial"));
  EXPECT_NE(read_text(dir_ / "stderr").find("cannot run"), std::string::npos);
}

// A directory as --out is refused before the command runs, not after a whole benchmark.
TEST_F(CliCommands, ADirectoryAsTheLogIsRefusedBeforeTheCommandRuns) {
  const auto out = dir_ / "logs";
  fs::create_directories(out);
  const auto ran = dir_ / "ran";
  EXPECT_EQ(run({"log", "--sysfs-root", root(), "--out", out.string(), "--", "touch", ran.string()}), 1);
  EXPECT_FALSE(fs::exists(ran));
  EXPECT_FALSE(fs::exists(out.string() + ".partial"));
  EXPECT_FALSE(fs::exists(io::power_log_meta_path(out)));
  EXPECT_NE(read_text(dir_ / "stderr").find("logs: is a directory, not a file the log can replace"), std::string::npos)
      << read_text(dir_ / "stderr");
}

TEST_F(CliCommands, LogNeedsExactlyOneWayToEnd) {
  const auto log = (dir_ / "p.log").string();
  EXPECT_EQ(run({"log", "--sysfs-root", root(), "--out", log}), 2);
  EXPECT_EQ(run({"log", "--sysfs-root", root(), "--out", log, "--seconds", "1", "--", "true"}), 2);
  EXPECT_EQ(run({"log", "--sysfs-root", root(), "--out", log, "--seconds", "1", "--clock", "tai"}), 2);
  EXPECT_EQ(run({"log", "--sysfs-root", root(), "--out", log, "--seconds", "1", "--rail", "VDD_GPU"}), 1);
  EXPECT_NE(read_text(dir_ / "stderr").find("rails found: VDD_IN"), std::string::npos);
  EXPECT_FALSE(fs::exists(log));
}

// A sensor that never reads gives a log of nothing: an error, not a success.
TEST_F(CliCommands, ALogOfNoSampleIsAnError) {
  lw::testing::write_text(hwmon_ / "in1_input", "abc\n");
  const auto log = dir_ / "none.log";
  EXPECT_EQ(run({"log", "--sysfs-root", root(), "--seconds", "0.05", "--out", log.string()}), 1);
  EXPECT_NE(read_text(dir_ / "stderr").find("none.log: no sample was read ("), std::string::npos)
      << read_text(dir_ / "stderr");
}

TEST_F(CliCommands, SensorsListsRailsAndMarksTheDefault) {
  EXPECT_EQ(run({"sensors", "--sysfs-root", root()}), 0);
  const auto out = read_text(dir_ / "stdout");
  EXPECT_NE(out.find("VDD_IN *"), std::string::npos) << out;
  EXPECT_NE(out.find((hwmon_ / "curr3_input").string()), std::string::npos);
  EXPECT_NE(out.find("5480.0"), std::string::npos);  // 5000 mV x 1096 mA in mW
  EXPECT_NE(out.find("a new value every 4000 µs"), std::string::npos);

  lw::testing::temp_dir empty;
  EXPECT_EQ(run({"sensors", "--sysfs-root", empty.path().string()}), 1);
  EXPECT_NE(read_text(dir_ / "stderr").find("no INA3221"), std::string::npos);
}

TEST_F(CliCommands, IdleWritesTheReferenceFileWithExtras) {
  const auto out = dir_ / "idling_power.json";
  EXPECT_EQ(run({"idle", "--sysfs-root", root(), "--seconds", "0.05", "--out", out.string()}), 0) << read_text(dir_ / "stderr");
  const auto idle = io::read_idle_power(out);
  EXPECT_EQ(idle.avg_idle_power_uw, 5000.0 * 1096);
  EXPECT_GT(idle.extra["samples"].get<int>(), 0);
  EXPECT_EQ(idle.extra["rails"][0]["name"], "VDD_IN");
}

TEST_F(CliCommands, AnInterruptedIdleMeasurementWritesNothing) {
  const auto out = dir_ / "idling_power.json";
  const pid_t pid = start({"idle", "--sysfs-root", root(), "--seconds", "60", "--out", out.string()});
  std::this_thread::sleep_for(milliseconds{300});
  ASSERT_EQ(kill(pid, SIGINT), 0);
  EXPECT_EQ(finish(pid), 130);
  EXPECT_FALSE(fs::exists(out));
}

// A sum of rails is one column: 5000×1096 + 5000×704 = 9 000 000 µW in every sample, written as
// 1000 mV and 9000 mA; the sidecar names the column and lists what it sums. Idle measures the same.
TEST_F(CliCommands, ASumOfRailsIsLoggedAndMeasuredAsOneRail) {
  const auto log = dir_ / "sum.log";
  ASSERT_EQ(run({"log", "--sysfs-root", root(), "--rail", "VDD_IN+VDD_SOC", "--seconds", "0.05", "--out", log.string()}),
            0)
      << read_text(dir_ / "stderr");
  expect_complete_log(log);
  const auto meta = io::read_power_log_meta(io::power_log_meta_path(log));
  ASSERT_EQ(meta.rails.size(), 1u);
  EXPECT_EQ(meta.rails[0].name, "VDD_IN+VDD_SOC");
  EXPECT_EQ(meta.extra["rail_sums"][0]["rails"][1]["name"], "VDD_SOC");
  for (const auto& s : io::load_power_samples(log)) EXPECT_DOUBLE_EQ(s.power_uw, 9'000'000.0);
  EXPECT_NE(read_text(log).find(",1000.0,9000.0\n"), std::string::npos);

  const auto idle = dir_ / "idle.json";
  ASSERT_EQ(run({"idle", "--sysfs-root", root(), "--rail", "VDD_IN+VDD_SOC", "--seconds", "0.05", "--out",
                 idle.string()}),
            0);
  const auto measured = io::read_idle_power(idle);
  EXPECT_DOUBLE_EQ(measured.avg_idle_power_uw, 9'000'000.0);
  EXPECT_EQ(measured.extra["rails"][0]["name"], "VDD_IN+VDD_SOC");
  EXPECT_EQ(run({"idle", "--sysfs-root", root(), "--rail", "VDD_IN+VDD_GPU", "--seconds", "0.05", "--out",
                 idle.string()}),
            1);
  EXPECT_NE(read_text(dir_ / "stderr").find("no INA3221 rail \"VDD_GPU\""), std::string::npos);
}

TEST_F(CliCommands, IdleFromATegrastatsLog) {
  const auto log = dir_ / "tegrastats.txt";
  lw::testing::write_text(log,
                          "RAM 1798/3964MB (lfb 94x4MB) CPU [7%@204] POM_5V_IN 4984/5123 POM_5V_GPU 100/100\n"
                          "RAM 1798/3964MB (lfb 94x4MB) CPU [7%@204] POM_5V_IN 5016/5100 POM_5V_GPU 100/100\n");
  const auto out = dir_ / "idle.json";
  EXPECT_EQ(run({"idle", "--tegrastats", log.string(), "--out", out.string()}), 2);
  EXPECT_NE(read_text(dir_ / "stderr").find("--value instant or --value average"), std::string::npos);
  EXPECT_EQ(run({"idle", "--tegrastats", log.string(), "--value", "instant", "--seconds", "5", "--out", out.string()}), 2);
  EXPECT_NE(read_text(dir_ / "stderr").find("--seconds with --tegrastats"), std::string::npos);
  EXPECT_EQ(run({"idle", "--tegrastats", log.string(), "--value", "instant", "--out", out.string()}), 1);
  EXPECT_NE(read_text(dir_ / "stderr").find("tegrastats.txt:1: the lines carry no time stamps"), std::string::npos);
  ASSERT_EQ(run({"idle", "--tegrastats", log.string(), "--value", "instant", "--start", "20250101-12:00:00.0",
                 "--interval", "1s", "--out", out.string()}),
            0)
      << read_text(dir_ / "stderr");
  const auto idle = io::read_idle_power(out);
  EXPECT_EQ(idle.avg_idle_power_uw, 5'000'000.0);  // POM_5V_IN, the board input, by default
  EXPECT_EQ(idle.timestamp, lw::parse_time_stamp("20250101-12:00:01.0"));
  EXPECT_EQ(idle.extra["source"], "tegrastats");
  EXPECT_EQ(idle.extra["tegrastats_value"], "instant");
  ASSERT_EQ(run({"idle", "--tegrastats", log.string(), "--value", "average", "--rail", "POM_5V_IN+POM_5V_GPU",
                 "--start", "20250101-12:00:00.0", "--interval", "1s", "--out", out.string()}),
            0);
  EXPECT_EQ(io::read_idle_power(out).avg_idle_power_uw, 5'211'500.0);
}

}  // namespace cli_commands_test
