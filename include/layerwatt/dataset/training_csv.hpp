#pragma once
// The training CSVs, TRAINING_DIR/<model>/{convolutional,pooling,dense,memory_bound}.csv: one row per layer,
// its features, then the reference's targets, then what layerwatt adds:
//
//   convolutional  <features::convolutional>, power, runtime, layer_name, groups, dilation_0, dilation_1, precision
//   pooling        <features::pooling>,       power, runtime, layer_name, precision
//   dense          <features::dense>,         power, runtime, layer_name, precision
//
//   memory_bound   <features::memory_bound>,  power, runtime, layer_name, precision
//
// power is the mean over cycles in µW with idle power excluded, runtime the mean in ms; an empty
// cell is a value not measured (a runtime-only row, from a profile without power). The
// reference's columns come first and in its order, so a reader of the reference's files reads
// ours; the extra ones (docs/deviations.md) let grouped, depthwise and dilated convolutions and
// mixed precision be modelled. The reader finds columns by name and reads either.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/dataset/feature_columns.hpp"
#include "layerwatt/dataset/layer_features.hpp"
#include "layerwatt/dataset/layer_kind.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/csv.hpp"
#include "layerwatt/io/csv_table.hpp"
#include "layerwatt/io/directory.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/io/number_text.hpp"
#include "layerwatt/io/precision.hpp"

namespace layerwatt::dataset {

/// A kind's columns: the reference's features, and the numeric columns layerwatt adds after
/// the targets (before `precision`).
template <layer_kind Kind>
struct training_layout;

template <>
struct training_layout<layer_kind::convolutional> {
  using feature_columns = features::convolutional;
  using extra_columns = features::feature_list<features::groups, features::dilation_h, features::dilation_w>;
};

template <>
struct training_layout<layer_kind::pooling> {
  using feature_columns = features::pooling;
  using extra_columns = features::feature_list<>;
};

template <>
struct training_layout<layer_kind::dense> {
  using feature_columns = features::dense;
  using extra_columns = features::feature_list<>;
};

template <>
struct training_layout<layer_kind::memory_bound> {
  using feature_columns = features::memory_bound;
  using extra_columns = features::feature_list<>;
};

/// Calls f(training_layout<K>{}) for the run-time kind.
template <typename F>
decltype(auto) with_layout(layer_kind kind, F&& f) {
  switch (kind) {
    case layer_kind::convolutional: return f(training_layout<layer_kind::convolutional>{});
    case layer_kind::pooling: return f(training_layout<layer_kind::pooling>{});
    case layer_kind::dense: return f(training_layout<layer_kind::dense>{});
    case layer_kind::memory_bound: break;
  }
  return f(training_layout<layer_kind::memory_bound>{});
}

inline constexpr std::string_view power_column = features::target_columns[0];
inline constexpr std::string_view runtime_column = features::target_columns[1];
inline constexpr std::string_view layer_name_column = features::target_columns[2];

/// `<directory>/<kind>.csv`
inline std::filesystem::path training_csv_path(const std::filesystem::path& directory, layer_kind kind) {
  return directory / fmt::format("{}.csv", to_string(kind));
}

/// Every kind's `<directory>/<kind>.csv`, in all_layer_kinds' order.
inline std::vector<std::filesystem::path> training_csv_paths(const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> paths;
  for (const auto kind : all_layer_kinds) paths.push_back(training_csv_path(directory, kind));
  return paths;
}

/// Removes `directory`'s training CSVs, every kind's: a model skipped or failed keeps none of an
/// earlier run's, which training would read as this run's. Errors: a CSV that cannot be removed
/// (named).
inline void remove_training_csvs(const std::filesystem::path& directory) {
  for (const auto& csv : training_csv_paths(directory)) io::remove_if_present(csv);
}

/// The header of a kind's training CSV, in order.
inline std::vector<std::string_view> training_columns(layer_kind kind) {
  return with_layout(kind, []<typename Layout>(Layout) {
    std::vector<std::string_view> columns(Layout::feature_columns::names.begin(), Layout::feature_columns::names.end());
    columns.insert(columns.end(), features::target_columns.begin(), features::target_columns.end());
    columns.insert(columns.end(), Layout::extra_columns::names.begin(), Layout::extra_columns::names.end());
    columns.push_back(features::precision_column);
    return columns;
  });
}

/// One layer to be written: its engine description (for the features) and its averages.
struct training_record {
  const io::engine_layer* layer;  ///< what the features are read from
  double power_uw;                ///< mean over cycles, idle excluded; NaN when not measured
  double run_time_ms;             ///< mean over cycles; NaN when not measured
};

namespace detail {

/// Whole numbers as integers (pandas writes integer columns so), anything else as Python does.
inline void append_feature(std::string& out, double value) {
  if (value == std::trunc(value) && std::fabs(value) < 9007199254740992.0)
    fmt::format_to(std::back_inserter(out), "{}", static_cast<std::int64_t>(value));
  else
    io::append_python_float(out, value);
}

/// A measurement, or an empty cell where there is none.
inline void append_measurement(std::string& out, double value) {
  if (!std::isnan(value)) io::append_python_float(out, value);
  out += ',';
}

template <typename Features>
void append_features(std::string& out, const io::engine_layer& layer) {
  for (const double v : features::features_of<Features>(layer)) {
    append_feature(out, v);
    out += ',';
  }
}

}  // namespace detail

/// Writes a kind's training CSV atomically. A layer lacking what a feature needs is an error
/// naming it, and no file is written.
inline void write_training_csv(const std::filesystem::path& path, layer_kind kind,
                               std::span<const training_record> records) {
  io::atomic_output_file out(path);
  std::string& b = out.buffer();
  const auto columns = training_columns(kind);
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i) b += ',';
    b += columns[i];
  }
  b += '\n';
  with_layout(kind, [&]<typename Layout>(Layout) {
    for (const auto& r : records) {
      detail::append_features<typename Layout::feature_columns>(b, *r.layer);
      detail::append_measurement(b, r.power_uw);
      detail::append_measurement(b, r.run_time_ms);
      io::append_csv_field(b, r.layer->name);
      b += ',';
      detail::append_features<typename Layout::extra_columns>(b, *r.layer);
      b += io::to_string(features::precision_of(*r.layer));
      b += '\n';
    }
  });
  out.commit();
}

