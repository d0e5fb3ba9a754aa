// Replays every input kept under tests/data/fuzz_regressions/<target>/ — the crashes fuzzing
// found (fixed since) and seeds chosen to reach deep — through that target. A target without
// inputs fails, so the replay is never vacuous.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "support/temp_dir.hpp"

#define LAYERWATT_FUZZ_TARGET(name) extern "C" int layerwatt_fuzz_##name(const std::uint8_t*, std::size_t);
#include "fuzz_targets.inc"
#undef LAYERWATT_FUZZ_TARGET

namespace replay_test {

struct fuzz_target {
  const char* name;
  int (*run)(const std::uint8_t*, std::size_t);
};

#define LAYERWATT_FUZZ_TARGET(name) fuzz_target{#name, layerwatt_fuzz_##name},
constexpr fuzz_target targets[] = {
#include "fuzz_targets.inc"
};
#undef LAYERWATT_FUZZ_TARGET

class FuzzRegressions : public ::testing::TestWithParam<fuzz_target> {};

TEST_P(FuzzRegressions, ReplayEveryKeptInput) {
  const auto folder = std::filesystem::path(LAYERWATT_FUZZ_REGRESSIONS) / GetParam().name;
  ASSERT_TRUE(std::filesystem::is_directory(folder)) << folder;
  std::vector<std::filesystem::path> inputs;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    if (entry.is_regular_file()) inputs.push_back(entry.path());
  std::sort(inputs.begin(), inputs.end());
  ASSERT_FALSE(inputs.empty()) << "no inputs in " << folder;
  for (const auto& input : inputs) {
    SCOPED_TRACE(input.string());
    const std::string bytes = layerwatt::testing::read_text(input);
    EXPECT_EQ(GetParam().run(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), 0);
  }
}

std::string target_name(const ::testing::TestParamInfo<fuzz_target>& target) { return target.param.name; }

INSTANTIATE_TEST_SUITE_P(Targets, FuzzRegressions, ::testing::ValuesIn(targets), target_name);

}  // namespace replay_test
