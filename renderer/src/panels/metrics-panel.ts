/**
 * @module renderer/panels/metrics-panel
 * Quality of the finished runs of this scene: metricsCompute per run (the engine's no-reference indices on a
 * stated window), a table with the ideal value and direction of each index, and a grouped bar chart; and per run
 * its spectral distortion map (qualityMapCompute), handed over as a layer. A report that is pending or failed
 * shows its note; nothing is filled in.
 */
import type { JobSnapshot, MetricsReport, PanForgeApi, RasterLayer } from '../../../preload/contract.ts';
import { clear, el, swatch } from '../dom.ts';
import type { StatusBar } from '../status-bar.ts';
import { Chart, colourFor } from './charts.ts';

/** Index names as analysts write them (the engine's ids stay in the tooltip). */
const DISPLAY: Record<string, string> = { D_lambda: 'Dλ', D_s: 'Ds', QNR: 'QNR', D_lambda_K: 'Dλ(K)', HQNR: 'HQNR' };
const shown = (name: string) => DISPLAY[name] ?? name;

/** "256² of 1280²" (full scene) or "256² of 352×384 preview": where a row's numbers come from. */
function windowText(report: MetricsReport, run: JobSnapshot): string {
  const w = report.window;
  if (!w) return '–';
  const size = (a: number, b: number) => (a === b ? `${a}²` : `${a}×${b}`);
  return `${size(w.width, w.height)} of ${size(w.outputWidth, w.outputHeight)}${run.previewExtent ? ' preview' : ''}`;
}

export class MetricsPanel {
  private readonly reports = new Map<string, MetricsReport>();
  private runs: JobSnapshot[] = [];
  private readonly button = el(
    'button',
    { type: 'button', 'data-testid': 'metrics-compute', title: 'Compute the quality indices of every finished run of this scene' },
    'Compute metrics',
  );
  private readonly table = el('div', { class: 'metrics-table', 'data-testid': 'metrics-table' });
  private readonly canvas = el('canvas', { 'data-testid': 'metrics-chart' });
  private chart: Chart<'bar'> | null = null;

  constructor(
    private readonly api: PanForgeApi,
    private readonly status: StatusBar,
    root: HTMLElement,
    /** Receives each run's spectral distortion map, for the layer list and map. */
    private readonly onQualityLayer: (run: JobSnapshot, layer: RasterLayer) => void,
  ) {
    this.button.addEventListener('click', () => void this.computeAll());
    root.append(el('div', { class: 'button-row' }, this.button), this.table, el('div', { class: 'chart-box' }, this.canvas));
    this.render();
  }

  /** The finished runs of the open scene. */
  setRuns(runs: readonly JobSnapshot[]): void {
    this.runs = runs.filter((r) => r.state === 'done');
    this.button.disabled = this.runs.length === 0;
    this.render();
  }

  async computeAll(): Promise<void> {
    this.button.disabled = true;
    try {
      for (const run of this.runs) {
        if (this.reports.get(run.jobId)?.status !== 'ok') {
          const report = this.status.unwrap(await this.api.metricsCompute({ jobId: run.jobId }), `computing metrics of ${run.method}`);
          if (report) this.reports.set(run.jobId, report);
          if (report && report.status !== 'ok') this.status.info(`${run.method}: metrics ${report.status}: ${report.note}`);
          this.render();
        }
        // Made once per run by the engine; asked again so that a reopened scene gets its layers back.
        const map = this.status.unwrap(await this.api.qualityMapCompute({ jobId: run.jobId }), `computing the spectral distortion map of ${run.method}`);
        if (map) this.onQualityLayer(run, map);
      }
    } finally {
      this.button.disabled = this.runs.length === 0;
    }
  }

  private label(run: JobSnapshot): string {
    return `${run.result?.modelName ?? run.method}${run.previewExtent ? ' (preview)' : ''}`;
  }

  private render(): void {
    clear(this.table);
    const rows = this.runs.filter((r) => this.reports.has(r.jobId));
    if (this.runs.length === 0) this.table.append(el('p', { class: 'muted' }, 'Finish a run to compare its quality.'));
    else if (rows.length === 0) this.table.append(el('p', { class: 'muted' }, `${this.runs.length} finished run(s); press Compute metrics.`));
    const names: string[] = [];
    const meta = new Map<string, { better: string; ideal: number }>();
    for (const r of rows) {
      for (const i of this.reports.get(r.jobId)!.indices) {
        if (meta.has(i.name)) continue;
        names.push(i.name);
        meta.set(i.name, i);
      }
    }
    if (rows.length > 0) {
      const t = el('table', { class: 'grid' });
      t.append(
        el(
          'tr',
          {},
          el('th', {}, 'run'),
          ...names.map((n) =>
            el(
              'th',
              { title: `${n}: ${meta.get(n)!.better} is better; ideal ${meta.get(n)!.ideal}` },
              `${shown(n)} ${meta.get(n)!.better === 'higher' ? '↑' : '↓'}`,
            ),
          ),
        ),
      );
      for (const r of rows) {
        const report = this.reports.get(r.jobId)!;
        const cells =
          report.status === 'ok'
            ? names.map((n) => el('td', {}, report.indices.find((i) => i.name === n)?.value.toFixed(3) ?? '–'))
            : [el('td', { colspan: Math.max(1, names.length), class: 'muted' }, `${report.status}: ${report.note}`)];
        t.append(
          el(
            'tr',
            { 'data-testid': 'metrics-row', 'data-job-id': r.jobId },
            // Where the numbers come from, under the run's name: the window and the output it lies in.
            el(
              'td',
              { title: report.note },
              swatch(colourFor(r.result?.layer.layerId ?? r.jobId)),
              this.label(r),
              el('div', { class: 'muted small metrics-window', 'data-testid': 'metrics-window' }, windowText(report, r)),
            ),
            ...cells,
          ),
        );
      }
      const protocols = [...new Set(rows.map((r) => this.reports.get(r.jobId)!.protocol))];
      const mixed = new Set(rows.map((r) => r.previewExtent !== null)).size > 1;
      this.table.append(
        t,
        el(
          'p',
          { class: 'muted small' },
          `${protocols.join('; ')}; each on a centred window of its own output (hover a row for where).${mixed ? ' Previews and full-scene runs are measured on different areas: compare like with like.' : ''}`,
        ),
      );
    }
    const datasets = rows
      .filter((r) => this.reports.get(r.jobId)!.status === 'ok')
      .map((r) => ({
        label: this.label(r),
        data: names.map((n) => this.reports.get(r.jobId)!.indices.find((i) => i.name === n)?.value ?? null),
        backgroundColor: colourFor(r.result?.layer.layerId ?? r.jobId),
      }));
    if (this.chart) {
      this.chart.data.labels = names.map(shown);
      this.chart.data.datasets = datasets;
      this.chart.update();
    } else if (datasets.length > 0) {
      this.chart = new Chart(this.canvas, {
        type: 'bar',
        data: { labels: names.map(shown), datasets },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          plugins: { legend: { position: 'bottom', labels: { boxWidth: 10 } } },
          scales: { y: { beginAtZero: true } },
        },
      });
    }
  }
}
