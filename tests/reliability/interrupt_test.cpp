// SIGINT/SIGTERM while the CLI writes: `map` stops at once and removes the file it was writing
// (the previous version stays), `log` finishes its file first; both exit 130 and leave no
// temporary or partial file.

#include <signal.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "layerwatt/io/layer_latency.hpp"
#include "layerwatt/io/layerwise_mapping.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/io/power_log_meta.hpp"
#include "sense/fake_sysfs.hpp"
#include "support/cli.hpp"
#include "support/temp_dir.hpp"
#include "support/shared_data.hpp"

namespace lw = layerwatt;
namespace io = layerwatt::io;
namespace fs = std::filesystem;
using lw::testing::read_text;
using lw::testing::temp_dir;
using std::chrono::milliseconds;

namespace interrupt_test {

class Interrupt : public ::testing::Test {
 protected:
  void SetUp() override { LAYERWATT_SKIP_WITHOUT_CLI(); }

  pid_t start(std::vector<std::string> args) {
    const pid_t pid = lw::testing::spawn_cli(std::move(args), dir_ / "stdout", dir_ / "stderr");
    EXPECT_GT(pid, 0);
    return pid;
  }

  /// Names under `root` (recursively) that are temporaries or partial files.
  static std::vector<std::string> leftovers(const fs::path& root) {
    std::vector<std::string> found;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      const auto name = e.path().filename().string();
      if (name.find(".tmp.") != std::string::npos || name.ends_with(".partial")) found.push_back(name);
    }
    return found;
  }

  /// Polls (up to 60 s: a sanitized process is slow) until `found()` holds.
  template <typename F>
  static bool wait_until(F&& found) {
    for (int i = 0; i < 60'000; ++i) {
      if (found()) return true;
      std::this_thread::sleep_for(milliseconds{1});
    }
    return false;
  }

  temp_dir dir_;
};

/// A raw-data directory with one model of `cycles` one-layer cycles, 1 ms apart, and a sample
/// per cycle: its mapping CSV takes long enough to write to be caught in the middle.
void write_raw_model(const fs::path& raw, std::size_t cycles) {
  const auto reference = lw::testing::reference_data("seed_fixtures/example_raw_data");
  fs::copy_file(reference / "idling_power.json", raw / "idling_power.json");
  const auto model = raw / "big";
  fs::create_directories(model / "trt_profiling");
  fs::copy_file(reference / "simple/simple_tensorrt.json", model / "big_tensorrt.json");
  fs::copy_file(reference / "simple/trt_profiling/trt_engine_info.json", model / "trt_profiling/trt_engine_info.json");
  io::layer_latencies latencies;
  auto& layer = latencies.layers.emplace_back();
  layer.name = "[CONVOLUTION]-[conv0]";
  std::vector<std::pair<lw::time_stamp, std::vector<double>>> samples;
  const lw::time_stamp start{lw::microseconds{1'732'150'000'000'000}};
  for (std::size_t c = 0; c < cycles; ++c) {
    const auto t = start + lw::microseconds{1000 * static_cast<std::int64_t>(c)};
    layer.latency_ms.push_back(0.5);
    layer.end_stamps.push_back(t + lw::microseconds{700});
    samples.push_back({t + lw::microseconds{500}, {5000.0, 1000.0 + static_cast<double>(c % 7)}});
  }
  io::write_layer_latencies(model / "trt_profiling/trt_layer_latency.json", latencies);
  io::write_power_log(model / "big_power_log.log", {}, samples);
}

TEST_F(Interrupt, SigintDuringMapRemovesTheFileBeingWrittenAndKeepsThePreviousOne) {
  LAYERWATT_REQUIRE_SHARED();
  constexpr std::size_t cycles = 200'000;
  const auto raw = dir_ / "raw", out = dir_ / "out";
  fs::create_directories(raw);
  write_raw_model(raw, cycles);
  const auto csv = out / "big" / "power_runtime_mapping_layerwise.csv";
  lw::testing::write_text(csv, "previous\n");
  const pid_t pid = start({"map", raw.string(), "--out", out.string()});
  ASSERT_TRUE(wait_until([&] { return fs::exists(out / "big") && !leftovers(out / "big").empty(); }))
      << read_text(dir_ / "stderr");
  ASSERT_EQ(kill(pid, SIGINT), 0);
  EXPECT_EQ(lw::testing::wait_exit_status(pid), 130) << read_text(dir_ / "stderr");
  EXPECT_EQ(leftovers(out), std::vector<std::string>{});
  // Either the run was stopped while writing the CSV (the previous one stays) or after it (then
  // the new one is whole).
  if (read_text(csv) != "previous\n") {
    EXPECT_EQ(io::read_layerwise_mapping(csv, [](const auto&) {}), cycles);
    return;
  }
  // Stopped while writing: the folder is marked incomplete, the stop says so, and the next step
  // refuses it until map is run again to its end.
  const auto marker = out / ".incomplete";
  EXPECT_TRUE(fs::exists(marker));
  EXPECT_NE(read_text(dir_ / "stderr").find("layerwatt map: stopped: " + out.string() + " (" + marker.string() +
                                            ") is marked incomplete until the command is run again to its end"),
            std::string::npos)
      << read_text(dir_ / "stderr");
  const auto convert = lw::testing::run_cli({"convert", out.string(), "--out", (dir_ / "training").string()}, dir_.path());
  EXPECT_EQ(convert.status, 1);
  EXPECT_NE(convert.err.find(out.string() + ": incomplete: `layerwatt map` stopped or failed while writing it"),
            std::string::npos)
      << convert.err;
  EXPECT_FALSE(fs::exists(dir_ / "training"));
  ASSERT_EQ(lw::testing::run_cli({"map", raw.string(), "--out", out.string()}, dir_.path()).status, 0);
  EXPECT_FALSE(fs::exists(marker));
  EXPECT_EQ(io::read_layerwise_mapping(csv, [](const auto&) {}), cycles);
}

TEST_F(Interrupt, SigtermDuringLogFinishesTheLogAndLeavesNoPartialFile) {
  lw::testing::add_orin_nano(dir_.path());
  const auto log = dir_ / "p_power_log.log";
  lw::testing::write_text(log, "previous\n");
  const pid_t pid = start({"log", "--sysfs-root", dir_.path().string(), "--period-us", "500", "--seconds", "60",
                           "--out", log.string()});
  ASSERT_TRUE(wait_until([&] { return fs::exists(log.string() + ".partial") && fs::file_size(log.string() + ".partial") > 0; }))
      << read_text(dir_ / "stderr");
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  EXPECT_EQ(lw::testing::wait_exit_status(pid), 130) << read_text(dir_ / "stderr");
  EXPECT_EQ(leftovers(dir_.path()), std::vector<std::string>{});
  const auto meta = io::read_power_log_meta(io::power_log_meta_path(log));
  const auto samples = io::load_power_samples(log, 0, [](std::string_view w) { ADD_FAILURE() << w; });
  EXPECT_GT(samples.size(), 0u);
  EXPECT_EQ(samples.size(), meta.stats.samples);
}

}  // namespace interrupt_test
