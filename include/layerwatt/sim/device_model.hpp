#pragma once
// The expected (noise-free) runtime and power of one layer on the simulated device.
//
// Runtime: a roofline with occupancy. A layer needs t_c = FLOPs / (peak · efficiency) of compute
// and t_m = bytes / (bandwidth · efficiency) of memory traffic; it takes the launch overhead plus
// a smooth maximum of the two, times a per-configuration "tactic" factor. Efficiency grows with
// the work (small layers leave the GPU idle), 3×3 stride-1 convolutions get Winograd's speed-up,
// tensor cores serve FP16 convolutions with at least 8 channels per group (padding fewer channels
// up to 8 wastes the rest), and grouped/depthwise convolutions, pooling and pointwise layers run
// on the CUDA cores.
//
// Power: while a layer runs, the rail draws idle + active + compute · u_c^γ + memory · u_m,
// where u_c and u_m are the compute and bandwidth utilisation the layer achieves, times a
// per-configuration factor. NoOp layers take no time and draw nothing.

#include <algorithm>
#include <cmath>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/sim/device_profile.hpp"
#include "layerwatt/sim/layer_cost.hpp"
#include "layerwatt/sim/random.hpp"

namespace layerwatt::sim {

struct layer_expectation {
  double runtime_us = 0;        ///< 0 for a layer TensorRT does not run
  double dynamic_power_uw = 0;  ///< above idle, while the layer runs
  double compute_utilisation = 0, memory_utilisation = 0;
};

/// The layer's configuration as text: what makes TensorRT pick the same tactic for two layers
/// (everything but the name).
inline std::string configuration_key(const io::engine_layer& l) {
  std::string key = l.layer_type;
  for (const auto& t : l.inputs) key += fmt::format("|{}:{}", fmt::join(t.dimensions, "x"), t.format);
  for (const auto& t : l.outputs) key += fmt::format("|{}", fmt::join(t.dimensions, "x"));
  const auto add = [&key](const auto& v) {
    if (v) key += fmt::format("|{}", fmt::join(*v, "x"));
    else key += "|-";
  };
  add(l.kernel);
  add(l.window_size);
  add(l.stride);
  add(l.pre_padding);
  add(l.dilation);
  key += fmt::format("|{}|{}", l.groups.value_or(0), l.out_maps.value_or(0));
  return key;
}

/// A mean-one log-normal factor fixed by the configuration and the device's tactic seed.
inline double configuration_factor(const std::string& key, std::int64_t tactic_seed, std::uint64_t purpose,
                                   double sigma) {
  random_stream r(hash_text(key, static_cast<std::uint64_t>(tactic_seed) * 0x9e3779b97f4a7c15ULL + purpose));
  return r.lognormal(sigma);
}

inline layer_expectation expected_layer(const io::engine_layer& l, const device_profile& profile) {
  const layer_cost c = cost_of(l);
  if (c.kind == kernel_class::none) return {};
  const compute_profile& p = profile.compute;
  const bool fp32 = c.precision == io::precision::fp32;
  // Tensor cores serve an FP16 convolution or GEMM whose groups have at least 8 output channels;
  // CUDA cores everything else (depthwise and narrow grouped convolutions, pooling, pointwise).
  const bool tensor_cores = !fp32 && c.kind == kernel_class::convolution && c.out_channels_per_group >= 8;
  const double peak_tflops = fp32 ? p.cuda_fp32_tflops : tensor_cores ? p.tensor_fp16_tflops : p.cuda_fp16_tflops;
  const double peak = peak_tflops * 1e12;  // FLOP/s

  double efficiency = p.compute_efficiency * c.outputs / (c.outputs + p.half_occupancy_outputs);
  if (tensor_cores && c.channels_per_group % 8 != 0)  // channels padded up to a multiple of 8
    efficiency *= static_cast<double>(c.channels_per_group) / static_cast<double>((c.channels_per_group + 7) / 8 * 8);
  if (tensor_cores && c.kernel_area == 9 && c.stride == 1) efficiency *= p.winograd_speedup;
  const double compute_s = c.flops > 0 ? c.flops / (peak * efficiency) : 0;
  const double bandwidth = p.memory_gbps * 1e9 * p.memory_efficiency * c.bytes / (c.bytes + p.half_bandwidth_bytes);
  const double memory_s = c.bytes > 0 ? c.bytes / bandwidth : 0;
  const double k = p.roofline_sharpness;
  const double busy_s = std::pow(std::pow(compute_s, k) + std::pow(memory_s, k), 1 / k);

  const std::string key = configuration_key(l);
  layer_expectation e;
  e.runtime_us = (p.launch_overhead_us + busy_s * 1e6) * configuration_factor(key, p.tactic_seed, 1, p.tactic_sigma);
  const double seconds = e.runtime_us * 1e-6;
  e.compute_utilisation = std::min(1.0, c.flops / (seconds * peak));
  e.memory_utilisation = std::min(1.0, c.bytes / (seconds * p.memory_gbps * 1e9));
  const power_profile& w = profile.power;
  const double dynamic_mw = w.active_mw + w.compute_mw * std::pow(e.compute_utilisation, w.compute_exponent) +
                            w.memory_mw * e.memory_utilisation;
  e.dynamic_power_uw = 1000 * dynamic_mw * configuration_factor(key, p.tactic_seed, 2, w.layer_sigma);
  return e;
}

}  // namespace layerwatt::sim
