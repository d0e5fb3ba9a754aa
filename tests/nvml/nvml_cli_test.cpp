// The `sensors`, `log` and `idle` commands with --nvml, run as a user runs them: a separate
// process, pointed at the fake libnvidia-ml.so.1 through LAYERWATT_NVML_LIBRARY.

#include <stdlib.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "layerwatt/io/idle_power.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/io/power_log_meta.hpp"
#include "layerwatt/sense/nvml_library.hpp"
#include "nvml/fake_nvml.hpp"
#include "support/cli.hpp"
#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace io = layerwatt::io;
namespace fs = std::filesystem;
using lw::testing::read_text;

namespace nvml_cli_test {  // named: nvml_test.cpp, in the same unity batch, has a script of the same name

constexpr std::string_view two_gpus =
    "gpus = 2\n"
    "name.0 = Fake RTX 4090\nuuid.0 = GPU-aaaa\ninstant.0 = 71000\nenergy.0 = 1234567, 1240000\n"
    "name.1 = Fake V100\nuuid.1 = GPU-bbbb\ninstant.1 = E3\nusage.1 = 42000\n";

class NvmlCli : public ::testing::Test {
 protected:
  void SetUp() override {
    LAYERWATT_SKIP_WITHOUT_CLI();
    ::setenv(lw::sense::nvml_library_variable, lw::testing::fake_nvml.c_str(), 1);
  }
  void TearDown() override { ::unsetenv(lw::sense::nvml_library_variable); }

  /// Runs `layerwatt ARGS...` to its end, with stdout and stderr to files in the temporary directory.
  int run(std::vector<std::string> args) {
    return lw::testing::wait_exit_status(lw::testing::spawn_cli(std::move(args), dir_ / "stdout", dir_ / "stderr"));
  }

  std::string out() const { return read_text(dir_ / "stdout"); }
  std::string err() const { return read_text(dir_ / "stderr"); }

  lw::testing::fake_nvml_script script_{two_gpus};
  lw::testing::temp_dir dir_;
};

TEST_F(NvmlCli, SensorsListsTheGpusAndTheirReadings) {
  ASSERT_EQ(run({"sensors", "--nvml"}), 0) << err();
  const auto text = out();
  EXPECT_NE(text.find(lw::testing::fake_nvml.string()), std::string::npos) << text;
  EXPECT_NE(text.find("0 *  Fake RTX 4090  GPU-aaaa  nvml-instant"), std::string::npos) << text;
  EXPECT_NE(text.find("71000.0"), std::string::npos);
  EXPECT_NE(text.find("1234.567"), std::string::npos);  // the energy counter in J
  EXPECT_NE(text.find("1    Fake V100      GPU-bbbb  nvml-power-usage"), std::string::npos) << text;
  EXPECT_NE(text.find("42000.0"), std::string::npos);
  EXPECT_NE(text.find("GPU 1: no instant power (NVML_FI_DEV_POWER_INSTANT: Not Supported (NVML error 3))"),
            std::string::npos);
}

TEST_F(NvmlCli, LogTakesAGpuByUuidAndWritesTheSidecar) {
  const auto log = dir_ / "p_power_log.log";
  ASSERT_EQ(run({"log", "--nvml", "--gpu", "GPU-bbbb", "--period-us", "2000", "--seconds", "0.05", "--out", log.string()}), 0)
      << err();
  const auto meta = io::read_power_log_meta(io::power_log_meta_path(log));
  EXPECT_EQ(meta.source, "nvml-power-usage");
  EXPECT_EQ(meta.rails.at(0).name, "GPU1");
  EXPECT_EQ(meta.extra["nvml"]["gpu"]["uuid"], "GPU-bbbb");
  EXPECT_EQ(meta.extra["nvml"]["energy_check"]["error"], "nvmlDeviceGetTotalEnergyConsumption at the start: Not Supported (NVML error 3)");
  const auto samples = io::load_power_samples(log);
  ASSERT_EQ(samples.size(), meta.stats.samples);
  ASSERT_FALSE(samples.empty());
  EXPECT_EQ(samples.front().power_uw, 42'000'000.0);
  EXPECT_NE(err().find("GPU 1 (Fake V100, GPU-bbbb), read as nvml-power-usage (no instant power: "), std::string::npos)
      << err();
  EXPECT_NE(err().find("no energy check: "), std::string::npos);
}

TEST_F(NvmlCli, LogReportsTheEnergyCheck) {
  const auto log = dir_ / "p.log";
  ASSERT_EQ(run({"log", "--nvml", "--seconds", "0.05", "--out", log.string()}), 0) << err();
  const auto meta = io::read_power_log_meta(io::power_log_meta_path(log));
  EXPECT_EQ(meta.source, "nvml-instant");
  EXPECT_EQ(meta.extra["nvml"]["energy_check"]["counter_j"], 5.433);
  EXPECT_NE(err().find("GPU 0 (Fake RTX 4090, GPU-aaaa), read as nvml-instant\n"), std::string::npos) << err();
  EXPECT_NE(err().find("counter 5.433 J, samples "), std::string::npos) << err();
}

TEST_F(NvmlCli, IdleMeasuresAGpu) {
  const auto file = dir_ / "idling_power.json";
  ASSERT_EQ(run({"idle", "--nvml", "--seconds", "0.02", "--out", file.string()}), 0) << err();
  const auto idle = io::read_idle_power(file);
  EXPECT_EQ(idle.avg_idle_power_uw, 71'000'000.0);
  EXPECT_EQ(idle.extra["rails"][0]["name"], "GPU0");
  EXPECT_NE(out().find("idle power of GPU0"), std::string::npos);
}

TEST_F(NvmlCli, SensorOptionsDoNotMix) {
  const auto log = (dir_ / "p.log").string();
  EXPECT_EQ(run({"log", "--nvml", "--rail", "VDD_IN", "--seconds", "1", "--out", log}), 2);
  EXPECT_NE(err().find("--nvml reads a GPU"), std::string::npos);
  EXPECT_EQ(run({"log", "--gpu", "1", "--seconds", "1", "--out", log}), 2);
  EXPECT_NE(err().find("give --nvml too"), std::string::npos);
  EXPECT_EQ(run({"idle", "--nvml", "--sysfs-root", "/sys", "--seconds", "1", "--out", log}), 2);
  EXPECT_EQ(run({"sensors", "--nvml", "--sysfs-root", "/sys"}), 2);
  EXPECT_FALSE(fs::exists(log));
}

TEST_F(NvmlCli, NvmlErrorsNameWhatIsMissing) {
  const auto log = (dir_ / "p.log").string();
  EXPECT_EQ(run({"log", "--nvml", "--gpu", "5", "--seconds", "1", "--out", log}), 1);
  EXPECT_NE(err().find("no GPU 5: NVML sees 2"), std::string::npos) << err();
  EXPECT_FALSE(fs::exists(log));

  const auto missing = dir_ / "no-driver" / "libnvidia-ml.so.1";
  ::setenv(lw::sense::nvml_library_variable, missing.c_str(), 1);
  EXPECT_EQ(run({"sensors", "--nvml"}), 1);
  EXPECT_NE(err().find("cannot load NVML from " + missing.string()), std::string::npos) << err();
  EXPECT_EQ(run({"idle", "--nvml", "--seconds", "1", "--out", log}), 1);
  EXPECT_NE(err().find("cannot load NVML from"), std::string::npos) << err();
}

}  // namespace nvml_cli_test
