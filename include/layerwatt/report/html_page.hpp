#pragma once
// A self-contained HTML page (no scripts, no network): headings, paragraphs, tables and inline
// SVG charts. The training report is built with it.

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "layerwatt/report/markup_text.hpp"

namespace layerwatt::report {

class html_page {
 public:
  explicit html_page(std::string_view title) {
    body_ += "<h1>";
    append_escaped(body_, title);
    body_ += "</h1>\n";
    title_ = escaped(title);
  }

  html_page& heading(std::string_view text, int level = 2) {
    const char tag = static_cast<char>('0' + std::clamp(level, 1, 6));
    body_ += {'<', 'h', tag, '>'};
    append_escaped(body_, text);
    body_ += {'<', '/', 'h', tag, '>', '\n'};
    return *this;
  }

  html_page& paragraph(std::string_view text) {
    body_ += "<p>";
    append_escaped(body_, text);
    body_ += "</p>\n";
    return *this;
  }

  /// A table; cells that look numeric are right-aligned.
  html_page& table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
    body_ += "<table>\n<tr>";
    for (const auto& h : header) {
      body_ += "<th>";
      append_escaped(body_, h);
      body_ += "</th>";
    }
    body_ += "</tr>\n";
    for (const auto& row : rows) {
      body_ += "<tr>";
      for (const auto& cell : row) {
        body_ += looks_numeric(cell) ? "<td class=\"n\">" : "<td>";
        append_escaped(body_, cell);
        body_ += "</td>";
      }
      body_ += "</tr>\n";
    }
    body_ += "</table>\n";
    return *this;
  }

  /// Inline SVG produced by this library (trusted markup, inserted as is).
  html_page& svg(std::string_view markup) {
    body_ += "<figure>";
    body_ += markup;
    body_ += "</figure>\n";
    return *this;
  }

  [[nodiscard]] std::string render() const {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + title_ +
           "</title>\n<style>\n"
           "body{font-family:sans-serif;margin:2em;max-width:1400px;color:#222}\n"
           "table{border-collapse:collapse;margin:1em 0}\n"
           "th,td{border:1px solid #ccc;padding:3px 8px}th{background:#f3f3f3}\n"
           "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
           "figure{overflow-x:auto;margin:1em 0}\n"
           "</style>\n</head>\n<body>\n" +
           body_ + "</body>\n</html>\n";
  }

 private:
  static bool looks_numeric(std::string_view s) {
    if (s.empty()) return false;
    for (const char c : s)
      if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == '%')) return false;
    return true;
  }

  std::string title_, body_;
};

}  // namespace layerwatt::report
