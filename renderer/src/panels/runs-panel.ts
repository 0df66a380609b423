/**
 * @module renderer/panels/runs-panel
 * Runs: choose methods (networks and baselines; the scene says which fit and why not), device and tile size;
 * start on the full scene or preview the current view; watch progress (tiles, MP/s, ETA) from job events; cancel.
 * A finished row shows the device the run actually used (badge; its tooltip says why, and any CUDA batch shrink or
 * fall back to CPU is listed under the row).
 * "Adapt to this scene" asks the engine to fit each checked network to the scene on its own degraded copy first
 * (kept only if held-back windows improve; the row says which). `preselect` lets the self-check check its winner.
 * Jobs live in the engine, not in this page: on start-up and after a reconnect the list is re-read (jobList).
 */
import type { JobEvent, JobSnapshot, MethodSummary, PanForgeApi, SceneView } from '../../../preload/contract.ts';
import { clear, el, field, select } from '../dom.ts';
import type { StatusBar } from '../status-bar.ts';
import { deviceSummary } from './device-summary.ts';
import { mergeJob } from './job-merge.ts';
import { formatDuration, formatProgress, progressFraction } from './progress-format.ts';

export interface RunsPanelOptions {
  readonly api: PanForgeApi;
  readonly status: StatusBar;
  readonly root: HTMLElement;
  /** The current view clipped to the scene, or null (then a preview cannot start). */
  readonly previewExtent: () => [number, number, number, number] | null;
  /** A job of the open scene finished with an output layer. */
  readonly onDone: (job: JobSnapshot) => void;
  /** The job list changed (the metrics panel lists finished runs). */
  readonly onJobsChanged: (jobs: readonly JobSnapshot[]) => void;
}

const ACTIVE = new Set(['queued', 'running']);

export class RunsPanel {
  private methods: MethodSummary[] = [];
  private scene: SceneView | null = null;
  private readonly jobs = new Map<string, JobSnapshot>();
  private readonly methodList = el('div', { class: 'method-list', 'data-testid': 'method-list' });
  private readonly device = select(
    [
      ['auto', 'auto (CUDA if available)'],
      ['cpu', 'CPU'],
      ['cuda', 'CUDA'],
    ] as const,
    'auto',
    { 'data-testid': 'run-device' },
  );
  private readonly tileSize = el('input', { type: 'number', min: 64, max: 4096, step: 64, value: 512, 'data-testid': 'run-tile-size' });
  private readonly adapt = el('input', { type: 'checkbox', 'data-testid': 'run-adapt' });
  private readonly jobList = el('ul', { class: 'job-list', 'data-testid': 'job-list' });
  private readonly rows = new Map<string, HTMLElement>();

  constructor(private readonly options: RunsPanelOptions) {
    const startFull = el(
      'button',
      { type: 'button', class: 'primary', 'data-testid': 'run-start', title: 'Run the checked methods on the whole scene' },
      'Run full scene',
    );
    const startPreview = el(
      'button',
      { type: 'button', 'data-testid': 'run-preview', title: 'A quick run of the checked methods on the part of the scene in view' },
      'Preview current view',
    );
    startFull.addEventListener('click', () => void this.start(false));
    startPreview.addEventListener('click', () => void this.start(true));
    options.root.append(
      this.methodList,
      el(
        'div',
        { class: 'run-settings' },
        field('Device', this.device, 'Where networks run; baselines always run on the CPU'),
        field('Tile', this.tileSize, 'Tile size in PAN pixels (64–4096); smaller tiles use less memory'),
        el(
          'label',
          {
            class: 'field',
            title:
              "Fit a per-band correction of each network's output on this scene's own degraded copy before sharpening; it is kept only if held-back windows improve",
          },
          this.adapt,
          el('span', {}, 'Adapt to this scene (networks)'),
        ),
      ),
      el('div', { class: 'button-row' }, startFull, startPreview),
      el('h3', {}, 'Jobs'),
      this.jobList,
    );
    options.api.onJobEvent((event) => this.onEvent(event));
    this.renderMethods();
  }

  async loadMethods(): Promise<void> {
    this.methods = this.options.status.unwrap(await this.options.api.methodsList({}), 'listing methods') ?? [];
    this.renderMethods();
  }

  setScene(scene: SceneView): void {
    this.scene = scene;
    // CUDA only where it can run; the option says why not (a CUDA-less machine would fail every network run).
    const cuda = this.device.querySelector<HTMLOptionElement>('option[value=cuda]');
    if (cuda) {
      cuda.disabled = !scene.cuda.available;
      cuda.textContent = scene.cuda.available ? 'CUDA' : 'CUDA (unavailable)';
      cuda.title = scene.cuda.why;
      if (!scene.cuda.available && this.device.value === 'cuda') this.device.value = 'auto';
    }
    this.renderMethods();
    this.renderJobs();
  }

