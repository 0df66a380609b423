// Pixel statistics of screenshots, computed by the page itself (createImageBitmap + canvas), so the journey can
// tell a drawn map from a blank one and one view from another without an image library in Node.
import type { Page } from '@playwright/test';

export interface ImageStats {
  readonly mean: number;
  readonly std: number;
  /** Share of pixels that differ from the most common grey level by more than 8 (0 for a flat image). */
  readonly busy: number;
}

export async function imageStats(page: Page, png: Buffer): Promise<ImageStats> {
  return page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    const n = data.length / 4;
    const hist = new Array<number>(256).fill(0);
    let sum = 0;
    let sum2 = 0;
    for (let i = 0; i < data.length; i += 4) {
      const g = (data[i]! + data[i + 1]! + data[i + 2]!) / 3;
      sum += g;
      sum2 += g * g;
      hist[Math.round(g)]!++;
    }
    const mode = hist.indexOf(Math.max(...hist));
    let busy = 0;
    for (let g = 0; g < 256; g++) if (Math.abs(g - mode) > 8) busy += hist[g]!;
    const mean = sum / n;
    return { mean, std: Math.sqrt(Math.max(0, sum2 / n - mean * mean)), busy: busy / n };
  }, png.toString('base64'));
}

/** Mean absolute difference (0–255) between two same-size screenshots. */
export async function imageDifference(page: Page, a: Buffer, b: Buffer): Promise<number> {
  return page.evaluate(
    async ([a64, b64]) => {
      const pixels = async (b: string) => {
        const bytes = Uint8Array.from(atob(b), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(bitmap, 0, 0);
        return ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      };
      const [x, y] = await Promise.all([pixels(a64!), pixels(b64!)]);
      if (x.length !== y.length) throw new Error(`screenshots differ in size: ${x.length / 4} vs ${y.length / 4} pixels`);
      let d = 0;
      for (let i = 0; i < x.length; i += 4) d += (Math.abs(x[i]! - y[i]!) + Math.abs(x[i + 1]! - y[i + 1]!) + Math.abs(x[i + 2]! - y[i + 2]!)) / 3;
      return d / (x.length / 4);
    },
    [a.toString('base64'), b.toString('base64')],
  );
}
