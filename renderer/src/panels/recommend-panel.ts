/**
 * @module renderer/panels/recommend-panel
 * "Which method is best here?": runs the engine's self-check on the open scene (recommendRun), shows the ranking as
 * a table and a bar chart of ERGAS and SAM, says what the numbers mean, and preselects the winner in the Runs panel.
 */
import type { PanForgeApi, RecommendReport, SceneView } from '../../../preload/contract.ts';
import { clear, el } from '../dom.ts';
import type { StatusBar } from '../status-bar.ts';
import { Chart } from './charts.ts';

export interface RecommendPanelOptions {
  readonly api: PanForgeApi;
  readonly status: StatusBar;
  readonly root: HTMLElement;
  /** Check the winner (and the adapt option) in the Runs panel. */
  readonly preselect: (method: string, adapt: boolean) => void;
}

const fmt = (v: number | null | undefined, digits: number) => (v === null || v === undefined ? '–' : v.toFixed(digits));

/** What the numbers mean, in the words an analyst uses. */
export function explainReport(report: RecommendReport): string[] {
  const w = report.windows;
  const core = w.sidePx - 2 * w.contextPx;
  return [
    `A reduced-resolution proxy (Wald's protocol): the scene's PAN and MS were blurred with the ${report.sensor.name ?? 'generic'} MTF and shrunk by the ratio, every method fused that copy on ${w.fit + w.guard} salient windows (seed ${report.seed}), and its result was compared with the original MS on ${w.guard} held-back ${core}×${core} px windows. The adapted networks were fitted on the other ${w.fit}, never on the windows that score them.`,
    'ERGAS (overall relative error) and SAM (spectral angle, degrees): lower is better. Q2n: 1 is perfect. The ranking is by ERGAS, then SAM.',
    'QNR and HQNR (1 is best) judge the top methods at full resolution without a reference, on two windows: they check the ranking at the scale you will sharpen, where no ground truth exists.',
    ...(report.sensor.warning ? [`Note: ${report.sensor.warning}.`] : []),
  ];
}

export class RecommendPanel {
  private scene: SceneView | null = null;
  private readonly button = el(
    'button',
    { type: 'button', 'data-testid': 'recommend-run', title: 'Rank every method on this scene (a self-check on its own degraded copy)', disabled: true },
    'Which method is best here?',
  );
  private readonly body = el('div', { class: 'recommend-body', 'data-testid': 'recommend-result' });
  private readonly canvas = el('canvas', { 'data-testid': 'recommend-chart' });
  private chart: Chart<'bar'> | null = null;

  constructor(private readonly options: RecommendPanelOptions) {
    this.button.addEventListener('click', () => void this.run());
    options.root.append(el('div', { class: 'button-row' }, this.button), this.body, el('div', { class: 'chart-box recommend-chart-box' }, this.canvas));
  }

  setScene(scene: SceneView): void {
    this.scene = scene;
    this.button.disabled = false;
    clear(this.body);
    this.chart?.destroy();
    this.chart = null;
  }

  async run(): Promise<void> {
    const scene = this.scene;
    if (!scene) return;
    this.button.disabled = true;
    clear(this.body);
    this.body.append(el('p', { class: 'muted', 'data-testid': 'recommend-busy' }, "Running every method on the scene's degraded copy…"));
    try {
      const report = this.options.status.unwrap(await this.options.api.recommendRun({ sceneId: scene.sceneId, seed: null }), 'ranking the methods');
      if (!report || report.sceneId !== this.scene?.sceneId) {
        clear(this.body);
        return;
      }
      this.render(report);
      this.options.preselect(report.recommended.method, report.recommended.adapt);
      this.options.status.info(`self-check: ${report.recommended.name} is best on this scene (checked in Runs)`);
    } finally {
      this.button.disabled = this.scene === null;
    }
  }

  private render(report: RecommendReport): void {
    clear(this.body);
    this.body.append(
      el(
        'p',
        { class: 'recommend-pick', 'data-testid': 'recommend-pick', 'data-method': report.recommended.method, 'data-adapt': String(report.recommended.adapt) },
        'Recommended: ',
        el('strong', {}, report.recommended.name),
      ),
    );
    const t = el('table', { class: 'grid' });
    t.append(
      el(
        'tr',
        {},
        el('th', {}, '#'),
        el('th', {}, 'method'),
        el('th', { title: 'lower is better' }, 'ERGAS ↓'),
        el('th', { title: 'degrees; lower is better' }, 'SAM ↓'),
        el('th', { title: '1 is perfect' }, 'Q2n ↑'),
        el('th', { title: 'full resolution, no reference' }, 'QNR ↑'),
        el('th', { title: 'full resolution, no reference' }, 'HQNR ↑'),
      ),
    );
    for (const r of report.ranking) {
      const declined = r.adapt && r.adaptation && !r.adaptation.accepted;
      t.append(
        el(
          'tr',
          { 'data-testid': 'recommend-row', 'data-name': r.name, title: r.adaptation?.message ?? r.label, class: r.rank === 1 ? 'best' : null },
          el('td', {}, String(r.rank)),
          el('td', {}, r.name, declined ? el('span', { class: 'muted small' }, ' (guard kept it unadapted)') : null),
          el('td', {}, fmt(r.ergas, 3)),
          el('td', {}, fmt(r.sam, 3)),
          el('td', {}, fmt(r.q2n, 4)),
          el('td', {}, fmt(r.fullResolution?.QNR, 4)),
          el('td', {}, fmt(r.fullResolution?.HQNR, 4)),
        ),
      );
    }
    this.body.append(el('div', { class: 'table-scroll' }, t), ...explainReport(report).map((line) => el('p', { class: 'muted small' }, line)));
    for (const s of report.skipped) this.body.append(el('p', { class: 'muted small' }, `skipped ${s.method}: ${s.reason}`));
    const labels = report.ranking.map((r) => r.name);
    const datasets = [
      { label: 'ERGAS', data: report.ranking.map((r) => r.ergas), backgroundColor: '#1f77b4' },
      { label: 'SAM (°)', data: report.ranking.map((r) => r.sam), backgroundColor: '#ff7f0e' },
    ];
    this.chart?.destroy();
    this.chart = new Chart(this.canvas, {
      type: 'bar',
      data: { labels, datasets },
      options: {
        indexAxis: 'y',
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 10 } } },
        scales: { x: { beginAtZero: true } },
      },
    });
  }
}
