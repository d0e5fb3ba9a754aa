// layerwatt log — log INA3221 or NVIDIA GPU power to a file while a command runs, or for S seconds.

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "layerwatt/core/error.hpp"
#include "layerwatt/io/power_log_meta.hpp"
#include "layerwatt/sense/clock.hpp"
#include "layerwatt/sense/power_logger.hpp"
#include "progress.hpp"
#include "sensor_options.hpp"
#include "stop_signals.hpp"

extern char** environ;

namespace layerwatt::cli {
namespace {

constexpr std::string_view help = R"(Usage: layerwatt log [--sysfs-root DIR] [--rail NAME|A+B+...]... [--period-us N] [--spin-us N] [--clock NAME]
                     [--realtime-priority N] --out FILE (--seconds S | -- COMMAND [ARGS...])
       layerwatt log --nvml [--gpu N|UUID] [--period-us N] ... (the same options from --period-us on)

Sample the Jetson's INA3221 power monitor (or, with --nvml, an NVIDIA GPU's power through NVML)
on a background thread and write the samples to FILE in the reference's power-log format
(YYYYmmdd-HH:MM:SS.ffffff,mV,mA per line; with several rails a header line names them and each
line holds a mV,mA pair per rail), either while COMMAND runs (started after logging begins;
logging stops when it exits) or for S seconds.

With --nvml the one rail is GPU<index>, and NVML's power (mW) is written as 1000 mV and the
power in mW as mA, so mV x mA is µW as for the INA3221. The GPU's instantaneous power is read
where the driver has it (NVML_FI_DEV_POWER_INSTANT), else nvmlDeviceGetPowerUsage (a 1 s mean
on Ampere and newer); FILE.meta.json says which ("source": nvml-instant or nvml-power-usage),
names the GPU, and holds the energy check: the GPU's energy counter over the run beside the
energy of the samples.

While logging, samples stream to FILE.partial, whole lines at least once a second. A clean stop
(the command exits, S seconds pass, or SIGINT/SIGTERM arrives) writes every sample taken, then
FILE.meta.json (rails, sysfs paths, the sensor's refresh interval, the achieved rate and period
percentiles, failed and repeated readings), then renames FILE.partial to FILE. After a power
cut or a kill -9, FILE.partial holds every sample up to the last second, readable as it is.
A FILE that is a symbolic link is kept: FILE.partial and FILE.meta.json are written beside the
file it names, and that file is replaced.

SIGINT or SIGTERM sent to layerwatt by another process is passed on to COMMAND; a Ctrl-C at
the terminal reaches COMMAND directly. Either way layerwatt finishes the log, then waits for
COMMAND to exit. The summary goes to stderr, leaving COMMAND's output on stdout alone.

Options:
  --sysfs-root DIR         where sysfs is mounted (default /sys; tests use a fake tree)
  --rail NAME              a rail to sample, by its label (VDD_IN, POM_5V_IN, VDD_GPU_SOC, ...);
                           repeat for several (a column each); default: the board input (VDD_IN
                           or POM_5V_IN). A+B+C: one column, the sum of those rails per sample
                           (an AGX Orin's module power: VDD_GPU_SOC+VDD_CPU_CV+VIN_SYS_5V0),
                           written as 1000 mV and the sum in mW as mA; FILE.meta.json names the
                           column A+B+C and lists its rails under "rail_sums".
                           `layerwatt sensors` lists the rails
  --nvml                   sample an NVIDIA GPU through NVML instead (libnvidia-ml.so.1, from the
                           driver; the environment variable LAYERWATT_NVML_LIBRARY overrides the
                           path)
  --gpu N|UUID             the GPU --nvml reads, by NVML's index or its UUID (default 0);
                           `layerwatt sensors --nvml` lists them
  --period-us N            time between samples in µs, on absolute deadlines (default 1000;
                           0: as fast as the sensor can be read)
  --spin-us N              wake N µs before each deadline and busy-wait the rest (default 0: sleep
                           only): steadier periods, for N/period of a CPU core
  --clock NAME             what stamps the samples: realtime (default: local wall-clock time, as
                           the reference's profiler stamps; needed to join with its files),
                           monotonic, monotonic-raw
  --realtime-priority N    run the sampling thread at SCHED_FIFO priority N (1..99; needs root or
                           CAP_SYS_NICE; warns and goes on without it)
  --out FILE               the log to write (required); FILE.partial must not exist
  --seconds S              log for S seconds (a number > 0)
  -- COMMAND [ARGS...]     log while COMMAND runs
  --help                   this text

Exit status: with COMMAND, its exit status (128+N if a signal N ended it), or 127 if it cannot
be started (nothing is written then); with --seconds, 0, or 130 when stopped by SIGINT/SIGTERM
(the log is complete either way). 1: no INA3221 rail found (the message lists what was searched),
NVML or the GPU not usable (the message names the library, the call and NVML's error), no
sample read (every read failed: the log is empty), or the log could not be written; 2: bad
command line.
)";

constexpr int exit_cannot_run = 127;

struct log_settings {
  std::filesystem::path out;
  sense::sampling_options sampling;
  std::optional<int> priority;
  std::vector<std::string> command;
};

/// Starts `command` with the signal mask layerwatt had before it blocked its stop signals.
/// Returns 0 and the pid, or the error number.
int spawn(const std::vector<std::string>& command, const sigset_t& mask, pid_t& pid) {
  std::vector<char*> argv;
  for (const auto& a : command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawnattr_t attr;
  ::posix_spawnattr_init(&attr);
  ::posix_spawnattr_setsigmask(&attr, &mask);
  ::posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  const int rc = ::posix_spawnp(&pid, argv[0], nullptr, &attr, argv.data(), environ);
  ::posix_spawnattr_destroy(&attr);
  return rc;
}

/// The GPU, the reading, and the energy check of a log taken with --nvml.
void print_nvml_summary(std::string_view source, const nlohmann::json& nvml) {
  const auto& gpu = nvml["gpu"];
  fmt::print(stderr, "  GPU {} ({}, {}), read as {}", gpu["index"].get<unsigned>(), gpu["name"].get<std::string>(),
             gpu["uuid"].get<std::string>(), source);
  if (nvml.contains("instant_unavailable"))
    fmt::print(stderr, " (no instant power: {})", nvml["instant_unavailable"].get<std::string>());
  fmt::print(stderr, "\n");
  const auto& check = nvml["energy_check"];
  if (check.contains("error"))
    fmt::print(stderr, "  no energy check: {}\n", check["error"].get<std::string>());
  else if (check.contains("samples_j"))
    fmt::print(stderr, "  energy over {:.3f} s: counter {:.3f} J, samples {:.3f} J{}\n", check["seconds"].get<double>(),
               check["counter_j"].get<double>(), check["samples_j"].get<double>(),
               check.contains("samples_over_counter")
                   ? fmt::format(" ({:+.1f} %)", 100 * (check["samples_over_counter"].get<double>() - 1))
                   : "");
}

void print_summary(const io::power_log_meta& m, const std::filesystem::path& out) {
  std::string rails;
  for (const auto& r : m.rails) rails += fmt::format("{}{}", rails.empty() ? "" : ", ", r.name);
  // The sidecar by its name beside the log, or by its path beside the file a linked log names.
  const auto meta = io::power_log_meta_path(out);
  fmt::print(stderr, "layerwatt log: {} samples of {} to {} (and {})\n", m.stats.samples, rails, out.string(),
             meta.parent_path() == out.parent_path() ? meta.filename().string() : meta.string());
  fmt::print(stderr, "  rate {:.1f} samples/s (requested period {} µs); period p50 {:.1f} µs, p99 {:.1f} µs\n",
             m.stats.rate_hz, m.requested_period.count(), m.stats.period_p50_us, m.stats.period_p99_us);
  fmt::print(stderr, "  failed reads {}; readings equal to the one before {}", m.stats.failed_reads,
             m.stats.identical_consecutive);
  if (m.refresh_interval) fmt::print(stderr, " (the sensor refreshes every {} µs)", m.refresh_interval->count());
  fmt::print(stderr, "\n");
  if (m.extra.contains("nvml")) print_nvml_summary(m.source, m.extra["nvml"]);
}

template <sense::clock Clock, sense::sampler Sampler>
int log_with(Sampler sampler, const log_settings& s, const stop_signals& signals) {
  sense::power_logger<Sampler, Clock> logger(
      std::move(sampler), {.log = s.out, .sampling = s.sampling, .realtime_priority = s.priority});
  std::optional<pid_t> child;
  if (!s.command.empty()) {
    pid_t pid = 0;
    if (const int rc = spawn(s.command, signals.original_mask(), pid); rc != 0) {
      logger.discard();
      fmt::print(stderr, "layerwatt log: cannot run \"{}\": {}; nothing written\n", s.command.front(), std::strerror(rc));
      return exit_cannot_run;
    }
    child = pid;
  }

  std::optional<int> child_status, interrupted;
  const auto reap = [&] {
    int status = 0;
    if (child && !child_status && ::waitpid(*child, &status, WNOHANG) == *child) child_status = exit_status_of(status);
  };
  status_line progress;
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    const auto signal = signals.wait(std::chrono::milliseconds{100});
    if (signal && signal->number != SIGCHLD) {
      interrupted = signal->number;
      if (child && signal->sent_by_process) ::kill(*child, signal->number);
      break;
    }
    reap();
    if (child_status || logger.sampling_done()) break;
    progress.show("logging to {}: {} samples in {:.0f} s", s.out.string(), logger.samples_taken(),
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  progress.clear();

  int status = exit_ok;
  try {
    const auto meta = logger.stop();
    print_summary(meta, s.out);
    if (meta.stats.samples == 0) {  // a log of nothing is no measurement, however it ended
      fmt::print(stderr, "layerwatt: error: {}: no sample was read ({} failed reads): check the sensor\n", s.out.string(),
                 meta.stats.failed_reads);
      status = exit_failure;
    }
  } catch (const error& e) {
    fmt::print(stderr, "layerwatt: error: {}\n", e.what());
    status = exit_failure;
  }
  if (!child) return status != exit_ok ? status : interrupted ? exit_interrupted : exit_ok;
  // The log is complete; the command may still be finishing (after a signal, say).
  while (!child_status) {
    const auto signal = signals.wait(std::chrono::milliseconds{250});
    if (signal && signal->number != SIGCHLD && signal->sent_by_process) ::kill(*child, signal->number);
    reap();
  }
  return status != exit_ok ? status : *child_status;
}

int run(arguments& args) {
  const sensor_options sensor = parse_sensor_options(args, true);
  log_settings s;
  s.sampling.period = std::chrono::microseconds{args.number<std::int64_t>("--period-us", 0, 60'000'000).value_or(1000)};
  s.sampling.spin = std::chrono::microseconds{args.number<std::int64_t>("--spin-us", 0, 1'000'000).value_or(0)};
  const std::string clock = args.value("--clock").value_or("realtime");
  s.priority = args.number<int>("--realtime-priority", 1, 99);
  s.out = args.required("--out");
  const auto seconds = args.number<double>("--seconds", 1e-6, 1e9);
  args.finish();
  s.command = args.trailing();
  if (seconds && !s.command.empty()) throw usage_error("give either --seconds or -- COMMAND, not both");
  if (!seconds && s.command.empty()) throw usage_error("give --seconds S or -- COMMAND [ARGS...]");
  if (seconds) s.sampling.duration = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(*seconds));
  if (clock != "realtime" && clock != "monotonic" && clock != "monotonic-raw")
    throw usage_error(fmt::format("--clock expects realtime, monotonic or monotonic-raw, got \"{}\"", clock));

  // Blocked before the sampler opens (a driver's library may start threads of its own) and the
  // logger's threads start, so that every thread inherits the block.
  const stop_signals signals;
  return with_sampler(sensor, [&](auto sampler) {
    if (clock == "monotonic") return log_with<sense::steady_clock>(std::move(sampler), s, signals);
    if (clock == "monotonic-raw") return log_with<sense::monotonic_raw_clock>(std::move(sampler), s, signals);
    return log_with<sense::wall_clock>(std::move(sampler), s, signals);
  });
}

}  // namespace

const command log_command{"log", "log INA3221 or NVIDIA GPU power to a file while a command runs, or for S seconds",
                          help, run};

}  // namespace layerwatt::cli
