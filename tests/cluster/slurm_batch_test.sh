#!/bin/bash
# SLURM for real: starts a single-node SLURM cluster (munged, slurmctld, slurmd from Debian's
# packages) in a temporary folder, submits packaging/slurm/genstereo-batch.sbatch as a job
# array over a small generated dataset and checks the result with `genstereo-cli batch-verify`.
#
#   slurm_batch_test.sh GENSTEREO_CLI SBATCH_SCRIPT
#
# Case 1: a 4-shard array runs to completion; batch-verify --shards 4 passes.
# Case 2 (node failure): one shard is killed with SIGKILL mid-run (some of its items written,
#   not all), batch-verify then fails; `scontrol requeue` reruns it, it resumes and the set
#   verifies.
# Everything (own munge key and socket, own ports, state, logs) lives in a temporary folder
# that is removed at the end, with the daemons stopped (trap). Exit 77 (skipped in ctest) where
# the daemons cannot start: SLURM or munge not installed, or they refuse to run here.
# Needs SLURM 22.05 (Debian 12: slurmctld slurmd slurm-client munge).
set -euo pipefail

readonly SKIP=77
readonly TEST_TIMEOUT_S=${GENSTEREO_SLURM_TEST_TIMEOUT_S:-240}
readonly SHARDS=4
readonly ITEMS=16

skip() { echo "SKIPPED: $*"; exit "$SKIP"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

if [ $# -ne 2 ]; then
  echo "usage: $0 GENSTEREO_CLI SBATCH_SCRIPT" >&2
  exit 2
fi
CLI=$(realpath "$1")
SBATCH_SCRIPT=$(realpath "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
[ -x "$CLI" ] || fail "genstereo-cli not found at '$1'"
[ -f "$SBATCH_SCRIPT" ] || fail "sbatch script not found at '$2'"

for tool in munged munge unmunge slurmctld slurmd sbatch squeue scontrol scancel sinfo python3; do
  command -v "$tool" >/dev/null 2>&1 ||
    skip "'$tool' not installed (Debian: slurmctld slurmd slurm-client munge python3)"
done

# shellcheck source=slurm_cluster.sh
source "$HERE/slurm_cluster.sh"

# --- dataset -------------------------------------------------------------------------------
python3 "$HERE/batch_dataset.py" make "$WORK/input" "$ITEMS" 960 720

submit() {  # submit OUTDIR: the array's job id
  GENSTEREO_CLI=$CLI sbatch --parsable --array=0-$((SHARDS - 1)) --cpus-per-task=1 --mem=400M \
    --time=10 --requeue --chdir="$WORK" --output="$WORK/jobs/%x-%A_%a.log" \
    --job-name="genstereo-$(basename "$1")" --export=ALL \
    "$SBATCH_SCRIPT" "$WORK/input" "$1" --consistency -q
}

# --- case 1: the array runs to completion --------------------------------------------------
start_s=$SECONDS
job=$(submit "$WORK/out-clean")
JOBS+=("$job")
echo "case 1: submitted array job $job ($SHARDS shards, $ITEMS items)"
wait_array "$job"
states=$(task_states "$job")
echo "$states" | sed 's/^/  task /'
[ "$(echo "$states" | grep -c ' COMPLETED$')" -eq "$SHARDS" ] ||
  fail "case 1: not every array task COMPLETED"
"$CLI" batch-verify "$WORK/out-clean" --shards "$SHARDS" ||
  fail "case 1: batch-verify rejects the output of the array"
echo "case 1 passed in $((SECONDS - start_s)) s: every item once, $SHARDS shards"

# --- case 2: one shard killed mid-run, requeued ---------------------------------------------
# The victim is the shard with the most items; it is killed once some of them are complete.
victim=0
victim_ids=()
for ((i = 0; i < SHARDS; i++)); do
  mapfile -t ids < <(python3 "$HERE/batch_dataset.py" shard-ids "$WORK/input" "$SHARDS" "$i")
  if [ "${#ids[@]}" -gt "${#victim_ids[@]}" ]; then victim=$i; victim_ids=("${ids[@]}"); fi
done
[ "${#victim_ids[@]}" -ge 2 ] || fail "case 2: no shard has 2 items or more"
count_complete() {
  local n=0
  for id in "${victim_ids[@]}"; do [ -f "$1/meta/$id.json" ] && n=$((n + 1)); done
  echo "$n"
}
start_s=$SECONDS
out=$WORK/out-requeue
job=$(submit "$out")
JOBS+=("$job")
echo "case 2: submitted array job $job; shard $victim (${#victim_ids[@]} items) will be killed"
done_at_kill=0
while :; do
  state=$(job_state "${job}_${victim}")
  done_at_kill=$(count_complete "$out")
  if [ "$state" = RUNNING ] && [ "$done_at_kill" -ge 1 ]; then break; fi
  case "$state" in COMPLETED | FAILED | CANCELLED | TIMEOUT)
    fail "case 2: shard $victim ended ($state) before it could be killed mid-run" ;;
  esac
  sleep 0.05
done
scancel --batch --signal=KILL "${job}_${victim}"
for _ in $(seq 200); do
  state=$(job_state "${job}_${victim}")
  [ "$state" != RUNNING ] && [ "$state" != COMPLETING ] && break
  sleep 0.1
done
echo "  shard $victim killed with SIGKILL after $done_at_kill of ${#victim_ids[@]} items: $state"
[ "$done_at_kill" -lt "${#victim_ids[@]}" ] ||
  fail "case 2: shard $victim had already finished every item when it was killed"
case "$state" in FAILED | CANCELLED | NODE_FAIL) ;; *)
  fail "case 2: killed shard $victim is in state '$state', expected FAILED" ;;
esac
wait_array "$job"
if "$CLI" batch-verify "$out" --shards "$SHARDS" >"$WORK/verify-incomplete.txt" 2>&1; then
  fail "case 2: batch-verify accepts the output with shard $victim killed"
fi
echo "  batch-verify with the shard killed: $(head -n 1 "$WORK/verify-incomplete.txt")"
scontrol requeue "${job}_${victim}"
# A requeued job may be given a later begin time; let it start now.
scontrol update JobId="${job}_${victim}" StartTime=now >/dev/null 2>&1 || true
wait_array "$job"
state=$(job_state "${job}_${victim}")
restarts=$(scontrol -o show job "${job}_${victim}" | sed -n 's/.*Restarts=\([0-9]*\).*/\1/p')
echo "  shard $victim after requeue: $state (restarts: $restarts)"
[ "$state" = COMPLETED ] || fail "case 2: requeued shard $victim ended $state"
[ "${restarts:-0}" -ge 1 ] || fail "case 2: shard $victim was not requeued (Restarts=0)"
"$CLI" batch-verify "$out" --shards "$SHARDS" ||
  fail "case 2: batch-verify rejects the output after the requeue"
# The rerun resumed: the items complete before the kill were skipped, the others computed.
read -r skipped computed < <(python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))
print(s["skipped"], s["done"])' "$out/shards/shard-$victim-of-$SHARDS.json")
echo "  requeued shard $victim: $skipped items skipped (already complete), $computed computed"
[ "$skipped" -ge "$done_at_kill" ] && [ "$computed" -ge 1 ] ||
  fail "case 2: the requeued shard did not resume (skipped $skipped, computed $computed)"
echo "case 2 passed in $((SECONDS - start_s)) s: killed shard requeued, every item once"
