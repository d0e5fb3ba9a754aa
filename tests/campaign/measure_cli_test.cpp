// `layerwatt measure` run as a user runs it — a separate process, real signals — against the fake
// trtexec (fake_trtexec.cpp: trtexec's files and lines, the zoo's networks on the simulator's
// device model) and a fake sysfs tree whose VDD_IN current the fake trtexec raises from 1096 mA
// to 3096 mA while it infers: 5.48 W idle, 15.48 W under load, so the energy is an exact answer.

#include <signal.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <algorithm>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "layerwatt/io/campaign_dir.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/io/idle_power.hpp"
#include "layerwatt/io/network_measurement.hpp"
#include "layerwatt/io/network_totals.hpp"
#include "layerwatt/io/trtexec_times.hpp"
#include "layerwatt/sim/device_model.hpp"
#include "layerwatt/zoo/registry.hpp"
#include "sense/fake_sysfs.hpp"
#include "support/cli.hpp"
#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace io = layerwatt::io;
namespace fs = std::filesystem;
using lw::testing::read_text;
using lw::testing::write_text;

namespace measure_cli_test {

/// One inference of a zoo network on the fake trtexec: its layers' runtimes, then 10 µs.
double fake_cycle_ms(std::string_view network) {
  double ms = 0.01;
  for (const auto& l : lw::zoo::build(lw::zoo::find_model(network)).layers)
    ms += lw::sim::expected_layer(l, lw::sim::device_profile{}).runtime_us / 1000;
  return ms;
}

void make_executable(const fs::path& path, std::string_view text) {
  write_text(path, text);
  fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
}

class MeasureCli : public ::testing::Test {
 protected:
  void SetUp() override {
    LAYERWATT_SKIP_WITHOUT_CLI();
    hwmon_ = lw::testing::add_orin_nano(dir_ / "sys");
    make_executable(dir_ / "bin/nvpmodel", "#!/bin/sh\necho 'NV Power Mode: MAXN'\necho 0\n");
    ::setenv("FAKE_TRTEXEC_LOAD_FILE", (hwmon_ / "curr1_input").c_str(), 1);
    ::setenv("FAKE_TRTEXEC_LOAD_VALUE", "3096", 1);
  }

  fs::path model(const std::string& name, const std::string& content) {
    const auto path = dir_ / "models" / (name + ".onnx");
    write_text(path, content + "\n");
    return path;
  }

  /// The options every run here shares: short runs, the fake trtexec, sysfs and nvpmodel.
  std::vector<std::string> measure(std::vector<std::string> networks, std::vector<std::string> more = {}) const {
    std::vector<std::string> args = {"measure"};
    args.insert(args.end(), networks.begin(), networks.end());
    for (std::string a : std::vector<std::string>{"--out", campaign().string(), "--trtexec", std::string(FAKE_TRTEXEC), "--sysfs-root",
                          (dir_ / "sys").string(), "--nvpmodel", (dir_ / "bin/nvpmodel").string(), "--duration",
                          "300ms", "--warm-up", "50ms", "--trim", "30ms", "--profile-duration", "100ms", "--idle", "200ms"})
      args.push_back(std::move(a));
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }

  pid_t start(std::vector<std::string> args) {
    return lw::testing::spawn_cli(std::move(args), dir_ / "stdout", dir_ / "stderr");
  }
  int run(std::vector<std::string> args) { return lw::testing::wait_exit_status(start(std::move(args))); }
  std::string out() const { return read_text(dir_ / "stdout"); }
  std::string err() const { return read_text(dir_ / "stderr"); }
  fs::path campaign() const { return dir_ / "campaign"; }
  io::campaign_network_files files(const std::string& name) const {
    return io::campaign_network_files::in(campaign() / name, name);
  }

