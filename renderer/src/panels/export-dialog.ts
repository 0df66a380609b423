/**
 * @module renderer/panels/export-dialog
 * Export a layer: GeoTIFF or COG, data type, compression, band subset, current extent or full raster. The path
 * comes from exportChoosePath (a native save dialog in Electron, a file in the host's export folder in browser
 * mode); the engine writes it (no partial file is left on failure) and the result is shown.
 */
import type { ExportRequest, ExportResult, PanForgeApi } from '../../../preload/contract.ts';
import type { LayerStore } from '../map/layer-store.ts';
import { bandLabel } from '../style/band-style.ts';
import { clear, el, field, select } from '../dom.ts';
import type { StatusBar } from '../status-bar.ts';
export { sceneNameOf } from './scene-name.ts';

export interface ExportDialogOptions {
  readonly api: PanForgeApi;
  readonly store: LayerStore;
  readonly status: StatusBar;
  /** The current view clipped to the scene, or null. */
  readonly viewExtent: () => [number, number, number, number] | null;
  /** The open scene's name for file names ("wv3_shanghai" from wv3_shanghai_pan.tif), or null. */
  readonly sceneName: () => string | null;
  /** Browser mode writes into the host's export folder (no dialog): the button and a name field say so. */
  readonly mode: 'electron' | 'browser';
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'panforge-export';
}

export class ExportDialog {
  private readonly dialog = el('dialog', { class: 'export-dialog', 'data-testid': 'export-dialog' });
  private readonly layer = el('select', { 'data-testid': 'export-layer' });
  private readonly format = select(
    [
      ['COG', 'Cloud-optimised GeoTIFF (COG)'],
      ['GTiff', 'GeoTIFF'],
    ] as const,
    'COG',
    { 'data-testid': 'export-format' },
  );
  private readonly dataType = select(
    [
      ['source', 'same as source'],
      ['UInt16', 'UInt16'],
      ['Int16', 'Int16'],
      ['Float32', 'Float32'],
      ['Byte', 'Byte (display stretch → 0–255)'],
    ] as const,
    'source',
    { 'data-testid': 'export-datatype' },
  );
  private readonly compression = select(
    [
      ['DEFLATE', 'DEFLATE'],
      ['LZW', 'LZW'],
      ['ZSTD', 'ZSTD'],
      ['NONE', 'none'],
    ] as const,
    'DEFLATE',
    { 'data-testid': 'export-compression' },
  );
  private readonly bands = el('div', { class: 'band-checks', 'data-testid': 'export-bands' });
  private readonly extentView = el('input', { type: 'radio', name: 'export-extent', value: 'view', 'data-testid': 'export-extent-view' });
  private readonly extentFull = el('input', { type: 'radio', name: 'export-extent', value: 'full', checked: true, 'data-testid': 'export-extent-full' });
  private readonly result = el('div', { class: 'export-result', 'data-testid': 'export-result' });
  private readonly submit = el('button', { type: 'submit', class: 'primary', 'data-testid': 'export-submit' }, 'Choose file and export');
  private readonly fileName = el('input', { type: 'text', spellcheck: 'false', 'data-testid': 'export-name' });
  /** Ticked bands in the order they were ticked: that is the output's band order. */
  private bandOrder: number[] = [];
  private readonly orderText = el('div', { class: 'muted small', 'data-testid': 'export-band-order' });

