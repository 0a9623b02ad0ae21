#!/usr/bin/env bash
# The unit tests (genstereo_tests, torch-free) under AddressSanitizer + UndefinedBehaviour-
# Sanitizer, in build-asan, then a short run of every fuzz harness on its seed corpus.
# Called by .ci/run (packaging/run-tests.sh). Usage: packaging/run-sanitizer-tests.sh [fuzz-seconds]
set -euo pipefail
cd "$(dirname "$0")/.."

fuzz_seconds="${1:-20}"
start=$(date +%s)
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DGENSTEREO_SANITIZE="address;undefined" -DGENSTEREO_WITH_TORCH=OFF -DGENSTEREO_BUILD_GUI=OFF >/dev/null
cmake --build build-asan -j2 --target genstereo_tests genstereo-cli
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS="suppressions=$PWD/packaging/sanitizer/lsan.supp" \
  ctest --test-dir build-asan --output-on-failure -j2
echo "run-sanitizer-tests: unit tests under ASan+UBSan took $(( $(date +%s) - start )) s"

fuzz_start=$(date +%s)
./packaging/run-fuzzers.sh "$fuzz_seconds"
echo "run-sanitizer-tests: fuzzing took $(( $(date +%s) - fuzz_start )) s"
