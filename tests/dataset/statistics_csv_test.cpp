#include "layerwatt/dataset/statistics_csv.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "layerwatt/dataset/convert_model.hpp"
#include "layerwatt/io/csv_table.hpp"
#include "support/temp_dir.hpp"
#include "support/shared_data.hpp"

namespace ds = layerwatt::dataset;
namespace io = layerwatt::io;
using layerwatt::testing::read_text;
using layerwatt::testing::reference_data;
using layerwatt::testing::temp_dir;

namespace statistics_csv_test {

const std::filesystem::path golden = std::filesystem::path(LAYERWATT_TEST_DATA) / "dataset" / "stats_model";

// Made by the reference's own measurement_utils (tests/data/dataset/make_statistics_golden.py):
// 150 cycles, missing powers, a layer with one value, one with none, values over 15 decades.
TEST(StatisticsCsv, ByteForByteTheReferencesFiles) {
  temp_dir dir;
  const auto m = ds::read_measurements(golden / "power_runtime_mapping_layerwise.csv");
  for (const auto which : {ds::measured::power, ds::measured::run_time}) {
    const auto path = ds::statistics_csv_path(dir.path(), "stats_model", which);
    ds::write_statistics_csv(path, m, which);
    EXPECT_EQ(read_text(path), read_text(ds::statistics_csv_path(golden, "stats_model", which)));
  }
}

// The reference's fixtures, as pandas wrote them; compared as numbers, since their mapping files
// were edited by hand ("8.0" beside "8") but the statistics are pandas' own.
TEST(StatisticsCsv, TheReferenceFixturesStatistics) {
  LAYERWATT_REQUIRE_SHARED();
  for (const char* model : {"model1", "model2"}) {
    SCOPED_TRACE(model);
    temp_dir dir;
    const auto fixture = reference_data(std::string("seed_fixtures/example_preprocessed_data/") + model);
    const auto m = ds::read_measurements(fixture / "power_runtime_mapping_layerwise.csv");
    for (const auto which : {ds::measured::power, ds::measured::run_time}) {
      ds::write_statistics_csv(ds::statistics_csv_path(dir.path(), model, which), m, which);
      const auto ours = io::read_csv_table(ds::statistics_csv_path(dir.path(), model, which));
      const auto theirs = io::read_csv_table(ds::statistics_csv_path(fixture, model, which));
      ASSERT_EQ(ours.header, theirs.header);
      ASSERT_EQ(ours.rows.size(), theirs.rows.size());
      for (std::size_t r = 0; r < ours.rows.size(); ++r) {
        EXPECT_EQ(ours.rows[r][0], theirs.rows[r][0]);
        for (std::size_t c = 1; c < ours.header.size(); ++c) {
          if (theirs.rows[r][c].empty()) {
            EXPECT_TRUE(ours.rows[r][c].empty()) << ours.header[c];
            continue;
          }
          EXPECT_EQ(io::parse_double(ours.rows[r][c]), io::parse_double(theirs.rows[r][c])) << ours.header[c];
        }
      }
    }
  }
}

TEST(StatisticsCsv, FileNamesAreTheReferences) {
  EXPECT_EQ(ds::statistics_csv_path("p/m", "m", ds::measured::power), std::filesystem::path("p/m/m_average_power_stats.csv"));
  EXPECT_EQ(ds::statistics_csv_path("p/m", "m", ds::measured::run_time),
            std::filesystem::path("p/m/m_average_run_time_stats.csv"));
}

}  // namespace statistics_csv_test
