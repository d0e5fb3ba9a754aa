#pragma once
// A deliberately small command-line parser: `--name VALUE`, `--name=VALUE`, flags, repeated
// options, positionals, and `--` before a child command. Unknown options are errors, so a typo
// never silently falls back to a default. Options are consumed as a command reads them, in any
// order on the command line; a command reads its positionals last, once every option has taken
// its value (`--out DIR RAW_DIR` would otherwise hand DIR over as the positional).

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/core/duration_text.hpp"
#include "layerwatt/core/error.hpp"
#include "layerwatt/io/number_text.hpp"

namespace layerwatt::cli {

/// A usage error: the message is printed with a pointer to --help, exit status 2.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Runs `check`, a library check of option values taken together, its error a usage error
/// naming `options` ("--trim and --duration"): refused before any work, as a bad command line.
template <typename Check>
void check_options(std::string_view options, Check&& check) {
  try {
    std::forward<Check>(check)();
  } catch (const error& e) {
    throw usage_error(fmt::format("{}: {}", options, e.what()));
  }
}

/// "a,b,,c" → {"a", "b", "c"}: the items of a comma-separated option value (empty items dropped).
inline std::vector<std::string> split_list(std::string_view list) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at <= list.size()) {
    const auto comma = std::min(list.find(',', at), list.size());
    if (comma > at) out.emplace_back(list.substr(at, comma - at));
    at = comma + 1;
  }
  return out;
}

/// Refuses an output directory (the value of `option`) that is something else, a file say, before
/// any work: the error would otherwise come at the first file written into it, the work done.
inline void check_output_directory(std::string_view option, const std::filesystem::path& out,
                                   std::string_view expected) {
  namespace fs = std::filesystem;
  std::error_code ec;
  // The nearest part of the path that exists is the one to look at: under a file nothing can be made.
  for (auto p = out; !p.empty();) {
    if (fs::exists(p, ec)) {
      if (fs::is_directory(p, ec)) return;
      if (p == out)
        throw usage_error(
            fmt::format("{} {}: not a directory; expected {} (made where missing)", option, out.string(), expected));
      throw usage_error(fmt::format("{} {}: {} is not a directory, so {} cannot be made in it", option, out.string(),
                                    p.string(), expected));
    }
    if (p == p.parent_path()) return;
    p = p.parent_path();
  }
}

/// Refuses an output directory that is the input one (`input_name`, for the message): the run would
/// write among what it reads, and a stopped one would leave its own input marked incomplete.
inline void check_not_input(std::string_view option, const std::filesystem::path& out, std::string_view input_name,
                            const std::filesystem::path& input) {
  if (std::error_code ec; std::filesystem::equivalent(out, input, ec))
    throw usage_error(
        fmt::format("{} {}: is {} itself; give the output a directory of its own", option, out.string(), input_name));
}

class arguments {
 public:
  explicit arguments(std::span<char* const> args) {
    for (std::size_t i = 0; i < args.size(); ++i) {
      const std::string_view a = args[i];
      if (a == "--") {
        for (++i; i < args.size(); ++i) trailing_.emplace_back(args[i]);
        break;
      }
      items_.push_back({std::string(a), false});
    }
  }

  /// True if the flag is present (and consumes it).
  bool flag(std::string_view name) {
    bool found = false;
    for (auto& item : items_)
      if (!item.used && item.text == name) item.used = found = true;
    return found;
  }

  /// Those of `names` on the command line, not yet read, in the order of `names`: for options
  /// that apply to one kind of input only, checked once the input is known.
  [[nodiscard]] std::vector<std::string_view> present(std::initializer_list<std::string_view> names) const {
    std::vector<std::string_view> out;
    for (const auto name : names)
      if (std::any_of(items_.begin(), items_.end(), [&](const entry& item) {
            return !item.used && (item.text == name || joins_value(item.text, name));
          }))
        out.push_back(name);
    return out;
  }

  /// Every value given to a repeatable option, in order. An empty value (`--out ""`, `--out=`) is
  /// refused: no option of ours means anything by it, and as a path it would name the working
  /// directory.
  std::vector<std::string> values(std::string_view name) { return values(name, /*allow_empty=*/false); }

