// A fake libnvidia-ml.so.1 for the tests: the NVML entry points layerwatt uses, answering from a
// script instead of a GPU. The script is the file named by $LAYERWATT_FAKE_NVML_SCRIPT, read by
// nvmlInit_v2 when NVML is not yet initialized; one `key = value` a line, `#` starts a comment:
//
//   init = 9                   nvmlInit_v2 returns this (default 0, success)
//   gpus = 2                   how many GPUs (default 1)
//   name.0 = Fake RTX 4090     nvmlDeviceGetName of GPU 0 (default "Fake GPU <i>")
//   uuid.0 = GPU-0000-aaaa     nvmlDeviceGetUUID of GPU 0 (default "GPU-fake-<i>")
//   instant.0 = 71000, E15     NVML_FI_DEV_POWER_INSTANT of GPU 0, one value per call, in mW,
//                              repeating; `E<n>` answers that call with the field's result n
//                              (default E3: the field is not supported)
//   instant_type.0 = 0         the field's nvmlValueType_t (default 1, unsigned int; 0 = double)
//   usage.0 = 65000            nvmlDeviceGetPowerUsage, as `instant` (default 50000)
//   energy.0 = 1000, 2500      nvmlDeviceGetTotalEnergyConsumption in mJ, one value per call,
//                              staying at the last one (default E3)
//   fail.nvmlDeviceGetName = 999   that entry point returns this result (any of them)
//
// Built three times (tests/nvml/CMakeLists.txt): complete, without nvmlDeviceGetPowerUsage (a
// required entry point missing: FAKE_NVML_WITHOUT_POWER_USAGE), and without the optional ones
// (an old NVML: FAKE_NVML_WITHOUT_OPTIONAL). fake_nvml_init_count() lets a test check that every
// nvmlInit_v2 got its nvmlShutdown.

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace {

using return_code = int;
constexpr return_code success = 0, uninitialized = 1, invalid_argument = 2, not_supported = 3, not_found = 6;

struct step {
  double value = 0;
  return_code result = success;
};

struct fake_gpu {
  std::string name, uuid;
  std::vector<step> instant, usage, energy;
  int instant_type = 1;
  std::size_t instant_next = 0, usage_next = 0, energy_next = 0;
};

struct fake_state {
  int init_count = 0;
  return_code init_result = success;
  std::vector<fake_gpu> gpus;
  std::map<std::string, return_code> failures;
};

fake_state state;

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

std::vector<step> parse_steps(const std::string& text) {
  std::vector<step> steps;
  std::size_t at = 0;
  while (at <= text.size()) {
    const auto comma = std::min(text.find(',', at), text.size());
    const std::string item = trim(text.substr(at, comma - at));
    if (!item.empty()) {
      if (item[0] == 'E') steps.push_back({0, std::atoi(item.c_str() + 1)});
      else steps.push_back({std::strtod(item.c_str(), nullptr), success});
    }
    at = comma + 1;
  }
  return steps;
}

void load_script() {
  state.init_result = success;
  state.failures.clear();
  std::map<std::string, std::string> keys;
  if (const char* path = std::getenv("LAYERWATT_FAKE_NVML_SCRIPT")) {
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
      line = trim(line.substr(0, line.find('#')));
      const auto eq = line.find('=');
      if (eq != std::string::npos) keys[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
    }
  }
  const auto get = [&](const std::string& key, const std::string& otherwise) {
    const auto it = keys.find(key);
    return it == keys.end() ? otherwise : it->second;
  };
  state.init_result = std::atoi(get("init", "0").c_str());
  state.gpus.assign(static_cast<std::size_t>(std::atoi(get("gpus", "1").c_str())), {});
  for (std::size_t i = 0; i < state.gpus.size(); ++i) {
    const std::string n = std::to_string(i);
    fake_gpu& g = state.gpus[i];
    g.name = get("name." + n, "Fake GPU " + n);
    g.uuid = get("uuid." + n, "GPU-fake-" + n);
    g.instant = parse_steps(get("instant." + n, "E3"));
    g.instant_type = std::atoi(get("instant_type." + n, "1").c_str());
    g.usage = parse_steps(get("usage." + n, "50000"));
    g.energy = parse_steps(get("energy." + n, "E3"));
  }
  for (const auto& [key, value] : keys)
    if (key.rfind("fail.", 0) == 0) state.failures[key.substr(5)] = std::atoi(value.c_str());
}

/// The scripted failure of `call`, or `uninitialized` before nvmlInit_v2, or success.
return_code precheck(const char* call) {
  if (const auto it = state.failures.find(call); it != state.failures.end()) return it->second;
  return state.init_count > 0 ? success : uninitialized;
}

fake_gpu* gpu_of(void* device) {
  for (auto& g : state.gpus)
    if (static_cast<void*>(&g) == device) return &g;
  return nullptr;
}

step next_repeating(const std::vector<step>& steps, std::size_t& next) {
  if (steps.empty()) return {0, not_supported};
  const step s = steps[next % steps.size()];
  ++next;
  return s;
}

return_code copy_text(const std::string& text, char* out, unsigned int length) {
  if (!out || text.size() + 1 > length) return 7;  // NVML_ERROR_INSUFFICIENT_SIZE
  std::memcpy(out, text.c_str(), text.size() + 1);
  return success;
}

// nvmlFieldValue_t, as nvml.h lays it out: declared here again, not taken from layerwatt's
// nvml_library.hpp, so that a wrong layout there fails the tests instead of agreeing with itself.
union value {
  double d;
  unsigned int ui;
  unsigned long ul;
  unsigned long long ull;
  long long sll;
  int si;
  unsigned short us;
};
struct field_value {
  unsigned int field_id, scope_id;
  long long timestamp, latency_us;
  int type;
  return_code result;
  value v;
};

}  // namespace

