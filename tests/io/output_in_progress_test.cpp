// A directory being filled is marked incomplete until its writer is done, and every directory
// reader refuses it meanwhile (io/output_in_progress.hpp, io::require_directory).
#include "layerwatt/io/output_in_progress.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>

#include "layerwatt/dataset/training_dir.hpp"
#include "layerwatt/io/raw_data_dir.hpp"
#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace io = layerwatt::io;
namespace fs = std::filesystem;

namespace output_in_progress_test {

TEST(OutputInProgress, ReadersRefuseTheDirectoryUntilTheWriterIsDone) {
  lw::testing::temp_dir dir;
  const auto out = dir / "training" / "data";  // made where missing
  lw::testing::write_text(out / "lenet" / "convolutional.csv", "an earlier run's\n");
  io::output_in_progress writing(out, "`layerwatt dataset`");
  EXPECT_EQ(writing.marker(), out / ".incomplete");
  EXPECT_EQ(lw::testing::read_text(writing.marker()), "`layerwatt dataset`\n");
  const std::string refused = (out.string() + ": incomplete: `layerwatt dataset` stopped or failed while writing it (" +
                               writing.marker().string() + " says so)");
  EXPECT_ERROR_MENTIONS(io::require_directory(out, "a training-data directory"), refused.c_str(),
                        "run it again to its end");
  EXPECT_ERROR_MENTIONS(lw::dataset::scan_training_dir(out), refused.c_str());
  EXPECT_ERROR_MENTIONS(io::scan_raw_data_dir(out), refused.c_str());
  writing.finish();
  EXPECT_FALSE(fs::exists(out / ".incomplete"));
  EXPECT_EQ(lw::dataset::scan_training_dir(out).models.size(), 1u);
}

TEST(OutputInProgress, AnotherCommandsMarkStaysForThatCommandToClear) {
  lw::testing::temp_dir dir;
  lw::testing::write_text(dir / ".incomplete", "`layerwatt dataset`\n");
  io::output_in_progress convert(dir.path(), "`layerwatt convert`");
  EXPECT_EQ(convert.kept_for(), "`layerwatt dataset`");
  convert.finish();
  EXPECT_EQ(lw::testing::read_text(dir / ".incomplete"), "`layerwatt dataset`\n");
  io::output_in_progress dataset(dir.path(), "`layerwatt dataset`");
  EXPECT_EQ(dataset.kept_for(), "");
  dataset.finish();
  EXPECT_FALSE(fs::exists(dir / ".incomplete"));
}

TEST(OutputInProgress, AMarkWithoutAWriterStillRefuses) {
  lw::testing::temp_dir dir;
  lw::testing::write_text(dir / ".incomplete", "");
  EXPECT_ERROR_MENTIONS(io::require_directory(dir.path(), "a model directory"),
                        "incomplete: the command that wrote it stopped or failed while writing it");
  // No command's to complete: the next run's mark replaces it, and its end clears it.
  io::output_in_progress convert(dir.path(), "`layerwatt convert`");
  EXPECT_EQ(convert.kept_for(), "");
  convert.finish();
  EXPECT_FALSE(fs::exists(dir / ".incomplete"));
}

TEST(OutputInProgress, TheWriterIsTheMarksFirstLine) {
  lw::testing::temp_dir dir;
  EXPECT_EQ(io::incomplete_writer(dir.path()), std::nullopt);
  lw::testing::write_text(dir / ".incomplete", "`layerwatt map`\r\nsomething later\n");
  EXPECT_EQ(io::incomplete_writer(dir.path()), "`layerwatt map`");
  fs::remove(dir / ".incomplete");
  fs::create_directory_symlink(dir / "nowhere", dir / ".incomplete");
  const std::string no_file = (dir / ".incomplete").string() + ": missing; expected the one-line mark";
  EXPECT_ERROR_MENTIONS(io::require_directory(dir.path(), "a model directory"), no_file.c_str());
}

}  // namespace output_in_progress_test
