/**
 * @module scripts/model-quality-table
 * The reduced-resolution quality table of the committed networks beside the baselines (rendering only): rows in,
 * markdown and the "beats the best baseline on SAM and ERGAS" verdict out, and the README section it replaces.
 * The numbers come from scripts/model-quality.ts.
 */

export interface QualityIndices {
  readonly Q2n: number;
  readonly SAM_deg: number;
  readonly ERGAS: number;
  readonly SCC: number;
}

export interface QualityRow {
  /** Model the row belongs to (its validation regions), e.g. "premix-wv2". */
  readonly model: string;
  /** Method id: a baseline (exp, gsa, mtf-glp) or the network's id. */
  readonly method: string;
  readonly kind: 'classical' | 'network';
  /** Mean over the model's validation regions. */
  readonly indices: QualityIndices;
  /** Seconds to sharpen all the model's validation regions (engine, CPU). */
  readonly seconds: number;
}

export interface Verdict {
  readonly model: string;
  readonly network: QualityIndices;
  /** Lowest SAM and lowest ERGAS among the baselines, and which baseline has each. */
  readonly bestBaselineSam: { readonly method: string; readonly value: number };
  readonly bestBaselineErgas: { readonly method: string; readonly value: number };
  readonly beatsSam: boolean;
  readonly beatsErgas: boolean;
}

export function verdicts(rows: readonly QualityRow[]): Verdict[] {
  const models = [...new Set(rows.map((r) => r.model))];
  return models.flatMap((model) => {
    const own = rows.filter((r) => r.model === model);
    const net = own.find((r) => r.kind === 'network');
    const baselines = own.filter((r) => r.kind === 'classical');
    if (!net || baselines.length === 0) return [];
    const best = (key: 'SAM_deg' | 'ERGAS') => baselines.reduce((a, b) => (b.indices[key] < a.indices[key] ? b : a));
    const sam = best('SAM_deg');
    const ergas = best('ERGAS');
    return [
      {
        model,
        network: net.indices,
        bestBaselineSam: { method: sam.method, value: sam.indices.SAM_deg },
        bestBaselineErgas: { method: ergas.method, value: ergas.indices.ERGAS },
        beatsSam: net.indices.SAM_deg < sam.indices.SAM_deg,
        beatsErgas: net.indices.ERGAS < ergas.indices.ERGAS,
      },
    ];
  });
}

const fmt = (v: number, digits: number): string => (Number.isFinite(v) ? v.toFixed(digits) : '–');

export function markdownTable(rows: readonly QualityRow[]): string {
  const lines = ['| model (validation regions) | method | Q2n ↑ | SAM° ↓ | ERGAS ↓ | SCC ↑ | time s |', '|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    const name = r.kind === 'network' ? `**${r.method}**` : r.method;
    lines.push(
      `| ${r.model} | ${name} | ${fmt(r.indices.Q2n, 4)} | ${fmt(r.indices.SAM_deg, 3)} | ${fmt(r.indices.ERGAS, 3)} | ${fmt(r.indices.SCC, 4)} | ${fmt(r.seconds, 1)} |`,
    );
  }
  return lines.join('\n');
}

export function verdictLines(list: readonly Verdict[]): string[] {
  return list.map((v) => {
    const sam = `SAM ${fmt(v.network.SAM_deg, 3)} vs ${v.bestBaselineSam.method} ${fmt(v.bestBaselineSam.value, 3)}`;
    const ergas = `ERGAS ${fmt(v.network.ERGAS, 3)} vs ${v.bestBaselineErgas.method} ${fmt(v.bestBaselineErgas.value, 3)}`;
    const status =
      v.beatsSam && v.beatsErgas
        ? 'beats the best baseline on SAM and ERGAS'
        : `does NOT yet beat the best baseline on ${[!v.beatsSam && 'SAM', !v.beatsErgas && 'ERGAS'].filter(Boolean).join(' and ')}`;
    return `- ${v.model}: ${status} (${sam}; ${ergas}).`;
  });
}

export const SECTION_START = '<!-- model-quality:start -->';
export const SECTION_END = '<!-- model-quality:end -->';

/** Replaces the text between the section markers (kept) in `readme`; Error when the markers are missing. */
export function replaceSection(readme: string, body: string, file = 'README.md', markers: readonly [string, string] = [SECTION_START, SECTION_END]): string {
  const [open, close] = markers;
  const start = readme.indexOf(open);
  const end = readme.indexOf(close);
  if (start < 0 || end < start) throw new Error(`${file} has no "${open}" … "${close}" section to replace`);
  return `${readme.slice(0, start + open.length)}\n${body.trim()}\n${readme.slice(end)}`;
}

/** One installed model's training, parity and tiling facts (from its manifest). */
export interface ModelFacts {
  readonly model: string;
  readonly schedule: string;
  readonly steps: number;
  readonly wallTimeS: number;
  readonly threads: number | null;
  readonly gitCommit: string;
  readonly parityMaxAbsDiff: number;
  readonly receptiveFieldPx: number;
  readonly overlapPx: number;
  /** Export's tiled-vs-untiled measurement at overlapPx (null for local nets measured by receptive field only). */
  readonly seamMaxRelToRange: number | null;
  readonly seamPassed: boolean | null;
}

export function modelFactsTable(facts: readonly ModelFacts[]): string {
  const lines = [
    '| model | training | wall time | commit | max abs ORT − PyTorch | receptive field px | overlapPx | tiled vs untiled (max / data range) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const f of facts) {
    const seam = f.seamMaxRelToRange === null ? '–' : `${(100 * f.seamMaxRelToRange).toFixed(3)} %${f.seamPassed ? '' : ' (over 0.5 %)'}`;
    const threads = f.threads === null ? '' : `, ${f.threads} thread${f.threads === 1 ? '' : 's'}`;
    lines.push(
      `| ${f.model} | ${f.schedule}, ${f.steps} steps${threads} | ${(f.wallTimeS / 60).toFixed(1)} min | ${/^[0-9a-f]{40}$/.test(f.gitCommit) ? f.gitCommit.slice(0, 10) : f.gitCommit} | ${f.parityMaxAbsDiff.toExponential(1)} | ${f.receptiveFieldPx} | ${f.overlapPx} | ${seam} |`,
    );
  }
  return lines.join('\n');
}
