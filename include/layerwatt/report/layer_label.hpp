#pragma once
// A layer's name cut to what tells it apart. TensorRT names a fused layer after every operation
// in it, and Torch-TensorRT tags every operation ("[CONVOLUTION]-[aten_ops.convolution.default]-
// [/layer1/0/conv1/convolution] + ..."): the first 15 characters of every convolution are the
// same, and a reformat's name ends with the tagged name of the layer it feeds. The label is the
// first operation — the name up to the first " + ", each tagged operation as its path — then,
// on a chart's axis where space is short, its module path only (without the operation after the
// last '/': "convolution", "Conv"); and where that is still too long, its end, after a '…'.

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace layerwatt::report {

/// What a label keeps of the first operation's path.
enum class label_part {
  module,     ///< its module ("/layer1/0/conv1"): a chart's axis
  operation,  ///< the operation too ("/layer1/0/conv1/convolution"): a table, whose rows must differ
};

/// The label of layer `name`, at most `chars` long: bytes of the name (an ASCII name's characters),
/// the leading '…' of a cut counted as one. A cut never splits a UTF-8 character.
inline std::string layer_label(std::string_view name, std::size_t chars, label_part part = label_part::module) {
  if (const auto plus = name.find(" + "); plus != std::string_view::npos) name = name.substr(0, plus);
  std::string label;  // each Torch-TensorRT [TAG]-[aten op]-[path] as its path
  for (;;) {
    const auto tag = name.find('[');
    const auto op = tag == std::string_view::npos ? tag : name.find("]-[", tag);
    const auto path = op == std::string_view::npos ? op : name.find("]-[", op + 3);
    const auto end = path == std::string_view::npos ? path : name.find(']', path + 3);
    if (end == std::string_view::npos) break;
    label.append(name.substr(0, tag)).append(name.substr(path + 3, end - path - 3));
    name.remove_prefix(end + 1);
  }
  label.append(name);
  std::string_view text = label;
  if (const auto slash = text.rfind('/'); part == label_part::module && slash != std::string_view::npos && slash > 0)
    text = text.substr(0, slash);
  const auto continuation = [text](std::size_t at) {
    return at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80;
  };
  if (text.size() <= chars || chars < 2) {
    std::size_t cut = std::min(chars, text.size());
    while (cut > 0 && continuation(cut)) --cut;
    return std::string(text.substr(0, cut));
  }
  std::size_t start = text.size() - (chars - 1);
  while (continuation(start)) ++start;
  return "…" + std::string(text.substr(start));
}

}  // namespace layerwatt::report
