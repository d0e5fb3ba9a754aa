#pragma once
// Which rail of a power log the join uses: one rail by name or index, or the sum of several,
// written `A+B+C`. A board without an input rail (Jetson AGX Orin, AGX Xavier) measures the
// module's power as the sum of its rails, which jtop and energymon report too; the sum is taken
// per sample, over rails read together.
//
// A log's rails are named by its header line (several rails) or, for the reference's header-less
// one-rail form, by its `.meta.json` (what `layerwatt log` and `simulate` write); a log with
// neither has one unnamed rail, index 0.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/core/warning.hpp"
#include "layerwatt/io/line_reader.hpp"
#include "layerwatt/io/number_text.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/io/power_log_meta.hpp"

namespace layerwatt::io {

inline constexpr char rail_sum_separator = '+';

/// `A+B+C` → {A, B, C}; `A` → {A}. An error for an empty name or one named twice.
inline std::vector<std::string> split_rail_sum(std::string_view spec) {
  std::vector<std::string> names;
  std::size_t at = 0;
  for (;;) {
    const std::size_t plus = spec.find(rail_sum_separator, at);
    const std::string_view name = spec.substr(at, plus == std::string_view::npos ? spec.npos : plus - at);
    if (name.empty())
      throw error(fmt::format("rail \"{}\": expected NAME or NAME+NAME+..., with no empty name", spec));
    for (const auto& seen : names)
      if (seen == name) throw error(fmt::format("rail \"{}\": \"{}\" is named twice", spec, name));
    names.emplace_back(name);
    if (plus == std::string_view::npos) return names;
    at = plus + 1;
  }
}

/// The rail (or sum of rails) a join reads from a log.
struct rail_selection {
  std::string name;                  ///< as the summary and the metadata show it: `VDD_IN`, `A+B+C`, `0`
  std::vector<std::size_t> columns;  ///< 0-based rail columns of the log, summed per sample
  std::vector<std::string> rails;    ///< each column's name (its index where the log names none)
  bool named = false;                ///< whether the log names its rails
  bool operator==(const rail_selection&) const = default;
};

/// A log's rails as far as they are named, and where its samples begin.
struct power_log_rails {
  std::vector<std::string> names;     ///< empty: one unnamed rail
  std::size_t first_sample_line = 1;  ///< 2 after a header line
};

/// The rail names of a log: its header's, else its sidecar's (one rail, the header-less form);
/// none when neither names them. An error when the sidecar's rails do not fit the log.
inline power_log_rails read_power_log_rails(const std::filesystem::path& log, const std::optional<power_log_meta>& meta) {
  line_reader in(log);
  if (const auto first = in.next(); first && first->starts_with(power_log_header_prefix))
    return {detail::parse_power_log_header(*first, in).rails, 2};
  if (!meta || meta->rails.empty()) return {};
  if (meta->rails.size() != 1)
    throw error(fmt::format("{}: its .meta.json names {} rails, but the log has no header naming them (a log of "
                            "several rails starts with timestamp,<rail>_mV,<rail>_mA,...)",
                            log.string(), meta->rails.size()));
  return {{meta->rails.front().name}, 1};
}

/// Resolves `spec` — empty (the first rail), a rail's name or 0-based index, or `A+B+...` of
/// those — against a log's rail `names` (empty: one unnamed rail). A rail named exactly `spec`
/// (a sum logged as one column) wins over summing. Errors name `log` and list its rails.
inline rail_selection select_rails(const std::filesystem::path& log, std::span<const std::string> names,
                                   std::string_view spec) {
  const std::size_t count = names.empty() ? 1 : names.size();
  const auto name_of = [&](std::size_t i) { return names.empty() ? std::to_string(i) : names[i]; };
  const auto find = [&](std::string_view rail) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == rail) return i;
    if (const auto i = parse_integer<std::size_t>(rail); i && *i < count) return *i;
    return std::nullopt;
  };
  rail_selection out;
  if (spec.empty()) {
    out.columns = {0};
  } else if (const auto whole = find(spec)) {
    out.columns = {*whole};
  } else {
    for (const auto& rail : split_rail_sum(spec)) {
      const auto column = find(rail);
      if (!column)
        throw error(fmt::format("{}: no rail \"{}\"; the log has {}", log.string(), rail,
                                names.empty() ? std::string{"one unnamed rail (0)"}
                                              : fmt::format("{}", fmt::join(names, ", "))));
      out.columns.push_back(*column);
    }
  }
  for (const std::size_t c : out.columns) out.rails.push_back(name_of(c));
  out.named = !names.empty();
  out.name = fmt::format("{}", fmt::join(out.rails, std::string_view(&rail_sum_separator, 1)));
  return out;
}

/// The power (µW) of the selected rail, or the sum over its rails, per sample in file order.
inline std::vector<power_sample> load_power_samples(const std::filesystem::path& path, const rail_selection& rails,
                                                    const warning_sink& warn = print_warning) {
  std::vector<power_sample> samples;
  std::size_t width = 0;
  read_power_log(
      path,
      [&](time_stamp t, std::span<const double> r) {
        width = r.size() / 2;
        double sum_uw = 0;
        for (const std::size_t c : rails.columns)
          if (c < width) sum_uw += r[2 * c] * r[2 * c + 1];
        samples.push_back({t, sum_uw});
      },
      warn);
  for (const std::size_t c : rails.columns)
    if (width != 0 && c >= width)
      throw error(fmt::format("{}: no rail {} (the log has {})", path.string(), c, width));
  return samples;
}

}  // namespace layerwatt::io
