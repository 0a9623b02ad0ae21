#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang 14, ASan + UBSan) in build-fuzz and runs each one for
# SECONDS seconds (default 20) on a copy of its seed corpus (tests/fuzz/corpus/<reader>).
# Any crash, leak, sanitizer report or timeout makes the script fail; the reproducer is left
# in build-fuzz/findings/. Usage: packaging/run-fuzzers.sh [seconds-per-harness] [harness...]
# Extra libFuzzer flags can be given in FUZZ_FLAGS (e.g. FUZZ_FLAGS=-runs=1000000).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-20}"
shift || true
build=build-fuzz
if ! command -v clang++-14 >/dev/null 2>&1; then
  echo "run-fuzzers: clang++-14 is missing (apt-get install clang-14 libclang-rt-14-dev)" >&2
  exit 1
fi
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DGENSTEREO_BUILD_FUZZERS=ON -DGENSTEREO_WITH_TORCH=OFF -DGENSTEREO_BUILD_GUI=OFF \
  -DGENSTEREO_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j"${JOBS:-2}" --target genstereo_fuzzers

harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  for source in tests/fuzz/fuzz_*.cpp; do harnesses+=("$(basename "$source" .cpp)"); done
fi
mkdir -p "$build/findings" "$build/logs"
# The harnesses write each input to a file: keep those in memory, and remove them at the end.
scratch_base="${FUZZ_TMPDIR:-/dev/shm}"
[ -d "$scratch_base" ] && [ -w "$scratch_base" ] || scratch_base="${TMPDIR:-/tmp}"
scratch=$(mktemp -d "$scratch_base/genstereo-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
status=0
for harness in "${harnesses[@]}"; do
  reader="${harness#fuzz_}"
  work="$build/corpus/$reader"
  mkdir -p "$work"
  cp -n tests/fuzz/corpus/"$reader"/* "$work"/ 2>/dev/null || true
  log="$build/logs/$harness.log"
  start=$(date +%s)
  # -rss_limit_mb: the readers must never ask for more than the pixel budget allows.
  if TMPDIR="$scratch" ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
      "$build/tests/fuzz/$harness" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 \
      -artifact_prefix="$build/findings/$harness-" -print_final_stats=1 ${FUZZ_FLAGS:-} \
      "$work" >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
    status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
  printf '%-22s %-6s executions %-10s edges %-6s features %-6s %4d s\n' \
    "$harness" "$result" "$runs" "$cov" "$ft" "$(( $(date +%s) - start ))"
  if [ "$result" = FAILED ]; then tail -n 40 "$log" >&2; fi
done
exit "$status"
