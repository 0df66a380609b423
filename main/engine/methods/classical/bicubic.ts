/**
 * @module main/engine/methods/classical/bicubic
 * Bicubic up-sampling by an integer factor, as MATLAB's imresize(x, ratio) (Keys kernel, a = −0.5, no
 * antialiasing when enlarging): output pixel k (0-based) samples input position (k + 0.5)/ratio − 0.5.
 * Borders mirror (half-sample), like the tile padding around it. Separable: columns of each row, then rows.
 */
import { createBlock, type BandBlock } from '../../raster/band-block.ts';
import { mirrorIndex } from '../../tiling/mirror.ts';

function keys(t: number): number {
  const x = Math.abs(t);
  if (x <= 1) return 1.5 * x * x * x - 2.5 * x * x + 1;
  if (x < 2) return -0.5 * x * x * x + 2.5 * x * x - 4 * x + 2;
  return 0;
}

interface Taps {
  readonly index: Int32Array; // 4 source indices per output sample
  readonly weight: Float64Array;
}

function taps(outSize: number, inSize: number, ratio: number): Taps {
  const index = new Int32Array(outSize * 4);
  const weight = new Float64Array(outSize * 4);
  for (let k = 0; k < outSize; k++) {
    const u = (k + 0.5) / ratio - 0.5;
    const left = Math.floor(u) - 1;
    let sum = 0;
    for (let j = 0; j < 4; j++) {
      const w = keys(u - (left + j));
      index[k * 4 + j] = mirrorIndex(left + j, inSize);
      weight[k * 4 + j] = w;
      sum += w;
    }
    for (let j = 0; j < 4; j++) weight[k * 4 + j]! /= sum;
  }
  return { index, weight };
}

export function upsampleBicubic(block: BandBlock, ratio: number): BandBlock {
  const { bands, width, height } = block;
  const outW = width * ratio;
  const outH = height * ratio;
  const out = createBlock(bands, outW, outH);
  const tx = taps(outW, width, ratio);
  const ty = taps(outH, height, ratio);
  const rowsUp = new Float32Array(height * outW);
  for (let b = 0; b < bands; b++) {
    const src = block.data.subarray(b * width * height, (b + 1) * width * height);
    for (let r = 0; r < height; r++) {
      const srcRow = r * width;
      const dstRow = r * outW;
      for (let k = 0; k < outW; k++) {
        const t = k * 4;
        rowsUp[dstRow + k] =
          src[srcRow + tx.index[t]!]! * tx.weight[t]! +
          src[srcRow + tx.index[t + 1]!]! * tx.weight[t + 1]! +
          src[srcRow + tx.index[t + 2]!]! * tx.weight[t + 2]! +
          src[srcRow + tx.index[t + 3]!]! * tx.weight[t + 3]!;
      }
    }
    const dst = out.data.subarray(b * outW * outH, (b + 1) * outW * outH);
    for (let k = 0; k < outH; k++) {
      const t = k * 4;
      const r0 = ty.index[t]! * outW,
        r1 = ty.index[t + 1]! * outW,
        r2 = ty.index[t + 2]! * outW,
        r3 = ty.index[t + 3]! * outW;
      const w0 = ty.weight[t]!,
        w1 = ty.weight[t + 1]!,
        w2 = ty.weight[t + 2]!,
        w3 = ty.weight[t + 3]!;
      const dstRow = k * outW;
      for (let c = 0; c < outW; c++) {
        dst[dstRow + c] = rowsUp[r0 + c]! * w0 + rowsUp[r1 + c]! * w1 + rowsUp[r2 + c]! * w2 + rowsUp[r3 + c]! * w3;
      }
    }
  }
  return out;
}
