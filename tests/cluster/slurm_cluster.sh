# A single-node SLURM cluster for the cluster tests (sourced by slurm_batch_test.sh and
# slurm_video_test.sh): munged, slurmctld and slurmd from Debian's packages with their own key,
# socket, ports, state and logs in a temporary folder $WORK, stopped and removed at exit (trap).
# The sourcing script defines SKIP, TEST_TIMEOUT_S, skip() and fail() first; JOBS collects the
# job ids to cancel at exit. Skips (exit $SKIP) where the daemons cannot start.

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


# job_state JOB: the state of one job (or array task JOB_TASK), e.g. RUNNING, COMPLETED.
job_state() {
  scontrol -o show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -n 1
}
# wait_array JOBID: until no task of the array (or the job) is pending or running.
wait_array() {
  while [ -n "$(squeue -h -j "$1" -o '%i' 2>/dev/null)" ]; do sleep 0.5; done
}
# task_states JOBID: "TASK STATE" per array task.
task_states() {
  scontrol -o show job "$1" | sed -n 's/.*ArrayTaskId=\([0-9]*\) .*JobState=\([A-Z_]*\).*/\1 \2/p' |
    sort -n
}
