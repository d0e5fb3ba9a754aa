// Power sampling on a fake INA3221 tree in tmpfs (/dev/shm): the cost of one sample with
// layerwatt's INA3221 sampler against what the reference logger did per sample (open, read and
// close both sysfs files with CPython's syscalls, parse, stamp the time with strftime, format the
// line; Python's own interpreter cost is not counted), and the real
// power_logger's achievable rate and its period jitter at 1 ms.
// Targets (issue 3): >= 200 000 samples/s, >= 10x the reference's per-sample work, jitter p99
// under 50 µs at a 1 ms period.
//
//   scripts/bench.sh sampler                                   everything (about 10 s)
//   LAYERWATT_JITTER_SECONDS=10 scripts/bench.sh sampler --benchmark_filter=jitter
//
// On tmpfs a read costs a syscall and no bus transaction; on a Jetson each sysfs read of the
// INA3221 is an I2C transfer (~100 µs or more), which bounds both loggers alike.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "layerwatt/io/power_log.hpp"
#include "layerwatt/sense/clock.hpp"
#include "layerwatt/sense/ina3221.hpp"
#include "layerwatt/sense/power_logger.hpp"
#include "support/ratio_reporter.hpp"

namespace {

namespace fs = std::filesystem;
namespace sense = layerwatt::sense;
namespace io = layerwatt::io;

/// A Jetson Orin Nano's INA3221 hwmon directory, in tmpfs where there is one.
struct fake_tree {
  fs::path root, hwmon;
  fake_tree() {
    const fs::path base = fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    root = base / ("layerwatt-bench-sampler-" + std::to_string(::getpid()));
    hwmon = root / "bus/i2c/devices/1-0040/hwmon/hwmon1";
    fs::create_directories(hwmon);
    const auto put = [](const fs::path& p, const char* text) { std::ofstream(p) << text; };
    put(root / "bus/i2c/devices/1-0040/name", "ina3221\n");
    put(hwmon / "in1_label", "VDD_IN\n");
    put(hwmon / "in1_input", "5000\n");
    put(hwmon / "curr1_input", "1096\n");
    put(hwmon / "update_interval", "1\n");
    put(hwmon / "samples", "1\n");
  }
  ~fake_tree() { fs::remove_all(root); }
};

const fake_tree& tree() {
  static const fake_tree t;
  return t;
}

constexpr std::size_t buffered = 1 << 16;

/// The sampling thread's work per sample: read both files, stamp, store.
void ours_sample(benchmark::State& state) {
  auto sampler = sense::ina3221_sampler::open(tree().root);
  sense::wall_clock clock;
  std::vector<std::pair<layerwatt::time_stamp, sense::rail_reading>> chunk(buffered);
  std::size_t i = 0;
  sense::rail_reading r[1];
  for (auto _ : state) {
    if (!sampler.read(r)) state.SkipWithError("read failed");
    chunk[i] = {clock.now(), r[0]};
    i = (i + 1) % buffered;
  }
  benchmark::DoNotOptimize(chunk.data());
  state.SetItemsProcessed(state.iterations());
}

/// As ours_sample, plus the writer thread's formatting of the line: all the CPU a logged sample costs.
void ours_sample_and_format(benchmark::State& state) {
  auto sampler = sense::ina3221_sampler::open(tree().root);
  sense::wall_clock clock;
  std::string text;
  text.reserve(buffered * 48);
  sense::rail_reading r[1];
  for (auto _ : state) {
    if (!sampler.read(r)) state.SkipWithError("read failed");
    const double values[2] = {r[0].voltage_mv, r[0].current_ma};
    io::append_power_log_line(text, clock.now(), values);
    if (text.size() > buffered * 40) text.clear();
  }
  benchmark::DoNotOptimize(text.data());
  state.SetItemsProcessed(state.iterations());
}

/// One file as CPython's `open(path).read()` reads it, syscall for syscall (strace shows openat,
/// fstat, ioctl TCGETS, lseek twice, fstat, read, read to EOF, close), then float().
double read_like_python(const char* path) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  struct stat st {};
  ::fstat(fd, &st);
  static_cast<void>(::isatty(fd));  // ioctl TCGETS
  ::lseek(fd, 0, SEEK_CUR);
  ::lseek(fd, 0, SEEK_CUR);
  ::fstat(fd, &st);
  char text[64];
  const ssize_t n = ::read(fd, text, static_cast<std::size_t>(st.st_size) + 1);
  static_cast<void>(::read(fd, text + n, 1));
  ::close(fd);
  text[n > 0 ? n : 0] = '\0';
  return std::strtod(text, nullptr);
}

