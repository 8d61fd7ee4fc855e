#!/usr/bin/env bash
# Submits a sharded pmmsim run to Slurm: the shard array (pmmsim-shards.sbatch, one task
# per shard) and the merge job (pmmsim-merge.sbatch) with --dependency=afterok on the array,
# so the merge starts only once every shard has succeeded.
#
#   PMMSIM_BIN=$HOME/bin/pmmsim PMMSIM_PATHS=128000 PMMSIM_SHARDS=16 \
#   PMMSIM_OUT_DIR=/shared/runs/base deploy/slurm/submit.sh
#
#   deploy/slurm/submit.sh --only 3,7     # resubmit only shards 3 and 7, then merge again
#
# The parameters are the PMMSIM_* variables at the top of pmmsim-shards.sbatch; the
# environment is passed to both jobs. Slurm's own SBATCH_* variables (SBATCH_PARTITION,
# SBATCH_ACCOUNT, SBATCH_TIMELIMIT, ...) apply to both jobs as usual. Prints the job ids as
# `array_job=ID` and `merge_job=ID` lines.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
    echo "usage: $0 [--only LIST]   (LIST: shard indices in Slurm's array syntax, e.g. 3,7 or 4-6)" >&2
    exit 2
}

only=
while (($#)); do
    case "$1" in
        --only)
            (($# >= 2)) || usage
            only=$2
            shift 2
            ;;
        --only=*)
            only=${1#--only=}
            shift
            ;;
        -h | --help) usage ;;
        *) usage ;;
    esac
done

export PMMSIM_BIN=${PMMSIM_BIN:-pmmsim}
export PMMSIM_SCENARIO=${PMMSIM_SCENARIO:-chain138_deployed_capital_efficiency}
export PMMSIM_PATHS=${PMMSIM_PATHS:-128000}
export PMMSIM_EPOCHS=${PMMSIM_EPOCHS:-}
export PMMSIM_SEED=${PMMSIM_SEED:-}
export PMMSIM_SHARDS=${PMMSIM_SHARDS:-16}
export PMMSIM_OUT_DIR=${PMMSIM_OUT_DIR:-$PWD/pmmsim-run}
export PMMSIM_PART_EXT=${PMMSIM_PART_EXT:-json}

if ! [[ "$PMMSIM_SHARDS" =~ ^[1-9][0-9]*$ ]]; then
    echo "error: PMMSIM_SHARDS must be a whole number >= 1, got '$PMMSIM_SHARDS'" >&2
    exit 2
fi
# The jobs may run on other nodes: the binary and the output folder must be absolute paths
# on a file system every node sees (a bare name is looked up on each node's PATH).
if [[ "$PMMSIM_OUT_DIR" != /* ]]; then
    PMMSIM_OUT_DIR=$PWD/$PMMSIM_OUT_DIR
fi
if [[ "$PMMSIM_BIN" == */* && "$PMMSIM_BIN" != /* ]]; then
    PMMSIM_BIN=$PWD/$PMMSIM_BIN
fi
mkdir -p "$PMMSIM_OUT_DIR/logs"

tasks=${only:-0-$((PMMSIM_SHARDS - 1))}
array_job=$(sbatch --parsable --array="$tasks" --export=ALL \
    --output="$PMMSIM_OUT_DIR/logs/shard-%A_%a.out" "$here/pmmsim-shards.sbatch")
array_job=${array_job%%;*}
merge_job=$(sbatch --parsable --dependency="afterok:$array_job" --export=ALL \
    --output="$PMMSIM_OUT_DIR/logs/merge-%j.out" "$here/pmmsim-merge.sbatch")
merge_job=${merge_job%%;*}

echo "submitted shards $tasks of $PMMSIM_SHARDS ($PMMSIM_SCENARIO, $PMMSIM_PATHS paths) and the merge into $PMMSIM_OUT_DIR" >&2
echo "array_job=$array_job"
echo "merge_job=$merge_job"
