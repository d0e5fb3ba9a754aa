#pragma once
// A strict-enough XML well-formedness check for the markup the report writes: every tag closed
// in order, every '&' an entity, no stray '<' in text; and a count of what the markup holds.

#include <string>
#include <string_view>
#include <vector>

namespace layerwatt::testing {

/// Empty if well formed, else what went wrong.
inline std::string markup_problem(std::string_view text, bool html = false) {
  std::vector<std::string> open;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '&') {
      const auto semi = text.find(';', i);
      if (semi == std::string_view::npos || semi - i > 6) return "bare '&' at " + std::to_string(i);
      continue;
    }
    if (text[i] != '<') continue;
    const auto close = text.find('>', i);
    if (close == std::string_view::npos) return "unclosed tag at " + std::to_string(i);
    std::string_view tag = text.substr(i + 1, close - i - 1);
    i = close;
    if (tag.starts_with("!") || tag.starts_with("?")) continue;
    if (tag.find('<') != std::string_view::npos) return "'<' inside a tag";
    if (tag.ends_with("/")) continue;
    const bool closing = tag.starts_with("/");
    std::string name(tag.substr(closing, tag.find_first_of(" \t\n") - closing));
    if (html && (name == "meta" || name == "br")) continue;
    if (!closing) {
      open.push_back(name);
    } else if (open.empty() || open.back() != name) {
      return "</" + name + "> does not close <" + (open.empty() ? std::string{} : open.back()) + ">";
    } else {
      open.pop_back();
    }
  }
  return open.empty() ? std::string{} : "<" + open.back() + "> never closed";
}

/// How many times `what` occurs in `text` (elements of a kind in a chart's markup).
inline std::size_t occurrences(std::string_view text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace layerwatt::testing
