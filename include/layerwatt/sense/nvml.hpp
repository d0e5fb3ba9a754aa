#pragma once
// NVIDIA GPUs with a driver (desktop, workstation, datacenter), read through NVML: discovery of
// the GPUs and the sampler policy that reads one GPU's power as one rail, `GPU<index>`.
//
// Which reading. Where the driver has the field NVML_FI_DEV_POWER_INSTANT, the sampler reads it
// (nvmlDeviceGetFieldValues): the GPU's power now. Otherwise it reads nvmlDeviceGetPowerUsage,
// which on Ampere (except GA100) and newer GPUs is the mean over the last second — a window ten
// thousand times longer than a layer, which smears each layer's power over its neighbours'. The
// source name says which one was read (`nvml-instant`, `nvml-power-usage`), and the sidecar
// says why the instant field was not.
//
// NVML reports power only, in mW: a reading is rail_reading::from_power_mw, 1000 mV × the power in
// mW as mA, so mV × mA is the power in µW exactly, as for every other log.
//
// The energy check. Over a logger's run (begin_run to end_run) the sampler reads the GPU's
// total-energy counter (mJ since the driver loaded) at both ends and integrates its own samples
// over the same interval; the sidecar's `nvml.energy_check` holds both, so a log whose samples
// miss the GPU's power (too slow a period, a stale field) shows it.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/number_text.hpp"
#include "layerwatt/io/power_log_meta.hpp"
#include "layerwatt/sense/nvml_library.hpp"
#include "layerwatt/sense/sampler.hpp"
#include "layerwatt/sense/sampling_loop.hpp"

