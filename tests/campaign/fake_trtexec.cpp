// A fake trtexec for the campaign's tests: the same command line, files and output lines as the
// real one (TensorRT 10's), without a GPU, in well under a second.
//
// The "model" (the --onnx file, or the engine --saveEngine wrote from it) is a line of words:
// a zoo network, then what to do wrong —
//   resnet18                      build, profile and time resnet18 (the simulator's device model
//                                 gives each layer's runtime)
//   lenet fail-build              the ONNX parser fails: trtexec exits 1 during the build run
//   lenet crash-timed             the timed run dies of SIGSEGV halfway
//   lenet slow                    the timed run lasts 60 s, whatever --duration says
// The build run writes --exportLayerInfo (the zoo's engine) and --exportProfile (each layer's
// runtime, plus the profiler's 3 µs per layer); the timed run sleeps through its warm-up and
// duration — inferences back to back, 10 µs apart — then, 10 ms later (trtexec's sync and sort),
// writes --exportTimes and prints trtexec's summary. While it "infers", it writes FAKE_TRTEXEC_LOAD_VALUE over the file
// FAKE_TRTEXEC_LOAD_FILE (a fake sysfs curr1_input: same length, written in place, as a sensor's
// value changes) and puts the old value back after: the power log then sees the load.

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/io/trtexec_output.hpp"
#include "layerwatt/io/trtexec_profile.hpp"
#include "layerwatt/io/trtexec_times.hpp"
#include "layerwatt/sim/device_model.hpp"
#include "layerwatt/zoo/registry.hpp"

namespace lw = layerwatt;

