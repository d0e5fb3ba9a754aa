#include "layerwatt/io/atomic_file.hpp"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace lw = layerwatt;
using lw::testing::read_text;
using lw::testing::temp_dir;
using lw::testing::write_text;

TEST(AtomicFile, NothingVisibleBeforeCommit) {
  temp_dir dir;
  const auto path = dir / "out.csv";
  {
    lw::io::atomic_output_file out(path);
    out.write("a,b\n");
    EXPECT_FALSE(std::filesystem::exists(path));
    out.commit();
  }
  EXPECT_EQ(read_text(path), "a,b\n");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

TEST(AtomicFile, AbandonedWriteLeavesThePreviousFileAndNoTemporary) {
  temp_dir dir;
  const auto path = dir / "out.csv";
  write_text(path, "old\n");
  try {
    lw::io::atomic_output_file out(path);
    out.write(std::string(3 << 20, 'x'));  // past the flush threshold: bytes hit the disk
    throw std::runtime_error("interrupted");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(read_text(path), "old\n");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

TEST(AtomicFile, CreatesParentDirectories) {
  temp_dir dir;
  lw::io::write_file_atomically(dir / "a" / "b" / "c.txt", "x");
  EXPECT_EQ(read_text(dir / "a" / "b" / "c.txt"), "x");
}

TEST(AtomicFile, UnwritableDirectoryIsAnErrorNamingThePath) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  temp_dir dir;
  std::filesystem::create_directory(dir / "ro");
  ::chmod((dir / "ro").c_str(), 0555);
  EXPECT_ERROR_MENTIONS(lw::io::write_file_atomically(dir / "ro" / "x.csv", "x"), "ro/x.csv", "cannot create");
}

TEST(AtomicFile, ParentThatIsAFileIsAnErrorNamingIt) {
  temp_dir dir;
  write_text(dir / "plain", "x");
  EXPECT_ERROR_MENTIONS(lw::io::write_file_atomically(dir / "plain" / "x.csv", "x"), "plain", "directory");
}

TEST(AtomicFile, DestinationThatIsADirectoryFailsAtCommit) {
  temp_dir dir;
  std::filesystem::create_directories(dir / "taken" / "child");
  EXPECT_ERROR_MENTIONS(lw::io::write_file_atomically(dir / "taken", "x"), "taken", "rename");
  EXPECT_TRUE(std::filesystem::is_directory(dir / "taken"));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}
