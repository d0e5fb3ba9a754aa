#include "layerwatt/sense/nvml.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "layerwatt/io/power_log.hpp"
#include "layerwatt/io/power_log_meta.hpp"
#include "layerwatt/sense/clock.hpp"
#include "layerwatt/sense/idle.hpp"
#include "layerwatt/sense/power_logger.hpp"
#include "nvml/fake_nvml.hpp"
#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace io = layerwatt::io;
namespace sense = layerwatt::sense;
using lw::testing::fake_nvml;
using lw::testing::fake_nvml_script;
using std::chrono::microseconds;

namespace nvml_test {

const lw::warning_sink fail_on_warning = [](std::string_view w) { ADD_FAILURE() << "unexpected warning: " << w; };

constexpr std::string_view two_gpus =
    "gpus = 2\n"
    "name.0 = Fake RTX 4090\n"
    "uuid.0 = GPU-aaaa\n"
    "name.1 = Fake A100\n"
    "uuid.1 = GPU-bbbb\n"
    "instant.0 = 71000\n"
    "instant.1 = 42000\n";

sense::nvml_sampler open_fake(std::string gpu = "0", const std::filesystem::path& library = fake_nvml) {
  return sense::nvml_sampler::open({.library = library, .gpu = std::move(gpu)});
}

/// `n` readings of a one-rail sampler, in mW; -1 for a failed read.
std::vector<double> readings_mw(sense::nvml_sampler& sampler, int n) {
  std::vector<double> out;
  for (int i = 0; i < n; ++i) {
    sense::rail_reading r[1];
    out.push_back(sampler.read(r) ? r[0].current_ma : -1);
    if (out.back() >= 0) {
      EXPECT_EQ(r[0].voltage_mv, 1000.0);
    }
  }
  return out;
}

TEST(Nvml, ScanListsEveryGpu) {
  const fake_nvml_script script(two_gpus);
  const sense::nvml_library nvml(fake_nvml);
  EXPECT_EQ(sense::scan_nvml(nvml), (std::vector<sense::nvml_gpu>{{0, "Fake RTX 4090", "GPU-aaaa"}, {1, "Fake A100", "GPU-bbbb"}}));
  EXPECT_EQ(sense::list_nvml_gpus(nvml), "0 Fake RTX 4090 (GPU-aaaa), 1 Fake A100 (GPU-bbbb)");
}

TEST(Nvml, NoGpuIsAnError) {
  const fake_nvml_script script("gpus = 0\n");
  const sense::nvml_library nvml(fake_nvml);
  EXPECT_ERROR_MENTIONS(sense::scan_nvml(nvml), "NVML", fake_nvml.c_str(), "sees no GPU");
  EXPECT_ERROR_MENTIONS(open_fake(), "sees no GPU");
  EXPECT_EQ(sense::list_nvml_gpus(nvml).rfind("none could be listed: NVML", 0), 0u);
}

TEST(Nvml, OpensAGpuByIndexOrUuid) {
  const fake_nvml_script script(two_gpus);
  const auto by_index = open_fake("1");
  EXPECT_EQ(by_index.gpu(), (sense::nvml_gpu{1, "Fake A100", "GPU-bbbb"}));
  ASSERT_EQ(by_index.rails().size(), 1u);
  EXPECT_EQ(by_index.rails()[0], (io::rail_source{"GPU1", "", ""}));
  const auto by_uuid = open_fake("GPU-bbbb");
  EXPECT_EQ(by_uuid.gpu(), by_index.gpu());
  EXPECT_EQ(by_uuid.rails()[0].name, "GPU1");
  EXPECT_EQ(open_fake().gpu().index, 0u);
  EXPECT_EQ(by_uuid.timing(), sense::sensor_timing{});
}

TEST(Nvml, AnUnknownGpuListsTheGpusThereAre) {
  const fake_nvml_script script(two_gpus);
  EXPECT_ERROR_MENTIONS(open_fake("2"), "no GPU 2", "NVML sees 2", "0 Fake RTX 4090 (GPU-aaaa), 1 Fake A100 (GPU-bbbb)");
  EXPECT_ERROR_MENTIONS(open_fake("GPU-cccc"), "no GPU with UUID \"GPU-cccc\"", "Not Found (NVML error 6)",
                        "1 Fake A100 (GPU-bbbb)");
}

TEST(Nvml, AFailingCallIsNamedWithNvmlsMessage) {
  {
    const fake_nvml_script script("fail.nvmlDeviceGetName = 999\n");
    EXPECT_ERROR_MENTIONS(open_fake(), "nvmlDeviceGetName(GPU 0) failed: Unknown Error (NVML error 999)", fake_nvml.c_str());
  }
  {
    const fake_nvml_script script("fail.nvmlDeviceGetHandleByIndex_v2 = 4\n");
    EXPECT_ERROR_MENTIONS(open_fake(), "nvmlDeviceGetHandleByIndex_v2(0) failed: Insufficient Permissions");
  }
}

TEST(Nvml, ReadsInstantPowerWhereTheDriverHasIt) {
  const fake_nvml_script script("instant.0 = 71000, 72500, E15, 73000\nusage.0 = 1\n");
  auto sampler = open_fake();
  EXPECT_EQ(sampler.power_reading(), sense::nvml_power_reading::instant);
  EXPECT_EQ(sampler.source(), "nvml-instant");
  EXPECT_EQ(sampler.instant_unavailable(), "");
  // Opening read the field once (71000); a lost GPU (E15) is a failed read; the script repeats.
  EXPECT_EQ(readings_mw(sampler, 6), (std::vector<double>{72500, -1, 73000, 71000, 72500, -1}));
  sense::rail_reading r[1];
  ASSERT_TRUE(sampler.read(r));
  EXPECT_EQ(r[0].power_uw(), 73'000'000.0);  // µW, exactly
}

TEST(Nvml, ReadsAFieldOfAnyNumericType) {
  const fake_nvml_script script("instant.0 = 71000.5\ninstant_type.0 = 0\n");  // double
  auto sampler = open_fake();
  EXPECT_EQ(readings_mw(sampler, 1), std::vector<double>{71000.5});
}

TEST(Nvml, FallsBackToPowerUsageAndSaysWhy) {
  {
    const fake_nvml_script script("instant.0 = E3\nusage.0 = 65000, E15, 66000\n");
    auto sampler = open_fake();
    EXPECT_EQ(sampler.power_reading(), sense::nvml_power_reading::power_usage);
    EXPECT_EQ(sampler.source(), "nvml-power-usage");
    EXPECT_EQ(sampler.instant_unavailable(), "NVML_FI_DEV_POWER_INSTANT: Not Supported (NVML error 3)");
    // Opening read nvmlDeviceGetPowerUsage once (65000).
    EXPECT_EQ(readings_mw(sampler, 3), (std::vector<double>{-1, 66000, 65000}));
  }
  {
    const fake_nvml_script script("instant.0 = 71000\nfail.nvmlDeviceGetFieldValues = 999\n");
    EXPECT_EQ(open_fake().instant_unavailable(), "nvmlDeviceGetFieldValues: Unknown Error (NVML error 999)");
  }
  {
    const fake_nvml_script script("instant.0 = 71000\ninstant_type.0 = 42\n");
    EXPECT_EQ(open_fake().instant_unavailable(), "NVML_FI_DEV_POWER_INSTANT: a value of unknown type 42");
  }
  {
    const fake_nvml_script script("instant.0 = 71000\n");
    const auto old = open_fake("0", lw::testing::fake_nvml_old);
    EXPECT_EQ(old.source(), "nvml-power-usage");
    EXPECT_EQ(old.instant_unavailable(), "this NVML has no nvmlDeviceGetFieldValues");
  }
}

TEST(Nvml, AGpuWithNoPowerReadingIsAnError) {
  const fake_nvml_script script("instant.0 = E3\nusage.0 = E3\nname.0 = Fake GT 710\n");
  EXPECT_ERROR_MENTIONS(open_fake(), "GPU 0 (Fake GT 710, GPU-fake-0) reports no power",
                        "nvmlDeviceGetPowerUsage: Not Supported", "NVML_FI_DEV_POWER_INSTANT: Not Supported");
}

TEST(Nvml, EnergyCounterNowOrNothing) {
  {
    const fake_nvml_script script("instant.0 = 71000\nenergy.0 = 123456\n");
    EXPECT_EQ(open_fake().energy_mj(), 123456u);
  }
  {
    const fake_nvml_script script("instant.0 = 71000\n");  // the fake's default: not supported
    EXPECT_EQ(open_fake().energy_mj(), std::nullopt);
    EXPECT_EQ(open_fake("0", lw::testing::fake_nvml_old).energy_mj(), std::nullopt);
  }
}

TEST(Nvml, TheLoggerWritesTheLogAndTheSidecar) {
  const fake_nvml_script script(
      "name.0 = Fake RTX 4090\nuuid.0 = GPU-aaaa\n"
      "instant.0 = 71000, 72000, E15, 73000\n"
      "energy.0 = 1000000, 1002500\n");
  const lw::testing::temp_dir dir;
  const auto log = dir / "resnet18_power_log.log";
  sense::power_logger logger(open_fake(), {.log = log, .sampling = {.period = microseconds{0}, .max_samples = 4},
                                           .warn = fail_on_warning});
  const io::power_log_meta meta = logger.wait();

  // Opening took 71000; then 72000, a failed read, 73000, 71000, 72000.
  const auto samples = io::load_power_samples(log, 0, fail_on_warning);
  ASSERT_EQ(samples.size(), 4u);
  EXPECT_EQ(samples[0].power_uw, 72'000'000.0);
  EXPECT_EQ(samples[1].power_uw, 73'000'000.0);
  EXPECT_EQ(samples[2].power_uw, 71'000'000.0);
  EXPECT_NE(lw::testing::read_text(log).find(",1000.0,72000.0\n"), std::string::npos);

  EXPECT_EQ(meta.source, "nvml-instant");
  EXPECT_EQ(meta.stats.samples, 4u);
  EXPECT_EQ(meta.stats.failed_reads, 1u);
  ASSERT_EQ(meta.rails.size(), 1u);
  EXPECT_EQ(meta.rails[0], (io::rail_source{"GPU0", "", ""}));
  EXPECT_FALSE(meta.refresh_interval);

  const auto& nvml = meta.extra["nvml"];
  EXPECT_EQ(nvml["library"], fake_nvml.string());
  EXPECT_EQ(nvml["gpu"], (nlohmann::json{{"index", 0}, {"name", "Fake RTX 4090"}, {"uuid", "GPU-aaaa"}}));
  EXPECT_FALSE(nvml.contains("instant_unavailable"));
  const auto& check = nvml["energy_check"];
  EXPECT_EQ(check["start_mj"], 1000000);
  EXPECT_EQ(check["end_mj"], 1002500);
  EXPECT_EQ(check["counter_j"], 2.5);
  // The samples' energy lies between the lowest and the highest power over the interval.
  const double seconds = check["seconds"].get<double>(), samples_j = check["samples_j"].get<double>();
  EXPECT_GT(seconds, 0);
  EXPECT_GE(samples_j, 71.0 * seconds * (1 - 1e-12));
  EXPECT_LE(samples_j, 73.0 * seconds * (1 + 1e-12));
  EXPECT_DOUBLE_EQ(check["samples_over_counter"].get<double>(), samples_j / 2.5);

  EXPECT_EQ(io::read_power_log_meta(io::power_log_meta_path(log)), meta);
}

TEST(Nvml, TheEnergyCheckIntegratesTheSamplesOverTheCountersInterval) {
  const fake_nvml_script script("instant.0 = 100000\nenergy.0 = 0, 100\n");  // 100 W
  const lw::testing::temp_dir dir;
  sense::power_logger logger(open_fake(), {.log = dir / "p.log", .sampling = {.period = microseconds{200}, .max_samples = 20},
                                           .warn = fail_on_warning});
  const auto check = logger.wait().extra["nvml"]["energy_check"];
  EXPECT_NEAR(check["samples_j"].get<double>(), 100.0 * check["seconds"].get<double>(), 1e-9);
  EXPECT_EQ(check["counter_j"], 0.1);
}

/// The sidecar's energy check when the counter cannot give one.
nlohmann::json energy_check_of(sense::nvml_sampler sampler) {
  const lw::testing::temp_dir dir;
  sense::power_logger logger(std::move(sampler), {.log = dir / "p.log", .sampling = {.period = microseconds{0}, .max_samples = 2},
                                                  .warn = fail_on_warning});
  return logger.wait().extra["nvml"]["energy_check"];
}

TEST(Nvml, TheEnergyCheckSaysWhyThereIsNone) {
  {
    const fake_nvml_script script("instant.0 = 71000\nenergy.0 = E3\n");
    EXPECT_EQ(energy_check_of(open_fake())["error"],
              "nvmlDeviceGetTotalEnergyConsumption at the start: Not Supported (NVML error 3)");
  }
  {
    const fake_nvml_script script("instant.0 = 71000\nenergy.0 = 5000, E15\n");
    EXPECT_EQ(energy_check_of(open_fake())["error"],
              "nvmlDeviceGetTotalEnergyConsumption at the end: GPU is lost (NVML error 15)");
  }
  {
    const fake_nvml_script script("instant.0 = 71000\nenergy.0 = 5000, 4000\n");
    EXPECT_EQ(energy_check_of(open_fake())["error"],
              "the energy counter went back from 5000 to 4000 mJ (the driver reloaded?)");
  }
  {
    const fake_nvml_script script("instant.0 = 71000\n");
    const auto meta_nvml = [&] {
      const lw::testing::temp_dir dir;
      sense::power_logger logger(open_fake("0", lw::testing::fake_nvml_old),
                                 {.log = dir / "p.log", .sampling = {.period = microseconds{0}, .max_samples = 2}});
      return logger.wait().extra["nvml"];
    }();
    EXPECT_EQ(meta_nvml["energy_check"]["error"], "this NVML has no nvmlDeviceGetTotalEnergyConsumption");
    EXPECT_EQ(meta_nvml["instant_unavailable"], "this NVML has no nvmlDeviceGetFieldValues");
  }
}

TEST(Nvml, IdlePowerOfAGpu) {
  const fake_nvml_script script("instant.0 = 31000\n");
  auto sampler = open_fake();
  sense::manual_clock clock;
  const auto idle = sense::measure_idle(sampler, clock, std::chrono::milliseconds{5}, microseconds{1000});
  EXPECT_EQ(idle.avg_idle_power_uw, 31'000'000.0);
  EXPECT_EQ(idle.extra["std_idle_power"], 0.0);
  EXPECT_EQ(idle.extra["rails"][0]["name"], "GPU0");
}

TEST(Nvml, ClosingTheLastSamplerShutsNvmlDown) {
  const fake_nvml_script script(two_gpus);
  const lw::testing::fake_nvml_probe probe;
  {
    const auto nvml = std::make_shared<const sense::nvml_library>(fake_nvml);
    sense::nvml_sampler a(nvml, "0");
    const sense::nvml_sampler b(nvml, "GPU-bbbb");
    const sense::nvml_sampler moved(std::move(a));
    EXPECT_EQ(moved.gpu().index, 0u);
    EXPECT_EQ(probe.init_count(), 1);
  }
  EXPECT_EQ(probe.init_count(), 0);
}

}  // namespace nvml_test
