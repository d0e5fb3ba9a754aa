#pragma once
// A node's attributes by name, with ONNX's defaults where the attribute is absent.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <onnx/onnx_pb.h>

namespace layerwatt::onnx {

inline const ::ONNX_NAMESPACE::AttributeProto* attribute(const ::ONNX_NAMESPACE::NodeProto& node, std::string_view name) {
  for (const auto& a : node.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

inline std::int64_t int_attribute(const ::ONNX_NAMESPACE::NodeProto& node, std::string_view name, std::int64_t fallback) {
  const auto* a = attribute(node, name);
  return a ? a->i() : fallback;
}

inline float float_attribute(const ::ONNX_NAMESPACE::NodeProto& node, std::string_view name, float fallback) {
  const auto* a = attribute(node, name);
  return a ? a->f() : fallback;
}

inline std::string string_attribute(const ::ONNX_NAMESPACE::NodeProto& node, std::string_view name,
                                    std::string_view fallback) {
  const auto* a = attribute(node, name);
  return a ? a->s() : std::string(fallback);
}

inline std::optional<std::vector<std::int64_t>> ints_attribute(const ::ONNX_NAMESPACE::NodeProto& node,
                                                               std::string_view name) {
  const auto* a = attribute(node, name);
  if (!a) return std::nullopt;
  return std::vector<std::int64_t>(a->ints().begin(), a->ints().end());
}

}  // namespace layerwatt::onnx
