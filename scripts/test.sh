#!/usr/bin/env bash
# Set-up and the whole test suite: installs what is missing, builds under AddressSanitizer and
# UndefinedBehaviorSanitizer in build/test (incremental), and runs every test through CTest.
# Extra arguments go to ctest (e.g. scripts/test.sh -R PowerLog).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

jobs=$(nproc)
cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLAYERWATT_SANITIZE=ON \
      -DLAYERWATT_BUILD_TESTS=ON -DLAYERWATT_BUILD_EXAMPLES=ON >/dev/null
cmake --build build/test -j "$jobs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir build/test -j "$jobs" --output-on-failure "$@"
