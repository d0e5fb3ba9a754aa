#pragma once
// A finished network measured again (`measure --redo`) keeps its measurement until the new one is
// written: its files are set aside in `<network>/.previous/` while it is measured, and put back
// if the new attempt fails or is stopped, whose files go to `<network>/.failed_redo/` for a look
// (trtexec's output names what went wrong) until a redo succeeds.
//
//   campaign::set_aside_measurement kept(files);   // the earlier files moved aside
//   measure_network(...);                          // throws: ~set_aside_measurement puts them back
//   kept.discard();                                // the new measurement stands
//
// Every step is a rename, and a kill between any two leaves a state recover() puts right before
// the network is looked at again: network_measurement.json is set aside first and put back last,
// so the folder reads as finished only when it is whole; a marker in `.previous/` says which
// phase was cut short ("setting_aside": the folder's files are the earlier ones; "restoring": the
// attempt's are out of the folder). Without a marker, a folder with a measurement is a redo that
// finished (the set-aside files go), one without is an attempt cut short (put back as above).

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/campaign_dir.hpp"

namespace layerwatt::campaign {

class set_aside_measurement {
 public:
  /// Moves every file a measurement of `files` writes into `<network>/.previous/`, the
  /// measurement first. Errors: a file that cannot be moved (those moved before it go back).
  explicit set_aside_measurement(const io::campaign_network_files& files) : files_(files) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(store(files_), ec);
    if (!ec) mark(files_, setting_aside, true, ec);
    if (ec) throw error(fmt::format("{}: cannot create: {}", store(files_).string(), ec.message()));
    auto moving = files_.written();
    std::rotate(moving.rbegin(), moving.rbegin() + 1, moving.rend());  // the measurement, last of them, first
    for (const auto& f : moving) {
      if (!fs::exists(fs::symlink_status(f, ec))) continue;
      fs::rename(f, store(files_) / f.filename(), ec);
      if (ec) {
        const std::string why = ec.message();
        move_back(files_);
        throw error(fmt::format("{}: cannot set it aside while the network is measured again: {}", f.string(), why));
      }
    }
    mark(files_, setting_aside, false, ec);
  }

  set_aside_measurement(const set_aside_measurement&) = delete;
  set_aside_measurement& operator=(const set_aside_measurement&) = delete;

  /// Puts the earlier measurement back unless discard() or put_back() was called.
  ~set_aside_measurement() {
    if (kept_) restore(files_);
  }

  /// Puts the earlier measurement back now. Returns `report` (the attempt's error, or empty:
  /// stopped), the paths of the attempt's files in it changed to where they now are, and what
  /// became of the earlier measurement: the report of a failed or stopped redo.
  std::string put_back(std::string report) {
    namespace fs = std::filesystem;
    kept_ = false;
    const bool whole = restore(files_);
    std::error_code ec;
    for (const auto& f : files_.written())
      if (const auto moved = failed_attempt(files_) / f.filename(); fs::exists(fs::symlink_status(moved, ec)))
        replace_all(report, f.string(), moved.string());
    return report.empty() ? outcome(files_, whole, true) : fmt::format("{} ({})", report, outcome(files_, whole, true));
  }

  /// The new measurement is written: the earlier one goes (best effort: what stays, recover()
  /// removes, the folder being finished).
  void discard() noexcept {
    kept_ = false;
    std::error_code ec;
    std::filesystem::remove_all(store(files_), ec);
    std::filesystem::remove_all(failed_attempt(files_), ec);  // an earlier failed redo's: this one succeeded
  }

  struct recovery {
    std::string report;  ///< what was put back, and where the attempt's files are
    bool whole = true;   ///< false: some of the earlier files stay set aside (not to be measured over)
  };

