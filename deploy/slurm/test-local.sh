#!/usr/bin/env bash
# End-to-end test of the Slurm recipe on a single-node cluster on localhost.
#
# Installs Debian's slurm-wlm and munge when they are missing (apt-get, as root or with
# sudo -n), writes a minimal slurm.conf and a munge key in a temporary folder, starts
# munged, slurmctld and slurmd from this script (in the foreground of background jobs, not
# through systemd), then:
#   1. submits a 4-shard array and the merge job with submit.sh, waits, and checks that the
#      merged scorecard equals the unsharded run byte for byte apart from run_info;
#   2. submits the same run with one shard made to fail, checks that the array reports it
#      FAILED and the merge job waits on a dependency that can never be satisfied, then
#      resubmits only that shard (submit.sh --only 2) and checks the new merge again.
# Stops the daemons it started and removes the folder.
#
# Exit status: 0 passed, 1 failed, 77 skipped (the packages cannot be installed or the
# daemons cannot start; the reason is printed).
#
#   deploy/slurm/test-local.sh                      # builds target/release/pmmsim if needed
#   PMMSIM_BIN=/path/to/pmmsim deploy/slurm/test-local.sh
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

skip() {
    echo "notice: Slurm end-to-end test skipped: $*"
    exit 77
}
fail() {
    echo "error: Slurm end-to-end test failed: $*" >&2
    exit 1
}

# ---- a small run: 4 shards of 100 paths, 30 epochs ----
scenario=chain138_deployed_capital_efficiency
paths=400
epochs=30
seed=7
shards=4
part_ext=json
# ------------------------------------------------------

# ---- the packages ----
# (the daemons live in /usr/sbin, which a non-login PATH may lack)
export PATH=$PATH:/usr/sbin:/sbin
need=(munged munge unmunge slurmctld slurmd sbatch squeue scontrol scancel sinfo)
have_all() {
    local c
    for c in "${need[@]}"; do
        command -v "$c" >/dev/null 2>&1 || return 1
    done
}
if ! have_all; then
    command -v apt-get >/dev/null 2>&1 || skip "slurm-wlm or munge missing and no apt-get"
    apt_get=()
    if [[ $(id -u) -eq 0 ]]; then
        apt_get=(env DEBIAN_FRONTEND=noninteractive apt-get)
    elif command -v sudo >/dev/null 2>&1; then
        apt_get=(sudo -n env DEBIAN_FRONTEND=noninteractive apt-get)
    else
        skip "slurm-wlm or munge missing, and neither root nor sudo to install them"
    fi
    echo "slurm missing: apt-get install -y --no-install-recommends slurm-wlm munge"
    if ! { "${apt_get[@]}" update -qq &&
        "${apt_get[@]}" install -y -qq --no-install-recommends slurm-wlm munge; } >/dev/null 2>&1; then
        skip "apt-get could not install slurm-wlm and munge"
    fi
    have_all || skip "slurm-wlm and munge installed, but ${need[*]} are not all on PATH"
fi
# slurmd needs to run as root to start jobs as their user; this test runs them as root.
[[ $(id -u) -eq 0 ]] || skip "the single-node cluster needs root (slurmd starts the jobs)"
echo "$(slurmctld -V), $(munged -V 2>&1 | head -n 1)"

# ---- the binary ----
if [[ -z "${PMMSIM_BIN:-}" ]]; then
    (cd "$repo" && cargo build --release --quiet)
    PMMSIM_BIN=$repo/target/release/pmmsim
fi
[[ -x "$PMMSIM_BIN" ]] || fail "no pmmsim binary at $PMMSIM_BIN"
PMMSIM_BIN=$(cd "$(dirname "$PMMSIM_BIN")" && pwd)/$(basename "$PMMSIM_BIN")

