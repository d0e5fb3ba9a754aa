#!/usr/bin/env bash
# Installs what layerwatt needs to build and test, if it is missing (Debian/Ubuntu, as root).
# Sourced by test.sh and demo.sh; safe to run again: it does nothing when all is present.
set -euo pipefail

layerwatt_packages=(cmake g++ ninja-build libeigen3-dev librange-v3-dev libfmt-dev nlohmann-json3-dev
                    libgtest-dev libonnx-dev libprotobuf-dev)  # the last two: the ONNX front end (optional)

layerwatt_missing=()
for p in "${layerwatt_packages[@]}" "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || layerwatt_missing+=("$p")
done

if ((${#layerwatt_missing[@]})); then
  echo "layerwatt: installing ${layerwatt_missing[*]}" >&2
  if [[ $(id -u) -ne 0 ]]; then
    echo "layerwatt: run as root, or: sudo apt-get install -y ${layerwatt_missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${layerwatt_missing[@]}" >/dev/null
fi
