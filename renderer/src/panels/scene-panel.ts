/**
 * @module renderer/panels/scene-panel
 * Opening a scene: native dialogs in Electron (PAN + MS files, or a product folder the main process pairs), an
 * "open by path" form everywhere (in browser mode the host checks the paths against its --allow list), and the
 * recent scenes.
 */
import type { AppInfo, PanForgeApi, RecentState, SceneFiles } from '../../../preload/contract.ts';
import { clear, el, field } from '../dom.ts';
import type { StatusBar } from '../status-bar.ts';
import { sceneNameOf } from './scene-name.ts';

export interface ScenePanelOptions {
  readonly api: PanForgeApi;
  readonly info: AppInfo;
  readonly status: StatusBar;
  readonly root: HTMLElement;
  readonly open: (files: SceneFiles) => Promise<void>;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

export class ScenePanel {
  private readonly recent = el('ul', { class: 'recent-list', 'data-testid': 'recent-scenes' });
  private readonly runs = el('ul', { class: 'recent-list', 'data-testid': 'recent-runs' });
  private readonly panInput = el('input', { type: 'text', name: 'pan', placeholder: '/path/to/scene_pan.tif', spellcheck: 'false', 'data-testid': 'open-pan' });
  private readonly msInput = el('input', { type: 'text', name: 'ms', placeholder: '/path/to/scene_ms.tif', spellcheck: 'false', 'data-testid': 'open-ms' });

  constructor(private readonly options: ScenePanelOptions) {
    const { root, info } = options;
    if (info.mode === 'electron') {
      root.append(
        el(
          'div',
          { class: 'button-row' },
          el('button', { type: 'button', onclick: () => void this.choose('files'), title: 'Pick the PAN and the MS GeoTIFF' }, 'Open PAN + MS…'),
          el(
            'button',
            {
              type: 'button',
              onclick: () => void this.choose('folder'),
              title: 'Pick a product folder; PAN and MS are paired when the file names make it unambiguous',
            },
            'Open folder…',
          ),
        ),
      );
    }
    const form = el(
      'form',
      { class: 'open-form', 'data-testid': 'open-form' },
      field('PAN', this.panInput, 'Full path of the panchromatic GeoTIFF'),
      field('MS', this.msInput, 'Full path of the multispectral GeoTIFF (same scene, coarser pixels)'),
      el('button', { type: 'submit', class: 'primary', 'data-testid': 'open-submit' }, 'Open scene'),
      info.mode === 'browser' ? el('p', { class: 'help' }, 'Browser mode: the host opens only files under the folders it was started with (--allow).') : null,
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const panPath = this.panInput.value.trim();
      const msPath = this.msInput.value.trim();
      if (!panPath || !msPath) {
        options.status.error({ code: 'input', message: 'give both the PAN and the MS path', details: {} }, 'opening a scene');
        return;
      }
      void options.open({ panPath, msPath });
    });
    root.append(form, el('h3', {}, 'Recent scenes'), this.recent, el('h3', {}, 'Recent runs'), this.runs);
  }

  setFiles(files: SceneFiles): void {
    this.panInput.value = files.panPath;
    this.msInput.value = files.msPath;
  }

  async refreshRecent(): Promise<void> {
    const state = this.options.status.unwrap(await this.options.api.recentList({}), 'reading recent scenes');
    clear(this.recent);
    if (!state) return;
    this.renderRuns(state.runs);
    if (state.scenes.length === 0) this.recent.append(el('li', { class: 'muted' }, 'none yet'));
    for (const s of state.scenes.slice(0, 8)) {
      this.recent.append(
        el(
          'li',
          {},
          el(
            'button',
            {
              type: 'button',
              class: 'link',
              title: `${s.panPath}\n${s.msPath}\nopened ${s.openedAt}`,
              onclick: () => void this.options.open({ panPath: s.panPath, msPath: s.msPath }),
            },
            baseName(s.panPath),
          ),
          el('span', { class: 'muted' }, ` + ${baseName(s.msPath)}`),
        ),
      );
    }
  }

  private renderRuns(runs: RecentState['runs']): void {
    clear(this.runs);
    if (runs.length === 0) this.runs.append(el('li', { class: 'muted' }, 'none yet'));
    for (const r of runs.slice(0, 6)) {
      const took = r.elapsedMs === null ? '' : ` · ${(r.elapsedMs / 1000).toFixed(1)} s`;
      this.runs.append(
        el(
          'li',
          { title: `${r.outPath}\nscene ${r.panPath}\nfinished ${r.finishedAt}` },
          el('strong', {}, r.method),
          el('span', { 'data-testid': 'recent-run-scene' }, ` · ${sceneNameOf(r.panPath)}`),
          ` ${r.state}${took} · `,
          el('span', { class: 'muted' }, baseName(r.outPath)),
        ),
      );
    }
  }

  private async choose(mode: 'files' | 'folder'): Promise<void> {
    const files = this.options.status.unwrap(await this.options.api.sceneChoose({ mode }), 'choosing a scene');
    if (files) await this.options.open(files);
  }
}