# ---- the cluster ----
work=$(mktemp -d /tmp/pmmsim-slurm.XXXXXX)
chmod 711 "$work" # munged wants the folder of its socket reachable by all
pids=()
keep=0
cleanup() {
    local status=$?
    set +e
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null
    done
    if ((keep)); then
        echo "logs kept in $work" >&2
    else
        rm -rf "$work"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

show_logs() {
    local f
    for f in "$work"/*.log "$work"/*.out; do
        [[ -s "$f" ]] || continue
        echo "---- $(basename "$f") (last 15 lines)" >&2
        tail -n 15 "$f" >&2
    done
}

# A free TCP port on 127.0.0.1 at or after $1 (nothing answers a connection to it).
free_port() {
    local port=$1
    while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
        port=$((port + 1))
    done
    echo "$port"
}
ctld_port=$(free_port 16817)
slurmd_port=$(free_port $((ctld_port + 1)))

# wait_for SECONDS COMMAND...: polls COMMAND every half second until it succeeds.
wait_for() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

# munge: a fresh key and a private socket, so a system munged (if any) is left alone.
dd if=/dev/urandom of="$work/munge.key" bs=1024 count=1 status=none
chmod 400 "$work/munge.key"
munged --foreground --force --socket="$work/munge.socket" --key-file="$work/munge.key" \
    --pid-file="$work/munged.pid" --seed-file="$work/munged.seed" \
    --log-file="$work/munged.log" >"$work/munged.out" 2>&1 &
pids+=($!)
munge_ok() { munge -n -S "$work/munge.socket" | unmunge -S "$work/munge.socket"; }
if ! wait_for 20 munge_ok; then
    show_logs
    skip "munged did not start"
fi

host=$(hostname -s 2>/dev/null || hostname)
mkdir -p "$work/state" "$work/spool"
cat >"$work/slurm.conf" <<CONF
# A single-node cluster on localhost for the pmmsim Slurm recipe test.
ClusterName=pmmsim-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge.socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=pmmsim Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$work/slurm.conf
# Slurm's client variables from the caller's environment must not redirect the test jobs.
unset SBATCH_PARTITION SBATCH_ACCOUNT SBATCH_TIMELIMIT SBATCH_QOS SBATCH_RESERVATION

slurmctld -D -c >"$work/slurmctld.out" 2>&1 &
pids+=($!)
ctld_up() { scontrol ping | grep -q UP; }
if ! wait_for 30 ctld_up; then
    show_logs
    skip "slurmctld did not start"
fi
slurmd -D -N "$host" >"$work/slurmd.out" 2>&1 &
pids+=($!)
node_idle() { sinfo -h -n "$host" -o %T | grep -qx idle; }
if ! wait_for 30 node_idle; then
    show_logs
    skip "slurmd did not register an idle node"
fi
echo "single-node cluster up: node $host, slurmctld on port $ctld_port, slurmd on port $slurmd_port"

# ---- helpers on jobs ----
# wait_gone SECONDS JOBID...: waits until none of the jobs is in the queue.
queue_empty() { [[ -z "$(squeue -h -j "$1" -o %i)" ]]; }
wait_gone() {
    local seconds=$1
    shift
    local ids
    ids=$(
        IFS=,
        echo "$*"
    )
    wait_for "$seconds" queue_empty "$ids"
}
# task_state JOBID K: the state of array task K ("unknown" when Slurm no longer lists it).
task_state() {
    local state
    state=$(scontrol -o show job "$1" 2>/dev/null | grep -E "(^| )ArrayTaskId=$2( |$)" |
        grep -oE 'JobState=[A-Z_]+' | cut -d= -f2) || true
    echo "${state:-unknown}"
}
job_state() {
    local state
    state=$(scontrol -o show job "$1" 2>/dev/null | grep -oE 'JobState=[A-Z_]+' |
        head -n 1 | cut -d= -f2) || true
    echo "${state:-unknown}"
}
# submit OUT_DIR [ARGS...]: runs submit.sh and sets array_job and merge_job.
submit() {
    local out=$1
    shift
    local ids
    ids=$(PMMSIM_BIN=$PMMSIM_BIN PMMSIM_SCENARIO=$scenario PMMSIM_PATHS=$paths \
        PMMSIM_EPOCHS=$epochs PMMSIM_SEED=$seed PMMSIM_SHARDS=$shards \
        PMMSIM_OUT_DIR=$out PMMSIM_PART_EXT=$part_ext "$here/submit.sh" "$@")
    array_job=$(sed -n 's/^array_job=//p' <<<"$ids")
    merge_job=$(sed -n 's/^merge_job=//p' <<<"$ids")
    [[ -n "$array_job" && -n "$merge_job" ]] || fail "submit.sh printed no job ids: $ids"
    echo "array job $array_job, merge job $merge_job (after $array_job)"
}
# The scorecard without its run_info block (the one part that differs between identical
# runs), so two scorecards compare byte for byte.
without_run_info() {
    awk '/^  "run_info": \{/ { skip = 1; found = 1 }
         !skip { print }
         skip && /^  \}/ { skip = 0 }
         END { if (!found) { print "no run_info block" > "/dev/stderr"; exit 1 } }' "$1"
}
check_merged() {
    local out=$1
    [[ -f "$out/scorecard.json" ]] || fail "no merged scorecard in $out"
    without_run_info "$out/scorecard.json" >"$work/merged.cmp"
    if ! cmp -s "$work/merged.cmp" "$work/full.cmp"; then
        diff "$work/full.cmp" "$work/merged.cmp" | head -n 20 >&2
        fail "the merged scorecard ($out) differs from the unsharded run"
    fi
    echo "merged scorecard equals the unsharded run apart from run_info ($(wc -c <"$out/scorecard.json") bytes)"
}

keep=1 # from here on a failure keeps the logs for inspection

# The unsharded run, the reference.
"$PMMSIM_BIN" run "$scenario" --paths "$paths" --epochs "$epochs" --seed "$seed" \
    --quiet --format json -o "$work/full.json"
without_run_info "$work/full.json" >"$work/full.cmp"

# ---- 1. the array and the merge ----
echo "== $shards-shard array, then the merge"
run1=$work/run1
submit "$run1"
if ! wait_gone 300 "$array_job" "$merge_job"; then
    squeue >&2
    show_logs
    fail "the jobs did not finish within 300 s"
fi
for ((k = 0; k < shards; k++)); do
    state=$(task_state "$array_job" "$k")
    [[ "$state" == COMPLETED ]] || {
        cat "$run1"/logs/* >&2
        fail "shard $k ended $state"
    }
done
state=$(job_state "$merge_job")
[[ "$state" == COMPLETED ]] || {
    cat "$run1"/logs/* >&2
    fail "the merge job ended $state"
}
check_merged "$run1"

# ---- 2. a failed shard, resubmitted on its own ----
echo "== a failed shard and its resubmission"
run2=$work/run2
# A folder where shard 2's part goes: pmmsim cannot write the part, and the task fails.
mkdir -p "$run2/part-2.$part_ext"
submit "$run2"
first_merge=$merge_job
if ! wait_gone 300 "$array_job"; then
    squeue >&2
    fail "the array did not finish within 300 s"
fi
state=$(task_state "$array_job" 2)
[[ "$state" == FAILED ]] || fail "shard 2 should have failed, it ended $state"
grep -h "error" "$run2"/logs/shard-"${array_job}"_2.out >&2 || true
for k in 0 1 3; do
    state=$(task_state "$array_job" "$k")
    [[ "$state" == COMPLETED ]] || fail "shard $k ended $state"
done
never() { squeue -h -j "$first_merge" -o %r | grep -qx DependencyNeverSatisfied; }
if ! wait_for 60 never; then
    squeue -j "$first_merge" >&2
    fail "the merge job should wait on a dependency never satisfied"
fi
[[ ! -e "$run2/scorecard.json" ]] || fail "a merged scorecard exists although shard 2 failed"
echo "shard 2 FAILED; merge job $first_merge pending: DependencyNeverSatisfied"
scancel "$first_merge"
rmdir "$run2/part-2.$part_ext"
submit "$run2" --only 2
if ! wait_gone 300 "$array_job" "$merge_job"; then
    squeue >&2
    show_logs
    fail "the resubmitted shard and merge did not finish within 300 s"
fi
state=$(task_state "$array_job" 2)
[[ "$state" == COMPLETED ]] || fail "the resubmitted shard 2 ended $state"
state=$(job_state "$merge_job")
[[ "$state" == COMPLETED ]] || {
    cat "$run2"/logs/merge-* >&2
    fail "the merge job ended $state"
}
check_merged "$run2"

keep=0
echo "== Slurm end-to-end test passed"
