// Compiles the whole public API and exercises a little of it.
#include <layerwatt/layerwatt.hpp>

int main() {
  const auto t = layerwatt::parse_time_stamp("20241121-05:22:50.156286");
  return layerwatt::to_string(t) == "20241121-05:22:50.156286" ? 0 : 1;
}
