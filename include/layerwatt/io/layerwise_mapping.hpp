#pragma once
// `power_runtime_mapping_layerwise.csv`: one row per layer per inference cycle, the join's output.
// Columns exactly as the reference writes them; an absent power is an empty field.

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/compile.h>

#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/csv.hpp"
#include "layerwatt/io/number_text.hpp"

namespace layerwatt::io {

inline constexpr std::array<std::string_view, 6> layerwise_mapping_columns = {
    "cycle",
    "layer_name",
    "layer_type",
    "layer_power_including_idle_power_micro_watt",
    "layer_power_excluding_idle_power_micro_watt",
    "layer_run_time"};

/// A row; the strings are views so that writing a million rows copies no name.
struct layerwise_row {
  std::int64_t cycle = 0;  ///< 1-based
  std::string_view layer_name;
  std::string_view layer_type;
  std::optional<double> power_including_idle_uw;
  std::optional<double> power_excluding_idle_uw;
  double run_time_ms = 0;
};

class layerwise_mapping_writer {
 public:
  explicit layerwise_mapping_writer(const std::filesystem::path& path) : out_(path) {
    for (std::size_t i = 0; i < layerwise_mapping_columns.size(); ++i) {
      if (i) out_.put(',');
      out_.write(layerwise_mapping_columns[i]);
    }
    out_.put('\n');
  }

  void write(const layerwise_row& row) {
    std::string& b = out_.buffer();
    char cycle[24];
    b.append(cycle, fmt::format_to(cycle, FMT_COMPILE("{},"), row.cycle));
    append_csv_field(b, row.layer_name);
    b += ',';
    append_csv_field(b, row.layer_type);
    b += ',';
    if (row.power_including_idle_uw) append_python_float(b, *row.power_including_idle_uw);
    b += ',';
    if (row.power_excluding_idle_uw) append_python_float(b, *row.power_excluding_idle_uw);
    b += ',';
    append_python_float(b, row.run_time_ms);
    b += '\n';
    out_.maybe_flush();
  }

  /// Makes the file visible; without it the destination is left as it was.
  void commit() { out_.commit(); }

 private:
  atomic_output_file out_;
};

/// Streams the rows of a mapping file to `sink(const layerwise_row&)`; views die with the call.
template <typename Sink>
std::size_t read_layerwise_mapping(const std::filesystem::path& path, Sink&& sink) {
  csv_reader in(path);
  std::array<std::size_t, layerwise_mapping_columns.size()> col{};
  for (std::size_t i = 0; i < col.size(); ++i) col[i] = in.column(layerwise_mapping_columns[i]);
  std::size_t rows = 0;
  while (in.next()) {
    layerwise_row row;
    row.cycle = in.integer<std::int64_t>(col[0]);
    row.layer_name = in.field(col[1]);
    row.layer_type = in.field(col[2]);
    row.power_including_idle_uw = in.optional_number(col[3]);
    row.power_excluding_idle_uw = in.optional_number(col[4]);
    row.run_time_ms = in.number(col[5]);
    // Above idle may be below 0 (a layer drawing less than the idle reading); nothing else may.
    // No upper bound: the readings map joins are bounded (io/power_log.hpp), and the statistics
    // convert takes are the reference's on any finite value, outliers included.
    if (row.power_including_idle_uw && !(*row.power_including_idle_uw >= 0))
      in.fail(fmt::format("a power in µW of at least 0 in column \"{}\", got {}", layerwise_mapping_columns[3],
                          *row.power_including_idle_uw));
    if (!(row.run_time_ms >= 0))
      in.fail(fmt::format("a runtime in ms of at least 0 in column \"{}\", got {}", layerwise_mapping_columns[5],
                          row.run_time_ms));
    sink(row);
    ++rows;
  }
  return rows;
}

}  // namespace layerwatt::io
