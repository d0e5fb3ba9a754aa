#include "layerwatt/io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <csignal>
#include <string>
#include <thread>

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

// The temporary cannot be created. A name longer than the file system allows is refused to
// every user, root included (CI runs as root, which ignores directory permissions).
TEST(AtomicFile, ATemporaryThatCannotBeCreatedIsAnErrorNamingThePath) {
  temp_dir dir;
  const std::string name(300, 'x');
  EXPECT_ERROR_MENTIONS(lw::io::write_file_atomically(dir / name, "x"), name.c_str(), "cannot create", "too long");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 0);
}

// A write that fails half-way (a full disk; here the file-size limit, which binds root too)
// leaves the previous file whole and no temporary behind.
TEST(AtomicFile, AWriteThatFailsHalfWayLeavesThePreviousFile) {
  temp_dir dir;
  const auto path = dir / "out.csv";
  write_text(path, "old\n");
  ::rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  const auto previous_handler = std::signal(SIGXFSZ, SIG_IGN);  // EFBIG instead of a signal
  ::rlimit small = saved;
  small.rlim_cur = 4096;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  try {
    lw::io::write_file_atomically(path, std::string(3 << 20, 'x'));  // past the 1 MiB flush and the limit
    ADD_FAILURE() << "no error past the file-size limit";
  } catch (const lw::error& e) {
    EXPECT_NE(std::string_view(e.what()).find("cannot write"), std::string_view::npos) << e.what();
    EXPECT_NE(std::string_view(e.what()).find("out.csv"), std::string_view::npos) << e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, previous_handler);
  EXPECT_EQ(read_text(path), "old\n");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

TEST(AtomicFile, ParentThatIsAFileIsAnErrorNamingIt) {
  temp_dir dir;
  write_text(dir / "plain", "x");
  EXPECT_ERROR_MENTIONS(lw::io::write_file_atomically(dir / "plain" / "x.csv", "x"), "plain", "directory");
}

TEST(AtomicFile, DestinationThatIsADirectoryIsRefusedBeforeAnythingIsWritten) {
  temp_dir dir;
  std::filesystem::create_directories(dir / "taken" / "child");
  EXPECT_ERROR_MENTIONS(lw::io::atomic_output_file(dir / "taken"), "taken", "Is a directory");
  EXPECT_TRUE(std::filesystem::is_directory(dir / "taken"));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

TEST(AtomicFile, APathWithoutAFileNameIsRefused) {
  temp_dir dir;
  EXPECT_ERROR_MENTIONS(lw::io::atomic_output_file(""), "expected an output file's path, got \"\"");
  EXPECT_ERROR_MENTIONS(lw::io::atomic_output_file((dir / "new").string() + "/"), "new/\"");
  EXPECT_FALSE(std::filesystem::exists(dir / "new"));
}

// A link's file is replaced and the link kept, as an editor saving through it would.
TEST(AtomicFile, ALinkIsFollowedAndKept) {
  temp_dir dir;
  std::filesystem::create_directories(dir / "real");
  write_text(dir / "real" / "out.csv", "old");
  std::filesystem::create_symlink(dir / "real" / "out.csv", dir / "link.csv");
  std::filesystem::create_symlink(dir / "real" / "new.csv", dir / "dangling.csv");
  std::filesystem::create_symlink("real/../link.csv", dir / "relative.csv");  // a link to a link
  lw::io::write_file_atomically(dir / "link.csv", "new");
  lw::io::write_file_atomically(dir / "dangling.csv", "created");
  lw::io::write_file_atomically(dir / "relative.csv", "newer");
  EXPECT_TRUE(std::filesystem::is_symlink(dir / "link.csv"));
  EXPECT_TRUE(std::filesystem::is_symlink(dir / "dangling.csv"));
  EXPECT_TRUE(std::filesystem::is_symlink(dir / "relative.csv"));
  EXPECT_EQ(read_text(dir / "real" / "out.csv"), "newer");
  EXPECT_EQ(read_text(dir / "real" / "new.csv"), "created");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir / "real"), {}), 2);  // no temporary left
  std::filesystem::create_symlink("loop.csv", dir / "loop.csv");
  EXPECT_ERROR_MENTIONS(lw::io::write_file_atomically(dir / "loop.csv", "x"), "loop.csv", "cannot follow the link");
}

// /dev/fd/N is the descriptor itself: a file opened for appending (`>>`) keeps what it held.
TEST(AtomicFile, ADescriptorsNameWritesThroughTheDescriptor) {
  temp_dir dir;
  write_text(dir / "log.txt", "old\n");
  const int fd = ::open((dir / "log.txt").c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  lw::io::write_file_atomically("/dev/fd/" + std::to_string(fd), "new\n");
  ::close(fd);
  EXPECT_EQ(read_text(dir / "log.txt"), "old\nnew\n");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

// A FIFO (like /dev/stdout on a pipe, or a device) is written in place, not replaced by a file.
TEST(AtomicFile, AFileThatIsNoRegularFileIsWrittenInPlace) {
  temp_dir dir;
  const auto fifo = dir / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  std::string received;
  std::thread reader([&] { received = read_text(fifo); });
  lw::io::write_file_atomically(fifo, "through the pipe");
  reader.join();
  EXPECT_EQ(received, "through the pipe");
  EXPECT_TRUE(std::filesystem::is_fifo(fifo));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}
