#pragma once
// A network's energy over a benchmark run, from any power log — a tegrastats log a second apart
// included, where per-layer attribution is out of reach. Each sample inside the run stands for one
// sampling period (the rectangle rule, as tegrastats users sum its lines), so the energy is
// Σ power × period and the mean power Σ power / n. Divide by the run's inferences for the energy
// per inference.

#include <cstddef>
#include <span>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/io/power_log.hpp"

namespace layerwatt::join {

struct run_energy {
  std::size_t samples = 0;   ///< inside [from, to]
  double mean_power_uw = 0;  ///< their mean, idle included
  double energy_mj = 0;      ///< Σ power × period, idle included
};

/// The samples with from ≤ t ≤ to, each standing for `period`. An error when none lies inside or
/// the period is not positive.
inline run_energy energy_of_run(std::span<const io::power_sample> samples, time_stamp from, time_stamp to,
                                microseconds period) {
  if (period.count() <= 0) throw error("a run's energy needs a sampling period above 0");
  run_energy out;
  double sum_uw = 0;
  for (const auto& s : samples)
    if (s.t >= from && s.t <= to) sum_uw += s.power_uw, ++out.samples;
  if (out.samples == 0)
    throw error(fmt::format("no power sample between {} and {}", layerwatt::to_string(from), layerwatt::to_string(to)));
  out.mean_power_uw = sum_uw / static_cast<double>(out.samples);
  out.energy_mj = sum_uw * static_cast<double>(period.count()) / 1e9;  // µW × µs = 1e-9 mJ
  return out;
}

}  // namespace layerwatt::join
