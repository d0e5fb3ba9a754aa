#include "layerwatt/transform/feature_table.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace feature_table_test {

namespace tf = layerwatt::transform;
namespace features = layerwatt::features;
using layerwatt::testing::temp_dir;
using layerwatt::testing::write_text;

TEST(FeatureTable, TakesTheFeatureColumnsByName) {
  temp_dir dir;
  write_text(dir / "dense.csv",
             "layer_name,output_size,power,input_size,batch_size,runtime\n"
             "fc1,1000,5000000,4096,1,0.25\n"
             "fc2,10,4000000,512,8,0.01\n");
  const auto csv = layerwatt::io::read_csv_table(dir / "dense.csv");
  const tf::table x = tf::feature_table<features::dense>(csv);
  tf::table expected(2, 3);
  expected << 1, 4096, 1000, 8, 512, 10;
  EXPECT_EQ(x, expected);
  EXPECT_EQ(tf::target_column(csv, "runtime"), Eigen::Vector2d(0.25, 0.01));
}

TEST(FeatureTable, NamesTheFileAndLineOfABadCell) {
  temp_dir dir;
  write_text(dir / "dense.csv", "batch_size,input_size,output_size\n1,4096,1000\n2,n/a,10\n");
  const auto csv = layerwatt::io::read_csv_table(dir / "dense.csv");
  EXPECT_ERROR_MENTIONS(tf::feature_table<features::dense>(csv), "dense.csv:3", "input_size", "n/a");
}

TEST(FeatureTable, NamesAMissingColumn) {
  temp_dir dir;
  write_text(dir / "dense.csv", "batch_size,input_size\n1,4096\n");
  const auto csv = layerwatt::io::read_csv_table(dir / "dense.csv");
  EXPECT_ERROR_MENTIONS(tf::feature_table<features::dense>(csv), "dense.csv", "output_size");
}

}  // namespace feature_table_test
