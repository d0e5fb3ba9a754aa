// layerwatt sensors — the INA3221 rails of this board, their files, and a live reading.

#include <map>
#include <string>

#include <fmt/format.h>

#include "commands.hpp"
#include "layerwatt/sense/ina3221.hpp"
#include "layerwatt/sense/sysfs_attribute.hpp"
#include "table.hpp"

namespace layerwatt::cli {
namespace {

constexpr std::string_view help = R"(Usage: layerwatt sensors [--sysfs-root DIR]

List the rails of the board's INA3221 power monitors (both the hwmon layout of JetPack 5 and
later and the iio layout of JetPack 4): each rail's label, layout and channel, the files its
voltage (mV) and current (mA) are read from, and one live reading. The default rail (the board
input, VDD_IN or POM_5V_IN) is marked with *. Then, for each chip, the driver's update_interval
and averaging samples, and from them how often the chip produces a new value: sampling faster
than that only repeats readings.

Options:
  --sysfs-root DIR   where sysfs is mounted (default /sys; tests use a fake tree)
  --help             this text

Exit status: 0 success (a rail that cannot be read shows "-"); 1 no INA3221 rail found (the
message lists every path searched); 2 bad command line.
)";

std::string reading(const std::filesystem::path& path, std::optional<double>& value) {
  try {
    value = sense::sysfs_attribute(path).read();
  } catch (const error&) {
    value.reset();
  }
  return value ? fmt::format("{}", *value) : "-";
}

int run(arguments& args) {
  const std::filesystem::path root = args.value("--sysfs-root").value_or("/sys");
  args.finish();

  const auto scan = sense::scan_ina3221(root);
  std::optional<std::string> default_rail;
  try {
    default_rail = sense::select_ina3221_rails(scan, {}).front().name;
  } catch (const error&) {  // no board-input rail: then there is no default to mark
  }
  using align = text_table::align;
  text_table table({"rail", "layout", "channel", "voltage file", "current file", "mV", "mA", "mW"},
                   {align::left, align::left, align::right, align::left, align::left, align::right, align::right,
                    align::right});
  std::map<std::filesystem::path, sense::sensor_timing> chips;
  for (const auto& r : scan.rails) {
    std::optional<double> mv, ma;
    const std::string mv_text = reading(r.voltage_path, mv), ma_text = reading(r.current_path, ma);
    table.add({r.name + (r.name == default_rail ? " *" : ""),
               r.layout == sense::ina3221_layout::hwmon ? "hwmon" : "iio", std::to_string(r.channel),
               r.voltage_path.string(), r.current_path.string(), mv_text, ma_text,
               mv && ma ? fmt::format("{:.1f}", *mv * *ma / 1000) : "-"});
    chips.emplace(r.device, r.timing);
  }
  fmt::print("INA3221 rails under {}:\n\n", root.string());
  table.print();
  fmt::print("\n{}\n", default_rail ? fmt::format("* the default rail ({}, the board input)", *default_rail)
                                    : "No board-input rail (VDD_IN or POM_5V_IN): give `log` and `idle` a --rail.");
  for (const auto& [device, timing] : chips) {
    if (!timing.update_interval_ms) {
      fmt::print("{}: the driver does not show its update interval (iio layout)\n", device.string());
      continue;
    }
    fmt::print("{}: update_interval {} ms, samples {}", device.string(), *timing.update_interval_ms,
               timing.samples ? std::to_string(*timing.samples) : "?");
    if (timing.refresh_interval)
      fmt::print(" -> a new value every {} µs\n", timing.refresh_interval->count());
    else
      fmt::print(" -> under 0.5 ms per value (the driver rounds to whole ms)\n");
  }
  return exit_ok;
}

}  // namespace

const command sensors_command{"sensors", "list the INA3221 power rails, their sysfs files and a live reading", help,
                              run};

}  // namespace layerwatt::cli
