#pragma once
// The element type of a tensor, read from the engine inspector's "Format/Datatype" text, which
// names TensorRT's DataType in one of two spellings (TensorRT 8.x and 10.x, nvinfer1::DataType):
//
//   DataType   format text ("Row major linear FP16 format", "Channel major ... where ...")   Myelin
//   kFLOAT     FP32                                                                          Float
//   kHALF      FP16                                                                          Half
//   kBF16      BF16, BFloat16
//   kFP8       FP8, FP8E4M3, E4M3 (TensorRT's FP8 is E4M3); E5M2, FP8E5M2
//   kINT8      INT8, Int8
//   kUINT8     UINT8, UInt8
//   kINT4      INT4, Int4
//   kINT32     INT32, Int32
//   kINT64     INT64, Int64
//   kBOOL      BOOL, Bool
//
// Words are matched whole (split at anything not a letter or digit), so "BFloat16" is not
// "Float" and "UInt8" is not "Int8".

#include <array>
#include <cstddef>
#include <string_view>
#include <utility>

namespace layerwatt::io {

enum class precision { unknown, fp32, fp16, bf16, fp8_e4m3, fp8_e5m2, int8, uint8, int4, int32, int64, boolean };

inline constexpr std::array<std::string_view, 12> precision_names = {
    "unknown", "fp32", "fp16", "bf16", "fp8_e4m3", "fp8_e5m2", "int8", "uint8", "int4", "int32", "int64", "bool"};

/// "fp16", "int8", ...: the training CSVs' `precision` column.
constexpr std::string_view to_string(precision p) noexcept { return precision_names[static_cast<std::size_t>(p)]; }

/// Bits of one element (TensorRT stores a bool in a byte); 0 for unknown.
constexpr int bits_per_element(precision p) noexcept {
  constexpr std::array<int, 12> bits = {0, 32, 16, 16, 8, 8, 8, 8, 4, 32, 64, 8};
  return bits[static_cast<std::size_t>(p)];
}

namespace detail {

constexpr bool is_word_character(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

constexpr precision precision_of_word(std::string_view word) noexcept {
  constexpr std::pair<std::string_view, precision> words[] = {
      {"FP32", precision::fp32},        {"Float", precision::fp32},       {"FP16", precision::fp16},
      {"Half", precision::fp16},        {"BF16", precision::bf16},        {"BFloat16", precision::bf16},
      {"FP8", precision::fp8_e4m3},     {"FP8E4M3", precision::fp8_e4m3}, {"E4M3", precision::fp8_e4m3},
      {"FP8E5M2", precision::fp8_e5m2}, {"E5M2", precision::fp8_e5m2},    {"INT8", precision::int8},
      {"Int8", precision::int8},        {"UINT8", precision::uint8},      {"UInt8", precision::uint8},
      {"INT4", precision::int4},        {"Int4", precision::int4},        {"INT32", precision::int32},
      {"Int32", precision::int32},      {"INT64", precision::int64},      {"Int64", precision::int64},
      {"BOOL", precision::boolean},     {"Bool", precision::boolean}};
  for (const auto& [known, p] : words)
    if (known == word) return p;
  return precision::unknown;
}

}  // namespace detail

/// The first word of `format` that names a data type; unknown when none does.
constexpr precision precision_of_format(std::string_view format) noexcept {
  std::size_t i = 0;
  while (i < format.size()) {
    while (i < format.size() && !detail::is_word_character(format[i])) ++i;
    const std::size_t start = i;
    while (i < format.size() && detail::is_word_character(format[i])) ++i;
    if (const auto p = detail::precision_of_word(format.substr(start, i - start)); p != precision::unknown) return p;
  }
  return precision::unknown;
}

}  // namespace layerwatt::io
