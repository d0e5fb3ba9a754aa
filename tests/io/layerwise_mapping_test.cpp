#include "layerwatt/io/layerwise_mapping.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"
#include "support/shared_data.hpp"

namespace lw = layerwatt;
namespace io = layerwatt::io;

namespace layerwise_mapping_test {

struct owned_row {
  std::int64_t cycle;
  std::string name, type;
  std::optional<double> with_idle, without_idle;
  double run_time;
  bool operator==(const owned_row&) const = default;
};

std::vector<owned_row> read_all(const std::filesystem::path& path) {
  std::vector<owned_row> rows;
  io::read_layerwise_mapping(path, [&](const io::layerwise_row& r) {
    rows.push_back({r.cycle, std::string(r.layer_name), std::string(r.layer_type), r.power_including_idle_uw,
                    r.power_excluding_idle_uw, r.run_time_ms});
  });
  return rows;
}

TEST(LayerwiseMapping, ReadsTheReferenceFixtureWithEmptyPowers) {
  LAYERWATT_REQUIRE_SHARED();
  const auto rows = read_all(
      lw::testing::reference_data("seed_fixtures/example_preprocessed_data/model1/power_runtime_mapping_layerwise.csv"));
  ASSERT_EQ(rows.size(), 12u);
  EXPECT_EQ(rows[0], (owned_row{1, "reformatlayer", "Reformat", std::nullopt, std::nullopt, 0.03}));
  EXPECT_EQ(rows[1], (owned_row{1, "conv_relu_layer", "CaskConvolution", 9.0, 5.0, 0.08}));
}

TEST(LayerwiseMapping, WritesTheReferenceFormatAndReadsItBack) {
  lw::testing::temp_dir dir;
  io::layerwise_mapping_writer out(dir / "m.csv");
  out.write({1, "Reformatting CopyNode for Input Tensor 0 to [CONVOLUTION]", "Reformat", 5437392.769097799,
             1202832.6137757916, 0.10390400141477585});
  out.write({2, "a, b", "Unknown", std::nullopt, std::nullopt, 1000.0});
  EXPECT_FALSE(std::filesystem::exists(dir / "m.csv"));
  out.commit();
  EXPECT_EQ(lw::testing::read_text(dir / "m.csv"),
            "cycle,layer_name,layer_type,layer_power_including_idle_power_micro_watt,"
            "layer_power_excluding_idle_power_micro_watt,layer_run_time\n"
            "1,Reformatting CopyNode for Input Tensor 0 to [CONVOLUTION],Reformat,5437392.769097799,"
            "1202832.6137757916,0.10390400141477585\n"
            "2,\"a, b\",Unknown,,,1000.0\n");
  const auto rows = read_all(dir / "m.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1], (owned_row{2, "a, b", "Unknown", std::nullopt, std::nullopt, 1000.0}));
}

TEST(LayerwiseMapping, MissingColumnAndBadCellAreErrors) {
  lw::testing::temp_dir dir;
  lw::testing::write_text(dir / "m.csv", "cycle,layer_name\n1,a\n");
  EXPECT_ERROR_MENTIONS(read_all(dir / "m.csv"), "m.csv:1:", "layer_type");
  lw::testing::write_text(dir / "n.csv",
                          "cycle,layer_name,layer_type,layer_power_including_idle_power_micro_watt,"
                          "layer_power_excluding_idle_power_micro_watt,layer_run_time\n1,a,b,,,fast\n");
  EXPECT_ERROR_MENTIONS(read_all(dir / "n.csv"), "n.csv:2:", "layer_run_time");
  // Values no layer has: a negative runtime, or a negative power with idle.
  const std::string header =
      "cycle,layer_name,layer_type,layer_power_including_idle_power_micro_watt,"
      "layer_power_excluding_idle_power_micro_watt,layer_run_time\n";
  for (const auto& [row, says] : {std::pair{"1,a,b,5e6,-1e5,-0.1\n", "a runtime in ms of at least 0"},
                                  {"1,a,b,-5e6,1e5,0.1\n", "layer_power_including_idle_power_micro_watt\", got -5000000"}}) {
    lw::testing::write_text(dir / "o.csv", header + row);
    EXPECT_ERROR_MENTIONS(read_all(dir / "o.csv"), "o.csv:2:", says);
  }
  lw::testing::write_text(dir / "p.csv", header + "1,a,b,5e6,-1e5,0.1\n");  // below idle: allowed
  EXPECT_NO_THROW(read_all(dir / "p.csv"));
}

}  // namespace layerwise_mapping_test
