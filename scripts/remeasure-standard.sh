#!/usr/bin/env bash
# Re-measures the figures the property READMEs quote under "What we measured": every experiment of the seven
# properties at its standard preset over seeds 1, 2, 3 (the beyond-the-seven READMEs were measured on the current
# kernels when they were written). Cheapest first, so that an interrupted pass still covers the most experiments.
#   bash scripts/remeasure-standard.sh [RUNS_DIR] [experiment ...]      (default: runs-standard, every experiment)
# Each run prints its aggregate summary (`quirklab show`) into RUNS_DIR/<experiment>.txt; runs already complete are
# skipped, so a second call resumes.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-runs-standard}"
shift || true
order=(units-vs-directions activation-maximization baseline adversarial-training minimum-distortion fgsm-sweep
  transfer-matrix filter-normalization interpolation pruning omitted-class reparametrization distillation stream
  early-examples order-vs-init sam compressibility split-class-incremental split-task-incremental surface-2d
  batch-size randomization init-scale sb-lb-interpolation regularizers permuted index-vs-error pretraining)
[ $# -gt 0 ] && order=("$@")
mkdir -p "$runs"
for id in "${order[@]}"; do
  start=$(date +%s)
  node bin/quirklab.js run "$id" --preset standard --seeds 1,2,3 --backend native --runs-dir "$runs" --quiet > "$runs/$id.txt" 2>&1 \
    || echo "FAILED (exit $?)" >> "$runs/$id.txt"
  echo "$id $(( $(date +%s) - start )) s" | tee -a "$runs/times.txt"
done
