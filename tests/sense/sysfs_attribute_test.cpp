#include "layerwatt/sense/sysfs_attribute.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace sense = layerwatt::sense;
using lw::testing::temp_dir;
using lw::testing::write_text;

namespace sysfs_attribute_test {

TEST(SysfsAttribute, ReadsTheNumberEachTimeFromTheStart) {
  temp_dir dir;
  write_text(dir / "in1_input", "5000\n");
  const sense::sysfs_attribute a(dir / "in1_input");
  EXPECT_EQ(a.read(), 5000.0);
  EXPECT_EQ(a.read(), 5000.0);
  write_text(dir / "in1_input", "4987.5\n");  // rewritten in place: the open file sees it
  EXPECT_EQ(a.read(), 4987.5);
  write_text(dir / "in1_input", "-12");
  EXPECT_EQ(a.read(), -12.0);
  EXPECT_EQ(a.path(), dir / "in1_input");
}

TEST(SysfsAttribute, GarbageEmptyAndOverlongAreFailedReads) {
  temp_dir dir;
  write_text(dir / "v", "");
  const sense::sysfs_attribute a(dir / "v");
  EXPECT_FALSE(a.read());
  for (const std::string& bad : std::vector<std::string>{"abc\n", "12x\n", "\n", "5000 17\n", "nan\n", std::string(80, '1')}) {
    write_text(dir / "v", bad);
    EXPECT_FALSE(a.read()) << bad;
  }
  write_text(dir / "v", "42\n");
  EXPECT_EQ(a.read(), 42.0);  // and it recovers
}

TEST(SysfsAttribute, AnIoErrorIsAFailedRead) {
  // A sysfs file whose device went away fails its reads (ENODEV); an unlinked file on a normal
  // file system stays readable through its descriptor, so make pread fail another way: offset 0
  // of this process's memory is unmapped, and reading it gives EIO.
  temp_dir dir;
  std::filesystem::create_symlink("/proc/self/mem", dir / "curr1_input");
  const sense::sysfs_attribute a(dir / "curr1_input");
  EXPECT_FALSE(a.read());
}

TEST(SysfsAttribute, AMissingFileIsAnErrorNamingIt) {
  temp_dir dir;
  EXPECT_ERROR_MENTIONS(sense::sysfs_attribute(dir / "nope"), "nope", "cannot open");
}

TEST(SysfsAttribute, MovesKeepTheFileOpen) {
  temp_dir dir;
  write_text(dir / "v", "7\n");
  sense::sysfs_attribute a(dir / "v");
  sense::sysfs_attribute b(std::move(a));
  EXPECT_EQ(b.read(), 7.0);
  sense::sysfs_attribute c;
  c = std::move(b);
  EXPECT_EQ(c.read(), 7.0);
}

TEST(SysfsAttribute, ReadsTextFirstLineTrimmed) {
  temp_dir dir;
  write_text(dir / "label", "VDD_IN \n");
  EXPECT_EQ(sense::read_sysfs_text(dir / "label"), "VDD_IN");
  write_text(dir / "two", "a\nb\n");
  EXPECT_EQ(sense::read_sysfs_text(dir / "two"), "a");
  EXPECT_FALSE(sense::read_sysfs_text(dir / "missing"));
}

}  // namespace sysfs_attribute_test
