#!/usr/bin/env bash
# PanForge set-up on Debian 12 (bookworm): system packages, then npm ci.
# - libgdal-dev: gdal-async is built against the system GDAL (npm_config_build_from_source + shared_gdal below:
#   environment, not .npmrc, whose unknown keys make every npm command warn).
# - python3-torch / python3-onnx / python3-pytest: model training, export and the models' tests (no PyPI here).
# - chromium: the e2e suite drives Debian's Chromium through playwright-core.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libgdal-dev gdal-bin python3-gdal python3-numpy python3-torch python3-onnx python3-yaml python3-pytest chromium)
missing=()
for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if ((${#missing[@]})); then
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# gdal-async: build against Debian's libgdal-dev (its bundled-GDAL build takes over an hour).
export npm_config_build_from_source=gdal-async npm_config_shared_gdal=true
# onnxruntime-node's install script downloads CUDA binaries, which fails offline; CUDA is opt-in (npm run setup:cuda).
export ONNXRUNTIME_NODE_INSTALL=skip
# Electron's postinstall downloads its binary; there is none to fetch here (see README, "Electron").
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
npm ci --no-audit --no-fund
node -e "const g=require('gdal-async'); if (g.bundled) throw new Error('gdal-async uses its bundled GDAL; expected the system one'); console.log('setup: gdal-async on GDAL', g.version)"
echo "setup: done. Try: npm run demo"
