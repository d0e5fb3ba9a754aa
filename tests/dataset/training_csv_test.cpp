#include "layerwatt/dataset/training_csv.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "layerwatt/io/engine_info.hpp"
#include "support/temp_dir.hpp"
#include "support/shared_data.hpp"

namespace ds = layerwatt::dataset;
namespace features = layerwatt::features;
namespace io = layerwatt::io;
using layerwatt::layer_kind;
using layerwatt::testing::read_text;
using layerwatt::testing::reference_data;
using layerwatt::testing::temp_dir;
using layerwatt::testing::write_text;

namespace training_csv_test {

const io::engine_info& fixture_engine() {
  static const auto engine =
      io::read_engine_info(reference_data("seed_fixtures/example_preprocessed_data/model1/trt_engine_info.json"));
  return engine;
}

TEST(TrainingCsv, ReferenceColumnsFirstThenOurs) {
  const auto joined = [](layer_kind k) {
    std::string s;
    for (const auto c : ds::training_columns(k)) s += std::string(c) + ",";
    return s;
  };
  EXPECT_EQ(joined(layer_kind::convolutional),
            "batch_size,input_size_0,input_size_1,input_size_2,output_size_0,output_size_1,output_size_2,kernel_0,"
            "kernel_1,padding_0,padding_1,stride_0,stride_1,power,runtime,layer_name,groups,dilation_0,dilation_1,"
            "precision,");
  EXPECT_EQ(joined(layer_kind::pooling),
            "batch_size,input_size_0,input_size_1,input_size_2,output_size_0,output_size_1,output_size_2,kernel_0,"
            "kernel_1,stride_0,stride_1,power,runtime,layer_name,precision,");
  EXPECT_EQ(joined(layer_kind::dense), "batch_size,input_size,output_size,power,runtime,layer_name,precision,");
}

TEST(TrainingCsv, WritesAndReadsBack) {
  LAYERWATT_REQUIRE_SHARED();
  temp_dir dir;
  const auto& engine = fixture_engine();
  const std::vector<ds::training_record> records = {{&engine.layers[1], 4.5, 0.08}};
  const auto path = ds::training_csv_path(dir.path(), layer_kind::convolutional);
  EXPECT_EQ(path.filename(), "convolutional.csv");
  ds::write_training_csv(path, layer_kind::convolutional, records);
  EXPECT_EQ(read_text(path),
            "batch_size,input_size_0,input_size_1,input_size_2,output_size_0,output_size_1,output_size_2,kernel_0,"
            "kernel_1,padding_0,padding_1,stride_0,stride_1,power,runtime,layer_name,groups,dilation_0,dilation_1,"
            "precision\n1,3,224,224,64,55,55,11,11,4,4,4,4,4.5,0.08,conv_relu_layer,1,1,1,fp16\n");
  using with_groups = features::feature_list<features::in_c, features::groups, features::kernel_h>;
  const auto back = ds::read_training_csv<with_groups>(path);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].features, (std::array<double, 3>{3, 1, 11}));
  EXPECT_EQ(back[0].power_uw, 4.5);
  EXPECT_EQ(back[0].run_time_ms, 0.08);
  EXPECT_EQ(back[0].layer_name, "conv_relu_layer");
  EXPECT_EQ(back[0].precision, "fp16");
}

TEST(TrainingCsv, ReadsTheReferencesFormat) {
  temp_dir dir;
  write_text(dir / "dense.csv", "batch_size,input_size,output_size,power,runtime,layer_name\n1,4096,1000,2.5,0.3,fc\n");
  const auto rows = ds::read_training_csv<features::dense>(dir / "dense.csv");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].features, (std::array<double, 3>{1, 4096, 1000}));
  EXPECT_TRUE(rows[0].precision.empty());
}

TEST(TrainingCsv, ErrorsNameFileLineAndColumn) {
  temp_dir dir;
  write_text(dir / "dense.csv", "batch_size,input_size,power,runtime,layer_name\n1,4096,2.5,0.3,fc\n");
  EXPECT_ERROR_MENTIONS(ds::read_training_csv<features::dense>(dir / "dense.csv"), "dense.csv:1", "output_size");
  write_text(dir / "d2.csv", "batch_size,input_size,output_size,power,runtime,layer_name\n1,4096,1000,n/a,0.3,fc\n");
  EXPECT_ERROR_MENTIONS(ds::read_training_csv<features::dense>(dir / "d2.csv"), "d2.csv:2", "power",
                        "a number or an empty cell");
  write_text(dir / "d3.csv", "batch_size,input_size,output_size,power,runtime,layer_name,precision\n"
                             "1,4096,1000,2.5,0.3,fc,fp16\n1,4096,1000,2.5,0.3,fc,fp99\n");
  EXPECT_ERROR_MENTIONS(ds::read_training_csv<features::dense>(dir / "d3.csv"), "d3.csv:3", "precision", "fp16",
                        "\"fp99\"");
}

// An empty target cell is a value not measured: a runtime-only row (a profile without power).
TEST(TrainingCsv, AnEmptyTargetCellIsNotMeasured) {
  temp_dir dir;
  write_text(dir / "dense.csv", "batch_size,input_size,output_size,power,runtime,layer_name\n1,4096,1000,,0.3,fc\n");
  const auto rows = ds::read_training_csv<features::dense>(dir / "dense.csv");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(std::isnan(rows[0].power_uw));
  EXPECT_EQ(rows[0].run_time_ms, 0.3);
}

TEST(TrainingCsv, ALayerLackingAFeatureWritesNoFile) {
  LAYERWATT_REQUIRE_SHARED();
  temp_dir dir;
  io::engine_layer odd = fixture_engine().layers[1];
  odd.stride.reset();
  const std::vector<ds::training_record> records = {{&odd, 1.0, 1.0}};
  const auto path = dir / "convolutional.csv";
  EXPECT_ERROR_MENTIONS(ds::write_training_csv(path, layer_kind::convolutional, records), "conv_relu_layer",
                        "\"Stride\"");
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace training_csv_test
