/**
 * @module renderer/panels/band-layout-panel
 * "Sensor & bands": the open scene's sensor (for MTF gains) and MS band names in file order, as read from the files
 * or guessed (marked), with presets (WorldView-2/3 8-band, 4-band BGRN/RGBN, Landsat-8/9). Apply sends them to the
 * engine (sceneSetLayout, the same as the CLI's --sensor/--bands); true colour, runs, metrics and exports follow.
 */
import type { PanForgeApi, SceneView } from '../../../preload/contract.ts';
import { clear, el, field } from '../dom.ts';
import type { StatusBar } from '../status-bar.ts';

export interface BandLayoutPanelOptions {
  readonly api: PanForgeApi;
  readonly status: StatusBar;
  readonly root: HTMLElement;
  /** The engine accepted the layout: the scene view to show from now on. */
  readonly applied: (view: SceneView) => void;
}

const BAND_SOURCE: Record<SceneView['layout']['bandSource'], string> = {
  descriptions: 'from the band descriptions',
  'color-interp': 'guessed from the colour interpretation',
  'band-count': 'guessed from the band count',
  user: 'set by you',
  none: 'the file names none',
};

export class BandLayoutPanel {
  private scene: SceneView | null = null;
  private readonly preset = el('select', { 'data-testid': 'layout-preset' });
  private readonly sensor = el('select', { 'data-testid': 'layout-sensor' });
  private readonly bands = el('div', { class: 'band-names', 'data-testid': 'layout-bands' });
  private readonly summary = el('p', { class: 'muted small', 'data-testid': 'layout-summary' });
  private readonly apply = el('button', { type: 'button', class: 'primary', 'data-testid': 'layout-apply' }, 'Apply');

  constructor(private readonly options: BandLayoutPanelOptions) {
    options.root.append(el('p', { class: 'muted' }, 'Open a scene to see its sensor and bands.'));
    this.preset.addEventListener('change', () => this.usePreset());
    this.apply.addEventListener('click', () => void this.send());
  }

  setScene(scene: SceneView): void {
    this.scene = scene;
    const { layout } = scene;
    const root = this.options.root;
    clear(root);
    const count = layout.bandNames.length;
    clear(this.preset);
    this.preset.append(el('option', { value: '' }, '— preset —'));
    for (const p of layout.presets.filter((p) => p.bands.length === count)) this.preset.append(el('option', { value: p.id }, p.label));
    clear(this.sensor);
    this.sensor.append(el('option', { value: '' }, 'unknown (generic MTF)'));
    for (const s of layout.sensors) this.sensor.append(el('option', { value: s }, s));
    if (layout.sensor && !layout.sensors.includes(layout.sensor))
      this.sensor.append(el('option', { value: layout.sensor }, `${layout.sensor} (no MTF table: generic)`));
    this.sensor.value = layout.sensor ?? '';
    clear(this.bands);
    layout.bandNames.forEach((name, i) => {
      const input = el('input', {
        type: 'text',
        value: name,
        spellcheck: 'false',
        'data-testid': `layout-band-${i}`,
        class: layout.bandsGuessed ? 'guess' : '',
      });
      input.addEventListener('input', () => input.classList.remove('guess'));
      this.bands.append(el('label', { class: 'band-name' }, el('span', { class: 'muted' }, `${i + 1}`), input));
    });
    const sensorText = layout.sensor
      ? `${layout.sensor} (${layout.sensorSource === 'user' ? 'set by you' : 'from the metadata'})`
      : 'unknown: the file names none';
    this.summary.replaceChildren(
      `Sensor ${sensorText}. Bands ${BAND_SOURCE[layout.bandSource]}`,
      layout.bandsGuessed ? el('span', { class: 'guess-badge', 'data-testid': 'layout-guess' }, 'guess') : '',
      layout.bandsGuessed ? ': check them, or pick a preset.' : '.',
    );
    root.append(
      this.summary,
      field('Preset', this.preset, 'Sets the band names (and the sensor, for a WorldView preset)'),
      field('Sensor', this.sensor, 'For the MTF gains of MTF-GLP, metrics and quality maps'),
      this.bands,
      el('div', { class: 'button-row' }, this.apply),
    );
  }

  private usePreset(): void {
    const preset = this.scene?.layout.presets.find((p) => p.id === this.preset.value);
    if (!preset) return;
    this.bands.querySelectorAll<HTMLInputElement>('input').forEach((input, i) => {
      input.value = preset.bands[i] ?? input.value;
      input.classList.remove('guess');
    });
    if (preset.sensor) this.sensor.value = preset.sensor;
  }

  private async send(): Promise<void> {
    if (!this.scene) return;
    const bandNames = [...this.bands.querySelectorAll<HTMLInputElement>('input')].map((i) => i.value.trim());
    this.apply.disabled = true;
    try {
      const view = this.options.status.unwrap(
        await this.options.api.sceneSetLayout({ sceneId: this.scene.sceneId, sensor: this.sensor.value || null, bandNames }),
        'setting the sensor and bands',
      );
      if (!view) return;
      this.options.status.info(`sensor ${view.sensor ?? 'unknown'}; bands ${view.layout.bandNames.join(', ')}`);
      this.options.applied(view);
    } finally {
      this.apply.disabled = false;
    }
  }
}
