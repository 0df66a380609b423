/**
 * @module main/engine/evaluate/evaluation-report
 * What `evaluate` reports, as written to report.json (and flattened to report.csv, drawn in report.html): the scene,
 * sensor, protocols, date and software version; per protocol and method the indices, what the NaN/nodata rule left
 * out, timings and the paths of the output and its maps (relative to the report's folder, so it can be moved).
 */
import type { PixelWindow } from '../raster/pixel-window.ts';

export type Protocol = 'rr' | 'fr';

/** How to read each index: which way is better, its ideal value, and what it measures. */
export interface IndexInfo {
  readonly key: string;
  readonly label: string;
  readonly protocol: Protocol;
  readonly better: 'higher' | 'lower';
  readonly ideal: number;
  readonly meaning: string;
}

export const INDEX_INFO: readonly IndexInfo[] = [
  {
    key: 'Q2n',
    label: 'Q2n',
    protocol: 'rr',
    better: 'higher',
    ideal: 1,
    meaning: 'Q4/Q8: hypercomplex UIQI over 32×32 blocks; spectral and spatial quality together',
  },
  {
    key: 'Q',
    label: 'Q',
    protocol: 'rr',
    better: 'higher',
    ideal: 1,
    meaning: 'mean over bands of the UIQI (correlation, luminance, contrast) in 32×32 sliding windows',
  },
  {
    key: 'SAM_deg',
    label: 'SAM (°)',
    protocol: 'rr',
    better: 'lower',
    ideal: 0,
    meaning: 'mean spectral angle to the reference, degrees: spectral distortion',
  },
  { key: 'ERGAS', label: 'ERGAS', protocol: 'rr', better: 'lower', ideal: 0, meaning: 'relative global error: 100/ratio · RMS over bands of RMSE/mean' },
  { key: 'SCC', label: 'SCC', protocol: 'rr', better: 'higher', ideal: 1, meaning: 'spatial correlation coefficient of Sobel edges: spatial detail' },
  { key: 'PSNR_dB', label: 'PSNR (dB)', protocol: 'rr', better: 'higher', ideal: Infinity, meaning: 'peak signal-to-noise ratio, peak 2^bits − 1' },
  {
    key: 'D_lambda',
    label: 'D_λ',
    protocol: 'fr',
    better: 'lower',
    ideal: 0,
    meaning: 'spectral distortion: change of inter-band Q between upsampled MS and output',
  },
  {
    key: 'D_s',
    label: 'D_s',
    protocol: 'fr',
    better: 'lower',
    ideal: 0,
    meaning: 'spatial distortion: change of band-to-PAN Q between low and full resolution',
  },
  { key: 'QNR', label: 'QNR', protocol: 'fr', better: 'higher', ideal: 1, meaning: '(1 − D_λ)(1 − D_s): quality with no reference' },
  {
    key: 'D_lambda_K',
    label: 'D_λ(K)',
    protocol: 'fr',
    better: 'lower',
    ideal: 0,
    meaning: "Khan's spectral distortion: 1 − Q2n(upsampled MS, MTF-filtered output)",
  },
  { key: 'HQNR', label: 'HQNR', protocol: 'fr', better: 'higher', ideal: 1, meaning: '(1 − D_λ(K))(1 − D_s): hybrid QNR' },
];

export interface MethodResult {
  readonly method: string;
  readonly label: string;
  readonly kind: 'classical' | 'network';
  readonly modelName: string | null;
  /** Index key → value (NaN/±Infinity written as strings "NaN", "Infinity" in JSON). */
  readonly indices: Readonly<Record<string, number>>;
  /** What the NaN/nodata rule left out: pixels, Q2n blocks, Q windows (rr); 32×32 blocks per index (fr). */
  readonly excluded: Readonly<Record<string, number>>;
  /** The fused image this protocol assessed (relative path). */
  readonly outputPath: string;
  /** Map name → relative path: `samToReference` (rr), `samToUpsampledMs` (fr). */
  readonly maps: Readonly<Record<string, string>>;
  readonly sharpenMs: number;
  readonly indicesMs: number;
  readonly device: string;
}

export interface ProtocolResult {
  readonly protocol: Protocol;
  readonly title: string;
  /** What was assessed, in words (area, reference, degradation). */
  readonly description: string;
  /** The assessed area: PAN pixels for fr, MS pixels (= the reference's grid) for rr. */
  readonly area: PixelWindow & { readonly grid: 'PAN' | 'MS' };
  readonly methods: readonly MethodResult[];
  /** Degraded inputs (rr only), relative paths. */
  readonly inputs?: { readonly panPath: string; readonly msPath: string };
}

export interface ComparisonEntry {
  readonly protocol: Protocol;
  readonly a: string;
  readonly b: string;
  readonly meanSpectralAngleDeg: number;
  readonly meanRelativeDifference: number;
  readonly undefinedPixels: number;
  /** `spectralAngle`, `relativeDifference` → relative paths. */
  readonly maps: Readonly<Record<string, string>>;
}

export interface EvaluationReport {
  readonly software: { readonly name: 'PanForge'; readonly version: string };
  readonly createdAt: string;
  readonly scene: {
    readonly panPath: string;
    readonly msPath: string;
    readonly panSize: readonly [number, number];
    readonly msSize: readonly [number, number];
    readonly ratio: number;
    readonly bands: number;
    readonly bandDescriptions: readonly string[];
    readonly sensor: string | null;
    /** The MTF used for degradation and D_λ(K): a sensor of sensor-mtf.json, or "generic". */
    readonly mtf: string;
    readonly bitDepth: number | null;
    readonly crs: string | null;
    readonly notes: readonly string[];
  };
  readonly pathsRelativeTo: 'report folder';
  readonly protocols: readonly ProtocolResult[];
  readonly comparisons: readonly ComparisonEntry[];
  readonly skipped: readonly { readonly method: string; readonly reason: string }[];
  readonly indexInfo: readonly IndexInfo[];
  readonly notes: readonly string[];
  readonly elapsedMs: number;
}

/** JSON with non-finite numbers kept as strings ("NaN", "Infinity", "-Infinity") instead of JSON's null. */
export function reportToJson(report: EvaluationReport): string {
  return JSON.stringify(report, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value), 2) + '\n';
}

function csvCell(v: unknown): string {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per protocol and method: every index (empty where it does not apply), excluded counts, paths. */
export function reportToCsv(report: EvaluationReport): string {
  const excludedKeys = [...new Set(report.protocols.flatMap((p) => p.methods.flatMap((m) => Object.keys(m.excluded))))];
  const header = [
    'protocol',
    'method',
    'model',
    ...INDEX_INFO.map((i) => i.key),
    ...excludedKeys.map((k) => `excluded_${k}`),
    'sharpen_ms',
    'indices_ms',
    'output',
  ];
  const rows = [header.join(',')];
  for (const p of report.protocols) {
    for (const m of p.methods) {
      rows.push(
        [
          p.protocol,
          m.method,
          m.modelName ?? '',
          ...INDEX_INFO.map((i) => m.indices[i.key]),
          ...excludedKeys.map((k) => m.excluded[k]),
          Math.round(m.sharpenMs),
          Math.round(m.indicesMs),
          m.outputPath,
        ]
          .map(csvCell)
          .join(','),
      );
    }
  }
  return rows.join('\n') + '\n';
}
