#include "layerwatt/sense/nvml_library.hpp"

#include <stdlib.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>

#include "nvml/fake_nvml.hpp"
#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace sense = layerwatt::sense;
using lw::testing::fake_nvml;
using lw::testing::fake_nvml_probe;
using lw::testing::fake_nvml_script;

namespace nvml_library_test {

TEST(NvmlLibrary, PathIsTheGivenOneThenTheEnvironmentsThenTheDriversName) {
  ::unsetenv(sense::nvml_library_variable);
  EXPECT_EQ(sense::nvml_library_path(), "libnvidia-ml.so.1");
  ::setenv(sense::nvml_library_variable, "", 1);  // empty: as if unset
  EXPECT_EQ(sense::nvml_library_path(), "libnvidia-ml.so.1");
  ::setenv(sense::nvml_library_variable, "/opt/fake/libnvidia-ml.so.1", 1);
  EXPECT_EQ(sense::nvml_library_path(), "/opt/fake/libnvidia-ml.so.1");
  EXPECT_EQ(sense::nvml_library_path("/given/libnvidia-ml.so.1"), "/given/libnvidia-ml.so.1");
  ::unsetenv(sense::nvml_library_variable);
}

TEST(NvmlLibrary, LoadsInitializesAndShutsDown) {
  const fake_nvml_script script("gpus = 1\n");
  const fake_nvml_probe probe;
  {
    const sense::nvml_library nvml(fake_nvml);
    EXPECT_EQ(probe.init_count(), 1);
    EXPECT_EQ(nvml.path(), fake_nvml);
    EXPECT_EQ(nvml.loaded_from(), fake_nvml);
    EXPECT_NE(nvml.api().power_usage, nullptr);
    EXPECT_NE(nvml.api().field_values, nullptr);
    EXPECT_NE(nvml.api().total_energy, nullptr);
    unsigned int count = 0;
    nvml.check(nvml.api().device_count(&count), "nvmlDeviceGetCount_v2");
    EXPECT_EQ(count, 1u);
    const sense::nvml_library second(fake_nvml);  // NVML counts its initializations
    EXPECT_EQ(probe.init_count(), 2);
  }
  EXPECT_EQ(probe.init_count(), 0);
}

TEST(NvmlLibrary, TheEnvironmentPointsTheLoaderAtALibrary) {
  const fake_nvml_script script("gpus = 1\n");
  ::setenv(sense::nvml_library_variable, fake_nvml.c_str(), 1);
  const sense::nvml_library nvml;
  ::unsetenv(sense::nvml_library_variable);
  EXPECT_EQ(nvml.loaded_from(), fake_nvml);
}

TEST(NvmlLibrary, NvmlErrorsAreNamedWithNvmlsMessage) {
  const fake_nvml_script script("fail.nvmlDeviceGetCount_v2 = 15\n");
  const sense::nvml_library nvml(fake_nvml);
  EXPECT_EQ(nvml.describe(3), "Not Supported (NVML error 3)");
  unsigned int count = 0;
  EXPECT_ERROR_MENTIONS(nvml.check(nvml.api().device_count(&count), "nvmlDeviceGetCount_v2"),
                        "nvmlDeviceGetCount_v2 failed: GPU is lost (NVML error 15)", fake_nvml.c_str());
  EXPECT_NO_THROW(nvml.check(0, "anything"));
}

TEST(NvmlLibrary, NoLibraryNamesThePathAndTheLoadersMessage) {
  const lw::testing::temp_dir dir;
  const auto missing = dir / "libnvidia-ml.so.1";
  EXPECT_ERROR_MENTIONS(sense::nvml_library{missing}, "cannot load NVML from", missing.c_str(),
                        "No such file or directory", "install the driver", "LAYERWATT_NVML_LIBRARY");
  lw::testing::write_text(missing, "not a shared library, but long enough to have an ELF header's size\n");
  EXPECT_ERROR_MENTIONS(sense::nvml_library{missing}, "cannot load NVML from", missing.c_str(), "ELF");
}

TEST(NvmlLibrary, AMissingEntryPointIsNamed) {
  const fake_nvml_script script("gpus = 1\n");
  EXPECT_ERROR_MENTIONS(sense::nvml_library{lw::testing::fake_nvml_without_power_usage},
                        lw::testing::fake_nvml_without_power_usage.c_str(), "has no nvmlDeviceGetPowerUsage",
                        "undefined symbol");
}

TEST(NvmlLibrary, TheOptionalEntryPointsMayBeMissing) {
  const fake_nvml_script script("gpus = 1\n");
  const sense::nvml_library nvml(lw::testing::fake_nvml_old);
  EXPECT_EQ(nvml.api().field_values, nullptr);
  EXPECT_EQ(nvml.api().total_energy, nullptr);
  EXPECT_NE(nvml.api().power_usage, nullptr);
}

TEST(NvmlLibrary, AFailedInitIsNvmlsMessageAndLeavesNothingInitialized) {
  const fake_nvml_script script("init = 9\n");
  const fake_nvml_probe probe;
  EXPECT_ERROR_MENTIONS(sense::nvml_library{fake_nvml}, "nvmlInit_v2 failed: Driver Not Loaded (NVML error 9)",
                        fake_nvml.c_str());
  EXPECT_EQ(probe.init_count(), 0);
}

}  // namespace nvml_library_test
