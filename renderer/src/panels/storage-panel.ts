/**
 * @module renderer/panels/storage-panel
 * Storage: what the app keeps in its user-data folder (run outputs and display copies of scenes), with "Remove"
 * per recent run and "Clear cache". The app deletes only inside its own runs/ and cache/ folders and refuses a run
 * a job still writes; this panel just asks. Re-read when the section opens and when runs finish.
 */
import type { PanForgeApi, StorageUsage } from '../../../preload/contract.ts';
import { clear, el } from '../dom.ts';
import type { StatusBar } from '../status-bar.ts';
import { sceneNameOf } from './scene-name.ts';
import { formatBytes } from './byte-format.ts';

export interface StoragePanelOptions {
  readonly api: PanForgeApi;
  readonly status: StatusBar;
  readonly root: HTMLElement;
  /** A run was removed: its recent entry is gone too. */
  readonly onRunRemoved: () => void;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** The user's local date and time; the stored ISO text when it does not parse. */
function finishedLocal(iso: string): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : t.toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
}

export class StoragePanel {
  private readonly summary = el('div', { class: 'storage-summary' });
  private readonly runList = el('ul', { class: 'storage-runs', 'data-testid': 'storage-runs' });

  constructor(private readonly options: StoragePanelOptions) {
    const clearCache = el(
      'button',
      {
        type: 'button',
        class: 'small',
        'data-testid': 'storage-clear-cache',
        title: 'Delete the display copies of scenes not open now (they are made again when a scene is opened)',
      },
      'Clear cache',
    );
    clearCache.addEventListener('click', () => void this.clearCache());
    options.root.append(this.summary, el('div', { class: 'button-row' }, clearCache), el('h3', {}, 'Runs on disk'), this.runList);
    this.summary.append(el('span', { class: 'muted' }, 'not read yet'));
  }

  async refresh(): Promise<void> {
    const usage = this.options.status.unwrap(await this.options.api.storageUsage({}), 'reading storage use');
    if (usage) this.render(usage);
  }

  private async clearCache(): Promise<void> {
    const usage = this.options.status.unwrap(await this.options.api.storageClearCache({}), 'clearing the cache');
    if (!usage) return;
    this.options.status.info(`cache cleared: ${formatBytes(usage.cacheBytes)} left in ${usage.cacheFiles} display copies in use`);
    this.render(usage);
  }

  private async remove(run: StorageUsage['runs'][number]): Promise<void> {
    const ok = window.confirm(
      `Remove the ${run.method} run ${baseName(run.outPath)} (${formatBytes(run.sizeBytes)})?\nIts files are deleted; export it first to keep a copy.`,
    );
    if (!ok) return;
    const usage = this.options.status.unwrap(await this.options.api.storageRemoveRun({ outPath: run.outPath }), `removing run ${baseName(run.outPath)}`);
    if (!usage) return;
    this.options.status.info(`removed ${run.method} run ${baseName(run.outPath)} (${formatBytes(run.sizeBytes)})`);
    this.render(usage);
    this.options.onRunRemoved();
  }

  private render(usage: StorageUsage): void {
    clear(this.summary);
    this.summary.append(
      el('div', {}, 'Runs: ', el('strong', { 'data-testid': 'storage-runs-size' }, formatBytes(usage.runsBytes))),
      el(
        'div',
        {
          title: `Display copies not used for ${usage.cacheMaxAgeDays} days are deleted at start-up; beyond ${formatBytes(usage.cacheMaxBytes)} the least recently used go first.`,
        },
        'Cache: ',
        el('strong', { 'data-testid': 'storage-cache-size' }, formatBytes(usage.cacheBytes)),
        el('span', { class: 'muted' }, ` · ${usage.cacheFiles} files · limit ${formatBytes(usage.cacheMaxBytes)}`),
      ),
    );
    clear(this.runList);
    if (usage.runs.length === 0) this.runList.append(el('li', { class: 'muted' }, 'no recent run has files'));
    for (const run of usage.runs) {
      const remove = el(
        'button',
        {
          type: 'button',
          class: 'small',
          disabled: run.inUse,
          title: run.inUse ? 'a job is writing it' : `Delete ${run.outPath}`,
          'data-testid': 'storage-remove-run',
        },
        'Remove',
      );
      remove.addEventListener('click', () => void this.remove(run));
      this.runList.append(
        el(
          'li',
          { class: 'storage-run', 'data-testid': 'storage-run', title: `${run.outPath}\n${run.state}, finished ${run.finishedAt}` },
          el('strong', {}, run.method),
          run.panPath ? el('span', { 'data-testid': 'storage-run-scene' }, ` · ${sceneNameOf(run.panPath)}`) : '',
          el('span', { class: 'muted' }, ` ${finishedLocal(run.finishedAt)} · ${formatBytes(run.sizeBytes)} `),
          remove,
        ),
      );
    }
  }
}
