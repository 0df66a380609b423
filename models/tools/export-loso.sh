#!/usr/bin/env bash
# Export every finished leave-one-sensor-out run (models/runs/<name>/loso-<sensor>/loso/) to
# models/runs/loso-onnx/<sensor>/ (git-ignored; they are measured, not shipped; a fold exported after its last
# training is skipped), then build the table:
#   bash models/tools/export-loso.sh && node --import tsx scripts/loso-quality.ts
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH=.
for run in runs/*/loso-*/loso; do
  [ -f "$run/final.pt" ] || continue
  name=$(basename "$(dirname "$(dirname "$run")")")
  sensor=$(/usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['holdOut'])" "$run/summary.json")
  slug=$(basename "$(dirname "$run")"); slug=${slug#loso-}
  out="runs/loso-onnx/$slug/$name.manifest.json"
  if [ "$out" -nt "$run/final.pt" ]; then echo "skip $name without $sensor (exported)"; continue; fi
  /usr/bin/python3 -m panforge_models.export --config "configs/$name.yaml" --run loso --hold-out "$sensor" --no-seam-check --quick
done
