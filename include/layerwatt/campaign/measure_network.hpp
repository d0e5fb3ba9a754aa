#pragma once
// One network of a campaign, on the board: trtexec's build and profile run, then its timed run
// with the power logger around it, then the analysis (analyse_run.hpp) and network_measurement.json.
//
//   1. remove what an unfinished earlier attempt left in the network's folder;
//   2. trtexec builds (or loads) the engine and writes layer_info.json and profile.json (both
//      read back at once: a names-only layer info or a malformed profile fails here, not later);
//   3. the board's state (nvpmodel, clocks) is recorded;
//   4. the logger starts, then trtexec's timed run (its output stamped line by line as it
//      arrives); when trtexec ends the logger stops: power_log.log and its .meta.json;
//   5. analysis; network_measurement.json is written last, atomically.
//
// A trtexec that fails, crashes or outlives its time limit is a `layerwatt::error` saying which
// run, how it ended, its last lines and where its whole output is (its stamped output and the
// files it wrote stay, for a look; the power log of a failed timed run is discarded). A stop
// request ends trtexec (SIGINT, then SIGKILL if it lingers), discards the partial log and throws
// `campaign::interrupted`; network_measurement.json is never written then.

#include <chrono>
#include <filesystem>
#include <functional>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "layerwatt/campaign/analyse_run.hpp"
#include "layerwatt/campaign/trtexec_command.hpp"
#include "layerwatt/core/duration_text.hpp"
#include "layerwatt/core/error.hpp"
#include "layerwatt/io/campaign_dir.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/io/network_measurement.hpp"
#include "layerwatt/io/trtexec_output.hpp"
#include "layerwatt/io/trtexec_profile.hpp"
#include "layerwatt/sense/board_state.hpp"
#include "layerwatt/sense/child_process.hpp"
#include "layerwatt/sense/clock.hpp"
#include "layerwatt/sense/power_logger.hpp"
#include "layerwatt/sense/sampler.hpp"

