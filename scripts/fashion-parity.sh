#!/usr/bin/env bash
# Fashion-MNIST parity (issue 25): every experiment that reads images, at its standard preset, seed 1, with
# --set data.dataset=fashion-mnist; then one Markdown row per experiment with its verdict, measured figure and threshold.
#   bash scripts/fashion-parity.sh [RUNS_DIR] [experiment ...]        (default: runs-fashion, every experiment)
# Two runs at a time (one native thread each); runs already complete are reused, so a second call resumes.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-runs-fashion}"
shift || true
order=(units-vs-directions fgsm-sweep interpolation batch-size randomization init-scale permuted baseline
  activation-maximization minimum-distortion adversarial-training filter-normalization pruning omitted-class
  reparametrization distillation stream early-examples order-vs-init sam compressibility transfer-matrix
  double-descent-width lottery-ticket mode-connectivity grokking-mnist neural-collapse edge-of-stability linear-probes
  double-descent-features rewinding permutation-alignment split-class-incremental split-task-incremental surface-2d
  sb-lb-interpolation regularizers index-vs-error pretraining)
[ $# -gt 0 ] && order=("$@")
mkdir -p "$runs"
export runs
printf "%s\n" "${order[@]}" | QUIRKLAB_THREADS=1 xargs -P 2 -I{} sh -c \
  'node bin/quirklab.js run {} --preset standard --seed 1 --set data.dataset=fashion-mnist --backend native --runs-dir "$runs" --quiet --json > "$runs/{}.json" 2> "$runs/{}.err" || echo "{} FAILED" >&2'
node -e '
const fs = require("fs"), path = require("path");
const dir = process.argv[1];
console.log("| experiment | Fashion-MNIST (standard, seed 1) | measured | threshold |");
console.log("|---|---|---|---|");
for (const id of process.argv.slice(2)) {
  let s = null;
  try { s = JSON.parse(fs.readFileSync(path.join(dir, id + ".json"), "utf8")); } catch {}
  if (!s) { console.log(`| ${id} | not run (see ${id}.err) | | |`); continue; }
  const v = s.verdict;
  const fmt = (x) => (typeof x === "number" && Number.isFinite(x) ? Number(x.toPrecision(3)) : "-");
  console.log(`| ${id} | ${v ? (v.reproduced ? "reproduced" : "not reproduced") : "reported (no claim)"} | ${v ? fmt(v.measured) : ""} | ${v ? fmt(v.threshold) : ""} |`);
}' "$runs" "${order[@]}"