namespace layerwatt::sense {

enum class nvml_power_reading { instant, power_usage };

/// The `source` recorded in a power log's `.meta.json`.
constexpr std::string_view to_source_name(nvml_power_reading reading) noexcept {
  return reading == nvml_power_reading::instant ? "nvml-instant" : "nvml-power-usage";
}

/// One GPU as NVML numbers it.
struct nvml_gpu {
  unsigned int index = 0;
  std::string name;  ///< "NVIDIA GeForce RTX 4090", ...
  std::string uuid;  ///< "GPU-5a3f...": stable across reboots, unlike the index
  bool operator==(const nvml_gpu&) const = default;
};

namespace detail {

inline std::string nvml_text(const nvml_library& nvml, nvml_abi::text_fn call, nvml_abi::device device,
                             std::string_view call_name, unsigned int index) {
  char buffer[nvml_abi::name_buffer_size] = {};
  static_assert(nvml_abi::name_buffer_size == nvml_abi::uuid_buffer_size);
  nvml.check(call(device, buffer, sizeof buffer), fmt::format("{}(GPU {})", call_name, index));
  return std::string(buffer, ::strnlen(buffer, sizeof buffer));
}

inline nvml_gpu describe_nvml_gpu(const nvml_library& nvml, nvml_abi::device device, unsigned int index) {
  return {index, nvml_text(nvml, nvml.api().name, device, "nvmlDeviceGetName", index),
          nvml_text(nvml, nvml.api().uuid, device, "nvmlDeviceGetUUID", index)};
}

inline unsigned int nvml_device_count(const nvml_library& nvml) {
  unsigned int count = 0;
  nvml.check(nvml.api().device_count(&count), "nvmlDeviceGetCount_v2");
  if (count == 0)
    throw error(fmt::format("NVML ({}) sees no GPU: is the NVIDIA driver loaded, and the GPU visible to this "
                            "process (CUDA_VISIBLE_DEVICES does not hide GPUs from NVML; cgroups do)?",
                            nvml.loaded_from().string()));
  return count;
}

inline nvml_abi::device nvml_handle(const nvml_library& nvml, unsigned int index) {
  nvml_abi::device device = nullptr;
  nvml.check(nvml.api().handle_by_index(index, &device), fmt::format("nvmlDeviceGetHandleByIndex_v2({})", index));
  return device;
}

/// A field value as a number; nothing for a type NVML did not define.
inline std::optional<double> nvml_field_number(const nvml_abi::field_value& v) noexcept {
  switch (v.type) {
    case nvml_abi::type_double: return v.value.d;
    case nvml_abi::type_unsigned_int: return v.value.ui;
    case nvml_abi::type_unsigned_long: return static_cast<double>(v.value.ul);
    case nvml_abi::type_unsigned_long_long: return static_cast<double>(v.value.ull);
    case nvml_abi::type_signed_long_long: return static_cast<double>(v.value.sll);
    case nvml_abi::type_signed_int: return v.value.si;
    case nvml_abi::type_unsigned_short: return v.value.us;
    default: return std::nullopt;
  }
}

}  // namespace detail

/// Every GPU NVML sees, by index; an error if there is none.
inline std::vector<nvml_gpu> scan_nvml(const nvml_library& nvml) {
  const unsigned int count = detail::nvml_device_count(nvml);
  std::vector<nvml_gpu> gpus;
  for (unsigned int i = 0; i < count; ++i) gpus.push_back(detail::describe_nvml_gpu(nvml, detail::nvml_handle(nvml, i), i));
  return gpus;
}

/// "0 NVIDIA A100 (GPU-...), 1 ...", for error messages; says so if listing them fails too.
inline std::string list_nvml_gpus(const nvml_library& nvml) {
  try {
    std::string out;
    for (const auto& g : scan_nvml(nvml)) out += fmt::format("{}{} {} ({})", out.empty() ? "" : ", ", g.index, g.name, g.uuid);
    return out;
  } catch (const error& e) {
    return fmt::format("none could be listed: {}", e.what());
  }
}

struct nvml_options {
  std::filesystem::path library;  ///< empty: $LAYERWATT_NVML_LIBRARY, else libnvidia-ml.so.1
  std::string gpu = "0";          ///< an index (as NVML numbers the GPUs) or a UUID
};

/// The sampler policy over NVML: one GPU's power, one rail. read() is one NVML call.
class nvml_sampler {
 public:
  /// Opens the GPU `gpu` (an index or a UUID) of a loaded NVML and chooses the reading (see the
  /// file comment). An error names the GPU asked for and lists those there are, or names the
  /// NVML call that failed and NVML's message.
  nvml_sampler(std::shared_ptr<const nvml_library> nvml, std::string_view gpu) : nvml_(std::move(nvml)) {
    if (!nvml_) throw error("an NVML sampler needs a loaded NVML library");
    const unsigned int count = detail::nvml_device_count(*nvml_);
    if (const auto index = io::parse_integer<unsigned int>(gpu)) {
      if (*index >= count)
        throw error(fmt::format("no GPU {}: NVML sees {} (give an index or a UUID): {}", *index, count,
                                list_nvml_gpus(*nvml_)));
      device_ = detail::nvml_handle(*nvml_, *index);
      gpu_ = detail::describe_nvml_gpu(*nvml_, device_, *index);
    } else {
      const std::string uuid(gpu);
      if (const auto rc = nvml_->api().handle_by_uuid(uuid.c_str(), &device_); rc != nvml_abi::success)
        throw error(fmt::format("no GPU with UUID \"{}\" (nvmlDeviceGetHandleByUUID: {}); give an index or a UUID: {}",
                                uuid, nvml_->describe(rc), list_nvml_gpus(*nvml_)));
      unsigned int found = 0;
      while (found < count && detail::nvml_handle(*nvml_, found) != device_) ++found;
      if (found == count)
        throw error(fmt::format("UUID \"{}\" is not one of the {} GPUs NVML counts (a MIG instance? power is "
                                "measured per GPU): {}",
                                uuid, count, list_nvml_gpus(*nvml_)));
      gpu_ = detail::describe_nvml_gpu(*nvml_, device_, found);
    }
    choose_reading();
    rails_.push_back({fmt::format("GPU{}", gpu_.index), "", ""});
  }

  /// Loads NVML and opens the GPU in `options`.
  static nvml_sampler open(const nvml_options& options = {}) {
    return nvml_sampler(std::make_shared<const nvml_library>(options.library), options.gpu);
  }

