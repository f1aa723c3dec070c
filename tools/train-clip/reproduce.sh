#!/usr/bin/env bash
# Reproduces models/clipsmith-scenes from nothing, seeded: renders the datasets, trains with the shipped
# settings, evaluates on fresh held-out scenes, exports to the ONNX layout and checks the export through
# clipsmith's engine. About 10 min of rendering and 45-60 min of training on 2 CPU cores.
#
#   tools/train-clip/reproduce.sh            # from anywhere; writes scratch/train-clip/ and models/clipsmith-scenes/
#   WORK=/tmp/tc OUT=/tmp/model tools/train-clip/reproduce.sh
#
# Needs Node 20 with the repository's node_modules, and /usr/bin/python3 with torch, numpy, onnx and PIL
# (Debian: python3-torch python3-onnx python3-numpy python3-pil libopenblas0-pthread).
set -euo pipefail
cd "$(dirname "$0")/../.."

WORK=${WORK:-scratch/train-clip}
OUT=${OUT:-models/clipsmith-scenes}
PY=tools/train-clip/run-python.sh
mkdir -p "$WORK"

# The shipped settings (see README.md).
TRAIN_COUNT=200000
TRAIN_ARGS=(--steps 3000 --batch 128 --lr 2e-3 --warmup 200 --seed 1 --threads 1 --eval-every 250)

# dataset NAME COUNT SEED SPLIT TWO_OBJECT_FRACTION: rendered unless already there with the same options.
dataset() {
  local dir="$WORK/$1"
  if [ -f "$dir/meta.json" ] && node -e '
    const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const want = [+process.argv[2], +process.argv[3], process.argv[4], +process.argv[5], 64];
    process.exit(JSON.stringify([m.count, m.seed, m.split, m.twoObjectFraction, m.imageSize]) === JSON.stringify(want) ? 0 : 1);
  ' "$dir/meta.json" "$2" "$3" "$4" "$5"; then
    echo "dataset $dir: already rendered"
    return
  fi
  npx tsx tools/dataset/make-dataset.ts --out "$dir" --count "$2" --image-size 64 --seed "$3" \
    --split "$4" --two-object-fraction "$5"
}

dataset ds-train "$TRAIN_COUNT" 1 train 0.4
dataset ds-heldout 6000 2 heldout 0.5 # the learning curve
dataset ds-test 6000 3 heldout 0.5    # the final numbers: never looked at while tuning

"$PY" tools/train-clip/train.py --train "$WORK/ds-train" --heldout "$WORK/ds-heldout" --out "$WORK/run" \
  "${TRAIN_ARGS[@]}"
"$PY" tools/train-clip/evaluate.py --checkpoint "$WORK/run/checkpoint.pt" --heldout "$WORK/ds-test" \
  --out "$WORK/run/test-results.json"
"$PY" tools/train-clip/export.py --checkpoint "$WORK/run/checkpoint.pt" --out "$OUT" \
  --verify --heldout "$WORK/ds-test" --work "$WORK/verify"
echo "done: $OUT"
