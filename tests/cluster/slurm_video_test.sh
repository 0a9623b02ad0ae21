#!/bin/bash
# SLURM for real, video: a single-node SLURM cluster (tests/cluster/slurm_cluster.sh) runs
# packaging/slurm/genstereo-video.sbatch as a 3-task job array over a generated clip (with a
# 16-bit depth video), then the join job; the joined file's frames must be those of a single
# local run (ffmpeg framemd5), its timestamps too, and its audio must be there.
#
#   slurm_video_test.sh GENSTEREO_CLI SBATCH_SCRIPT
#
# Exit 77 (skipped in ctest) where SLURM, munge or ffmpeg are missing or the daemons cannot start.
set -euo pipefail

readonly SKIP=77
readonly TEST_TIMEOUT_S=${GENSTEREO_SLURM_TEST_TIMEOUT_S:-240}
readonly SHARDS=3

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
for tool in munged munge unmunge slurmctld slurmd sbatch squeue scontrol scancel sinfo python3 ffmpeg; do
  command -v "$tool" >/dev/null 2>&1 ||
    skip "'$tool' not installed (Debian: slurmctld slurmd slurm-client munge python3 ffmpeg)"
done

# shellcheck source=slurm_cluster.sh
source "$HERE/slurm_cluster.sh"

# --- a 4 s clip with audio and its depth as a 16-bit grey video ----------------------------
mkdir -p "$WORK/input" "$WORK/single" "$WORK/out"
ffmpeg -v error -y -f lavfi -i testsrc2=size=192x108:rate=12 -f lavfi -i sine=frequency=330:sample_rate=48000 \
  -t 4 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -g 12 -c:a aac -b:a 48k "$WORK/input/clip.mp4"
ffmpeg -v error -y -f lavfi -i "testsrc2=size=192x108:rate=12,format=gray,gblur=sigma=6" -t 4 \
  -c:v ffv1 -pix_fmt gray16le "$WORK/input/depth.mkv"
OPTIONS=(--depth "$WORK/input/depth.mkv" --segment-seconds 1 --preset ultrafast --robust-window 6,3 -q)

"$CLI" video "$WORK/input/clip.mp4" -o "$WORK/single" "${OPTIONS[@]}" || fail "the single run failed"

# --- the array, then the join ----------------------------------------------------------------
start_s=$SECONDS
job=$(GENSTEREO_CLI=$CLI sbatch --parsable --array=0-$((SHARDS - 1)) --cpus-per-task=1 --mem=600M --time=10 \
  --chdir="$WORK" --output="$WORK/jobs/%x-%A_%a.log" --export=ALL \
  "$SBATCH_SCRIPT" "$WORK/input/clip.mp4" "$WORK/out" "$WORK/work" "${OPTIONS[@]}")
JOBS+=("$job")
join=$(GENSTEREO_CLI=$CLI sbatch --parsable --dependency="afterok:$job" --cpus-per-task=1 --mem=600M --time=10 \
  --chdir="$WORK" --output="$WORK/jobs/%x-join-%j.log" --export=ALL \
  "$SBATCH_SCRIPT" "$WORK/input/clip.mp4" "$WORK/out" "$WORK/work" "${OPTIONS[@]}")
JOBS+=("$join")
echo "submitted array job $job ($SHARDS shards) and join job $join"
wait_array "$job"
states=$(task_states "$job")
echo "$states" | sed 's/^/  task /'
[ "$(echo "$states" | grep -c ' COMPLETED$')" -eq "$SHARDS" ] || fail "not every shard COMPLETED"
wait_array "$join"
[ "$(job_state "$join")" = COMPLETED ] || fail "the join job ended $(job_state "$join")"
grep -q "joined the" "$WORK"/jobs/*join*.log || fail "the join job did not join the shards' segments"

output=$WORK/out/clip_LRF_Full_SBS.mp4
[ -f "$output" ] || fail "no joined file $output"
frames() { ffmpeg -v error -i "$1" -map 0:v -f framemd5 - | grep -v '^#' | cut -d, -f3-; }
diff <(frames "$WORK/single/clip_LRF_Full_SBS.mp4") <(frames "$output") >/dev/null ||
  fail "the sharded file's frames (or their timestamps) differ from the single run's"
count=$(frames "$output" | wc -l)
[ "$count" -eq 48 ] || fail "the joined file has $count frames, expected 48"
ffmpeg -v error -i "$output" -map 0:a -f null - || fail "the joined file has no readable audio"
[ ! -e "$WORK/work" ] || fail "the work folder was not removed after the join"
echo "passed in $((SECONDS - start_s)) s: $SHARDS shards joined, 48 frames identical to a single run"
