#!/usr/bin/env bash
# Issue 12: the refactor must not slow sharpening. An old checkout's CLI (OLD_CHECKOUT, e.g. a worktree of 4e8480d) vs this
# one's, interleaved, 3 runs each of brovey and premix on the IKONOS sample scene; prints wall seconds per run.
set -u
DATA=${PANFORGE_SHARED_DATA:-$(cd "$(dirname "$0")/../.." && pwd)/shared/data}
P=$DATA/ikonos_italy_pan.tif; M=$DATA/ikonos_italy_ms.tif
out=$(mktemp -d)
for rep in 1 2 3; do
  for method in brovey premix; do
    for side in old new; do
      bin=${OLD_CHECKOUT:?set OLD_CHECKOUT to a checkout of the old commit}/bin/panforge.mjs; [ $side = new ] && bin=$(cd "$(dirname "$0")/.." && pwd)/bin/panforge.mjs
      s=$(date +%s.%N); $bin sharpen --pan $P --ms $M --method $method --device cpu --quiet --out $out/$side-$method-$rep.tif >/dev/null 2>&1; rc=$?
      e=$(date +%s.%N); echo "$method $side $rep rc=$rc $(echo "$e - $s" | bc)"
    done
  done
done
rm -rf "$out"
