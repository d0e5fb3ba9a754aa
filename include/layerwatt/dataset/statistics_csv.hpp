#pragma once
// The reference's per-layer statistics files, written beside a model's mapping file:
//   <model>_average_power_stats.csv     describe() of the power (µW, idle excluded) per layer
//   <model>_average_run_time_stats.csv  describe() of the runtime (ms) per layer
// Columns layer_name,count,mean,std,min,25%,50%,75%,max; one row per modelled layer, by name;
// numbers as pandas writes them (count too is a float, "4.0"; a missing value is an empty cell).

#include <cmath>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/dataset/layer_measurements.hpp"
#include "layerwatt/dataset/pandas_statistics.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/csv.hpp"
#include "layerwatt/io/number_text.hpp"

namespace layerwatt::dataset {

/// Which of a layer's series a statistics file describes; the names are the reference's.
enum class measured { power, run_time };

constexpr std::string_view column_name(measured m) noexcept {
  return m == measured::power ? "average_power" : "average_run_time";
}

/// `<directory>/<model>_average_power_stats.csv` or `..._average_run_time_stats.csv`.
inline std::filesystem::path statistics_csv_path(const std::filesystem::path& directory, std::string_view model,
                                                 measured m) {
  return directory / fmt::format("{}_{}_stats.csv", model, column_name(m));
}

inline void write_statistics_csv(const std::filesystem::path& path, const layer_measurements& measurements,
                                 measured m) {
  io::atomic_output_file out(path);
  std::string& b = out.buffer();
  b += "layer_name";
  for (const char* column : description_columns) fmt::format_to(std::back_inserter(b), ",{}", column);
  b += '\n';
  std::vector<double> scratch;
  for (const auto* layer : measurements.modelled_by_name()) {
    const auto d = describe(m == measured::power ? layer->power_uw : layer->run_time_ms, scratch);
    io::append_csv_field(b, layer->name);
    for (const double v : {d.count, d.mean, d.std, d.min, d.q25, d.q50, d.q75, d.max}) {
      b += ',';
      if (!std::isnan(v)) io::append_python_float(b, v);
    }
    b += '\n';
    out.maybe_flush();
  }
  out.commit();
}

}  // namespace layerwatt::dataset
