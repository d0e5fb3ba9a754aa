#pragma once
// A sampler that plays back a script, for tests and demos without a sensor: each read() returns
// the script's next step, and a step with no readings is a failed read. The script repeats.

#include <algorithm>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/io/power_log_meta.hpp"
#include "layerwatt/sense/sampler.hpp"

namespace layerwatt::sense {

class replay_sampler {
 public:
  /// `steps[i]` holds one reading per rail, or nothing for a failed read.
  replay_sampler(std::vector<io::rail_source> rails, std::vector<std::vector<rail_reading>> steps,
                 sensor_timing timing = {}, std::string source = "replay")
      : rails_(std::move(rails)), steps_(std::move(steps)), timing_(timing), source_(std::move(source)) {
    if (rails_.empty() || rails_.size() > io::max_power_log_rails)
      throw error(fmt::format("a replay sampler needs 1 to {} rails, got {}", io::max_power_log_rails, rails_.size()));
    if (steps_.empty()) throw error("a replay sampler needs at least one step");
    for (std::size_t i = 0; i < steps_.size(); ++i)
      if (!steps_[i].empty() && steps_[i].size() != rails_.size())
        throw error(fmt::format("replay step {} has {} readings for {} rails", i, steps_[i].size(), rails_.size()));
  }

  [[nodiscard]] std::span<const io::rail_source> rails() const noexcept { return rails_; }
  [[nodiscard]] std::string_view source() const noexcept { return source_; }
  [[nodiscard]] sensor_timing timing() const noexcept { return timing_; }

  bool read(std::span<rail_reading> out) noexcept {
    const auto& step = steps_[next_];
    next_ = next_ + 1 == steps_.size() ? 0 : next_ + 1;
    if (step.empty()) return false;
    std::copy(step.begin(), step.end(), out.begin());
    return true;
  }

 private:
  std::vector<io::rail_source> rails_;
  std::vector<std::vector<rail_reading>> steps_;
  sensor_timing timing_;
  std::string source_;
  std::size_t next_ = 0;
};

static_assert(sampler<replay_sampler>);

}  // namespace layerwatt::sense