/// What the reference logger did per sample, without Python's interpreter: both files opened,
/// read and closed as above, datetime.now().strftime("%Y%m%d-%H:%M:%S.%f"), and the formatted
/// line appended to what is kept.
void reference_sample(benchmark::State& state) {
  const std::string volts = (tree().hwmon / "in1_input").string(), amps = (tree().hwmon / "curr1_input").string();
  std::string text;
  text.reserve(buffered * 48);
  for (auto _ : state) {
    const double mv = read_like_python(volts.c_str());
    const double ma = read_like_python(amps.c_str());
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    std::tm tm{};
    ::localtime_r(&ts.tv_sec, &tm);
    char stamp[40];
    const std::size_t k = std::strftime(stamp, sizeof stamp, "%Y%m%d-%H:%M:%S", &tm);
    std::snprintf(stamp + k, sizeof stamp - k, ".%06ld", ts.tv_nsec / 1000);
    char line[96];
    const int n = std::snprintf(line, sizeof line, "%s,%.1f,%.1f\n", stamp, mv, ma);
    text.append(line, static_cast<std::size_t>(n));
    if (text.size() > buffered * 40) text.clear();
  }
  benchmark::DoNotOptimize(text.data());
  state.SetItemsProcessed(state.iterations());
}

fs::path fresh_log(const char* name) {
  const fs::path log = tree().root / name;
  fs::remove(log);
  fs::remove(io::power_log_meta_path(log));
  return log;
}

/// The real logger (both threads) as fast as it goes for one second.
void logger_full_speed(benchmark::State& state) {
  for (auto _ : state) {
    sense::power_logger logger(sense::ina3221_sampler::open(tree().root),
                               {.log = fresh_log("full_speed.log"),
                                .sampling = {.period = std::chrono::microseconds{0}, .duration = std::chrono::seconds{1}}});
    const auto meta = logger.wait();
    state.counters["samples_per_s"] = meta.stats.rate_hz;
    state.counters["samples"] = static_cast<double>(meta.stats.samples);
  }
}

/// The real logger at a 1 ms period for LAYERWATT_JITTER_SECONDS (default 3), at normal priority
/// (fifo_priority 0) or SCHED_FIFO priority N (the logger warns and goes on where that is not
/// allowed), sleeping to each deadline (spin_us 0) or waking early and busy-waiting the rest.
/// Jitter is each period's distance from 1 ms, from the log's own stamps; lateness is the wake-up
/// after the deadline.
void logger_jitter_1ms(benchmark::State& state) {
  std::optional<int> priority;
  if (state.range(0) > 0) priority = static_cast<int>(state.range(0));
  const std::chrono::microseconds spin{state.range(1)};
  const char* env = std::getenv("LAYERWATT_JITTER_SECONDS");
  const int seconds = env ? std::max(1, std::atoi(env)) : 3;
  for (auto _ : state) {
    const auto log = fresh_log("jitter.log");
    sense::power_logger logger(sense::ina3221_sampler::open(tree().root),
                               {.log = log,
                                .sampling = {.period = std::chrono::microseconds{1000},
                                             .duration = std::chrono::seconds{seconds},
                                             .spin = spin},
                                .realtime_priority = priority});
    const auto meta = logger.wait();
    std::vector<double> jitter_us;
    layerwatt::time_stamp previous{};
    io::read_power_log(log, [&](layerwatt::time_stamp t, std::span<const double>) {
      if (previous != layerwatt::time_stamp{}) jitter_us.push_back(std::abs(static_cast<double>((t - previous).count()) - 1000.0));
      previous = t;
    });
    std::sort(jitter_us.begin(), jitter_us.end());
    const auto at = [&](double q) { return jitter_us[static_cast<std::size_t>(q * static_cast<double>(jitter_us.size() - 1))]; };
    state.counters["jitter_p50_us"] = at(0.5);
    state.counters["jitter_p99_us"] = at(0.99);
    state.counters["jitter_max_us"] = jitter_us.back();
    state.counters["period_p50_us"] = meta.stats.period_p50_us;
    state.counters["period_p99_us"] = meta.stats.period_p99_us;
    state.counters["late_p50_us"] = meta.extra["deadline_lateness_p50_us"].get<double>();
    state.counters["late_p99_us"] = meta.extra["deadline_lateness_p99_us"].get<double>();
    state.counters["missed"] = meta.extra["missed_deadlines"].get<double>();
    state.counters["samples"] = static_cast<double>(meta.stats.samples);
  }
}

BENCHMARK(ours_sample)->MinTime(1.0);
BENCHMARK(ours_sample_and_format)->MinTime(1.0);
BENCHMARK(reference_sample)->MinTime(1.0);
BENCHMARK(logger_full_speed)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(logger_jitter_1ms)
    ->ArgNames({"fifo_priority", "spin_us"})
    ->Args({0, 0})
    ->Args({50, 0})
    ->Args({0, 100})
    ->Args({50, 100})
    ->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  return layerwatt::bench::run_with_ratios(
      argc, argv, {{"ours_sample", "reference_sample"}, {"ours_sample_and_format", "reference_sample"}});
}