  [[nodiscard]] std::span<const io::rail_source> rails() const noexcept { return rails_; }
  [[nodiscard]] std::string_view source() const noexcept { return to_source_name(reading_); }
  /// NVML tells nothing of how often the GPU's power sensor refreshes: the sidecar's
  /// observed_refresh_interval_us shows it.
  [[nodiscard]] sensor_timing timing() const noexcept { return {}; }

  [[nodiscard]] const nvml_gpu& gpu() const noexcept { return gpu_; }
  [[nodiscard]] nvml_power_reading power_reading() const noexcept { return reading_; }
  /// Why the instant field is not read (empty when it is).
  [[nodiscard]] const std::string& instant_unavailable() const noexcept { return instant_unavailable_; }
  [[nodiscard]] const nvml_library& library() const noexcept { return *nvml_; }

  bool read(std::span<rail_reading> out) noexcept {
    const auto mw = reading_ == nvml_power_reading::instant ? read_instant() : read_power_usage();
    if (!mw) return false;
    integrate(*mw);
    out[0] = rail_reading::from_power_mw(*mw);
    return true;
  }

  /// The GPU's total-energy counter now, in mJ since the driver loaded; nothing where the GPU or
  /// the library does not have it (before Volta) or the read fails.
  [[nodiscard]] std::optional<unsigned long long> energy_mj() const noexcept {
    unsigned long long mj = 0;
    if (!nvml_->api().total_energy || nvml_->api().total_energy(device_, &mj) != nvml_abi::success) return std::nullopt;
    return mj;
  }

  /// Called by the power logger just before sampling starts: reads the energy counter.
  void begin_run() noexcept {
    run_ = {};
    run_.began = true;
    const auto before = detail::monotonic_now();
    if (nvml_->api().total_energy) run_.start_result = nvml_->api().total_energy(device_, &run_.start_mj);
    run_.begin = before + (detail::monotonic_now() - before) / 2;
  }

  /// Called by the power logger after sampling ended: adds `nvml` to the sidecar's extra keys —
  /// the library, the GPU, why the instant field was not read, and the energy check.
  void end_run(io::power_log_meta& meta) const {
    auto nvml = nlohmann::json::object();
    nvml["library"] = nvml_->loaded_from().string();
    nvml["gpu"] = {{"index", gpu_.index}, {"name", gpu_.name}, {"uuid", gpu_.uuid}};
    if (!instant_unavailable_.empty()) nvml["instant_unavailable"] = instant_unavailable_;
    nvml["energy_check"] = energy_check();
    meta.extra["nvml"] = std::move(nvml);
  }

 private:
  /// What a run's samples add up to, kept by read() (on the sampling thread) for end_run().
  struct run_energy {
    bool began = false;
    nvml_abi::return_code start_result = nvml_abi::error_not_supported;
    unsigned long long start_mj = 0;
    std::chrono::nanoseconds begin{0}, first{0}, last{0};  ///< monotonic
    double first_mw = 0, last_mw = 0;
    double between_mj = 0;  ///< trapezoids between the first and the last sample
    std::uint64_t samples = 0;
  };

  void choose_reading() {
    const auto& api = nvml_->api();
    if (!api.field_values) {
      instant_unavailable_ = "this NVML has no nvmlDeviceGetFieldValues";
    } else {
      nvml_abi::field_value v{};
      v.field_id = nvml_abi::field_power_instant;
      if (const auto rc = api.field_values(device_, 1, &v); rc != nvml_abi::success)
        instant_unavailable_ = fmt::format("nvmlDeviceGetFieldValues: {}", nvml_->describe(rc));
      else if (v.result != nvml_abi::success)
        instant_unavailable_ = fmt::format("NVML_FI_DEV_POWER_INSTANT: {}", nvml_->describe(v.result));
      else if (!detail::nvml_field_number(v))
        instant_unavailable_ = fmt::format("NVML_FI_DEV_POWER_INSTANT: a value of unknown type {}", v.type);
    }
    if (instant_unavailable_.empty()) return;
    reading_ = nvml_power_reading::power_usage;
    unsigned int mw = 0;
    if (const auto rc = api.power_usage(device_, &mw); rc != nvml_abi::success)
      throw error(fmt::format("GPU {} ({}, {}) reports no power: nvmlDeviceGetPowerUsage: {}, and {} (NVML library {})",
                              gpu_.index, gpu_.name, gpu_.uuid, nvml_->describe(rc), instant_unavailable_,
                              nvml_->loaded_from().string()));
  }