namespace layerwatt::campaign {

/// Thrown when a stop was requested: the network is left unfinished.
struct interrupted : std::runtime_error {
  interrupted() : std::runtime_error("stopped") {}
};

struct network_settings {
  trtexec_options trtexec;
  join::timed_run_options analysis;
  sense::sampling_options sampling{};               ///< the power logger's (period 1 ms by default)
  std::chrono::seconds build_timeout{3600};         ///< the build and profile run's limit
  std::chrono::seconds run_allowance{300};          ///< the timed run's limit beyond its warm-up and duration
  std::filesystem::path sysfs_root = "/sys";        ///< where the clocks are read
  std::string nvpmodel = "nvpmodel";                ///< queried with -q
};

/// What a network is doing, for a status line: "building", "timed run".
using stage_callback = std::function<void(std::string_view stage, std::chrono::steady_clock::duration elapsed)>;

namespace detail {

/// The last `count` lines of a program's output, indented, for an error message.
inline std::string last_lines(const std::vector<io::stamped_line>& lines, std::size_t count = 8) {
  std::string out;
  for (std::size_t i = lines.size() > count ? lines.size() - count : 0; i < lines.size(); ++i)
    out += fmt::format("\n    {}", lines[i].text);
  return out.empty() ? std::string{"\n    (it printed nothing)"} : out;
}

/// Runs trtexec to its end, its output stamped into `output_file`. Throws interrupted on a stop
/// request, layerwatt::error when it fails or exceeds `limit`. `while_running` is called every
/// 50 ms (the logger's health check).
template <typename WhileRunning>
std::vector<io::stamped_line> run_trtexec(const std::vector<std::string>& argv, std::string_view run,
                                          const std::filesystem::path& output_file, std::chrono::steady_clock::duration limit,
                                          const std::stop_token& stop, const stage_callback& on_stage,
                                          WhileRunning&& while_running) {
  auto child = sense::child_process::start(argv, sense::child_output::pipe);
  sense::stamped_reader<sense::wall_clock> output(child.output());
  const auto started = std::chrono::steady_clock::now();
  std::optional<int> status;
  bool timed_out = false;
  while (!(status = child.try_wait())) {
    if (stop.stop_requested()) {
      child.signal(SIGINT);
      if (!child.wait_for(std::chrono::milliseconds{5000})) child.signal(SIGKILL);
      child.wait();
      io::write_stamped_lines(output_file, output.finish());
      throw interrupted{};
    }
    if (std::chrono::steady_clock::now() - started > limit) {
      timed_out = true;
      status = child.terminate();
      break;
    }
    while_running();
    if (on_stage) on_stage(run, std::chrono::steady_clock::now() - started);
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  auto lines = output.finish();
  io::write_stamped_lines(output_file, lines);
  const auto failed = [&](std::string_view how) {
    return error(fmt::format("trtexec {} during the {}; its last lines:{}\n  all of its output: {}\n  the command: {}", how,
                             run, last_lines(lines), output_file.string(), fmt::join(argv, " ")));
  };
  if (timed_out)
    throw failed(fmt::format("did not finish within {}", format_duration(std::chrono::duration_cast<microseconds>(limit))));
  if (*status != 0) {
    // A Ctrl-C at the terminal reaches trtexec (the whole process group) as it reaches us: our
    // stop request may come a moment after trtexec's end.
    if (WIFSIGNALED(*status) && (WTERMSIG(*status) == SIGINT || WTERMSIG(*status) == SIGTERM))
      for (int i = 0; i < 20 && !stop.stop_requested(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds{50});
    if (stop.stop_requested()) throw interrupted{};
    throw failed(sense::describe_wait_status(*status));
  }
  return lines;
}

/// Removes what an unfinished attempt left, but `idle_file`: the idle power measured for this
/// attempt into the network's folder (--idle-between).
inline void remove_previous_attempt(const io::campaign_network_files& files, const std::filesystem::path& idle_file) {
  std::error_code ec;
  for (const auto& f : files.written())
    if (f != idle_file) std::filesystem::remove(f, ec);
  std::filesystem::create_directories(files.directory, ec);
  if (ec) throw error(fmt::format("{}: cannot create: {}", files.directory.string(), ec.message()));
}

}  // namespace detail

/// Measures `network` into `files` (its folder), the power read by a sampler from `make_sampler()`
/// and stamped by `Clock` (the same clock stamps trtexec's output), `idle` the idle power of the
/// same rail. Returns what it wrote to network_measurement.json.
template <sense::clock Clock = sense::wall_clock, typename MakeSampler>
io::network_measurement measure_network(const network_input& network, const io::campaign_network_files& files,
                                        MakeSampler&& make_sampler, const idle_reference& idle,
                                        const network_settings& settings, const std::stop_token& stop,
                                        const stage_callback& on_stage = {}) {
  detail::remove_previous_attempt(files, idle.file);
  const auto build = build_command(settings.trtexec, network, files);
  detail::run_trtexec(build, "build and profile run", files.build_output, settings.build_timeout, stop, on_stage, [] {});
  for (const auto& [file, flag] : {std::pair{files.layer_info, "--exportLayerInfo"}, std::pair{files.profile, "--exportProfile"}})
    if (!std::filesystem::exists(file))
      throw error(fmt::format("trtexec wrote no {} ({}; TensorRT 8.2 or later writes it): see {}", file.string(), flag,
                              files.build_output.string()));
  io::read_engine_info(files.layer_info);
  io::read_trtexec_profile(files.profile);

  nlohmann::json board = sense::read_board_state(settings.sysfs_root, settings.nvpmodel);
  const auto timed = timed_command(settings.trtexec, network, files);
  const auto limit = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      settings.trtexec.warm_up + settings.trtexec.duration + settings.run_allowance);
  {
    auto sampler = make_sampler();
    sense::power_logger<decltype(sampler), Clock> logger(std::move(sampler),
                                                         {.log = files.power_log, .sampling = settings.sampling});
    try {
      detail::run_trtexec(timed, "timed run", files.timed_output, limit, stop, on_stage, [&] {
        if (logger.sampling_done()) logger.stop();  // a failed write: stop() throws it now
      });
    } catch (...) {
      logger.discard();
      throw;
    }
    logger.stop();
  }
  if (on_stage) on_stage("analysis", {});
  auto m = analyse_timed_run(files, idle, settings.analysis, "layerwatt measure");
  for (const auto& [key, value] : board.items()) m.board[key] = value;
  m.trtexec["build_command"] = build;
  m.trtexec["timed_command"] = timed;
  io::write_network_measurement(files.measurement, m);
  return m;
}

}  // namespace layerwatt::campaign
