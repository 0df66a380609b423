/**
 * @module main/engine/job-events
 * Events a running job reports, a union on `type`. Progress counts PAN megapixels of tile cores.
 */

export interface JobProgressEvent {
  readonly type: 'progress';
  readonly tilesDone: number;
  readonly tilesTotal: number;
  readonly megapixelsDone: number;
  readonly megapixelsTotal: number;
  readonly megapixelsPerSecond: number;
  /** null until the rate is known. */
  readonly etaSeconds: number | null;
  readonly elapsedMs: number;
}

export interface JobLogEvent {
  readonly type: 'log';
  readonly message: string;
}

export interface JobStageEvent {
  readonly type: 'stage';
  readonly stage: 'opening' | 'sampling' | 'preparing' | 'tiling' | 'finishing';
}

/** What one engine job reports while it runs (the app's `JobEvent` in preload/contract.ts wraps these per job id). */
export type JobRunEvent = JobProgressEvent | JobLogEvent | JobStageEvent;

export interface JobContext {
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: JobRunEvent) => void;
}

/** Tracks core pixels done against the plan and turns them into progress events. */
export class ProgressMeter {
  private readonly started = Date.now();
  private tilesDone = 0;
  private pixelsDone = 0;

  constructor(
    private readonly tilesTotal: number,
    private readonly pixelsTotal: number,
    private readonly emit: (event: JobProgressEvent) => void,
  ) {}

  tileDone(corePixels: number): void {
    this.tilesDone++;
    this.pixelsDone += corePixels;
    const elapsedMs = Math.max(1, Date.now() - this.started);
    const rate = this.pixelsDone / elapsedMs; // pixels per ms
    this.emit({
      type: 'progress',
      tilesDone: this.tilesDone,
      tilesTotal: this.tilesTotal,
      megapixelsDone: this.pixelsDone / 1e6,
      megapixelsTotal: this.pixelsTotal / 1e6,
      megapixelsPerSecond: (rate * 1000) / 1e6,
      // Per tile, not per pixel: every tile is read and fused at the same (padded) shape, so the small edge tiles at
      // the end cost as much as full ones, and a pixel rate promised seconds with half a minute left.
      etaSeconds: this.tilesDone > 0 ? ((this.tilesTotal - this.tilesDone) * elapsedMs) / this.tilesDone / 1000 : null,
      elapsedMs,
    });
  }
}
