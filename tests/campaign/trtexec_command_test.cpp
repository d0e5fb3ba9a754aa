// The networks of a campaign and trtexec's two command lines (campaign/trtexec_command.hpp).

#include "layerwatt/campaign/trtexec_command.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "support/temp_dir.hpp"

namespace campaign = layerwatt::campaign;
namespace io = layerwatt::io;
namespace fs = std::filesystem;
using layerwatt::microseconds;
using layerwatt::testing::temp_dir;
using layerwatt::testing::write_text;

namespace trtexec_command_test {

TEST(CampaignNetworks, FilesAndFoldersInTheOrderGiven) {
  temp_dir dir;
  for (const auto* f : {"zoo/b.onnx", "zoo/a.plan", "zoo/notes.txt", "c.engine"}) write_text(dir / f, "x");
  const std::vector<fs::path> inputs = {dir / "c.engine", dir / "zoo"};
  const auto networks = campaign::list_networks(inputs);
  ASSERT_EQ(networks.size(), 3u);
  EXPECT_EQ(networks[0], (campaign::network_input{"c", dir / "c.engine", campaign::network_format::engine}));
  EXPECT_EQ(networks[1], (campaign::network_input{"a", dir / "zoo/a.plan", campaign::network_format::engine}));
  EXPECT_EQ(networks[2], (campaign::network_input{"b", dir / "zoo/b.onnx", campaign::network_format::onnx}));
  const std::vector<fs::path> twice = {dir / "zoo", dir / "zoo/a.plan"};
  EXPECT_ERROR_MENTIONS(campaign::list_networks(twice), "two networks named \"a\"");
  const std::vector<fs::path> text = {dir / "zoo/notes.txt"};
  EXPECT_ERROR_MENTIONS(campaign::list_networks(text), "notes.txt", "not a network file");
  const std::vector<fs::path> none = {dir / "nothing"};
  EXPECT_ERROR_MENTIONS(campaign::list_networks(none), "no such file or folder");
}

TEST(CampaignNetworks, TrtexecCommandLines) {
  campaign::trtexec_options t;
  t.program = "/usr/src/tensorrt/bin/trtexec";
  t.flags = {"--fp16", "--shapes=input:1x3x224x224"};
  t.warm_up = microseconds{2'500'000};
  t.duration = microseconds{20'000'000};
  t.profile_duration = microseconds{500'000};
  const auto files = io::campaign_network_files::in("c/resnet18", "resnet18");
  const campaign::network_input onnx{"resnet18", "m/resnet18.onnx", campaign::network_format::onnx};
  EXPECT_EQ(campaign::build_command(t, onnx, files),
            (std::vector<std::string>{"/usr/src/tensorrt/bin/trtexec", "--onnx=m/resnet18.onnx",
                                      "--saveEngine=c/resnet18/engine.plan", "--profilingVerbosity=detailed",
                                      "--exportLayerInfo=c/resnet18/layer_info.json", "--exportProfile=c/resnet18/profile.json",
                                      "--separateProfileRun", "--duration=0.5", "--fp16", "--shapes=input:1x3x224x224"}));
  EXPECT_EQ(campaign::timed_command(t, onnx, files),
            (std::vector<std::string>{"/usr/src/tensorrt/bin/trtexec", "--loadEngine=c/resnet18/engine.plan",
                                      "--warmUp=2500", "--duration=20", "--exportTimes=c/resnet18/times.json", "--fp16",
                                      "--shapes=input:1x3x224x224"}));
  const campaign::network_input engine{"resnet18", "e/resnet18.plan", campaign::network_format::engine};
  EXPECT_EQ(campaign::build_command(t, engine, files)[1], "--loadEngine=e/resnet18.plan");
  EXPECT_EQ(campaign::timed_command(t, engine, files)[1], "--loadEngine=e/resnet18.plan");
}

// An unfinished network's files are the folder's own: a power log linked elsewhere lists the
// link and the names beside it, not the sidecar and rescued .partial beside the file it names.
TEST(CampaignFiles, WrittenListsTheFoldersOwnNamesNotALinkedLogsTarget) {
  temp_dir dir;
  fs::create_directories(dir / "c" / "n");
  fs::create_directories(dir / "store");
  write_text(dir / "store" / "p.log", "");
  fs::create_symlink("../../store/p.log", dir / "c" / "n" / "power_log.log");
  const auto files = io::campaign_network_files::in(dir / "c" / "n", "n");
  const auto written = files.written();
  for (const auto* name : {"power_log.log", "power_log.log.meta.json", "power_log.log.partial"})
    EXPECT_NE(std::find(written.begin(), written.end(), dir / "c" / "n" / name), written.end()) << name;
  for (const auto& f : written) EXPECT_EQ(f.parent_path(), dir / "c" / "n") << f;
}

}  // namespace trtexec_command_test
