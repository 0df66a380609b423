/**
 * @module renderer/panels/layer-panel
 * The layer list: visibility, opacity, order, band combination (true colour, false colour NIR, custom R/G/B
 * from the band descriptions) and gamma. The 2–98 % stretch is applied from the engine's statistics; the panel
 * shows the range used.
 */
import type { LayerEntry, LayerStore } from '../map/layer-store.ts';
import { bandLabel, comboFor, isRampLayer, rampLegend, stretchRange, type ComboKind } from '../style/band-style.ts';
import { clear, el, select } from '../dom.ts';

const KIND_LABEL: Record<string, string> = { pan: 'PAN', ms: 'MS', output: 'run', quality: 'quality' };

/** A stretch bound as read: whole DN stay whole, reflectance (0…1) keeps three significant digits. */
function displayValue(v: number): string {
  return Math.abs(v) >= 100 ? String(Math.round(v)) : String(+v.toPrecision(3));
}

export class LayerPanel {
  private selected: string | null = null;
  private readonly known = new Set<string>();

  constructor(
    private readonly store: LayerStore,
    private readonly root: HTMLElement,
    private readonly onSelect: (layerId: string | null) => void,
    private readonly onZoomTo: (extent: readonly [number, number, number, number]) => void,
  ) {
    store.onChange((c) => {
      if (c.type === 'list') this.render();
    });
    this.render();
  }

  selectedLayerId(): string | null {
    return this.selected;
  }

  private render(): void {
    clear(this.root);
    const entries = this.store.list();
    if (entries.length === 0) {
      this.root.append(el('p', { class: 'muted' }, 'Open a scene to see its layers.'));
      return;
    }
    // A new run's output becomes the selected layer (that is what the user wants to look at next).
    const fresh = entries.find((e) => e.layer.kind === 'output' && !this.known.has(e.layer.layerId));
    for (const e of entries) this.known.add(e.layer.layerId);
    if (fresh) this.selected = fresh.layer.layerId;
    if (!this.selected || !this.store.get(this.selected)) this.selected = entries[0]!.layer.layerId;
    entries.forEach((entry, i) => this.root.append(this.row(entry, i, entries.length)));
    this.onSelect(this.selected);
  }

  private row(entry: LayerEntry, index: number, count: number): HTMLElement {
    const { layer } = entry;
    const id = layer.layerId;
    const visible = el('input', { type: 'checkbox', checked: entry.visible, title: 'Show or hide', 'data-testid': 'layer-visible' });
    visible.addEventListener('change', () => this.store.update(id, { visible: visible.checked }));
    const opacity = el('input', { type: 'range', min: 0, max: 100, value: Math.round(entry.opacity * 100), title: 'Opacity', class: 'opacity' });
    opacity.addEventListener('input', () => this.store.update(id, { opacity: Number(opacity.value) / 100 }));

    const details = el('div', { class: 'layer-style' });
    this.renderStyle(details, entry);

    const row = el(
      'div',
      { class: `layer-row${this.selected === id ? ' selected' : ''}`, 'data-testid': 'layer-row', 'data-layer-id': id, 'data-kind': layer.kind },
      el(
        'div',
        { class: 'layer-head' },
        visible,
        el('span', { class: `badge badge-${layer.kind}` }, KIND_LABEL[layer.kind] ?? layer.kind),
        el(
          'span',
          { class: 'layer-name', title: `${layer.name}\n${layer.width}×${layer.height} px, ${layer.bandCount} band(s), ${layer.dataType}` },
          layer.name,
        ),
        el(
          'button',
          { type: 'button', class: 'icon', title: 'Zoom to this layer', 'data-testid': 'layer-zoom', onclick: () => this.onZoomTo(layer.extent) },
          '⤢',
        ),
        el('button', { type: 'button', class: 'icon', title: 'Move up', disabled: index === 0, onclick: () => this.store.move(id, -1) }, '▲'),
        el('button', { type: 'button', class: 'icon', title: 'Move down', disabled: index === count - 1, onclick: () => this.store.move(id, 1) }, '▼'),
      ),
      el('div', { class: 'layer-controls' }, opacity),
      details,
    );
    row.addEventListener('click', (ev) => {
      if ((ev.target as HTMLElement).closest('input,select,button')) return;
      this.selected = id;
      for (const r of this.root.querySelectorAll('.layer-row')) r.classList.toggle('selected', r === row);
      this.onSelect(id);
    });
    return row;
  }

