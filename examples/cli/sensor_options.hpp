#pragma once
// The sensor options `log` and `idle` share: a Jetson's INA3221 rails (--sysfs-root, --rail, where
// A+B+C is the sum of those rails) or an NVIDIA GPU through NVML (--nvml, --gpu), and opening the
// sampler they name.

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "arguments.hpp"
#include "layerwatt/sense/ina3221.hpp"
#include "layerwatt/sense/nvml.hpp"
#include "layerwatt/sense/rail_sum.hpp"

namespace layerwatt::cli {

struct sensor_options {
  bool nvml = false;
  std::filesystem::path sysfs_root = "/sys";
  std::vector<std::string> rails;
  std::string gpu = "0";
};

/// Reads --nvml, --gpu, --sysfs-root and --rail (repeatable where `several_rails`); a usage error
/// for options of the two sensors mixed.
inline sensor_options parse_sensor_options(arguments& args, bool several_rails) {
  sensor_options s;
  s.nvml = args.flag("--nvml");
  const auto gpu = args.value("--gpu");
  const auto root = args.value("--sysfs-root");
  if (several_rails) {
    s.rails = args.values("--rail");
  } else if (auto rail = args.value("--rail")) {
    s.rails.push_back(std::move(*rail));
  }
  if (s.nvml && (root || !s.rails.empty())) throw usage_error("--sysfs-root and --rail are INA3221 options; --nvml reads a GPU (choose it with --gpu)");
  if (gpu && !s.nvml) throw usage_error("--gpu chooses the GPU that --nvml reads; give --nvml too");
  if (root) s.sysfs_root = *root;
  if (gpu) s.gpu = *gpu;
  return s;
}

/// Calls `use(make_sampler)` with a function that opens the sampler the options name (rails
/// summed when a --rail names a sum, each --rail one column) each time it is called: a command
/// that samples in several runs opens the sensor afresh for each.
template <typename Use>
decltype(auto) with_sampler_factory(const sensor_options& s, Use&& use) {
  if (s.nvml) return use([&] { return sense::nvml_sampler::open({.library = {}, .gpu = s.gpu}); });
  if (sense::names_a_sum(s.rails))
    return use([&] {
      auto plan = sense::plan_rail_sums(s.rails);
      return sense::rail_sum_sampler(sense::ina3221_sampler::open(s.sysfs_root, plan.rails), std::move(plan.columns));
    });
  return use([&] { return sense::ina3221_sampler::open(s.sysfs_root, s.rails); });
}

/// Opens the sampler the options name and returns `use(sampler)`.
template <typename Use>
decltype(auto) with_sampler(const sensor_options& s, Use&& use) {
  return with_sampler_factory(s, [&](auto make_sampler) -> decltype(auto) { return use(make_sampler()); });
}

}  // namespace layerwatt::cli
