#!/usr/bin/env bash
# Prepares the GPU check (bench/gpu-check.sh) for the device machine, which has the GPU, CUDA 13 / cuDNN 9 and
# PyTorch, but no Node, no node_modules and no network. Run HERE, in a session whose task has a GPU machine:
#
#     bash bench/gpu-bundle.sh
#
# It builds .gpu/ (git-ignored through .git/info/exclude): the node binary, the node_modules the check needs
# (onnxruntime-node's linux-x64 binding, onnxruntime-common, tsx, esbuild), the pinned CUDA execution provider
# (scripts/setup-cuda.ts: npm pack + sha512 check, into a staging folder, not into node_modules) and the trained
# checkpoints for the PyTorch side (models/runs is not tracked). The device tool carries at most 64 MiB a call,
# so the xz archive is split into parts of 56 MiB, one folder each (.gpu/p0, .gpu/p1, …). A warm machine keeps
# ignored folders between calls, so the parts are sent in consecutive calls (within its 30 s warm window) and the
# last call runs the check. The script ends by printing that call sequence.
set -euo pipefail
cd "$(dirname "$0")/.."
grep -qxF '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >> .git/info/exclude
rm -rf .gpu
mkdir -p .gpu/stage/ort .gpu/stage/state

node --import tsx scripts/setup-cuda.ts --target .gpu/stage/ort
cp "$(command -v node)" .gpu/stage/node
tar -cf .gpu/stage/node_modules.tar \
  node_modules/onnxruntime-node/package.json node_modules/onnxruntime-node/dist \
  node_modules/onnxruntime-node/bin/napi-v6/linux/x64 node_modules/onnxruntime-common \
  node_modules/tsx node_modules/esbuild node_modules/@esbuild/linux-x64
for manifest in models/onnx/*.manifest.json; do
  name=$(basename "$manifest" .manifest.json)
  if [ -f "models/runs/$name/cpu/final.pt" ]; then cp "models/runs/$name/cpu/final.pt" ".gpu/stage/state/$name.pt"; fi
done

tar -C .gpu/stage -cf - . | xz -T0 -6 > .gpu/bundle.tar.xz
rm -rf .gpu/stage
split -b 56m -d -a 1 .gpu/bundle.tar.xz .gpu/part-
(cd .gpu && sha256sum bundle.tar.xz | awk '{print $1}' > bundle.sha256 && rm bundle.tar.xz)
parts=(.gpu/part-*)
for i in "${!parts[@]}"; do mkdir -p ".gpu/p$i" && mv "${parts[$i]}" ".gpu/p$i/"; done
last=$(( ${#parts[@]} - 1 ))
cp .gpu/bundle.sha256 ".gpu/p$last/"
du -sh .gpu/p*
echo
echo "Device calls, back to back (each within the 30 s warm window of the previous one):"
for i in $(seq 0 $(( last - 1 ))); do echo "  run(command='true', carry=['.gpu/p$i'], timeout_s=60)"; done
echo "  run(command='bash bench/gpu-check.sh', carry=['.gpu/p$last'], timeout_s=540)"
