/**
 * @module renderer/panels/progress-format
 * Job progress as the runs panel shows it: "12/25 tiles · 3.4 MP/s · ETA 12 s". Pure, so it is unit-tested.
 */
import type { JobProgress } from '../../../preload/contract.ts';

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - 60 * m);
  if (m < 60) return `${m} min ${String(s).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** 0…1 from tiles (the engine's unit of work); 0 before the plan is known. */
export function progressFraction(p: JobProgress | null): number {
  if (!p || p.tilesTotal <= 0) return 0;
  return Math.min(1, Math.max(0, p.tilesDone / p.tilesTotal));
}

export function formatProgress(p: JobProgress | null): string {
  if (!p) return 'waiting';
  const parts = [p.stage];
  if (p.tilesTotal > 0) parts.push(`${p.tilesDone}/${p.tilesTotal} tiles`);
  if (p.megapixelsPerSecond > 0) parts.push(`${p.megapixelsPerSecond.toFixed(p.megapixelsPerSecond < 10 ? 2 : 1)} MP/s`);
  if (p.etaSeconds !== null && p.tilesDone < p.tilesTotal) parts.push(`ETA ${formatDuration(p.etaSeconds)}`);
  parts.push(`${formatDuration(p.elapsedMs / 1000)} elapsed`);
  return parts.join(' · ');
}
