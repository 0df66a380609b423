/**
 * @module main/cli/batch-report
 * The report of a `panforge batch` run (or shard): one row per (scene, method) with its status, a summary, written
 * as JSON and CSV into the output folder.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../engine/write/atomic-file.ts';
import type { SceneListing, Shard } from './batch-scenes.ts';

export interface BatchRow {
  readonly scene: string;
  readonly method: string;
  readonly pan: string;
  readonly ms: string;
  readonly out: string;
  /** done: written now; complete: already there (skipped); failed: see error; cancelled: not run (Ctrl-C). */
  readonly status: 'done' | 'complete' | 'failed' | 'cancelled';
  readonly seconds: number;
  readonly exitCode: number;
  readonly error: string;
}

export interface BatchRun {
  readonly shard: Shard;
  readonly listing: SceneListing;
  readonly scenesInShard: number;
  readonly methods: readonly string[];
  readonly outDir: string;
  readonly started: number;
  readonly rows: readonly BatchRow[];
}

export type BatchReport = ReturnType<typeof batchReport>;

/** The report's content; its file names carry the shard when the scenes were split. */
export function batchReport(run: BatchRun) {
  const { shard, rows } = run;
  const count = (s: BatchRow['status']) => rows.filter((r) => r.status === s).length;
  const summary = { done: count('done'), complete: count('complete'), failed: count('failed'), cancelled: count('cancelled') };
  const suffix = shard.count > 1 ? `-shard-${shard.index}-of-${shard.count}` : '';
  const reportJson = join(run.outDir, `batch-report${suffix}.json`);
  const reportCsv = join(run.outDir, `batch-report${suffix}.csv`);
  return {
    ok: summary.failed === 0 && summary.cancelled === 0,
    shard: `${shard.index}/${shard.count}`,
    scenesTotal: run.listing.scenes.length,
    scenesInShard: run.scenesInShard,
    methods: run.methods,
    outDir: run.outDir,
    seconds: (Date.now() - run.started) / 1000,
    summary,
    ignored: run.listing.ignored,
    rows,
    reportPaths: { json: reportJson, csv: reportCsv },
  };
}

export function writeBatchReport(report: BatchReport): void {
  writeFileAtomic(report.reportPaths.json, JSON.stringify(report, null, 2) + '\n');
  writeFileAtomic(
    report.reportPaths.csv,
    [CSV_COLUMNS.join(','), ...report.rows.map((r) => CSV_COLUMNS.map((c) => csvField(c === 'seconds' ? r.seconds.toFixed(2) : r[c])).join(','))].join('\n') +
      '\n',
  );
}

const CSV_COLUMNS = ['scene', 'method', 'status', 'seconds', 'exitCode', 'out', 'pan', 'ms', 'error'] as const;

function csvField(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
