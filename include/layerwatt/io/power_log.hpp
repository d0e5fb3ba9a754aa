#pragma once
// `<model>_power_log.log`, the power logger's output.
//
// Reference form, one rail, no header:      20241121-05:20:04.261448,5000.0,1096.0
// Several rails: a header names them, then one mV,mA pair per rail on each line:
//   timestamp,VDD_IN_mV,VDD_IN_mA,VDD_GPU_SOC_mV,VDD_GPU_SOC_mA
//   20241121-05:20:04.261448,5000.0,1096.0,5000.0,312.0
// mV × mA is µW, the unit of every power in the reference's files.

#include <algorithm>
#include <array>
#include <concepts>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "layerwatt/core/error.hpp"
#include "layerwatt/core/power_bound.hpp"
#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/core/warning.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/line_reader.hpp"
#include "layerwatt/io/link_target.hpp"
#include "layerwatt/io/number_text.hpp"

namespace layerwatt::io {

inline constexpr std::size_t max_power_log_rails = 16;
inline constexpr std::string_view power_log_header_prefix = "timestamp,";

/// What a power log holds besides its samples. No rail names: the reference's header-less form.
struct power_log_layout {
  std::vector<std::string> rails;
  [[nodiscard]] std::size_t rail_count() const noexcept { return rails.empty() ? 1 : rails.size(); }
  bool operator==(const power_log_layout&) const = default;
};

/// One reading of the power signal, as the join consumes it.
struct power_sample {
  time_stamp t;
  double power_uw;
  bool operator==(const power_sample&) const = default;
};

/// The median time between consecutive samples (by absolute difference): how often a log was
/// sampled. nullopt with fewer than two samples.
inline std::optional<microseconds> median_sample_interval(std::span<const power_sample> samples) {
  if (samples.size() < 2) return std::nullopt;
  std::vector<microseconds::rep> gaps(samples.size() - 1);
  for (std::size_t i = 1; i < samples.size(); ++i) gaps[i - 1] = std::abs((samples[i].t - samples[i - 1].t).count());
  const auto middle = gaps.begin() + static_cast<std::ptrdiff_t>(gaps.size() / 2);
  std::nth_element(gaps.begin(), middle, gaps.end());
  return microseconds{*middle};
}

struct power_log_read_result {
  power_log_layout layout;
  std::size_t samples = 0;
  bool dropped_unterminated_last_line = false;
};

namespace detail {

inline power_log_layout parse_power_log_header(std::string_view line, const line_reader& in) {
  power_log_layout layout;
  std::string_view rest = line.substr(power_log_header_prefix.size());
  const auto bad = [&](std::string_view why) {
    return error(in.path(), in.line_number(),
                 fmt::format("expected a header timestamp,<rail>_mV,<rail>_mA,... ({}), got {}", why,
                             quote_excerpt(line)));
  };
  while (!rest.empty()) {
    const auto comma1 = rest.find(',');
    if (comma1 == std::string_view::npos) throw bad("a rail has no _mA column");
    const std::string_view volts = rest.substr(0, comma1);
    rest.remove_prefix(comma1 + 1);
    const auto comma2 = rest.find(',');
    const std::string_view amps = rest.substr(0, comma2);
    rest.remove_prefix(comma2 == std::string_view::npos ? rest.size() : comma2 + 1);
    if (!volts.ends_with("_mV") || !amps.ends_with("_mA") || volts.size() <= 3 ||
        volts.substr(0, volts.size() - 3) != amps.substr(0, amps.size() - 3))
      throw bad("columns come in pairs NAME_mV,NAME_mA");
    layout.rails.emplace_back(volts.substr(0, volts.size() - 3));
  }
  if (layout.rails.empty()) throw bad("no rails");
  if (layout.rails.size() > max_power_log_rails)
    throw bad(fmt::format("at most {} rails", max_power_log_rails));
  return layout;
}

}  // namespace detail

inline constexpr std::string_view power_log_partial_suffix = ".partial";

/// `<log>.partial`, where a running logger writes: beside the file a linked `<log>` names
/// (link_target), which its rename at a clean stop replaces.
inline std::filesystem::path power_log_partial_path(const std::filesystem::path& log) {
  return link_target(log) += power_log_partial_suffix;
}

/// The least current a rail's sample may read (mA): an INA3221 reads a few mA below 0 on an idle
/// channel (its shunt offset), never an ampere.
inline constexpr double min_rail_current_ma = -100;
/// A sample's power may peak above the board bound for a moment, not by more than this factor.
inline constexpr double max_sample_power_factor = 10;

/// True where one rail's sample (mV, mA) can be a real reading: a voltage of at least 0; a current
/// a little below 0 (the INA3221's shunt offset on an idle channel), not -1 A; a power above the
/// board's mean bound for a moment, not tenfold (and not an infinite mV × mA). NaN is not.
constexpr bool plausible_rail_sample(double mv, double ma) noexcept {
  return mv >= 0 && ma >= min_rail_current_ma && mv * ma <= max_sample_power_factor * max_board_power_uw;
}

/// What plausible_rail_sample() accepts, and the sample it got, for messages.
inline std::string plausible_rail_sample_expected(double mv, double ma) {
  return fmt::format("expected a rail's mV of at least 0, mA of at least {} and a power (mV × mA) of at most {} W, "
                     "got {} mV, {} mA",
                     min_rail_current_ma, max_sample_power_factor * max_board_power_w, mv, ma);
}

/// Streams every sample of a power log to `sink(time_stamp, readings)`, where `readings` holds
/// mV, mA for each rail in header order. One pass, no allocation per line. A malformed line is an
/// error naming file and line; a last line without a newline (a logger killed mid-write) is
/// dropped with a warning, since its numbers may be cut short.
template <typename Sink>
  requires std::invocable<Sink&, time_stamp, std::span<const double>>
power_log_read_result read_power_log(const std::filesystem::path& path, Sink&& sink,
                                     const warning_sink& warn = print_warning) {
  line_reader in(path);
  power_log_read_result result;
  std::array<double, 2 * max_power_log_rails> readings{};
  std::size_t fields = 2;
  bool first = true;
  while (const auto line = in.next()) {
    if (in.last_line_unterminated()) {
      result.dropped_unterminated_last_line = true;
      warn(fmt::format("{}:{}: last line has no newline (a logger stopped mid-write?); dropped {}",
                       in.path(), in.line_number(), quote_excerpt(*line)));
      break;
    }
    if (first && line->starts_with(power_log_header_prefix)) {
      result.layout = detail::parse_power_log_header(*line, in);
      fields = 2 * result.layout.rails.size();
      first = false;
      continue;
    }
    first = false;
    const auto bad = [&] {
      return error(in.path(), in.line_number(),
                   fmt::format("expected {}{} (time stamp, then mV,mA per rail), got {}",
                               time_stamp_format, fields == 2 ? ",mV,mA" : ",mV,mA,...",
                               quote_excerpt(*line)));
    };
    std::string_view rest = *line;
    auto comma = rest.find(',');
    const auto stamp = try_parse_time_stamp(rest.substr(0, comma));
    if (!stamp || comma == std::string_view::npos) throw bad();
    for (std::size_t i = 0; i < fields; ++i) {
      rest.remove_prefix(comma + 1);
      comma = rest.find(',');
      const bool last = i + 1 == fields;
      if (last != (comma == std::string_view::npos)) throw bad();
      const auto value = parse_double(rest.substr(0, comma));
      if (!value) throw bad();
      readings[i] = *value;
    }
    for (std::size_t i = 0; i < fields; i += 2)
      if (!plausible_rail_sample(readings[i], readings[i + 1]))
        throw error(in.path(), in.line_number(), plausible_rail_sample_expected(readings[i], readings[i + 1]));
    sink(*stamp, std::span<const double>(readings.data(), fields));
    ++result.samples;
  }
  return result;
}

/// The samples of one rail as power (mV × mA = µW), in file order.
inline std::vector<power_sample> load_power_samples(const std::filesystem::path& path,
                                                    std::size_t rail = 0,
                                                    const warning_sink& warn = print_warning) {
  std::vector<power_sample> samples;
  const auto result = read_power_log(
      path,
      [&](time_stamp t, std::span<const double> r) {
        if (2 * rail + 1 < r.size()) samples.push_back({t, r[2 * rail] * r[2 * rail + 1]});
      },
      warn);
  if (rail >= result.layout.rail_count())
    throw error(fmt::format("{}: no rail {} (the log has {})", path.string(), rail,
                            result.layout.rail_count()));
  return samples;
}

/// The header line (with its newline) for a multi-rail layout; empty for the reference form.
inline std::string power_log_header(const power_log_layout& layout) {
  if (layout.rails.empty()) return {};
  std::string header{"timestamp"};
  for (const auto& rail : layout.rails) header += fmt::format(",{0}_mV,{0}_mA", rail);
  header += '\n';
  return header;
}

/// Appends one line in the reference form: stamp, then each reading as Python writes a float.
inline void append_power_log_line(std::string& out, time_stamp t, std::span<const double> readings) {
  const std::size_t at = out.size();
  out.resize(at + time_stamp_length);
  format_time_stamp(t, out.data() + at);
  for (const double r : readings) {
    out += ',';
    append_python_float(out, r);
  }
  out += '\n';
}

/// Writes a whole log atomically (the simulator's and the tests' path; the live logger streams).
template <typename Range>
void write_power_log(const std::filesystem::path& path, const power_log_layout& layout,
                     const Range& samples) {
  atomic_output_file out(path);
  out.write(power_log_header(layout));
  for (const auto& [t, readings] : samples) {
    append_power_log_line(out.buffer(), t, readings);
    out.maybe_flush();
  }
  out.commit();
}

}  // namespace layerwatt::io
