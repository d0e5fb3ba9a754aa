#!/usr/bin/env bash
# Fuzzes the readers with libFuzzer: builds tests/fuzz/* with clang -fsanitize=fuzzer,address,
# undefined in build/fuzz, then runs each target (or the one named) for a fixed time, one after
# another at nice 10, and prints executions and findings per target.
#
#   scripts/fuzz.sh                   every target, 60 s each
#   scripts/fuzz.sh power_log 120     one target, 120 s
#   scripts/fuzz.sh all 90            every target, 90 s each
#
# Corpora start from the real files of the shared folder (LAYERWATT_SHARED_DIR, default ../shared;
# its data/ holds the reference's engines and fixtures; none when it is absent) and
# tests/data/fuzz_regressions/<target>/; they grow in build/fuzz/corpus/<target>/. A finding (crash,
# leak, timeout over 1 s, out of memory) is left in build/fuzz/findings/<target>/: fix the bug, then
# copy the input to tests/data/fuzz_regressions/<target>/ so CI's test_fuzz replays it.
# Needs clang and libclang-rt-14-dev (scripts/setup.sh does not install them).
set -euo pipefail
cd "$(dirname "$0")/.."
which_target=${1:-all}
seconds=${2:-60}
cxx=${CXX_FUZZ:-$(command -v clang++-14 || command -v clang++)}

cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$cxx" \
      -DLAYERWATT_FUZZ=ON -DLAYERWATT_BUILD_TESTS=OFF -DLAYERWATT_BUILD_EXAMPLES=OFF \
      -DLAYERWATT_SANITIZE=OFF >/dev/null
targets=$(sed -n '/^set(layerwatt_fuzz_targets/,/)/p' tests/fuzz/CMakeLists.txt |
          sed 's/set(layerwatt_fuzz_targets//; s/)//' | tr -s ' \n' '\n' | sed '/^$/d')
[[ $which_target == all ]] || targets=$which_target
# shellcheck disable=SC2046
nice -n 10 cmake --build build/fuzz -j 2 --target $(sed 's/^/fuzz_/' <<<"$targets")

ref=${LAYERWATT_SHARED_DIR:-../shared}/data
# seeds <target>: the real files that target reads
seeds() {
  local raw="$ref/seed_fixtures/example_raw_data" pre="$ref/seed_fixtures/example_preprocessed_data"
  [[ -d $ref ]] || return 0
  case $1 in
    time_stamp) ;;  # its seeds live in fuzz_regressions
    power_log) find "$raw" -name '*_power_log.log' ;;
    layer_latency) find "$raw" -name trt_layer_latency.json; find "$ref/layer_latency_desktop" -name '*.json' 2>/dev/null ;;
    engine_info) find "$ref/engine_info" -name '*.json' 2>/dev/null; find "$raw" "$pre" -name trt_engine_info.json ;;
    idle_power) find "$raw" -name idling_power.json ;;
    benchmark_summary) find "$raw" -name '*_tensorrt.json' ;;
    layerwise_mapping) find "$pre" tests/data/dataset -name power_runtime_mapping_layerwise.csv ;;
    training_csv) find tests/data -name '*.csv' -size -16k ;;
    json_document) find "$raw" "$pre" -name '*.json' -size -8k ;;
    pipeline_file) ;;   # its seeds (fitted models from the demo) live in fuzz_regressions
    training_config) ;;
    power_log_meta) ;;
    tegrastats) find "$ref/../realdata/icas_jetson_nano_nas/tegrastats_sample" -name '*.txt' 2>/dev/null ;;
    network_totals) ;;     # its seeds live in fuzz_regressions
    network_constants) ;;
  esac
}

printf '%-20s %12s %10s %8s\n' target executions exec/s findings
for t in $targets; do
  corpus=build/fuzz/corpus/$t findings=build/fuzz/findings/$t
  mkdir -p "$corpus" "$findings"
  seeds "$t" | sort -u | while read -r f; do cp "$f" "$corpus/seed-$(basename "$(dirname "$f")")-$(basename "$f")"; done
  log=build/fuzz/$t.log
  nice -n 10 "build/fuzz/tests/fuzz/fuzz_$t" "$corpus" "tests/data/fuzz_regressions/$t" \
      -max_total_time="$seconds" -timeout=1 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
      -artifact_prefix="$findings/" >"$log" 2>&1 || true
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  found=$(find "$findings" -type f | wc -l)
  printf '%-20s %12s %10s %8s\n' "$t" "${runs:-?}" "${rate:-?}" "$found"
done
