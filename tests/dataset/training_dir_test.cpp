#include "layerwatt/dataset/training_dir.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace lw = layerwatt;
using lw::layer_kind;
using lw::testing::temp_dir;
using lw::testing::write_text;

TEST(TrainingDir, FindsEveryKindsCsvUnderItsModelAtAnyDepth) {
  temp_dir dir;
  write_text(dir / "td" / "resnet18" / "convolutional.csv", "x\n");
  write_text(dir / "td" / "resnet18" / "dense.csv", "x\n");
  write_text(dir / "td" / "batch8" / "alexnet" / "pooling.csv", "x\n");
  write_text(dir / "td" / "alexnet_notes" / "summary.csv", "x\n");  // not a kind: ignored
  const auto data = lw::dataset::scan_training_dir(dir / "td");
  ASSERT_EQ(data.models.size(), 2u);
  EXPECT_EQ(data.models[0].name, "alexnet");
  EXPECT_EQ(data.models[0].directory, dir / "td" / "batch8" / "alexnet");
  EXPECT_FALSE(data.models[0].csv[0]);
  EXPECT_EQ(data.models[0].csv[static_cast<std::size_t>(layer_kind::pooling)],
            dir / "td" / "batch8" / "alexnet" / "pooling.csv");
  EXPECT_EQ(data.models[1].name, "resnet18");
  EXPECT_TRUE(data.models[1].csv[static_cast<std::size_t>(layer_kind::convolutional)]);
  EXPECT_FALSE(data.models[1].csv[static_cast<std::size_t>(layer_kind::pooling)]);
}

TEST(TrainingDir, WhatCannotBeTrainedOnIsAnError) {
  temp_dir dir;
  EXPECT_ERROR_MENTIONS(static_cast<void>(lw::dataset::scan_training_dir(dir / "missing")), "missing",
                        "expected a training-data directory");
  std::filesystem::create_directories(dir / "empty" / "resnet18");
  EXPECT_ERROR_MENTIONS(static_cast<void>(lw::dataset::scan_training_dir(dir / "empty")), "empty",
                        "no training CSVs");
  write_text(dir / "flat" / "dense.csv", "x\n");
  EXPECT_ERROR_MENTIONS(static_cast<void>(lw::dataset::scan_training_dir(dir / "flat")), "dense.csv",
                        "folder named after its model");
  write_text(dir / "twice" / "a" / "vgg16" / "dense.csv", "x\n");
  write_text(dir / "twice" / "b" / "vgg16" / "pooling.csv", "x\n");
  EXPECT_ERROR_MENTIONS(static_cast<void>(lw::dataset::scan_training_dir(dir / "twice")), "two folders named \"vgg16\"");
}
