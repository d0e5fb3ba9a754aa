#pragma once
// A plain-text table for terminal summaries: columns sized to their widest cell.

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace layerwatt::cli {

class text_table {
 public:
  enum class align { left, right };

  explicit text_table(std::vector<std::string> header, std::vector<align> aligns = {})
      : header_(std::move(header)), aligns_(std::move(aligns)) {
    aligns_.resize(header_.size(), align::left);
  }

  void add(std::vector<std::string> row) {
    row.resize(header_.size());
    rows_.push_back(std::move(row));
  }

  void print(std::FILE* out = stdout) const {
    std::vector<std::size_t> width(header_.size());
    for (std::size_t c = 0; c < header_.size(); ++c) {
      width[c] = header_[c].size();
      for (const auto& row : rows_) width[c] = std::max(width[c], row[c].size());
    }
    const auto line = [&](const std::vector<std::string>& cells) {
      std::string text;
      for (std::size_t c = 0; c < cells.size(); ++c) {
        if (c) text += "  ";
        text += aligns_[c] == align::right ? fmt::format("{:>{}}", cells[c], width[c])
                                           : fmt::format("{:<{}}", cells[c], width[c]);
      }
      while (!text.empty() && text.back() == ' ') text.pop_back();
      fmt::print(out, "{}\n", text);
    };
    line(header_);
    std::vector<std::string> rule;
    for (const auto w : width) rule.emplace_back(w, '-');
    line(rule);
    for (const auto& row : rows_) line(row);
  }

 private:
  std::vector<std::string> header_;
  std::vector<align> aligns_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace layerwatt::cli