/// Each row's `precision` cell, one of io::precision_names ("fp16", "int8", ... as the writer
/// puts them); one empty string per row where the file has no such column (the reference's).
/// Errors: a cell of another name (a precision no layer has), naming the file and line.
inline std::vector<std::string> precision_texts(const io::csv_table& table) {
  if (!table.has_column(features::precision_column)) return std::vector<std::string>(table.rows.size());
  auto texts = table.texts(features::precision_column);
  for (std::size_t r = 0; r < texts.size(); ++r)
    if (std::find(io::precision_names.begin(), io::precision_names.end(), texts[r]) == io::precision_names.end())
      throw error(table.file, table.line_of(r),
                  fmt::format("expected a precision in column \"{}\" ({}), got {}", features::precision_column,
                              fmt::join(io::precision_names, ", "), quote_excerpt(texts[r])));
  return texts;
}

/// One row of a training CSV, read back: the columns of `Features` (any feature_list whose
/// columns the file has, extras included), the targets, and the precision when the file has it.
template <typename Features>
struct training_sample {
  std::array<double, Features::size> features{};
  double power_uw = 0;     ///< NaN where not measured
  double run_time_ms = 0;  ///< NaN where not measured
  std::string layer_name;
  std::string precision;  ///< empty in the reference's files, which have no such column
};

/// Reads a training CSV (ours or the reference's). A missing column or a cell that is not a
/// number is an error naming the file, the line and the column.
template <typename Features>
std::vector<training_sample<Features>> read_training_csv(const std::filesystem::path& path) {
  const io::csv_table table = io::read_csv_table(path);
  std::vector<training_sample<Features>> out(table.rows.size());
  for (std::size_t f = 0; f < Features::size; ++f) {
    const auto values = table.numbers(Features::names[f]);
    for (std::size_t r = 0; r < out.size(); ++r) out[r].features[f] = values[r];
  }
  const auto power = table.numbers_or_missing(power_column), runtime = table.numbers_or_missing(runtime_column);
  const auto names = table.texts(layer_name_column);
  auto precision = precision_texts(table);
  for (std::size_t r = 0; r < out.size(); ++r) {
    out[r].power_uw = power[r];
    out[r].run_time_ms = runtime[r];
    out[r].layer_name = names[r];
    out[r].precision = std::move(precision[r]);
  }
  return out;
}

}  // namespace layerwatt::dataset