  /** Re-reads the engine's jobs (start-up, reconnect): what happened while this page was away shows up. */
  async refreshJobs(): Promise<void> {
    const list = this.options.status.unwrap(await this.options.api.jobList({}), 'listing jobs');
    if (!list) return;
    for (const job of list) this.jobs.set(job.jobId, mergeJob(this.jobs.get(job.jobId), job));
    this.renderJobs();
    for (const job of list) if (job.state === 'done' && job.sceneId === this.scene?.sceneId) this.options.onDone(job);
  }

  all(): readonly JobSnapshot[] {
    return [...this.jobs.values()];
  }

  /** Checks exactly `method` (when it fits the scene) and sets the adapt option: the self-check's pick. */
  preselect(method: string, adapt: boolean): void {
    for (const box of this.methodList.querySelectorAll<HTMLInputElement>('input[type=checkbox]')) box.checked = box.value === method && !box.disabled;
    this.adapt.checked = adapt;
  }

  private checkedMethods(): string[] {
    return [...this.methodList.querySelectorAll<HTMLInputElement>('input[type=checkbox]:checked')].map((c) => c.value);
  }

  private renderMethods(): void {
    const checked = new Set(this.checkedMethods());
    clear(this.methodList);
    if (this.methods.length === 0) {
      this.methodList.append(el('p', { class: 'muted' }, 'No methods listed yet.'));
      return;
    }
    for (const kind of ['network', 'classical'] as const) {
      const ofKind = this.methods.filter((m) => m.kind === kind);
      if (ofKind.length === 0) continue;
      this.methodList.append(el('div', { class: 'method-kind' }, kind === 'network' ? 'Networks' : 'Baselines'));
      for (const m of ofKind) {
        const fit = this.scene?.methods.find((f) => f.id === m.id);
        const usable = this.scene !== null && (fit?.fits ?? true);
        const why = fit && !fit.fits ? fit.why : '';
        this.methodList.append(
          el(
            'label',
            { class: `method${usable ? '' : ' disabled'}`, title: why ? `${m.description}\nNot for this scene: ${why}` : m.description, 'data-method': m.id },
            el('input', { type: 'checkbox', value: m.id, disabled: !usable, checked: usable && checked.has(m.id), 'data-testid': `method-${m.id}` }),
            el('span', {}, m.label),
            why ? el('span', { class: 'why' }, why) : null,
          ),
        );
      }
    }
  }

  private async start(preview: boolean): Promise<void> {
    const scene = this.scene;
    if (!scene) {
      this.options.status.error({ code: 'no-scene', message: 'open a scene first', details: {} }, 'starting a run');
      return;
    }
    const methods = this.checkedMethods();
    if (methods.length === 0) {
      this.options.status.error({ code: 'no-method', message: 'check at least one method', details: {} }, 'starting a run');
      return;
    }
    const tileSizePx = Number(this.tileSize.value);
    if (!Number.isInteger(tileSizePx) || tileSizePx < 64 || tileSizePx > 4096) {
      this.options.status.error(
        { code: 'input', message: `tile size must be an integer in 64…4096, got ${this.tileSize.value}`, details: {} },
        'starting a run',
      );
      return;
    }
    const previewExtent = preview ? this.options.previewExtent() : null;
    if (preview && !previewExtent) {
      this.options.status.error(
        { code: 'preview-outside', message: 'the current view does not overlap the scene; zoom to the scene first', details: {} },
        'starting a preview',
      );
      return;
    }
    for (const method of methods) {
      const device = this.device.value === 'cpu' || this.device.value === 'cuda' ? this.device.value : 'auto';
      const adapt = this.adapt.checked && this.methods.find((m) => m.id === method)?.kind === 'network';
      const job = this.options.status.unwrap(
        await this.options.api.jobStart({ sceneId: scene.sceneId, method, device, tileSizePx, previewExtent, adapt }),
        `starting ${method}`,
      );
      if (job) {
        this.jobs.set(job.jobId, mergeJob(this.jobs.get(job.jobId), job));
        this.options.status.info(`${method}: job ${job.jobId} queued${preview ? ' (preview of the current view)' : ''}`);
      }
    }
    this.renderJobs();
  }

