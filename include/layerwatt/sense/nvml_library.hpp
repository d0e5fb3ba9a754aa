#pragma once
// NVIDIA's management library (NVML, `libnvidia-ml.so.1`, installed with the GPU driver), loaded at
// run time with dlopen: layerwatt builds without the CUDA toolkit and runs without a GPU, and a
// machine without the driver gets an error that says so instead of a loader failure at start-up.
//
// We declare the few entry points and types we use ourselves (`nvml_abi`), with the layouts and
// values of NVIDIA's nvml.h.
// The library path is, in order: the one given to the constructor, $LAYERWATT_NVML_LIBRARY, or
// `libnvidia-ml.so.1` found by the dynamic loader (tests point it at a fake).

#include <dlfcn.h>
#include <link.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"

namespace layerwatt::sense {

/// NVML's C interface, as much of it as layerwatt uses (names after nvml.h's, in our case).
namespace nvml_abi {

using return_code = int;  ///< nvmlReturn_t, a C enum
inline constexpr return_code success = 0;
inline constexpr return_code error_invalid_argument = 2;
inline constexpr return_code error_not_supported = 3;
inline constexpr return_code error_not_found = 6;

struct device_st;
using device = device_st*;  ///< nvmlDevice_t: valid while the library stays initialized

/// nvmlValueType_t: which member of `value` a field value holds.
enum value_type : int {
  type_double = 0,
  type_unsigned_int = 1,
  type_unsigned_long = 2,
  type_unsigned_long_long = 3,
  type_signed_long_long = 4,
  type_signed_int = 5,
  type_unsigned_short = 6,
};

union value {  ///< nvmlValue_t
  double d;
  unsigned int ui;
  unsigned long ul;
  unsigned long long ull;
  long long sll;
  int si;
  unsigned short us;
};

struct field_value {  ///< nvmlFieldValue_t
  unsigned int field_id;  ///< in: the NVML_FI_* to read
  unsigned int scope_id;  ///< in: for power fields, 0 = the GPU alone (1 = the module, on Grace Hopper)
  long long timestamp_us;  ///< out: when the driver took the value, µs since 1970
  long long latency_us;    ///< out: how long the driver took to update it
  int type;                ///< out: a value_type
  return_code result;      ///< out: this field's own result; `value` means nothing unless success
  union value value;
};
static_assert(sizeof(field_value) == 40 && alignof(field_value) == 8, "nvmlFieldValue_t's layout");

inline constexpr unsigned int field_power_instant = 186;  ///< NVML_FI_DEV_POWER_INSTANT, mW
inline constexpr unsigned int name_buffer_size = 96;      ///< NVML_DEVICE_NAME_V2_BUFFER_SIZE
inline constexpr unsigned int uuid_buffer_size = 96;      ///< NVML_DEVICE_UUID_V2_BUFFER_SIZE

using init_fn = return_code (*)();                                    // nvmlInit_v2, nvmlShutdown
using error_string_fn = const char* (*)(return_code);                 // nvmlErrorString
using count_fn = return_code (*)(unsigned int*);                      // nvmlDeviceGetCount_v2
using handle_by_index_fn = return_code (*)(unsigned int, device*);    // nvmlDeviceGetHandleByIndex_v2
using handle_by_uuid_fn = return_code (*)(const char*, device*);      // nvmlDeviceGetHandleByUUID
using text_fn = return_code (*)(device, char*, unsigned int);         // nvmlDeviceGetName, nvmlDeviceGetUUID
using power_usage_fn = return_code (*)(device, unsigned int*);        // nvmlDeviceGetPowerUsage, mW
using field_values_fn = return_code (*)(device, int, field_value*);   // nvmlDeviceGetFieldValues
using energy_fn = return_code (*)(device, unsigned long long*);       // nvmlDeviceGetTotalEnergyConsumption, mJ

}  // namespace nvml_abi

/// The NVML entry points layerwatt calls. The last two are optional: null where the library is
/// too old to have them (the sampler then falls back, or does without the energy check).
struct nvml_entry_points {
  nvml_abi::init_fn init = nullptr;
  nvml_abi::init_fn shutdown = nullptr;
  nvml_abi::error_string_fn error_string = nullptr;
  nvml_abi::count_fn device_count = nullptr;
  nvml_abi::handle_by_index_fn handle_by_index = nullptr;
  nvml_abi::handle_by_uuid_fn handle_by_uuid = nullptr;
  nvml_abi::text_fn name = nullptr;
  nvml_abi::text_fn uuid = nullptr;
  nvml_abi::power_usage_fn power_usage = nullptr;
  nvml_abi::field_values_fn field_values = nullptr;  ///< optional
  nvml_abi::energy_fn total_energy = nullptr;        ///< optional
};

inline constexpr std::string_view nvml_default_library = "libnvidia-ml.so.1";
inline constexpr const char* nvml_library_variable = "LAYERWATT_NVML_LIBRARY";

/// The library to load: `given` if not empty, else $LAYERWATT_NVML_LIBRARY if set and not
/// empty, else libnvidia-ml.so.1 (searched by the dynamic loader).
inline std::filesystem::path nvml_library_path(const std::filesystem::path& given = {}) {
  if (!given.empty()) return given;
  if (const char* env = std::getenv(nvml_library_variable); env && *env) return env;
  return std::filesystem::path(nvml_default_library);
}

/// NVML, loaded and initialized (nvmlInit_v2) for the object's lifetime; nvmlShutdown and
/// dlclose when it ends. NVML counts its initializations, so several may exist at once. The
/// entry points may be called from any thread (NVML is thread-safe).
class nvml_library {
 public:
  /// Loads the library (see nvml_library_path) and initializes it. An error names the path and
  /// the loader's message, a missing entry point, or NVML's own message for a failed init.
  explicit nvml_library(const std::filesystem::path& library = {}) : path_(nvml_library_path(library)) {
    handle_ = ::dlopen(path_.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle_)
      throw error(fmt::format("cannot load NVML from {}: {}; NVML comes with the NVIDIA driver: install the driver, "
                              "or set {} to the library's path",
                              path_.string(), dl_message(), nvml_library_variable));
    try {
      find_entry_points();
      loaded_from_ = resolved_path();
      check(api_.init(), "nvmlInit_v2");
    } catch (...) {
      ::dlclose(handle_);
      throw;
    }
  }