#define FAKE_NVML_API extern "C" __attribute__((visibility("default")))

FAKE_NVML_API int fake_nvml_init_count() { return state.init_count; }

FAKE_NVML_API const char* nvmlErrorString(return_code code) {
  switch (code) {
    case 0: return "Success";
    case 1: return "Uninitialized";
    case 2: return "Invalid Argument";
    case 3: return "Not Supported";
    case 4: return "Insufficient Permissions";
    case 6: return "Not Found";
    case 7: return "Insufficient Size";
    case 9: return "Driver Not Loaded";
    case 15: return "GPU is lost";
    default: return "Unknown Error";
  }
}

FAKE_NVML_API return_code nvmlInit_v2() {
  if (state.init_count == 0) load_script();
  if (state.init_result != success) return state.init_result;
  ++state.init_count;
  return success;
}

FAKE_NVML_API return_code nvmlShutdown() {
  if (state.init_count == 0) return uninitialized;
  --state.init_count;
  return success;
}

FAKE_NVML_API return_code nvmlDeviceGetCount_v2(unsigned int* count) {
  if (const auto rc = precheck("nvmlDeviceGetCount_v2")) return rc;
  *count = static_cast<unsigned int>(state.gpus.size());
  return success;
}

FAKE_NVML_API return_code nvmlDeviceGetHandleByIndex_v2(unsigned int index, void** device) {
  if (const auto rc = precheck("nvmlDeviceGetHandleByIndex_v2")) return rc;
  if (index >= state.gpus.size()) return invalid_argument;
  *device = &state.gpus[index];
  return success;
}

FAKE_NVML_API return_code nvmlDeviceGetHandleByUUID(const char* uuid, void** device) {
  if (const auto rc = precheck("nvmlDeviceGetHandleByUUID")) return rc;
  for (auto& g : state.gpus)
    if (g.uuid == uuid) {
      *device = &g;
      return success;
    }
  return not_found;
}

FAKE_NVML_API return_code nvmlDeviceGetName(void* device, char* name, unsigned int length) {
  if (const auto rc = precheck("nvmlDeviceGetName")) return rc;
  const fake_gpu* g = gpu_of(device);
  return g ? copy_text(g->name, name, length) : invalid_argument;
}

FAKE_NVML_API return_code nvmlDeviceGetUUID(void* device, char* uuid, unsigned int length) {
  if (const auto rc = precheck("nvmlDeviceGetUUID")) return rc;
  const fake_gpu* g = gpu_of(device);
  return g ? copy_text(g->uuid, uuid, length) : invalid_argument;
}

#ifndef FAKE_NVML_WITHOUT_POWER_USAGE
FAKE_NVML_API return_code nvmlDeviceGetPowerUsage(void* device, unsigned int* power_mw) {
  if (const auto rc = precheck("nvmlDeviceGetPowerUsage")) return rc;
  fake_gpu* g = gpu_of(device);
  if (!g) return invalid_argument;
  const step s = next_repeating(g->usage, g->usage_next);
  if (s.result == success) *power_mw = static_cast<unsigned int>(s.value);
  return s.result;
}
#endif

#ifndef FAKE_NVML_WITHOUT_OPTIONAL
FAKE_NVML_API return_code nvmlDeviceGetFieldValues(void* device, int count, field_value* values) {
  if (const auto rc = precheck("nvmlDeviceGetFieldValues")) return rc;
  fake_gpu* g = gpu_of(device);
  if (!g || count < 0 || !values) return invalid_argument;
  for (int i = 0; i < count; ++i) {
    field_value& f = values[i];
    if (f.field_id != 186) {  // NVML_FI_DEV_POWER_INSTANT: the only field this fake knows
      f.result = not_supported;
      continue;
    }
    const step s = next_repeating(g->instant, g->instant_next);
    f.result = s.result;
    f.type = g->instant_type;
    if (g->instant_type == 0) f.v.d = s.value;
    else f.v.ui = static_cast<unsigned int>(s.value);
  }
  return success;
}

FAKE_NVML_API return_code nvmlDeviceGetTotalEnergyConsumption(void* device, unsigned long long* energy_mj) {
  if (const auto rc = precheck("nvmlDeviceGetTotalEnergyConsumption")) return rc;
  fake_gpu* g = gpu_of(device);
  if (!g) return invalid_argument;
  if (g->energy.empty()) return not_supported;
  const step s = g->energy[std::min(g->energy_next, g->energy.size() - 1)];
  ++g->energy_next;
  if (s.result == success) *energy_mj = static_cast<unsigned long long>(s.value);
  return s.result;
}
#endif