  private onEvent(event: JobEvent): void {
    if (event.type === 'log') return;
    if (event.type === 'progress') {
      const job = this.jobs.get(event.jobId);
      if (!job) return;
      const next = { ...job, progress: event.progress };
      this.jobs.set(job.jobId, next);
      this.updateRow(next);
      return;
    }
    const prev = this.jobs.get(event.job.jobId);
    const job = mergeJob(prev, event.job);
    this.jobs.set(job.jobId, job);
    if (prev?.state !== job.state) {
      this.renderJobs();
      if (job.state === 'done' && job.sceneId === this.scene?.sceneId) {
        this.options.status.info(`${job.method} finished in ${formatDuration((job.result?.elapsedMs ?? 0) / 1000)} on ${job.result?.device ?? '?'}`);
        this.options.onDone(job);
      }
      if (job.state === 'failed' && job.error) this.options.status.error(job.error, `${job.method} run ${job.jobId}`);
      if (job.state === 'cancelled') this.options.status.info(`${job.method} run ${job.jobId} cancelled`);
    } else this.updateRow(job);
  }

  private renderJobs(): void {
    clear(this.jobList);
    this.rows.clear();
    const jobs = [...this.jobs.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    if (jobs.length === 0) this.jobList.append(el('li', { class: 'muted' }, 'No runs yet.'));
    for (const job of jobs) {
      const row = el('li', { class: 'job', 'data-testid': 'job-row', 'data-job-id': job.jobId, 'data-method': job.method });
      this.rows.set(job.jobId, row);
      this.jobList.append(row);
      this.updateRow(job);
    }
    this.options.onJobsChanged(jobs);
  }

  private updateRow(job: JobSnapshot): void {
    const row = this.rows.get(job.jobId);
    if (!row) return;
    clear(row);
    row.dataset.state = job.state;
    const other = this.scene && job.sceneId !== this.scene.sceneId;
    row.classList.toggle('other-scene', Boolean(other));
    const device = job.result ? deviceSummary(job.result) : null;
    const head = el(
      'div',
      { class: 'job-head' },
      el('strong', {}, job.method),
      job.previewExtent ? el('span', { class: 'badge' }, 'preview') : null,
      job.adapt
        ? el(
            'span',
            { class: 'badge', 'data-testid': 'job-adapt', title: job.result?.adaptation?.message ?? 'adapting to the scene' },
            job.result?.adaptation ? (job.result.adaptation.accepted ? 'adapted' : 'not adapted') : 'adapt',
          )
        : null,
      el('span', { class: `state state-${job.state}`, 'data-testid': 'job-state' }, job.state),
      device
        ? el(
            'span',
            { class: `device-badge device-${device.label}${device.changed ? ' device-changed' : ''}`, title: device.tooltip, 'data-testid': 'job-device' },
            device.label,
          )
        : null,
      // Before the result: what was asked for ('auto' until the engine decides).
      el('span', { class: 'muted', title: 'requested device · tile size' }, `${device ? '' : `${job.device} · `}${job.tileSizePx}px`),
    );
    if (ACTIVE.has(job.state)) {
      head.append(el('button', { type: 'button', class: 'small', 'data-testid': 'job-cancel', onclick: () => void this.cancel(job.jobId) }, 'Cancel'));
    }
    row.append(head);
    if (job.state === 'running' || job.state === 'queued') {
      const bar = el('progress', { max: 1, value: progressFraction(job.progress) });
      row.append(bar, el('div', { class: 'job-progress muted', 'data-testid': 'job-progress' }, formatProgress(job.progress)));
    } else if (job.state === 'done' && job.result) {
      const r = job.result;
      row.append(
        el(
          'div',
          { class: 'muted' },
          `${r.width}×${r.height} px · ${r.tiles} tiles · ${formatDuration(r.elapsedMs / 1000)} · ${r.megapixelsPerSecond.toFixed(2)} MP/s on ${r.device}${r.modelName ? ` · ${r.modelName}` : ''}`,
        ),
      );
      if (r.adaptation) row.append(el('div', { class: 'muted', 'data-testid': 'job-adaptation' }, r.adaptation.message));
      if (device?.changed) {
        row.append(
          el('ul', { class: 'device-events', 'data-testid': 'job-device-events', title: device.tooltip }, ...device.events.map((e) => el('li', {}, e))),
        );
      }
    } else if (job.state === 'cancelled') {
      row.append(
        el(
          'div',
          { class: 'muted' },
          job.error?.message && job.error.message !== 'cancelled' ? `cancelled: ${job.error.message}` : 'cancelled; no output kept',
        ),
      );
    } else if (job.error) {
      row.append(el('div', { class: 'error-text' }, el('code', {}, job.error.code), ' ', job.error.message));
    }
    if (other) row.append(el('div', { class: 'muted' }, 'another scene'));
  }

  private async cancel(jobId: string): Promise<void> {
    const job = this.options.status.unwrap(await this.options.api.jobCancel({ jobId }), `cancelling job ${jobId}`);
    if (job) {
      this.jobs.set(job.jobId, mergeJob(this.jobs.get(job.jobId), job));
      this.renderJobs();
    }
  }
}
