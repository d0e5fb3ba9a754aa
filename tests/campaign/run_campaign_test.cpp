// The campaign driver's own checks (campaign/run_campaign.hpp), made before it measures anything,
// and what it does with an error that is not a network's; the measurement itself is exercised
// through `layerwatt measure` (measure_cli_test.cpp).
#include "layerwatt/campaign/run_campaign.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "layerwatt/io/campaign_dir.hpp"
#include "layerwatt/io/idle_power.hpp"
#include "layerwatt/sense/replay.hpp"
#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace campaign = layerwatt::campaign;
namespace fs = std::filesystem;
using lw::testing::read_text;
using lw::testing::temp_dir;
using lw::testing::write_text;

namespace run_campaign_test {

TEST(RunCampaign, ATrimThatLeavesNothingIsRefusedBeforeTheIdlePower) {
  temp_dir dir;
  campaign::campaign_settings settings;
  settings.root = dir / "c";
  settings.network.trtexec.duration = lw::microseconds{300'000};
  settings.network.analysis.trim = lw::microseconds{150'000};
  int samplers_opened = 0;
  const auto make_sampler = [&] {
    ++samplers_opened;
    return lw::sense::replay_sampler({{"VDD_IN", "", ""}}, {{{5000, 1000}}});
  };
  const std::vector<campaign::network_input> networks(1);
  EXPECT_ERROR_MENTIONS(campaign::run_campaign(networks, make_sampler, settings, std::stop_token{}),
                        "a trim of 150 ms at each end leaves nothing of a 300 ms timed run");
  EXPECT_EQ(samplers_opened, 0);
  EXPECT_FALSE(std::filesystem::exists(settings.root));
}

TEST(RunCampaign, AnExceptionNotTheNetworksDuringARedoPutsTheEarlierMeasurementBackAndSaysWhere) {
  temp_dir dir;
  campaign::campaign_settings settings;
  settings.root = dir / "c";
  settings.redo = true;
  settings.network.trtexec.program = FAKE_TRTEXEC;
  settings.network.trtexec.profile_duration = lw::microseconds{100'000};
  settings.network.sysfs_root = dir / "sys";  // none: the board's clocks are not read
  settings.network.nvpmodel = (dir / "no_nvpmodel").string();
  const auto files = lw::io::campaign_network_files::in(settings.root / "a", "a");
  write_text(files.measurement, "the earlier measurement");
  lw::io::idle_power idle;
  idle.avg_idle_power_uw = 5'000'000;
  lw::io::write_idle_power(settings.root / "idling_power.json", idle);
  write_text(dir / "a.onnx", "lenet\n");
  const std::vector<campaign::network_input> networks{{"a", dir / "a.onnx"}};
  int samplers_opened = 0;
  const auto make_sampler = [&] {
    // The first is the idle power's (read from its file); the second, the timed run's, comes
    // after the build run has written its output.
    if (++samplers_opened == 2) throw std::runtime_error(files.build_output.string() + ": the disk is gone");
    return lw::sense::replay_sampler({{"VDD_IN", "", ""}}, {{{5000, 1000}}});
  };
  const auto failed_redo = files.directory / ".failed_redo";
  std::vector<std::string> warnings;
  campaign::campaign_events events;
  events.warn = [&](std::string_view w) { warnings.emplace_back(w); };
  EXPECT_THROW(campaign::run_campaign(networks, make_sampler, settings, std::stop_token{}, events), std::runtime_error);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "a: " + (failed_redo / files.build_output.filename()).string() +
                             ": the disk is gone (the earlier measurement is put back; the attempt's files are in " +
                             failed_redo.string() + ")");
  EXPECT_EQ(read_text(files.measurement), "the earlier measurement");
  EXPECT_TRUE(fs::exists(failed_redo / files.build_output.filename()));
  EXPECT_FALSE(fs::exists(files.build_output));
  EXPECT_FALSE(fs::exists(files.directory / ".previous"));
}

}  // namespace run_campaign_test
