#pragma once
// A layer's name cut to what tells it apart on a chart's axis. TensorRT names a fused layer after
// every operation in it, and Torch-TensorRT starts every name with its operation tag
// ("[CONVOLUTION]-[aten_ops.convolution.default]-[/layer1/0/conv1/convolution] + ..."): the
// first 15 characters of every convolution are the same. The label is the first operation's
// module path — its name up to the first " + ", without the operation after the last '/'
// ("convolution", "Conv") — and where that is still too long its end. `chars` counts bytes.

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace layerwatt::report {

inline std::string layer_label(std::string_view name, std::size_t chars) {
  if (name.starts_with('[')) {  // Torch-TensorRT: [TAG]-[aten op]-[path]
    std::size_t at = 0;
    for (int bracket = 0; bracket < 2 && at != std::string_view::npos; ++bracket) at = name.find("]-[", at + 1);
    if (at != std::string_view::npos) {
      const auto end = name.find(']', at + 3);
      name = name.substr(at + 3, end == std::string_view::npos ? std::string_view::npos : end - at - 3);
    }
  }
  if (const auto plus = name.find(" + "); plus != std::string_view::npos) name = name.substr(0, plus);
  if (const auto slash = name.rfind('/'); slash != std::string_view::npos && slash > 0) name = name.substr(0, slash);
  // A cut moves to the nearest whole UTF-8 character inside it, never through one.
  const auto continuation = [name](std::size_t at) {
    return at < name.size() && (static_cast<unsigned char>(name[at]) & 0xC0) == 0x80;
  };
  if (name.size() <= chars || chars < 2) {
    std::size_t end = std::min(chars, name.size());
    while (end > 0 && continuation(end)) --end;
    return std::string(name.substr(0, end));
  }
  std::size_t start = name.size() - (chars - 1);
  while (continuation(start)) ++start;
  return "…" + std::string(name.substr(start));
}

}  // namespace layerwatt::report
