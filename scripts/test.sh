#!/usr/bin/env bash
# Set-up and the whole test suite: installs what is missing, builds under AddressSanitizer and
# UndefinedBehaviorSanitizer in build/test (incremental), and runs every test through CTest.
# Extra arguments go to ctest (e.g. scripts/test.sh -R PowerLog). Prints how long the build and
# the tests took.
#
# Tests reading other people's data (real engines, the reference's fixtures) find it in the
# `shared` folder beside the checkout (cmake -DLAYERWATT_SHARED_DIR=PATH to point elsewhere) and
# are skipped, with the reason, where it is absent; LAYERWATT_REQUIRE_SHARED=1 makes that a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

jobs=$(nproc)
started=$SECONDS
# -Og: the sanitizers' checks stay whole; on 2 cores the build takes about a quarter less time
# than at -O1 and the tests about as long (this script prints both).
cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-Og -g1 -DNDEBUG" \
      -DLAYERWATT_SANITIZE=ON -DLAYERWATT_BUILD_TESTS=ON -DLAYERWATT_BUILD_EXAMPLES=ON >/dev/null
cmake --build build/test -j "$jobs"
built=$SECONDS
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
ctest --test-dir build/test -j "$jobs" --output-on-failure "$@" || status=$?
echo "layerwatt: build $((built - started)) s, tests $((SECONDS - built)) s (on $jobs cores)"
exit $status
