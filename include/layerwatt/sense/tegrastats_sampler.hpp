#pragma once
// tegrastats as a sampler: the one power source every Jetson has, needing neither root nor the
// INA3221's sysfs files. The sampler runs `tegrastats --interval N` itself and reads its lines
// as they are printed; each line is one reading of one rail (or a sum of rails, `A+B+C`), its
// instant value (the first of `NAME a/b`: the power when the line was printed, in mW), stamped
// by the logger when the line arrived. tegrastats' own stamps (whole seconds, JetPack 5 and 6
// only) are not used.
//
// A line every `interval` (100 ms here by default; tegrastats' own default is 1 s) gives a
// network's mean power over a run of seconds, not a layer's: the join refuses such a log, and
// the campaign's energy window uses it as it should (join/timed_run.hpp).
//
// read() blocks until the next line arrives (at most one interval, while tegrastats runs); once
// tegrastats has ended, each read waits one interval and fails, so a logger does not spin.

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/power_log_meta.hpp"
#include "layerwatt/io/rail_selection.hpp"
#include "layerwatt/io/tegrastats.hpp"
#include "layerwatt/sense/child_process.hpp"
#include "layerwatt/sense/ina3221.hpp"
#include "layerwatt/sense/sampler.hpp"

namespace layerwatt::sense {

struct tegrastats_options {
  std::string program = "tegrastats";  ///< searched in PATH
  microseconds interval{100'000};      ///< tegrastats --interval
  std::string rail;                    ///< a rail or `A+B+C`; empty: the board input (VDD_IN or POM_5V_IN)
  std::chrono::milliseconds first_line_timeout{10'000};  ///< waiting for the first line, which names the rails
};

class tegrastats_sampler {
 public:
  /// Starts tegrastats and reads its first line to find the rail(s). Errors: tegrastats cannot
  /// run, prints no line in time, or has no such rail (listing those it has).
  static tegrastats_sampler open(const tegrastats_options& options) {
    const auto interval_ms = std::max<std::int64_t>(1, options.interval.count() / 1000);
    std::vector<std::string> argv = {options.program, "--interval", std::to_string(interval_ms)};
    tegrastats_sampler s(child_process::start(argv, child_output::pipe), options);
    const auto until = std::chrono::steady_clock::now() + options.first_line_timeout;
    std::string_view line;
    while (!s.next_line(line, until)) {
      if (std::chrono::steady_clock::now() >= until || s.ended_)
        throw error(fmt::format("{} printed no line within {} ms{}", fmt::join(argv, " "),
                                options.first_line_timeout.count(), s.ended_ ? " (it ended)" : ""));
    }
    s.parse(line);
    std::vector<std::string> names;
    for (const auto& r : s.found_) names.emplace_back(r.name);
    if (names.empty())
      throw error(fmt::format("{} printed {}, not a tegrastats line with rails (NAME a/b or NAME amW/bmW)",
                              options.program, quote_excerpt(line)));
    std::string spec = options.rail;
    if (spec.empty()) {
      for (const auto input : board_input_rails)
        if (std::find(names.begin(), names.end(), input) != names.end()) spec = std::string(input);
      if (spec.empty())
        throw error(fmt::format("tegrastats shows no board-input rail ({} or {}); choose one with --rail from: {}",
                                board_input_rails[0], board_input_rails[1], fmt::join(names, ", ")));
    }
    s.wanted_ = io::split_rail_sum(spec);
    for (const auto& name : s.wanted_)
      if (std::find(names.begin(), names.end(), name) == names.end())
        throw error(fmt::format("tegrastats shows no rail {}; it shows {}", name, fmt::join(names, ", ")));
    s.rails_ = {io::rail_source{spec, "", ""}};
    return s;
  }

  [[nodiscard]] std::span<const io::rail_source> rails() const noexcept { return rails_; }
  [[nodiscard]] std::string_view source() const noexcept { return "tegrastats"; }
  [[nodiscard]] sensor_timing timing() const { return {.refresh_interval = options_.interval}; }

  bool read(std::span<rail_reading> out) noexcept {
    std::string_view line;
    if (!next_line(line, std::chrono::steady_clock::now() + 4 * options_.interval + std::chrono::seconds{1})) {
      if (ended_) std::this_thread::sleep_for(options_.interval);
      return false;
    }
    parse(line);
    double power_mw = 0;
    for (const auto& name : wanted_) {
      const auto it = std::find_if(found_.begin(), found_.end(), [&](const auto& r) { return r.name == name; });
      if (it == found_.end()) return false;
      power_mw += it->instant_mw;
    }
    out[0] = rail_reading::from_power_mw(power_mw);
    return true;
  }

  void begin_run() noexcept {}
  void end_run(io::power_log_meta& meta) {
    meta.extra["tegrastats"] = {{"program", options_.program},
                                {"interval_ms", static_cast<double>(options_.interval.count()) / 1000},
                                {"value", "instant"},
                                {"rails", wanted_},
                                {"ended_during_the_run", ended_}};
  }

  tegrastats_sampler(tegrastats_sampler&&) noexcept = default;
  tegrastats_sampler& operator=(tegrastats_sampler&&) noexcept = default;
  ~tegrastats_sampler() {
    if (child_.pid() > 0) child_.terminate(std::chrono::milliseconds{1000});
  }

 private:
  tegrastats_sampler(child_process child, const tegrastats_options& options)
      : child_(std::move(child)), options_(options), buffer_(std::make_unique<std::array<char, 65536>>()) {
    found_.reserve(64);
  }

  /// The next whole line, waiting until `until`; false when none came (or tegrastats ended).
  bool next_line(std::string_view& line, std::chrono::steady_clock::time_point until) noexcept {
    auto& b = *buffer_;
    for (;;) {
      if (const void* nl = std::memchr(b.data() + begin_, '\n', end_ - begin_)) {
        const auto at = static_cast<std::size_t>(static_cast<const char*>(nl) - b.data());
        line = std::string_view(b.data() + begin_, at - begin_);
        if (line.ends_with('\r')) line.remove_suffix(1);
        begin_ = at + 1;
        return true;
      }
      if (ended_) return false;
      if (begin_ > 0) {
        std::memmove(b.data(), b.data() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
      }
      if (end_ == b.size()) end_ = 0;  // a line longer than the buffer is not tegrastats': dropped
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{child_.output(), POLLIN, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
      if (ready <= 0) continue;
      const ssize_t n = ::read(child_.output(), b.data() + end_, b.size() - end_);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        ended_ = true;
        continue;
      }
      end_ += static_cast<std::size_t>(n);
    }
  }

  void parse(std::string_view line) noexcept {
    // found_ is reserved: push_back within capacity, no allocation.
    io::detail::tegrastats_rails(io::detail::after_stamp(line), found_);
  }

  child_process child_;
  tegrastats_options options_;
  std::unique_ptr<std::array<char, 65536>> buffer_;
  std::size_t begin_ = 0, end_ = 0;
  bool ended_ = false;
  std::vector<io::detail::tegrastats_rail> found_;  ///< views into buffer_, valid until the next read
  std::vector<std::string> wanted_;
  std::vector<io::rail_source> rails_;
};

static_assert(run_aware_sampler<tegrastats_sampler>);

}  // namespace layerwatt::sense