namespace {

void say(std::string_view level, std::string_view text) {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  ::localtime_r(&now, &local);
  char date[32];
  std::strftime(date, sizeof date, "%m/%d/%Y-%H:%M:%S", &local);
  fmt::print("[{}] [{}] {}\n", date, level, text);
  std::fflush(stdout);
}

[[noreturn]] void fail(const std::string& command, std::string_view why) {
  say("E", why);
  fmt::print("&&&& FAILED TensorRT.trtexec [TensorRT v100300] # {}\n", command);
  std::fflush(stdout);
  std::exit(1);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

/// Writes `value` at offset 0 of `path` in place (the sampler keeps the file open).
void overwrite(const std::string& path, const std::string& value) {
  const int fd = ::open(path.c_str(), O_WRONLY);
  if (fd < 0) return;
  const std::string text = value + "\n";
  if (::pwrite(fd, text.data(), text.size(), 0) < 0) std::perror("fake trtexec: pwrite");
  ::close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> options;
  std::string command = "trtexec";
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    command += fmt::format(" {}", a);
    if (!a.starts_with("--")) fail(command, fmt::format("Unknown option: {}", a));
    const auto eq = a.find('=');
    options[std::string(a.substr(0, eq))] = eq == std::string_view::npos ? "" : std::string(a.substr(eq + 1));
  }
  for (const auto& [key, value] : options) {
    static constexpr std::string_view known[] = {"--onnx",        "--loadEngine",    "--saveEngine",     "--exportLayerInfo",
                                                 "--exportProfile", "--exportTimes", "--profilingVerbosity",
                                                 "--separateProfileRun", "--duration", "--warmUp", "--fp16", "--int8",
                                                 "--shapes",      "--useSpinWait",   "--noDataTransfers", "--useCudaGraph"};
    if (std::find(std::begin(known), std::end(known), key) == std::end(known))
      fail(command, fmt::format("Unknown option: {}", key));
  }
  fmt::print("&&&& RUNNING TensorRT.trtexec [TensorRT v100300] # {}\n", command);
  say("I", "=== Model Options ===");
  say("I", "");
  say("I", "TensorRT version: 10.3.0");

  const auto model_file = options.contains("--onnx") ? options["--onnx"] : options["--loadEngine"];
  std::istringstream words(read_file(model_file));
  std::string network;
  words >> network;
  std::vector<std::string> faults{std::istream_iterator<std::string>(words), {}};
  const auto has = [&](std::string_view fault) { return std::find(faults.begin(), faults.end(), fault) != faults.end(); };
  const lw::zoo::zoo_model* zoo = nullptr;
  for (const auto& m : lw::zoo::models)
    if (m.name == network) zoo = &m;
  if (!zoo || has("fail-build"))
    fail(command, fmt::format("ModelImporter.cpp:773: ERROR: {}: failed to parse the model", model_file));
  const auto engine = lw::zoo::build(*zoo);
  const lw::sim::device_profile device;
  std::vector<double> runtime_ms;
  double latency_ms = 0;
  for (const auto& l : engine.layers) {
    runtime_ms.push_back(lw::sim::expected_layer(l, device).runtime_us / 1000);
    latency_ms += runtime_ms.back();
  }
  if (options.contains("--saveEngine")) {
    std::ofstream(options["--saveEngine"]) << read_file(model_file);
    say("I", fmt::format("Engine saved to {}", options["--saveEngine"]));
  }
  if (options.contains("--exportLayerInfo")) lw::io::write_engine_info(options["--exportLayerInfo"], engine);

  const double warmup_ms = options.contains("--warmUp") ? std::stod(options["--warmUp"]) : 200;
  double duration_s = options.contains("--duration") ? std::stod(options["--duration"]) : 3;
  if (has("slow") && options.contains("--exportTimes")) duration_s = 60;
  constexpr double gap_ms = 0.01;
  const double cycle_ms = latency_ms + gap_ms;

  say("I", "Starting inference");
  const auto zero = std::chrono::steady_clock::now();
  const char* load_file = std::getenv("FAKE_TRTEXEC_LOAD_FILE");
  const char* load_value = std::getenv("FAKE_TRTEXEC_LOAD_VALUE");
  std::string idle_value;
  if (load_file && load_value && options.contains("--exportTimes")) {
    idle_value = read_file(load_file);
    while (!idle_value.empty() && idle_value.back() == '\n') idle_value.pop_back();
    overwrite(load_file, load_value);
  }
  // Inferences back to back from the zero: warm-up ones until warmUp ms, then timed ones until
  // warmUp + duration, as trtexec counts them (by when each ends).
  std::vector<lw::io::trtexec_inference> times;
  std::size_t warmups = 0;
  for (double start = 0;; start += cycle_ms) {
    const double end = start + latency_ms;
    if (start >= warmup_ms + duration_s * 1000 && !times.empty()) break;
    if (end < warmup_ms) {
      ++warmups;
      continue;
    }
    lw::io::trtexec_inference t;
    t.start_enq_ms = t.end_enq_ms = std::max(0.0, start - cycle_ms / 2);
    t.start_h2d_ms = t.end_h2d_ms = t.start_compute_ms = start;
    t.end_compute_ms = t.start_d2h_ms = t.end_d2h_ms = end;
    t.compute_ms = t.latency_ms = latency_ms;
    times.push_back(t);
  }
  const double last_end_ms = times.back().end_d2h_ms;
  if (options.contains("--exportTimes")) {
    if (has("crash-timed")) {
      std::this_thread::sleep_until(zero + std::chrono::duration<double, std::milli>(last_end_ms / 2));
      if (!idle_value.empty()) overwrite(load_file, idle_value);
      ::raise(SIGSEGV);
    }
    std::this_thread::sleep_until(zero + std::chrono::duration<double, std::milli>(last_end_ms));
    if (!idle_value.empty()) overwrite(load_file, idle_value);
    // trtexec synchronises, joins its threads and sorts the trace before it prints its summary:
    // the alignment's bracket (join/timed_run.hpp), which also absorbs a late read of "Starting
    // inference" by a busy test machine.
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  for (const auto& line : lw::io::trtexec_summary_lines(times, warmups, warmup_ms)) say("I", line);
  if (options.contains("--exportTimes")) lw::io::write_trtexec_times(options["--exportTimes"], times);

  if (options.contains("--exportProfile")) {
    lw::io::trtexec_profile profile;
    profile.count = static_cast<std::size_t>(std::max(1.0, duration_s * 1000 / cycle_ms));
    // The profiler's own cost, 3 µs per layer run, as an RTX 3060's trtexec profiles show.
    const auto profiled = [&](std::size_t i) { return runtime_ms[i] > 0 ? runtime_ms[i] + 0.003 : 0.0; };
    double total = 0;
    for (std::size_t i = 0; i < runtime_ms.size(); ++i) total += profiled(i);
    for (std::size_t i = 0; i < engine.layers.size(); ++i) {
      const double ms = profiled(i);
      profile.layers.push_back(
          {engine.layers[i].name, ms * static_cast<double>(profile.count), ms, ms, ms / total * 100});
    }
    lw::io::write_trtexec_profile(options["--exportProfile"], profile);
  }
  fmt::print("&&&& PASSED TensorRT.trtexec [TensorRT v100300] # {}\n", command);
  return 0;
}