  constructor(private readonly options: ExportDialogOptions) {
    const form = el(
      'form',
      { method: 'dialog' },
      el('h2', {}, 'Export layer'),
      field('Layer', this.layer),
      field('Format', this.format, 'A COG has internal tiles and overviews: best for GIS and web maps'),
      field('Data type', this.dataType, "Byte maps each band's display stretch (2–98 %) to 0–255, as the map shows it"),
      field('Compression', this.compression),
      el('fieldset', {}, el('legend', {}, 'Bands, in the order ticked (none = all)'), this.bands, this.orderText),
      el(
        'fieldset',
        {},
        el('legend', {}, 'Extent'),
        el('label', { class: 'inline' }, this.extentFull, ' full raster'),
        el('label', { class: 'inline' }, this.extentView, ' current view'),
      ),
      this.result,
      el(
        'div',
        { class: 'button-row' },
        this.submit,
        el('button', { type: 'button', onclick: () => this.dialog.close(), 'data-testid': 'export-close' }, 'Close'),
      ),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.run();
    });
    if (options.mode === 'browser') {
      this.submit.textContent = 'Export';
      this.submit.title = 'Writes the file into the export folder the host was started with (--export-dir)';
      form.insertBefore(field('File name', this.fileName, "Name of the file in the host's export folder (a number is added if it exists)"), this.result);
    }
    this.layer.addEventListener('change', () => {
      this.renderBands();
      this.fileName.value = this.suggestedName();
    });
    this.dialog.append(form);
    document.body.append(this.dialog);
  }

  open(layerId: string | null): void {
    clear(this.layer);
    const entries = this.options.store.list();
    if (entries.length === 0) {
      this.options.status.error({ code: 'no-layer', message: 'open a scene first', details: {} }, 'exporting');
      return;
    }
    for (const e of entries) this.layer.append(el('option', { value: e.layer.layerId, selected: e.layer.layerId === layerId }, e.layer.name));
    this.renderBands();
    this.fileName.value = this.suggestedName();
    clear(this.result);
    this.dialog.showModal();
  }

  /** "<scene>-<layer>.tif": outputs of several scenes stay apart in one folder. */
  private suggestedName(): string {
    const entry = this.options.store.get(this.layer.value);
    const scene = this.options.sceneName();
    return `${safeName([scene, entry?.layer.name.replace(/^(PAN|MS) · .*$/, '$1')].filter(Boolean).join('-'))}.tif`;
  }

  private renderBands(): void {
    clear(this.bands);
    this.bandOrder = [];
    this.showOrder();
    const entry = this.options.store.get(this.layer.value);
    if (!entry) return;
    for (let b = 0; b < entry.layer.bandCount; b++) {
      const box = el('input', { type: 'checkbox', value: b, 'data-testid': `export-band-${b}` });
      box.addEventListener('change', () => {
        this.bandOrder = box.checked ? [...this.bandOrder.filter((i) => i !== b), b] : this.bandOrder.filter((i) => i !== b);
        this.showOrder();
      });
      this.bands.append(el('label', { class: 'inline' }, box, ` ${bandLabel(entry.layer, b)}`));
    }
  }

  private showOrder(): void {
    const entry = this.options.store.get(this.layer.value);
    this.orderText.textContent =
      entry && this.bandOrder.length > 0 ? `written as ${this.bandOrder.map((b, i) => `${i + 1}: ${bandLabel(entry.layer, b)}`).join(', ')}` : '';
  }

  private async run(): Promise<void> {
    const entry = this.options.store.get(this.layer.value);
    if (!entry) return;
    let extent: ExportRequest['extent'] = null;
    if (this.extentView.checked) {
      extent = this.options.viewExtent();
      if (!extent) {
        this.showError('no-overlap', 'the current view does not overlap the scene; zoom to it or export the full raster');
        return;
      }
    }
    this.submit.disabled = true;
    clear(this.result);
    this.result.append(el('span', { class: 'muted' }, 'choosing the file…'));
    try {
      const typed = this.fileName.value.trim();
      const reply = await this.options.api.exportChoosePath({ suggestedName: this.options.mode === 'browser' && typed ? typed : this.suggestedName() });
      if (!reply.ok) return this.showError(reply.error.code, reply.error.message);
      if (reply.value === null) {
        clear(this.result);
        this.result.append(el('span', { class: 'muted' }, 'export cancelled (no file chosen)'));
        return;
      }
      clear(this.result);
      this.result.append(el('span', { class: 'muted' }, `writing ${reply.value}…`));
      const request: ExportRequest = {
        layerId: entry.layer.layerId,
        outPath: reply.value,
        format: this.format.value === 'GTiff' ? 'GTiff' : 'COG',
        dataType: this.dataType.value as ExportRequest['dataType'],
        compression: this.compression.value as ExportRequest['compression'],
        bandIndexes: [...this.bandOrder],
        extent,
      };
      const done = await this.options.api.exportRun(request);
      if (!done.ok) return this.showError(done.error.code, done.error.message);
      this.showResult(done.value);
    } finally {
      this.submit.disabled = false;
    }
  }

  private showError(code: string, message: string): void {
    clear(this.result);
    this.result.append(el('div', { class: 'error-text', 'data-testid': 'export-error' }, el('code', {}, code), ' ', message));
    this.options.status.error({ code, message, details: {} }, 'exporting');
  }

  private showResult(r: ExportResult): void {
    clear(this.result);
    this.result.append(
      el(
        'div',
        { class: 'ok-text', 'data-testid': 'export-done', 'data-path': r.path },
        el('strong', {}, 'Exported '),
        el('code', {}, r.path),
        el('br'),
        `${r.format} · ${r.width}×${r.height} px · ${r.bandCount} band(s) · ${r.dataType} · ${(r.sizeBytes / 1e6).toFixed(2)} MB · ${(r.elapsedMs / 1000).toFixed(1)} s`,
      ),
    );
    this.options.status.info(`exported ${r.path} (${r.width}×${r.height}, ${r.bandCount} bands, ${r.dataType})`);
  }
}
