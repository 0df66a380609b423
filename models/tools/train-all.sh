#!/usr/bin/env bash
# Train all six models one after another on the CPU schedule (about 10 min each on 2 cores),
# then export each. Run from the repository root:  nice bash models/tools/train-all.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for name in ${MODELS:-premix-wv2 cf2n-wv2 ggpnet-wv2 premix-4band cf2n-4band ggpnet-4band}; do
  /usr/bin/python3 -m panforge_models.train --config "configs/$name.yaml" --schedule "${SCHEDULE:-cpu}"
done
