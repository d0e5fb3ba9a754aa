#pragma once
// Text placed inside SVG or HTML: layer names carry '<', '>' and '&' ("[CONVOLUTION]-[a] + <b>").

#include <string>
#include <string_view>

namespace layerwatt::report {

/// Appends `text` with the five markup-special characters escaped (valid in elements and attributes).
inline void append_escaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
}

inline std::string escaped(std::string_view text) {
  std::string out;
  append_escaped(out, text);
  return out;
}

}  // namespace layerwatt::report
