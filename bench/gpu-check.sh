#!/usr/bin/env bash
# The GPU check, as the last of the device calls that bench/gpu-bundle.sh prints (earlier calls only carry the
# bundle's parts; a warm machine keeps them). Prepared in a session without a GPU: NOT RUN YET (see BENCHMARKS.md).
#
# 1. Unpacks node, node_modules and the CUDA execution provider; puts the provider beside libonnxruntime.so.1.
# 2. Points the loader at CUDA 13 / cuDNN 9 from the PyTorch environment (its pip nvidia-* packages, or
#    /usr/local/cuda) and records versions: GPU, driver, node, onnxruntime-node, torch, CUDA, cuDNN.
# 3. bench/gpu-parity.ts: per model, `--device auto` must pick CUDA and say why, and CUDA output must match CPU
#    within 1e-3 (engine path, batches of 4 on the engine's tile shape, the last batch padded).
# 4. bench/inference.ts on CUDA: ms per 512² tile in onnxruntime-node CUDA vs the same weights in torch CUDA
#    (target ≥ 1×), max |Δ| between the two.
# Everything lands in $OUT (the device tool brings it back) or bench/results/ elsewhere.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-bench/results}
mkdir -p "$OUT" bench/results
G=/tmp/panforge-gpu
rm -rf "$G" && mkdir -p "$G"
status=0

ls -d .gpu/p* > /dev/null 2>&1 || { echo "gpu-check: no .gpu/p* parts here; run bench/gpu-bundle.sh and carry its parts" >&2; exit 2; }
cat $(ls .gpu/p*/part-* | sort -t- -k2 -n) > "$G/bundle.tar.xz"
expected=$(cat .gpu/p*/bundle.sha256)
actual=$(sha256sum "$G/bundle.tar.xz" | awk '{print $1}')
[ "$expected" = "$actual" ] || { echo "gpu-check: bundle checksum $actual != $expected (a part missing?)" >&2; exit 2; }
tar -C "$G" -xJf "$G/bundle.tar.xz"
tar -xf "$G/node_modules.tar"
ORT_DIR=node_modules/onnxruntime-node/bin/napi-v6/linux/x64
cp "$G"/ort/*.so "$ORT_DIR/"
export PATH="$G:$PATH"

SITE=$(python3 -c 'import site; print(site.getsitepackages()[0])')
LIBS=$(find "$SITE/nvidia" /usr/local/cuda/lib64 -maxdepth 3 -name 'lib*.so*' -printf '%h\n' 2>/dev/null | sort -u | paste -sd: -)
export LD_LIBRARY_PATH="$LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export PANFORGE_PYTHON=python3 PANFORGE_TORCH_STATE_DIR="$G/state" PYTHONUNBUFFERED=1

{
  date -u
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
  echo "node $(node --version)"
  node -e "console.log('onnxruntime-node', require('./node_modules/onnxruntime-node/package.json').version)"
  python3 -c 'import torch; print("torch", torch.__version__, "CUDA", torch.version.cuda, "cuDNN", torch.backends.cudnn.version(), torch.cuda.get_device_name(0))'
  ls -la "$ORT_DIR"
} 2>&1 | tee "$OUT/versions.txt"

node --import tsx bench/gpu-parity.ts 2>&1 | tee "$OUT/gpu-parity.txt" || status=1
cp bench/results/gpu-parity.json "$OUT/" 2>/dev/null

node --import tsx bench/inference.ts --devices cuda --reps 10 --scenes '' --rss-scenes '' --name inference-cuda 2>&1 | tee "$OUT/inference-cuda.txt" || status=1
cp bench/results/inference-cuda.json "$OUT/" 2>/dev/null
exit $status
