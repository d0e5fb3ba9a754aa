#!/usr/bin/env bash
# Set-up and the main job: installs what is missing, builds the CLI (optimised, build/release,
# incremental) and runs it on the bundled data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DLAYERWATT_BUILD_TESTS=OFF \
      -DLAYERWATT_BUILD_EXAMPLES=ON >/dev/null
cmake --build build/release -j "$(nproc)" --target layerwatt_cli
layerwatt=build/release/examples/layerwatt

echo "== layerwatt inspect: the Jetson Orin resnet18 engine"
"$layerwatt" inspect tests/data/reference/engine_info/jetson_orin/resnet18.json