  std::optional<double> read_instant() const noexcept {
    nvml_abi::field_value v{};
    v.field_id = nvml_abi::field_power_instant;
    if (nvml_->api().field_values(device_, 1, &v) != nvml_abi::success || v.result != nvml_abi::success)
      return std::nullopt;
    const auto mw = detail::nvml_field_number(v);
    if (!mw || !std::isfinite(*mw) || *mw < 0) return std::nullopt;
    return mw;
  }

  std::optional<double> read_power_usage() const noexcept {
    unsigned int mw = 0;
    if (nvml_->api().power_usage(device_, &mw) != nvml_abi::success) return std::nullopt;
    return mw;
  }

  void integrate(double mw) noexcept {
    const auto now = detail::monotonic_now();
    if (run_.samples++ == 0) {
      run_.first = now;
      run_.first_mw = mw;
    } else {
      run_.between_mj += (run_.last_mw + mw) / 2 * std::chrono::duration<double>(now - run_.last).count();
    }
    run_.last = now;
    run_.last_mw = mw;
  }

  /// The counter's energy over the run beside the samples' (each end held at the nearest sample).
  nlohmann::json energy_check() const {
    const auto& api = nvml_->api();
    const auto failed = [](std::string why) { return nlohmann::json{{"error", std::move(why)}}; };
    if (!api.total_energy) return failed("this NVML has no nvmlDeviceGetTotalEnergyConsumption");
    if (!run_.began) return failed("no run began (begin_run was not called)");
    if (run_.start_result != nvml_abi::success)
      return failed(fmt::format("nvmlDeviceGetTotalEnergyConsumption at the start: {}", nvml_->describe(run_.start_result)));
    unsigned long long end_mj = 0;
    const auto before = detail::monotonic_now();
    const auto rc = api.total_energy(device_, &end_mj);
    const auto end = before + (detail::monotonic_now() - before) / 2;
    if (rc != nvml_abi::success)
      return failed(fmt::format("nvmlDeviceGetTotalEnergyConsumption at the end: {}", nvml_->describe(rc)));
    if (end_mj < run_.start_mj)
      return failed(fmt::format("the energy counter went back from {} to {} mJ (the driver reloaded?)", run_.start_mj,
                                end_mj));
    const auto seconds = [](std::chrono::nanoseconds d) { return std::chrono::duration<double>(d).count(); };
    const double counter_j = static_cast<double>(end_mj - run_.start_mj) / 1000.0;
    nlohmann::json check{{"start_mj", run_.start_mj}, {"end_mj", end_mj}, {"seconds", seconds(end - run_.begin)},
                         {"counter_j", counter_j}};
    if (run_.samples > 0) {
      const double samples_j = (run_.first_mw * seconds(run_.first - run_.begin) + run_.between_mj +
                                run_.last_mw * seconds(end - run_.last)) /
                               1000.0;
      check["samples_j"] = samples_j;
      if (counter_j > 0) check["samples_over_counter"] = samples_j / counter_j;
    }
    return check;
  }

  std::shared_ptr<const nvml_library> nvml_;
  nvml_abi::device device_ = nullptr;
  nvml_gpu gpu_;
  nvml_power_reading reading_ = nvml_power_reading::instant;
  std::string instant_unavailable_;
  std::vector<io::rail_source> rails_;
  run_energy run_;
};

static_assert(run_aware_sampler<nvml_sampler>);

}  // namespace layerwatt::sense
