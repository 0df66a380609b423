/**
 * @module main/cli/progress-bar
 * A one-line progress bar on stderr (tiles, MP/s, ETA). On a terminal it redraws in place; otherwise it prints a
 * line every 10 % so logs stay readable.
 */
import type { JobProgressEvent } from '../engine/job-events.ts';

function formatSeconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '--:--';
  const total = Math.round(s);
  const m = Math.floor(total / 60);
  const sec = total % 60;
  return m >= 60 ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m` : `${m}:${String(sec).padStart(2, '0')}`;
}

export class ProgressBar {
  private lastDecile = -1;
  private drawn = false;

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(p: JobProgressEvent): void {
    const fraction = p.tilesTotal ? p.tilesDone / p.tilesTotal : 1;
    const text = `${p.tilesDone}/${p.tilesTotal} tiles  ${p.megapixelsPerSecond.toFixed(2)} MP/s  ETA ${formatSeconds(p.etaSeconds)}`;
    if (this.stream.isTTY) {
      const width = 24;
      const filled = Math.round(fraction * width);
      this.stream.write(`\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${text}\x1b[K`);
      this.drawn = true;
    } else {
      const decile = Math.floor(fraction * 10);
      if (decile !== this.lastDecile) {
        this.lastDecile = decile;
        this.stream.write(`${this.label} ${(fraction * 100).toFixed(0)}%  ${text}\n`);
      }
    }
  }

  /** Ends the redrawn line so the next output starts clean. */
  finish(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
