#pragma once
// The network options `zoo` and `simulate` share: --batch, --input CxHxW, --precision.

#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "arguments.hpp"
#include "layerwatt/core/error.hpp"
#include "layerwatt/io/number_text.hpp"
#include "layerwatt/zoo/registry.hpp"

namespace layerwatt::cli {

inline zoo::input_shape parse_input_shape(std::string_view text) {
  std::int64_t dims[3] = {};
  std::size_t at = 0;
  for (int i = 0; i < 3; ++i) {
    const auto x = text.find('x', at);
    const auto part = text.substr(at, i < 2 ? x - at : std::string_view::npos);
    const auto value = io::parse_integer<std::int64_t>(part);
    if ((i < 2 && x == std::string_view::npos) || !value || *value < 1 || *value > 1'000'000)
      throw usage_error(fmt::format("--input expects CxHxW with positive integers (e.g. 3x224x224), got \"{}\"", text));
    dims[i] = *value;
    at = x + 1;
  }
  return {dims[0], dims[1], dims[2]};
}

inline zoo::build_options zoo_build_options(arguments& args) {
  zoo::build_options options;
  options.batch = args.number<std::int64_t>("--batch", 1, 1'000'000).value_or(1);
  if (const auto input = args.value("--input")) options.input = parse_input_shape(*input);
  if (const auto precision = args.value("--precision")) {
    if (*precision == "fp16") options.precision = io::precision::fp16;
    else if (*precision == "fp32") options.precision = io::precision::fp32;
    else throw usage_error(fmt::format("--precision expects fp16 or fp32, got \"{}\"", *precision));
  }
  return options;
}

/// The zoo network called `name`; an unknown name is a usage error that lists the known ones.
inline const zoo::zoo_model& find_zoo_model(std::string_view name) {
  try {
    return zoo::find_model(name);
  } catch (const error& e) {
    throw usage_error(e.what());
  }
}

}  // namespace layerwatt::cli