  nvml_library(const nvml_library&) = delete;
  nvml_library& operator=(const nvml_library&) = delete;

  ~nvml_library() {
    api_.shutdown();
    ::dlclose(handle_);
  }

  [[nodiscard]] const nvml_entry_points& api() const noexcept { return api_; }

  /// The path as asked for (`libnvidia-ml.so.1`), and the file the loader found for it.
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
  [[nodiscard]] const std::filesystem::path& loaded_from() const noexcept { return loaded_from_; }

  /// NVML's text for a result, with its number: "Not Supported (NVML error 3)".
  [[nodiscard]] std::string describe(nvml_abi::return_code code) const {
    const char* text = api_.error_string(code);
    return fmt::format("{} (NVML error {})", text ? text : "unknown error", code);
  }

  /// Throws, naming the call and NVML's message, unless `code` is success.
  void check(nvml_abi::return_code code, std::string_view call) const {
    if (code != nvml_abi::success)
      throw error(fmt::format("{} failed: {} (NVML library {})", call, describe(code), loaded_from_.string()));
  }

 private:
  static std::string dl_message() {
    const char* message = ::dlerror();
    return message ? message : "no message from the dynamic loader";
  }

  template <typename Function>
  void find(Function& out, const char* name, bool required) {
    ::dlerror();  // clear a stale message
    void* symbol = ::dlsym(handle_, name);
    if (!symbol && required)
      throw error(fmt::format("{} has no {} ({}): an NVML older than layerwatt can use, or not NVIDIA's",
                              path_.string(), name, dl_message()));
    out = reinterpret_cast<Function>(symbol);
  }

  void find_entry_points() {
    find(api_.error_string, "nvmlErrorString", true);
    find(api_.init, "nvmlInit_v2", true);
    find(api_.shutdown, "nvmlShutdown", true);
    find(api_.device_count, "nvmlDeviceGetCount_v2", true);
    find(api_.handle_by_index, "nvmlDeviceGetHandleByIndex_v2", true);
    find(api_.handle_by_uuid, "nvmlDeviceGetHandleByUUID", true);
    find(api_.name, "nvmlDeviceGetName", true);
    find(api_.uuid, "nvmlDeviceGetUUID", true);
    find(api_.power_usage, "nvmlDeviceGetPowerUsage", true);
    find(api_.field_values, "nvmlDeviceGetFieldValues", false);
    find(api_.total_energy, "nvmlDeviceGetTotalEnergyConsumption", false);
  }

  /// The file behind the handle (what `libnvidia-ml.so.1` resolved to), for the log's sidecar.
  std::filesystem::path resolved_path() const {
    link_map* map = nullptr;
    if (::dlinfo(handle_, RTLD_DI_LINKMAP, &map) == 0 && map && map->l_name && *map->l_name) return map->l_name;
    return path_;
  }

  std::filesystem::path path_, loaded_from_;
  void* handle_ = nullptr;
  nvml_entry_points api_;
};

}  // namespace layerwatt::sense
