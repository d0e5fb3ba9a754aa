#!/usr/bin/env bash
# Fails when a tracked file is a byte-for-byte copy of a file under the shared folder's data/,
# realdata/ or cases/ (other people's data, which stays out of this repository):
#   scripts/check_no_copies.sh [SHARED_DIR]     (default: the `shared` folder beside the checkout)
# Exit 0: no copy; 1: copies, listed; 77: the shared folder is absent (CTest reports a skip),
# unless LAYERWATT_REQUIRE_SHARED=1 (CI), which makes that a failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${1:-$root/../shared}
if [[ ! -d $shared/data ]]; then
  echo "check_no_copies: $shared/data is absent: nothing to compare against (set LAYERWATT_SHARED_DIR)"
  [[ ${LAYERWATT_REQUIRE_SHARED:-0} != 0 && -n ${LAYERWATT_REQUIRE_SHARED:-} ]] && exit 1
  exit 77
fi
git -C "$root" rev-parse --git-dir >/dev/null 2>&1 || { echo "check_no_copies: $root is not a git checkout"; exit 1; }

theirs=$(mktemp) ours=$(mktemp)
trap 'rm -f "$theirs" "$ours"' EXIT
# Empty files are alike by nature; everything else is compared by SHA-256.
find "$shared/data" "$shared/realdata" "$shared/cases" -type f -size +0 -print0 2>/dev/null |
  xargs -0 -r sha256sum | sort >"$theirs"
(cd "$root" && git ls-files -z | xargs -0 -r sh -c 'for f; do [ -f "$f" ] && [ -s "$f" ] && printf "%s\0" "$f"; done' _ |
  xargs -0 -r sha256sum | sort) >"$ours"
# "hash  path" lines; a path may hold spaces.
copies=$(awk 'NR == FNR { theirs[$1] = substr($0, 67); next } $1 in theirs { print substr($0, 67) " <- " theirs[$1] }' \
         "$theirs" "$ours" | sort -u)
tracked=$(wc -l <"$ours")
compared=$(wc -l <"$theirs")
if [[ -n $copies ]]; then
  echo "check_no_copies: tracked files that copy other people's data (read them from the shared folder instead):"
  sed 's/^/  /' <<<"$copies"
  exit 1
fi
echo "check_no_copies: $tracked tracked files, none a copy of the $compared files under $shared/{data,realdata,cases}"
