#pragma once
// The ONNX test models: tests/data/onnx/<name>.onnx, written by tests/data/onnx/make_models.py.

#include <filesystem>
#include <string>
#include <string_view>

namespace layerwatt::testing {

inline std::filesystem::path test_model(std::string_view name) {
  return std::filesystem::path(LAYERWATT_TEST_DATA) / "onnx" / (std::string(name) + ".onnx");
}

}  // namespace layerwatt::testing
