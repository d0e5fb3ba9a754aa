// Both time-stamp forms: the parsers accept exactly what they promise, and what they accept
// formats back to a text that parses to the same instant.
#include "fuzz_input.hpp"
#include "layerwatt/core/time_stamp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace layerwatt;
  const std::string_view text = fuzzing::as_text(data, size);
  if (const auto t = try_parse_time_stamp(text)) {
    fuzzing::require(try_parse_time_stamp(to_string(*t)) == t, "to_string(parse(s)) parses back");
    fuzzing::require(text.size() >= 19 && text.size() <= time_stamp_length, "length 19 to 24");
  }
  if (const auto t = try_parse_idle_time_stamp(text))
    fuzzing::require(try_parse_idle_time_stamp(to_idle_string(*t)) == t, "idle form round trip");
  fuzzing::expect_errors_only([&] { (void)parse_time_stamp(text); });
  fuzzing::expect_errors_only([&] { (void)parse_idle_time_stamp(text); });
  return 0;
}
