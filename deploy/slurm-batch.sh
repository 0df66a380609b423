#!/usr/bin/env bash
# PanForge batch as a Slurm job array: task i of n sharpens shard i/n of the scenes (scenes sorted by name, every
# n-th from the i-th), so the array covers every scene exactly once with no coordination. A requeued or
# resubmitted task skips the outputs that are already complete and resumes.
#
#   sbatch --array=1-8 deploy/slurm-batch.sh /shared/scenes /shared/sharpened [methods]
#
# Needs panforge on the nodes (npm install -g ./panforge-<version>.tgz) or the image of deploy/Dockerfile
# (e.g. with Apptainer: apptainer exec panforge.sif panforge …). Per-shard reports land in the output folder.
#SBATCH --job-name=panforge
#SBATCH --cpus-per-task=4
#SBATCH --mem=16G
#SBATCH --time=04:00:00
#SBATCH --output=panforge-%A_%a.log
#SBATCH --requeue
set -euo pipefail
input=${1:?usage: sbatch --array=1-N slurm-batch.sh INPUT_DIR OUTPUT_DIR [METHODS]}
output=${2:?usage: sbatch --array=1-N slurm-batch.sh INPUT_DIR OUTPUT_DIR [METHODS]}
methods=${3:-gsa,mtf-glp}
# Slurm numbers array tasks as given (--array=1-8: 1..8); shards are 1-based, so use them directly. The shard count
# is the array size, which must start at 1 and have no gaps.
index=${SLURM_ARRAY_TASK_ID:?run this with sbatch --array=1-N}
count=${SLURM_ARRAY_TASK_COUNT:?run this with sbatch --array=1-N}
exec panforge batch --input "$input" --methods "$methods" --out-dir "$output" --shard "${index}/${count}" --device auto
