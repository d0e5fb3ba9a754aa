#pragma once
// The fake libnvidia-ml.so.1 (fake_nvml.cpp) from a test: its paths, a script for it, and its
// own count of initializations.

#include <dlfcn.h>
#include <stdlib.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <string_view>

#include "support/temp_dir.hpp"

namespace layerwatt::testing {

/// The complete fake, and the two incomplete variants.
inline const std::filesystem::path fake_nvml = LAYERWATT_FAKE_NVML;
inline const std::filesystem::path fake_nvml_without_power_usage = LAYERWATT_FAKE_NVML_WITHOUT_POWER_USAGE;
inline const std::filesystem::path fake_nvml_old = LAYERWATT_FAKE_NVML_OLD;

/// Writes a script (see fake_nvml.cpp) and names it in $LAYERWATT_FAKE_NVML_SCRIPT while the
/// object lives; the fake reads it when NVML is next initialized.
class fake_nvml_script {
 public:
  explicit fake_nvml_script(std::string_view text) {
    write_text(path(), text);
    ::setenv("LAYERWATT_FAKE_NVML_SCRIPT", path().c_str(), 1);
  }
  fake_nvml_script(const fake_nvml_script&) = delete;
  fake_nvml_script& operator=(const fake_nvml_script&) = delete;
  ~fake_nvml_script() { ::unsetenv("LAYERWATT_FAKE_NVML_SCRIPT"); }

  [[nodiscard]] std::filesystem::path path() const { return dir_ / "script"; }

 private:
  temp_dir dir_;
};

/// Holds the fake loaded, so that its state outlives the NVML objects under test, and reads
/// how many nvmlInit_v2 calls have not yet had their nvmlShutdown.
class fake_nvml_probe {
 public:
  explicit fake_nvml_probe(const std::filesystem::path& library = fake_nvml)
      : handle_(::dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL)) {
    EXPECT_NE(handle_, nullptr) << ::dlerror();
  }
  fake_nvml_probe(const fake_nvml_probe&) = delete;
  fake_nvml_probe& operator=(const fake_nvml_probe&) = delete;
  ~fake_nvml_probe() {
    if (handle_) ::dlclose(handle_);
  }

  [[nodiscard]] int init_count() const {
    const auto count = reinterpret_cast<int (*)()>(::dlsym(handle_, "fake_nvml_init_count"));
    EXPECT_NE(count, nullptr);
    return count ? count() : -1;
  }

 private:
  void* handle_;
};

}  // namespace layerwatt::testing
