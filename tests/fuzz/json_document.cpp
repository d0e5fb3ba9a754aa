// Any JSON through io::json_document (what model and config files are read with): syntax errors,
// nesting depth, and walking it with json_node.
#include "fuzz_input.hpp"
#include "layerwatt/io/json_document.hpp"

namespace {

void walk(const layerwatt::io::json_node& node) {
  const auto& v = node.value();
  if (v.is_object()) {
    for (const auto& [key, value] : v.items()) (void)key, (void)value;
    for (auto it = v.begin(); it != v.end(); ++it)
      if (const auto child = node.find(it.key())) walk(*child);
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < node.array_size(); ++i) walk(node.element(i));
  } else if (v.is_number()) {
    (void)node.as_double();
    layerwatt::fuzzing::expect_errors_only([&] { (void)node.as_integer<std::int32_t>(); });
  } else if (v.is_string()) {
    (void)node.as_string();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace layerwatt;
  return fuzzing::expect_errors_only([&] {
    const io::json_document doc("fuzz.json", fuzzing::as_text(data, size));
    walk(doc.root());
    (void)doc.value().dump();
  });
}