  /// The measurement of a network the fake trtexec ran under its load: exact power figures.
  void expect_measured(const std::string& name, std::string_view network) {
    const auto m = io::read_network_measurement(files(name).measurement);
    EXPECT_EQ(m.network, name);
    EXPECT_EQ(m.source, "layerwatt measure");
    EXPECT_EQ(m.rail, "VDD_IN");
    EXPECT_EQ(m.power_source, "ina3221-hwmon");
    EXPECT_EQ(m.mean_power_mw, 15480.0);  // 5000 mV × 3096 mA in every sample of the window
    EXPECT_EQ(m.idle_power_mw, 5480.0);   // 5000 mV × 1096 mA
    EXPECT_EQ(m.idle_file, "idling_power.json");
    const double cycle_ms = fake_cycle_ms(network);
    EXPECT_NEAR(m.energy_per_inference_total_mj, 15.48 * cycle_ms, 15.48 * cycle_ms * 2e-4);
    EXPECT_NEAR(m.energy_per_inference_above_idle_mj, 10.0 * cycle_ms, 10.0 * cycle_ms * 2e-4);
    EXPECT_NEAR(m.latency_mean_ms, cycle_ms - 0.01, 1e-4);
    EXPECT_NEAR(m.throughput_qps, 1000 / cycle_ms, 1000 / cycle_ms * 1e-3);
    EXPECT_EQ(m.inferences, io::read_trtexec_times(files(name).times).size());
    EXPECT_LT(m.alignment_uncertainty, lw::microseconds{30'000});
    EXPECT_EQ(m.board["tensorrt_version"], "10.3.0");
    EXPECT_EQ(m.board["nvpmodel"]["mode"], "MAXN");
    EXPECT_EQ(m.board["nvpmodel"]["id"], 0);
    EXPECT_EQ(io::read_engine_info(files(name).layer_info), lw::zoo::build(lw::zoo::find_model(network)));
    EXPECT_FALSE(fs::exists(files(name).power_log.string() + ".partial"));
  }

  lw::testing::temp_dir dir_;
  fs::path hwmon_;
};

TEST_F(MeasureCli, MeasuresEveryNetworkAndTheDatasetReadsTheCampaign) {
  const auto a = model("lenet_a", "lenet"), b = model("alexnet", "alexnet");
  ASSERT_EQ(run(measure({a.string(), b.string()})), 0) << out() << err();
  expect_measured("lenet_a", "lenet");
  expect_measured("alexnet", "alexnet");
  EXPECT_NE(out().find("[1/2] lenet_a: "), std::string::npos) << out();
  EXPECT_NE(out().find("[2/2] alexnet: "), std::string::npos) << out();
  EXPECT_NE(out().find("2 network(s): 2 measured, 0 finished before, 0 failed"), std::string::npos) << out();
  const auto idle = io::read_idle_power(campaign() / "idling_power.json");
  EXPECT_EQ(idle.avg_idle_power_uw, 5'480'000.0);
  EXPECT_TRUE(fs::exists(files("alexnet").engine));  // built from the "ONNX model"

  // dataset: runtime-only rows, the engine infos, and the network totals for the network-level fit
  ASSERT_EQ(run({"dataset", campaign().string(), "--out", (dir_ / "training").string()}), 0) << out() << err();
  const auto totals = io::read_network_totals(dir_ / "training/network_totals.csv");
  ASSERT_EQ(totals.size(), 2u);
  EXPECT_EQ(totals[0].network, "alexnet");
  const auto m = io::read_network_measurement(files("alexnet").measurement);
  EXPECT_EQ(totals[0].latency_ms, m.latency_mean_ms);
  EXPECT_EQ(totals[0].energy_total_mj, m.energy_per_inference_total_mj);
  EXPECT_EQ(totals[0].energy_above_idle_mj, m.energy_per_inference_above_idle_mj);
  EXPECT_EQ(io::read_engine_info(totals[0].engine_info), io::read_engine_info(files("alexnet").layer_info));
  EXPECT_TRUE(fs::exists(dir_ / "training/alexnet/convolutional.csv"));
  EXPECT_TRUE(fs::exists(dir_ / "training/lenet_a/dense.csv"));

  // An idle measured as high as the run's spoils the energy above idle only: the row stays, that
  // cell empty ("-" in the summary), with a warning naming the measurement.
  auto spoilt = io::read_network_measurement(files("lenet_a").measurement);
  spoilt.energy_per_inference_above_idle_mj = -0.05;
  io::write_network_measurement(files("lenet_a").measurement, spoilt);
  ASSERT_EQ(run({"dataset", campaign().string(), "--out", (dir_ / "training2").string()}), 0) << out() << err();
  EXPECT_NE(err().find("lenet_a/network_measurement.json: the energy above idle is not above 0"), std::string::npos)
      << err();
  const auto kept = io::read_network_totals(dir_ / "training2/network_totals.csv");
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[1].network, "lenet_a");
  EXPECT_FALSE(kept[1].energy_above_idle_mj);
  EXPECT_EQ(kept[1].energy_total_mj, spoilt.energy_per_inference_total_mj);
  const auto row = out().find("\nlenet_a ");
  ASSERT_NE(row, std::string::npos) << out();
  EXPECT_EQ(out().substr(out().find('\n', row + 1) - 2, 2), " -") << out();
}

TEST_F(MeasureCli, AFailingTrtexecIsReportedAndTheOthersGoOn) {
  const auto a = model("a", "lenet"), b = model("b", "lenet fail-build"), c = model("c", "lenet");
  EXPECT_EQ(run(measure({a.string(), b.string(), c.string()})), 1) << out() << err();
  expect_measured("a", "lenet");
  expect_measured("c", "lenet");
  EXPECT_FALSE(fs::exists(files("b").measurement));
  EXPECT_NE(read_text(files("b").build_output).find("failed to parse the model"), std::string::npos);
  EXPECT_NE(out().find("[2/3] b: FAILED: trtexec exited with status 1 during the build and profile run"),
            std::string::npos)
      << out();
  EXPECT_NE(err().find("b failed"), std::string::npos) << err();
  EXPECT_NE(out().find("2 measured, 0 finished before, 1 failed"), std::string::npos) << out();
}

TEST_F(MeasureCli, ANetworkCrashingMidRunIsReportedAndTheRerunMeasuresItOnly) {
  const auto a = model("a", "lenet"), b = model("b", "lenet crash-timed");
  EXPECT_EQ(run(measure({a.string(), b.string()})), 1) << out() << err();
  expect_measured("a", "lenet");
  EXPECT_FALSE(fs::exists(files("b").measurement));
  EXPECT_NE(out().find("trtexec was killed by signal 11"), std::string::npos) << out();
  EXPECT_NE(out().find("during the timed run"), std::string::npos) << out();
  EXPECT_FALSE(fs::exists(files("b").power_log));  // a failed run's log is discarded
  EXPECT_FALSE(fs::exists(files("b").power_log.string() + ".partial"));

  // The rerun: a is finished and kept byte for byte, b is measured anew, the idle power reused.
  const std::string a_before = read_text(files("a").measurement), idle_before = read_text(campaign() / "idling_power.json");
  model("b", "lenet");
  ASSERT_EQ(run(measure({a.string(), b.string()})), 0) << out() << err();
  EXPECT_EQ(read_text(files("a").measurement), a_before);
  EXPECT_EQ(read_text(campaign() / "idling_power.json"), idle_before);
  expect_measured("b", "lenet");
  EXPECT_NE(out().find("[1/2] a: finished before, skipped"), std::string::npos) << out();
  EXPECT_NE(out().find("idle power 5.480 W read from " + (campaign() / "idling_power.json").string()), std::string::npos)
      << out();
  EXPECT_NE(out().find("1 measured, 1 finished before, 0 failed"), std::string::npos) << out();

  // --redo measures a again.
  ASSERT_EQ(run(measure({a.string()}, {"--redo"})), 0) << out() << err();
  EXPECT_NE(out().find("1 measured, 0 finished before"), std::string::npos) << out();
  const auto a_dir = files("a").directory;
  EXPECT_FALSE(fs::exists(a_dir / ".previous"));

  // A redo that fails keeps the measurement it would have replaced, and its own files for a look.
  const std::string a_measured = read_text(files("a").measurement);
  model("a", "lenet fail-build");
  EXPECT_EQ(run(measure({a.string()}, {"--redo"})), 1) << out() << err();
  EXPECT_EQ(read_text(files("a").measurement), a_measured);
  EXPECT_NE(out().find("(the earlier measurement is put back; the attempt's files are in " +
                       (a_dir / ".failed_redo").string()),
            std::string::npos)
      << out();
  EXPECT_NE(read_text(a_dir / ".failed_redo" / "trtexec_build.log").find("failed to parse the model"), std::string::npos);
  // The error names the attempt's output where it now is.
  EXPECT_NE(out().find("all of its output: " + (a_dir / ".failed_redo" / "trtexec_build.log").string()), std::string::npos)
      << out();
  EXPECT_TRUE(fs::exists(files("a").power_log));
  EXPECT_FALSE(fs::exists(a_dir / ".previous"));

  // A redo killed while it set the files aside (the measurement first, then two more) leaves its
  // marker: the next run puts them back, the network whole and finished.
  const auto whole_folder = [&] {
    std::map<std::string, std::string> contents;
    for (const auto& f : files("a").written())
      if (fs::is_regular_file(f)) contents[f.filename().string()] = read_text(f);
    return contents;
  };
  const auto measured_folder = whole_folder();
  fs::create_directories(a_dir / ".previous");
  write_text(a_dir / ".previous" / "setting_aside", "");
  for (const auto& f : {files("a").measurement, files("a").layer_info, files("a").profile})
    fs::rename(f, a_dir / ".previous" / f.filename());
  ASSERT_EQ(run(measure({a.string()})), 0) << out() << err();
  EXPECT_NE(out().find("[1/1] a: finished before, skipped"), std::string::npos) << out();
  EXPECT_EQ(whole_folder(), measured_folder);  // the files not set aside stay, none taken for an attempt's
  EXPECT_NE(err().find(a_dir.string() + ": a redo of this network was killed: the earlier measurement is put back\n"),
            std::string::npos)
      << err();
  EXPECT_FALSE(fs::exists(a_dir / ".previous"));

  // A redo killed mid-attempt (no marker, no measurement in the folder): the attempt's files go to
  // .failed_redo/, the set-aside ones come back.
  fs::create_directories(a_dir / ".previous");
  for (const auto& f : files("a").written())
    if (fs::exists(fs::symlink_status(f))) fs::rename(f, a_dir / ".previous" / f.filename());
  write_text(files("a").layer_info, "the killed attempt's");
  ASSERT_EQ(run(measure({a.string()})), 0) << out() << err();
  EXPECT_NE(out().find("[1/1] a: finished before, skipped"), std::string::npos) << out();
  EXPECT_NE(err().find(a_dir.string() + ": a redo of this network was killed: the earlier measurement is put back; "
                                        "the attempt's files are in " + (a_dir / ".failed_redo").string()),
            std::string::npos)
      << err();
  EXPECT_EQ(whole_folder(), measured_folder);
  EXPECT_EQ(read_text(a_dir / ".failed_redo" / "layer_info.json"), "the killed attempt's");
  EXPECT_FALSE(fs::exists(a_dir / ".previous"));

  // A redo killed while it put the files back (the attempt's already out, the measurement not yet
  // back): the folder's files are the earlier ones and stay, the rest come back.
  fs::create_directories(a_dir / ".previous");
  write_text(a_dir / ".previous" / "restoring", "");
  fs::rename(files("a").measurement, a_dir / ".previous" / files("a").measurement.filename());
  ASSERT_EQ(run(measure({a.string()})), 0) << out() << err();
  EXPECT_NE(out().find("[1/1] a: finished before, skipped"), std::string::npos) << out();
  EXPECT_EQ(whole_folder(), measured_folder);
  EXPECT_NE(err().find("a redo of this network was killed: the earlier measurement is put back"), std::string::npos)
      << err();
  EXPECT_FALSE(fs::exists(a_dir / ".previous"));

  // A redo that succeeds leaves no failed one's files.
  model("a", "lenet");
  ASSERT_EQ(run(measure({a.string()}, {"--redo"})), 0) << out() << err();
  EXPECT_FALSE(fs::exists(a_dir / ".failed_redo"));
  EXPECT_FALSE(fs::exists(a_dir / ".previous"));
}

TEST_F(MeasureCli, IdleBetweenKeepsEachNetworksIdlePowerBesideItsMeasurement) {
  const auto a = model("a", "lenet");
  ASSERT_EQ(run(measure({a.string()}, {"--idle-between"})), 0) << out() << err();
  EXPECT_NE(out().find("idle power 5.480 W measured into " + files("a").idle_power.string()), std::string::npos) << out();
  const auto m = io::read_network_measurement(files("a").measurement);
  EXPECT_EQ(m.idle_file, "a/idling_power.json");
  EXPECT_EQ(io::read_idle_power(files("a").idle_power).avg_idle_power_uw, 5'480'000.0);
}

TEST_F(MeasureCli, SigintLeavesFinishedNetworksWholeAndTheRestForTheNextRun) {
  const auto a = model("a", "lenet"), b = model("b", "lenet slow"), c = model("c", "lenet");
  const pid_t pid = start(measure({a.string(), b.string(), c.string()}));
  // Wait (generously: a sanitized build starts slowly) until b's timed run logs power.
  const auto partial = fs::path(files("b").power_log.string() + ".partial");
  for (int i = 0; i < 3000 && !fs::exists(partial); ++i) std::this_thread::sleep_for(std::chrono::milliseconds{10});
  ASSERT_TRUE(fs::exists(partial)) << out() << err();
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  EXPECT_EQ(lw::testing::wait_exit_status(pid), 130) << out() << err();
  expect_measured("a", "lenet");
  EXPECT_FALSE(fs::exists(files("b").measurement));
  EXPECT_FALSE(fs::exists(partial));
  EXPECT_FALSE(fs::exists(files("c").directory));
  EXPECT_NE(out().find("[2/3] b: stopped, left unfinished"), std::string::npos) << out();
  EXPECT_NE(out().find("1 measured, 0 finished before, 0 failed, 2 not measured (stopped)"), std::string::npos) << out();

  model("b", "lenet");
  ASSERT_EQ(run(measure({a.string(), b.string(), c.string()})), 0) << out() << err();
  expect_measured("b", "lenet");
  expect_measured("c", "lenet");
  EXPECT_NE(out().find("2 measured, 1 finished before, 0 failed"), std::string::npos) << out();
}

TEST_F(MeasureCli, TegrastatsAsThePowerSource) {
  // A tegrastats that prints a JetPack 5 line every 20 ms, whatever its --interval.
  make_executable(dir_ / "bin/tegrastats",
                  "#!/bin/sh\nwhile true; do\n  echo '08-23-2026 13:57:46 RAM 3595/7607MB CPU [1%@729] VDD_IN "
                  "7000mW/7000mW VDD_CPU_GPU_CV 1307mW/1327mW VDD_SOC 1468mW/1468mW'\n  sleep 0.02\ndone\n");
  const auto a = model("a", "lenet");
  // The command finds tegrastats in PATH, as on a board; the test's own PATH is put back after.
  const std::string path = std::getenv("PATH");
  ::setenv("PATH", ((dir_ / "bin").string() + ":" + path).c_str(), 1);
  const int status = run(measure({a.string()}, {"--tegrastats", "--tegrastats-interval", "20ms", "--rail", "VDD_IN+VDD_SOC"}));
  ::setenv("PATH", path.c_str(), 1);
  ASSERT_EQ(status, 0) << out() << err();
  const auto m = io::read_network_measurement(files("a").measurement);
  EXPECT_EQ(m.power_source, "tegrastats");
  EXPECT_EQ(m.rail, "VDD_IN+VDD_SOC");
  EXPECT_EQ(m.mean_power_mw, 8468.0);
  EXPECT_EQ(m.idle_power_mw, 8468.0);
  EXPECT_NEAR(m.energy_per_inference_above_idle_mj, 0.0, 1e-9);
}

TEST_F(MeasureCli, UsageErrorsSayWhatIsWrong) {
  EXPECT_EQ(run({"measure", "--out", campaign().string()}), 2);
  EXPECT_NE(err().find("give at least one NETWORK"), std::string::npos) << err();
  write_text(dir_ / "models/net.txt", "lenet\n");
  EXPECT_EQ(run(measure({(dir_ / "models/net.txt").string()})), 1);
  EXPECT_NE(err().find("not a network file"), std::string::npos) << err();
  model("same", "lenet");
  write_text(dir_ / "other/same.onnx", "lenet\n");
  EXPECT_EQ(run(measure({(dir_ / "models").string(), (dir_ / "other/same.onnx").string()})), 1);
  EXPECT_NE(err().find("two networks named \"same\""), std::string::npos) << err();
  EXPECT_EQ(run(measure({model("n", "lenet").string()}, {"--nvml", "--tegrastats"})), 2);
  // The shared options with one value changed (an option given twice is an error of its own).
  const auto changed = [&](std::string_view option, std::string value) {
    auto args = measure({model("n", "lenet").string()});
    *(std::find(args.begin(), args.end(), option) + 1) = std::move(value);
    return args;
  };
  EXPECT_EQ(run(changed("--trim", "-1s")), 2);
  EXPECT_NE(err().find("--trim expects a duration of at least 0"), std::string::npos) << err();
  EXPECT_EQ(run(changed("--trim", "150ms")), 2);  // of the 300 ms run
  EXPECT_NE(err().find("--trim and --duration: a trim of 150 ms at each end leaves nothing of a 300 ms timed run"), std::string::npos)
      << err();
  EXPECT_FALSE(std::filesystem::exists(campaign()));
}

}  // namespace measure_cli_test
