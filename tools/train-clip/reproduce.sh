#!/usr/bin/env bash
# Reproduces models/clipsmith-scenes from nothing, seeded: renders the datasets, trains with the shipped
# settings, evaluates on fresh held-out scenes, exports to the ONNX layout and checks the export through
# clipsmith's engine. The shipped model was trained on a GPU (3 min of training on an H200, rendering
# ~2.5 min on 16 cores); the same command runs on CPU, in about 3 hours on 2 cores.
#
#   tools/train-clip/reproduce.sh            # from anywhere; writes scratch/train-clip/ and models/clipsmith-scenes/
#   WORK=/tmp/tc OUT=/tmp/model DEVICE=cpu tools/train-clip/reproduce.sh
#
# Needs Node 20 with the repository's node_modules, and Debian's /usr/bin/python3 with python3-torch
# python3-onnx python3-numpy python3-pil libopenblas0-pthread. TRAIN_PYTHON= trains with another python
# (a GPU machine's torch); evaluation and export stay on Debian's torch 1.13, whose ONNX exporter the
# checks were made with. Weights repeat bit for bit only on the same device and torch build.
set -euo pipefail
cd "$(dirname "$0")/../.."

WORK=${WORK:-scratch/train-clip}
OUT=${OUT:-models/clipsmith-scenes}
PY=tools/train-clip/run-python.sh
TRAIN_PY=${TRAIN_PYTHON:-$PY}
DEVICE=${DEVICE:-$("$TRAIN_PY" -c 'import torch; print("cuda" if torch.cuda.is_available() else "cpu")')}
mkdir -p "$WORK"

# The shipped settings (see README.md): 6 x 27,000 training scenes at 64 px, 3,850 steps of 512.
SHARDS=(101 102 103 104 105 106)
SHARD_COUNT=27000
TRAIN_ARGS=(--steps 3850 --batch 512 --lr 2e-3 --warmup 300 --seed 1 --threads 2 --workers 3 --eval-every 500)

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

for seed in "${SHARDS[@]}"; do
  dataset "ds-train-$seed" "$SHARD_COUNT" "$seed" train 0.4 &
done
dataset ds-heldout 3000 2 heldout 0.5 & # the learning curve
dataset ds-test 6000 3 heldout 0.5 &    # the final numbers: never looked at while tuning
wait
for name in "${SHARDS[@]/#/ds-train-}" ds-heldout ds-test; do
  [ -f "$WORK/$name/meta.json" ] || { echo "rendering $WORK/$name failed" >&2; exit 1; }
done
TRAIN=$(printf "$WORK/ds-train-%s," "${SHARDS[@]}")

"$TRAIN_PY" tools/train-clip/train.py --train "${TRAIN%,}" --heldout "$WORK/ds-heldout" --out "$WORK/run" \
  --device "$DEVICE" "${TRAIN_ARGS[@]}"
"$PY" tools/train-clip/evaluate.py --checkpoint "$WORK/run/checkpoint.npz" --heldout "$WORK/ds-test" \
  --out "$WORK/run/test-results.json"
"$PY" tools/train-clip/export.py --checkpoint "$WORK/run/checkpoint.npz" --out "$OUT" \
  --verify --heldout "$WORK/ds-test" --work "$WORK/verify"
echo "done: $OUT"
