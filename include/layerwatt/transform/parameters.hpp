#pragma once
// Fitted parameters in saved pipelines: vectors of doubles written in their shortest exact form
// (nlohmann::json prints a shortest text that reads back to the same double) and read back
// with their length checked, so a loaded model predicts bit-identically or not at all.

#include <cstddef>
#include <string_view>

#include <fmt/format.h>
#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include "layerwatt/io/json_document.hpp"

namespace layerwatt::transform {

inline nlohmann::ordered_json parameters_to_json(const Eigen::VectorXd& values) {
  auto out = nlohmann::ordered_json::array();
  for (const double v : values) out.push_back(v);
  return out;
}

/// Member `key` of `node`: exactly `size` numbers, or an error naming the JSON path.
inline Eigen::VectorXd read_parameters(const io::json_node& node, std::string_view key, std::size_t size) {
  const auto array = node.object_member(key);
  if (array.array_size() != size)
    array.fail(fmt::format("an array of {} numbers, got {}", size, array.array_size()));
  Eigen::VectorXd out(static_cast<Eigen::Index>(size));
  for (std::size_t i = 0; i < size; ++i) out[static_cast<Eigen::Index>(i)] = array.element(i).as_double();
  return out;
}

}  // namespace layerwatt::transform
