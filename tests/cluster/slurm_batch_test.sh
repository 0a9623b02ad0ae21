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

WORK=$(mktemp -d "${TMPDIR:-/tmp}/genstereo-slurm.XXXXXX")
chmod 700 "$WORK"
PIDS=()
JOBS=()
cleanup() {
  local rc=$?
  set +e
  for job in "${JOBS[@]}"; do scancel --quiet --full --signal=KILL "$job" >/dev/null 2>&1; done
  if [ -n "${WATCHDOG:-}" ]; then pkill -TERM -P "$WATCHDOG"; kill -TERM "$WATCHDOG"; fi 2>/dev/null
  disown -a  # no "Terminated" notices for the daemons stopped here
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill -TERM "${PIDS[i]}" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
  if [ "$rc" -ne 0 ] && [ "$rc" -ne "$SKIP" ]; then
    for log in "$WORK"/log/*.log "$WORK"/jobs/*.log; do
      [ -f "$log" ] && { echo "----- $log (last 30 lines)"; tail -n 30 "$log"; }
    done
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# The whole test never runs longer than this (ctest's TIMEOUT is the second line of defence).
( sleep "$TEST_TIMEOUT_S"; echo "FAILED: timed out after ${TEST_TIMEOUT_S} s" >&3; kill -TERM $$ ) \
  3>&2 2>/dev/null &
WATCHDOG=$!
disown "$WATCHDOG"

mkdir -p "$WORK"/{munge,state,spool,log,jobs}
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# --- munge: own key and socket -------------------------------------------------------------
head -c 1024 /dev/urandom >"$WORK/munge/munge.key"
chmod 400 "$WORK/munge/munge.key"
MUNGE_SOCKET=$WORK/munge/munge.socket
munged --foreground --force --key-file="$WORK/munge/munge.key" --socket="$MUNGE_SOCKET" \
  --pid-file="$WORK/munge/munged.pid" --seed-file="$WORK/munge/munged.seed" \
  --log-file="$WORK/log/munged.log" --num-threads=2 >>"$WORK/log/munged.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [ -S "$MUNGE_SOCKET" ] && break; sleep 0.1; done
munge --socket="$MUNGE_SOCKET" -n </dev/null | unmunge --socket="$MUNGE_SOCKET" >/dev/null 2>&1 ||
  skip "munged does not start here: $(tail -n 3 "$WORK/log/munged.log" | tr '\n' ' ')"

# --- slurm.conf for this host --------------------------------------------------------------
NODE=$(hostname -s)
USER_NAME=$(id -un)
CPUS=$(nproc)
MEMORY_MB=$(awk '/^MemTotal:/ { print int($2 / 1024 / 2) }' /proc/meminfo)
export SLURM_CONF=$WORK/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=genstereo-test
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=$USER_NAME
SlurmdUser=$USER_NAME
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
JobRequeue=1
MinJobAge=600
MailProg=/bin/true
PlugStackConfig=$WORK/plugstack.conf
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEMORY_MB State=UNKNOWN
PartitionName=test Nodes=$NODE Default=YES MaxTime=30 State=UP
EOF
: >"$WORK/plugstack.conf"

slurmctld -D -i -f "$SLURM_CONF" >>"$WORK/log/slurmctld.stderr.log" 2>&1 &
SLURMCTLD_PID=$!
PIDS+=("$SLURMCTLD_PID")
slurmd -D -f "$SLURM_CONF" -N "$NODE" >>"$WORK/log/slurmd.stderr.log" 2>&1 &
SLURMD_PID=$!
PIDS+=("$SLURMD_PID")
node_state=""
for _ in $(seq 150); do
  node_state=$(sinfo -h -n "$NODE" -o '%T' 2>/dev/null || true)
  [ "$node_state" = idle ] && break
  kill -0 "$SLURMCTLD_PID" 2>/dev/null && kill -0 "$SLURMD_PID" 2>/dev/null || break
  sleep 0.2
done
if [ "$node_state" != idle ]; then
  skip "the SLURM daemons do not start here (node state '${node_state}'): $(
    tail -n 2 "$WORK"/log/slurm*.log 2>/dev/null | tr '\n' ' ')"
fi
echo "SLURM $(sinfo --version | cut -d' ' -f2) up on $NODE: $CPUS CPUs, node $node_state"

# --- dataset -------------------------------------------------------------------------------
python3 "$HERE/batch_dataset.py" make "$WORK/input" "$ITEMS" 960 720

# job_state JOB: the state of one job (or array task JOB_TASK), e.g. RUNNING, COMPLETED.
job_state() {
  scontrol -o show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -n 1
}
# wait_array JOBID: until no task of the array is pending or running.
wait_array() {
  while [ -n "$(squeue -h -j "$1" -o '%i' 2>/dev/null)" ]; do sleep 0.5; done
}
# task_states JOBID: "TASK STATE" per array task.
task_states() {
  scontrol -o show job "$1" | sed -n 's/.*ArrayTaskId=\([0-9]*\) .*JobState=\([A-Z_]*\).*/\1 \2/p' |
    sort -n
}
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
