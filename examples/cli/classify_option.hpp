#pragma once
// --classify semantic|reference, for every command that decides what a layer is.

#include <string_view>

#include <fmt/format.h>

#include "arguments.hpp"
#include "layerwatt/dataset/classify.hpp"

namespace layerwatt::cli {

inline constexpr std::string_view classify_option_help =
    R"(  --classify RULE      how layers are told apart: semantic (default; by what each layer computes,
                       whatever kernel runs it; docs/classification.md) or reference (the
                       reference's three LayerType names, CaskConvolution, CaskPooling and
                       CaskGemmConvolution; every other layer left out)
)";

inline dataset::classification_rule classify_option(arguments& args) {
  const auto text = args.value("--classify");
  if (!text) return dataset::classification_rule::semantic;
  if (const auto rule = dataset::classification_rule_from_string(*text)) return *rule;
  throw usage_error(fmt::format("--classify expects semantic or reference, got \"{}\"", *text));
}

}  // namespace layerwatt::cli