  /// Puts right what a killed redo left (see above); nothing where there is no `.previous/` or
  /// the redo had finished.
  static std::optional<recovery> recover(const io::campaign_network_files& files) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(store(files), ec)) return std::nullopt;
    // Killed while setting aside, the attempt wrote nothing: a failed_attempt() there is an earlier redo's.
    const bool setting = fs::exists(store(files) / setting_aside, ec);
    const bool marked = setting || fs::exists(store(files) / restoring, ec);
    if (!marked && fs::exists(files.measurement, ec)) {
      fs::remove_all(store(files), ec);
      return std::nullopt;
    }
    const bool whole = marked ? move_back(files) : restore(files);
    return recovery{fmt::format("{}: a redo of this network was killed: {}", files.directory.string(),
                                outcome(files, whole, !setting)),
                    whole};
  }

  /// `<network>/.failed_redo/`: the files of the last redo that failed (until one succeeds).
  static std::filesystem::path failed_attempt(const io::campaign_network_files& files) {
    return files.directory / ".failed_redo";
  }

 private:
  static constexpr std::string_view setting_aside = "setting_aside", restoring = "restoring";

  static std::filesystem::path store(const io::campaign_network_files& files) { return files.directory / ".previous"; }

  /// "the earlier measurement is put back; the attempt's files are in …": a report's end, the
  /// second part where `attempt_moved` and it wrote any.
  static std::string outcome(const io::campaign_network_files& files, bool whole, bool attempt_moved) {
    std::error_code ec;
    std::string note = whole ? "the earlier measurement is put back"
                             : fmt::format("the earlier measurement could not all be put back: what is left of it is "
                                           "in {}, put back by the next run",
                                           store(files).string());
    if (attempt_moved && std::filesystem::is_directory(failed_attempt(files), ec))
      note += fmt::format("; the attempt's files are in {}", failed_attempt(files).string());
    return note;
  }

  static void replace_all(std::string& text, std::string_view from, std::string_view to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
  }

  /// Creates or removes the marker file `name` in `.previous/`.
  static void mark(const io::campaign_network_files& files, std::string_view name, bool on, std::error_code& ec) {
    const auto marker = store(files) / name;
    if (on) {
      if (std::FILE* f = std::fopen(marker.c_str(), "w")) std::fclose(f);
      else ec = std::error_code(errno, std::generic_category());
    } else {
      std::filesystem::remove(marker, ec);
    }
  }

  /// Moves the attempt's files to failed_attempt(), then the set-aside ones back; false where
  /// one stays set aside.
  static bool restore(const io::campaign_network_files& files) noexcept {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::remove_all(failed_attempt(files), ec);  // an earlier failed redo's: this attempt's replace them
    fs::create_directories(failed_attempt(files), ec);
    for (const auto& f : files.written())
      if (fs::exists(fs::symlink_status(f, ec))) fs::rename(f, failed_attempt(files) / f.filename(), ec);
    fs::remove(failed_attempt(files), ec);  // only where it is empty: an attempt that wrote nothing leaves none
    // Without the marker, a kill while moving back would read as an attempt cut short, and the
    // earlier files already back would go to failed_attempt(): they stay set aside instead.
    std::error_code marked;
    mark(files, restoring, true, marked);
    return !marked && move_back(files);
  }

  /// Moves every set-aside file back, the measurement last, and removes `.previous/`; false
  /// where a file cannot be moved: it stays there with the markers, for the next recover() (without
  /// a marker, recover() would take a folder with its measurement back for a finished redo).
  static bool move_back(const io::campaign_network_files& files) noexcept {
    namespace fs = std::filesystem;
    std::error_code ec;
    bool whole = true;
    for (const auto& f : files.written()) {  // the measurement is last
      const auto aside = store(files) / f.filename();
      if (!fs::exists(fs::symlink_status(aside, ec))) continue;
      fs::rename(aside, f, ec);
      whole = whole && !ec;
    }
    if (!whole) return false;
    for (const auto marker : {setting_aside, restoring}) fs::remove(store(files) / marker, ec);
    fs::remove(store(files), ec);
    return true;
  }

  io::campaign_network_files files_;
  bool kept_ = true;
};

}  // namespace layerwatt::campaign
