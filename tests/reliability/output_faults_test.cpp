// Outputs under faults: a destination that cannot be created, a full disk (RLIMIT_FSIZE in a
// forked child, SIGXFSZ ignored, so write(2) fails with EFBIG as it fails with ENOSPC on a full
// card), and a stop mid-write. Each ends with an error naming the file, the previous file intact
// and no temporary left. Tests run as root in CI, where permissions do not stop writes: an
// unwritable directory is simulated by a parent that is a regular file.

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/layer_latency.hpp"
#include "layerwatt/io/power_log.hpp"
#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace io = layerwatt::io;
namespace fs = std::filesystem;
using lw::testing::read_text;
using lw::testing::temp_dir;
using lw::testing::write_text;

namespace output_faults_test {

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  return names;
}

/// Runs `body` in a forked child whose files may grow to `limit_bytes`; its return value is the
/// child's exit code (gtest assertions do not cross the fork).
template <typename F>
int in_child_with_file_limit(rlim_t limit_bytes, F&& body) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{limit_bytes, limit_bytes};
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(90);
    ::_exit(body());
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/// 0 when `write` throws layerwatt::error mentioning `path` and "File too large", else 1 or 2.
template <typename F>
int expect_file_too_large(const fs::path& path, F&& write) {
  try {
    write();
  } catch (const lw::error& e) {
    const std::string what = e.what();
    return what.find(path.string()) != std::string::npos && what.find("File too large") != std::string::npos ? 0 : 1;
  }
  return 2;
}

TEST(OutputFaults, AnOutputWhoseParentIsAFileIsAnErrorNamingIt) {
  temp_dir dir;
  write_text(dir / "taken", "a regular file\n");
  EXPECT_ERROR_MENTIONS(io::write_file_atomically(dir / "taken" / "out.json", "{}"), "taken", "cannot create directory");
  const io::power_log_layout one_rail;
  const std::vector<std::pair<lw::time_stamp, std::vector<double>>> none;
  EXPECT_ERROR_MENTIONS(io::write_power_log(dir / "taken" / "p.log", one_rail, none), "taken");
  EXPECT_EQ(read_text(dir / "taken"), "a regular file\n");
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"taken"});
}

TEST(OutputFaults, ADiskFullMidFileKeepsThePreviousFileAndLeavesNoTemporary) {
  temp_dir dir;
  const auto path = dir / "trt_layer_latency.json";
  write_text(path, "previous\n");
  io::layer_latencies big;  // ~6 MB written: several 1 MB flushes, the second one over the limit
  auto& layer = big.layers.emplace_back();
  layer.name = "conv1";
  for (int i = 0; i < 100'000; ++i) {
    layer.latency_ms.push_back(0.125 + i);
    layer.end_stamps.push_back(lw::time_stamp{lw::microseconds{1'700'000'000'000'000 + i}});
  }
  EXPECT_EQ(in_child_with_file_limit(1 << 20, [&] {
              return expect_file_too_large(path, [&] { io::write_layer_latencies(path, big); });
            }),
            0);
  EXPECT_EQ(read_text(path), "previous\n");
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"trt_layer_latency.json"});
}

TEST(OutputFaults, ADiskFullAtCommitKeepsThePreviousFile) {
  temp_dir dir;
  const auto path = dir / "small.json";
  write_text(path, "previous\n");
  EXPECT_EQ(in_child_with_file_limit(4096, [&] {
              return expect_file_too_large(path, [&] { io::write_file_atomically(path, std::string(10'000, 'x')); });
            }),
            0);
  EXPECT_EQ(read_text(path), "previous\n");
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"small.json"});
}

TEST(OutputFaults, AStopMidWriteRemovesTheTemporaryAndKeepsCommittedFiles) {
  temp_dir dir;
  write_text(dir / "b.csv", "previous\n");
  io::write_file_atomically(dir / "a.csv", "done\n");
  io::atomic_output_file in_progress(dir / "b.csv");
  in_progress.write(std::string(3 << 20, 'x'));  // flushed: the temporary holds 3 MB
  EXPECT_EQ(names_in(dir.path()).size(), 3u);
  io::unlink_temporary_outputs();  // what the CLI's SIGINT/SIGTERM handler does
  auto names = names_in(dir.path());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"a.csv", "b.csv"}));
  EXPECT_EQ(read_text(dir / "a.csv"), "done\n");
  EXPECT_EQ(read_text(dir / "b.csv"), "previous\n");
}

TEST(OutputFaults, ACommittedFileIsNoLongerTracked) {
  temp_dir dir;
  io::write_file_atomically(dir / "a.csv", "done\n");
  for (const auto& slot : io::detail::live_temporaries) EXPECT_EQ(slot.load(), nullptr);
}

}  // namespace output_faults_test
