// layerwatt sensors — the INA3221 rails of this board (or the NVIDIA GPUs NVML sees) and a live reading.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "layerwatt/sense/ina3221.hpp"
#include "layerwatt/sense/nvml.hpp"
#include "layerwatt/sense/sysfs_attribute.hpp"
#include "table.hpp"

namespace layerwatt::cli {
namespace {

constexpr std::string_view help = R"(Usage: layerwatt sensors [--sysfs-root DIR]
       layerwatt sensors --nvml

List the rails of the board's INA3221 power monitors (both the hwmon layout of JetPack 5 and
later and the iio layout of JetPack 4): each rail's label, layout and channel, the files its
voltage (mV) and current (mA) are read from, and one live reading. The default rail (the board
input, VDD_IN or POM_5V_IN) is marked with *. Then, for each chip, the driver's update_interval
and averaging samples, and from them how often the chip produces a new value: sampling faster
than that only repeats readings.

With --nvml, list the NVIDIA GPUs NVML sees instead: each GPU's index, name and UUID (either
chooses it for `log --nvml --gpu` and `idle --nvml --gpu`), which reading the sampler takes
(nvml-instant: NVML_FI_DEV_POWER_INSTANT, the power now; nvml-power-usage:
nvmlDeviceGetPowerUsage, a mean over the last second on Ampere and newer GPUs, used where the
driver lacks the instant field), one live reading in mW, and the GPU's total-energy counter
(J since the driver loaded; "-" where the GPU has none). GPU 0, the default, is marked with *.

Options:
  --sysfs-root DIR   where sysfs is mounted (default /sys; tests use a fake tree)
  --nvml             list NVIDIA GPUs through NVML (libnvidia-ml.so.1, from the driver; the
                     environment variable LAYERWATT_NVML_LIBRARY overrides the path)
  --help             this text

Exit status: 0 success (a rail or GPU that cannot be read shows "-"); 1 no INA3221 rail found
(the message lists every path searched), or NVML not usable or no GPU (the message names the
library, the call and NVML's error); 2 bad command line.
)";

std::string reading(const std::filesystem::path& path, std::optional<double>& value) {
  try {
    value = sense::sysfs_attribute(path).read();
  } catch (const error&) {
    value.reset();
  }
  return value ? fmt::format("{}", *value) : "-";
}

/// Every GPU: its reading, a live value and its energy counter; why a GPU cannot be read.
int print_nvml_gpus() {
  const auto nvml = std::make_shared<const sense::nvml_library>();
  const auto gpus = sense::scan_nvml(*nvml);
  using align = text_table::align;
  text_table table({"GPU", "name", "UUID", "source", "mW", "energy counter (J)"},
                   {align::left, align::left, align::left, align::left, align::right, align::right});
  std::vector<std::string> notes;
  for (const auto& gpu : gpus) {
    std::vector<std::string> row{fmt::format("{}{}", gpu.index, gpu.index == 0 ? " *" : ""), gpu.name, gpu.uuid,
                                 "-", "-", "-"};
    try {
      sense::nvml_sampler sampler(nvml, std::to_string(gpu.index));
      row[3] = sampler.source();
      if (sense::rail_reading r[1]; sampler.read(r)) row[4] = fmt::format("{:.1f}", r[0].current_ma);
      if (const auto mj = sampler.energy_mj()) row[5] = fmt::format("{:.3f}", static_cast<double>(*mj) / 1000);
      if (!sampler.instant_unavailable().empty())
        notes.push_back(fmt::format("GPU {}: no instant power ({})", gpu.index, sampler.instant_unavailable()));
    } catch (const error& e) {
      notes.push_back(fmt::format("GPU {}: {}", gpu.index, e.what()));
    }
    table.add(std::move(row));
  }
  fmt::print("NVIDIA GPUs through NVML ({}):\n\n", nvml->loaded_from().string());
  table.print();
  fmt::print("\n* the default GPU (--gpu 0)\n");
  for (const auto& note : notes) fmt::print("{}\n", note);
  return exit_ok;
}

int run(arguments& args) {
  const bool nvml = args.flag("--nvml");
  const auto root_option = args.value("--sysfs-root");
  args.finish();
  if (nvml && root_option) throw usage_error("--sysfs-root is an INA3221 option; --nvml lists GPUs");
  if (nvml) return print_nvml_gpus();
  const std::filesystem::path root = root_option.value_or("/sys");

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

const command sensors_command{"sensors", "list the INA3221 power rails (or NVIDIA GPUs) and a live reading", help,
                              run};

}  // namespace layerwatt::cli
