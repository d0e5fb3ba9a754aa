#!/usr/bin/env bash
# Runs every ```sh block of README.md and docs/*.md, so that no command shown in the docs is
# wrong. CTest runs it (tests/docs) against the test build:
#   scripts/check_docs.sh BUILD_DIR [FILE.md...]
# A document's blocks run in order, each with bash -eu, in one scratch directory per document
# (files one block writes are there for the next, as in a tutorial) that looks like the source
# tree (tests/, include/, examples/, docs/, bench/ linked) with build/release and build/test
# pointing at BUILD_DIR and `layerwatt` on PATH, so relative paths in the docs work and outputs
# stay out of the tree. Not run: lines calling scripts/*.sh (the set-up, test, demo, bench and fuzz entry
# points, which CI and their own runs cover), and blocks marked ```console (commands that need
# a Jetson or a GPU). Blocks marked ```sh onnx read ONNX models: skipped when the environment sets
# LAYERWATT_DOCS_WITHOUT_ONNX=1 (a build without the ONNX front end; tests/docs sets it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: check_docs.sh BUILD_DIR [FILE.md...]}" && pwd)
shift
[[ -x $build/examples/layerwatt ]] || { echo "check_docs: $build/examples/layerwatt: not built" >&2; exit 1; }
if (($# == 0)); then set -- "$root/README.md" "$root"/docs/*.md; fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
blocks=0 failed=0
for doc in "$@"; do
  # Each block as one file: its starting line, then its text.
  rm -f "$scratch"/block.*
  awk -v dir="$scratch" -v skip_onnx="${LAYERWATT_DOCS_WITHOUT_ONNX:-0}" '
    /^```sh( onnx)?[[:space:]]*$/ && !(skip_onnx == "1" && $0 ~ /onnx/) {
      n++; file = sprintf("%s/block.%03d", dir, n); print NR > file; inside = 1; next }
    /^```/ { if (inside) close(file); inside = 0; next }
    inside { print > file }' "$doc"
  work=$scratch/run
  rm -rf "$work" && mkdir -p "$work/build"
  for d in tests include examples docs bench; do ln -s "$root/$d" "$work/$d"; done
  ln -s "$build" "$work/build/release" && ln -s "$build" "$work/build/test"
  for block in "$scratch"/block.*; do
    [[ -e $block ]] || continue
    line=$(head -n 1 "$block")
    tail -n +2 "$block" | grep -v '^[[:space:]]*scripts/.*\.sh' > "$work/commands.sh" || true
    blocks=$((blocks + 1))
    if ! (cd "$work" && PATH="$build/examples:$PATH" bash -eu commands.sh) >"$scratch/output" 2>&1; then
      failed=$((failed + 1))
      echo "FAILED: ${doc#"$root"/}:$line"
      sed 's/^/    /' "$scratch/output" | tail -n 20
    fi
  done
done
echo "check_docs: $blocks blocks run, $failed failed"
((failed == 0))