  /// A comma-separated list (split_list), where an empty value (`--test-models ""`) is the empty
  /// list; nullopt when the option is not given.
  std::optional<std::vector<std::string>> list(std::string_view name) {
    if (const auto text = single(name, /*allow_empty=*/true)) return split_list(*text);
    return std::nullopt;
  }

  std::optional<std::string> value(std::string_view name) { return single(name, /*allow_empty=*/false); }

  /// An option that must be given. Its absence is reported by finish(), after any unknown
  /// option (a misspelt `--ot` is the likelier mistake than a forgotten `--out`): the value is
  /// empty until finish() has passed.
  std::string required(std::string_view name) {
    if (auto v = value(name)) return *v;
    missing_.push_back(fmt::format("{} is required", name));
    return {};
  }

  template <typename Number>
  std::optional<Number> number(std::string_view name, Number min, Number max) {
    const auto text = value(name);
    if (!text) return std::nullopt;
    std::optional<Number> v;
    if constexpr (std::is_integral_v<Number>) v = io::parse_integer<Number>(*text);
    else if (const auto d = io::parse_double(*text)) v = static_cast<Number>(*d);
    if (!v || *v < min || *v > max)
      throw usage_error(fmt::format("{} expects a number in [{}, {}], got \"{}\"", name, min, max, *text));
    return v;
  }

  /// A duration such as 1h, -30min, 1.5s, 250ms (core/duration_text.hpp).
  std::optional<microseconds> duration(std::string_view name) {
    const auto text = value(name);
    if (!text) return std::nullopt;
    if (const auto d = parse_duration(*text)) return d;
    throw usage_error(fmt::format("{} expects {}, got \"{}\"", name, duration_format, *text));
  }

  /// The next unconsumed argument that is not an option; read after every option (see above).
  std::optional<std::string> positional() {
    for (auto& item : items_)
      if (!item.used && !item.text.starts_with("--")) {
        item.used = true;
        return item.text;
      }
    return std::nullopt;
  }

  /// A positional that must be given; reported by finish() as required() is.
  std::string required_positional(std::string_view what) {
    if (auto p = positional()) return *p;
    missing_.push_back(fmt::format("missing {}", what));
    return {};
  }

  /// Everything after `--`.
  [[nodiscard]] const std::vector<std::string>& trailing() const noexcept { return trailing_; }

  /// Fails on anything not consumed (unknown options, extra positionals), then on the first
  /// required option or positional that was not given.
  void finish() const {
    for (const auto& item : items_)
      if (!item.used)
        throw usage_error(item.text.starts_with("-") ? fmt::format("unknown option {}", item.text)
                                                      : fmt::format("unexpected argument \"{}\"", item.text));
    if (!missing_.empty()) throw usage_error(missing_.front());
  }

 private:
  std::vector<std::string> values(std::string_view name, bool allow_empty) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < items_.size(); ++i) {
      auto& item = items_[i];
      if (item.used) continue;
      if (item.text == name) {
        if (i + 1 >= items_.size() || items_[i + 1].used)
          throw usage_error(fmt::format("{} needs a value", name));
        item.used = items_[i + 1].used = true;
        out.push_back(items_[i + 1].text);
      } else if (joins_value(item.text, name)) {
        item.used = true;
        out.push_back(item.text.substr(name.size() + 1));
      } else {
        continue;
      }
      if (out.back().empty() && !allow_empty)
        throw usage_error(fmt::format("{} needs a value, got an empty one", name));
    }
    return out;
  }

  std::optional<std::string> single(std::string_view name, bool allow_empty) {
    auto all = values(name, allow_empty);
    if (all.size() > 1) throw usage_error(fmt::format("{} given {} times", name, all.size()));
    if (all.empty()) return std::nullopt;
    return std::move(all.front());
  }

  /// `--name=VALUE`
  static bool joins_value(std::string_view text, std::string_view name) {
    return text.size() > name.size() && text.starts_with(name) && text[name.size()] == '=';
  }

  struct entry {
    std::string text;
    bool used;
  };
  std::vector<entry> items_;
  std::vector<std::string> trailing_;
  std::vector<std::string> missing_;  ///< required options and positionals not given, in reading order
};

}  // namespace layerwatt::cli