  /** The layer's style controls (band combination, stretch, gamma, legend), drawn again after each change. */
  private renderStyle(details: HTMLElement, entry: LayerEntry): void {
    const { layer } = entry;
    const id = layer.layerId;
    clear(details);
    if (layer.bandCount > 1) {
      const kinds: [ComboKind, string][] = [
        ['true-colour', 'True colour'],
        ['false-colour-nir', 'False colour (NIR)'],
        ['custom', 'Custom R/G/B'],
      ];
      const available = kinds.filter(([k]) => k === 'custom' || comboFor(k, layer) !== null);
      const comboSelect = select(available, entry.combo.kind, { title: 'Band combination (from the band descriptions)', 'data-testid': 'layer-combo' });
      comboSelect.addEventListener('change', () => {
        const kind = comboSelect.value as ComboKind;
        const combo = kind === 'custom' ? { ...entry.combo, kind } : comboFor(kind, layer);
        if (combo) this.store.update(id, { combo });
        this.renderStyle(details, entry);
      });
      details.append(comboSelect);
      const bands = Array.from({ length: layer.bandCount }, (_, b) => [String(b), bandLabel(layer, b)] as const);
      const pickers = el('div', { class: 'rgb-pickers' });
      for (const channel of ['r', 'g', 'b'] as const) {
        const s = select(bands, String(entry.combo[channel]), { title: `Band shown as ${channel.toUpperCase()}`, 'data-testid': `layer-band-${channel}` });
        s.addEventListener('change', () => {
          this.store.update(id, { combo: { ...entry.combo, kind: 'custom', [channel]: Number(s.value) } });
          this.renderStyle(details, entry);
        });
        pickers.append(el('label', { class: `rgb rgb-${channel}` }, channel.toUpperCase(), s));
      }
      details.append(pickers);
    }
    const gamma = el('input', { type: 'range', min: 0.4, max: 2.5, step: 0.1, value: entry.gamma, title: 'Display gamma' });
    gamma.addEventListener('input', () => this.store.update(id, { gamma: Number(gamma.value) }));
    const stretch = select(
      [
        ['percent', '2–98 %'],
        ['minmax', 'min–max'],
      ] as const,
      entry.stretch,
      { title: 'Contrast stretch, from the engine statistics of each band', 'data-testid': 'layer-stretch' },
    );
    stretch.addEventListener('change', () => {
      this.store.update(id, { stretch: stretch.value === 'minmax' ? 'minmax' : 'percent' });
      this.renderStyle(details, entry);
    });
    const ranges = [entry.combo.r, entry.combo.g, entry.combo.b]
      .filter((b, i, a) => a.indexOf(b) === i)
      .map((b) => `${bandLabel(layer, b)} ${stretchRange(layer.stats[b], entry.stretch).map(displayValue).join('–')}`);
    if (isRampLayer(layer)) {
      const legend = rampLegend(layer, entry.stretch);
      const ramp = el('span', { class: 'ramp' });
      ramp.style.background = legend.gradient; // through CSSOM: the CSP forbids inline style attributes
      details.append(
        stretch,
        el('label', { class: 'gamma' }, 'γ', gamma),
        el('div', { class: 'ramp-legend', 'data-testid': 'layer-legend', title: bandLabel(layer, 0) }, ramp, el('span', { class: 'muted' }, legend.label)),
      );
      return;
    }
    details.append(stretch, el('label', { class: 'gamma' }, 'γ', gamma), el('div', { class: 'stretch muted' }, `stretch ${ranges.join(', ')}`));
  }
}
