// The campaign driver's own checks (campaign/run_campaign.hpp), made before it measures anything;
// the measurement itself is exercised through `layerwatt measure` (measure_cli_test.cpp).
#include "layerwatt/campaign/run_campaign.hpp"

#include <gtest/gtest.h>

#include <stop_token>
#include <vector>

#include "layerwatt/sense/replay.hpp"
#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace campaign = layerwatt::campaign;
using lw::testing::temp_dir;

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

}  // namespace run_campaign_test
