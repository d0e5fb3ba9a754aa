#!/usr/bin/env bash
# Compiles every public header on its own (include what you use) in build/headers: one
# translation unit per header, no sanitizers, nothing run. A header that does not stand alone
# fails with the compiler's error. CI runs it after scripts/test.sh (.ci/run); it is not part of
# the test build because it would be a quarter of that build's time (tests/headers/CMakeLists.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

started=$SECONDS
cmake -S . -B build/headers -G Ninja -DLAYERWATT_CHECK_HEADERS=ON -DLAYERWATT_BUILD_TESTS=OFF \
      -DLAYERWATT_BUILD_EXAMPLES=OFF >/dev/null
cmake --build build/headers -j "$(nproc)"
echo "layerwatt: every public header compiles on its own ($((SECONDS - started)) s on $(nproc) cores)"
