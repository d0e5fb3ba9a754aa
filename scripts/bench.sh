#!/usr/bin/env bash
# Builds the benchmarks optimised in build/bench and runs the ones named (all by default):
#   scripts/bench.sh                 every bench/*.cpp
#   scripts/bench.sh power_log_parse one of them; further arguments go to Google Benchmark
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh libbenchmark-dev
cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DLAYERWATT_BUILD_BENCH=ON \
      -DLAYERWATT_BUILD_TESTS=OFF -DLAYERWATT_BUILD_EXAMPLES=ON >/dev/null
cmake --build build/bench -j "$(nproc)"
if (($#)); then
  name=$1; shift
  exec "build/bench/bench/bench_$name" "$@"
fi
for b in build/bench/bench/bench_*; do echo "== $b"; "$b"; done
