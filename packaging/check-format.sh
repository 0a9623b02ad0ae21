#!/usr/bin/env bash
# Checks that C++ sources follow .clang-format (issue 25): exits 1 and names every file that
# deviates. With no argument every tracked .cpp/.h file is checked; with a git revision only
# the files changed since it (e.g. `packaging/check-format.sh origin/main`).
# Fix with: clang-format -i FILE...
set -euo pipefail
cd "$(dirname "$0")/.."

formatter=""
for candidate in clang-format-14 clang-format; do
  if command -v "$candidate" >/dev/null 2>&1; then formatter=$candidate; break; fi
done
if [ -z "$formatter" ]; then
  echo "check-format: clang-format not found (install clang-format-14: packaging/install-deps.sh)" >&2
  exit 1
fi

if [ $# -ge 1 ]; then
  mapfile -t files < <(git diff --name-only --diff-filter=ACMR "$1" -- '*.cpp' '*.h')
else
  mapfile -t files < <(git ls-files -- '*.cpp' '*.h')
fi
if [ ${#files[@]} -eq 0 ]; then
  echo "check-format: no C++ files to check"
  exit 0
fi

bad=()
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  if ! "$formatter" --dry-run --Werror "$f" >/dev/null 2>&1; then
    bad+=("$f")
  fi
done
if [ ${#bad[@]} -ne 0 ]; then
  echo "check-format: ${#bad[@]} of ${#files[@]} files deviate from .clang-format ($formatter):" >&2
  printf '  %s\n' "${bad[@]}" >&2
  echo "fix with: $formatter -i <file>..." >&2
  exit 1
fi
echo "check-format: ${#files[@]} files follow .clang-format ($formatter)"
