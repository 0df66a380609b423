/**
 * @module renderer/panels/compare-bar
 * The map toolbar: view mode (single map, swipe between two layers, 2×2 synced maps), the swipe's two layers and
 * the quadrant layers, the linked stretch of the compared layers (swipe and 2×2), zoom to scene and export.
 */
import type { LayerStore } from '../map/layer-store.ts';
import type { CompareMode, SceneMap } from '../map/scene-map.ts';
import { clear, el } from '../dom.ts';

export interface CompareBarOptions {
  readonly store: LayerStore;
  readonly map: SceneMap;
  readonly root: HTMLElement;
  readonly swipeSlider: HTMLInputElement;
  /** The divider drawn over the map at the swipe position. */
  readonly swipeLine: HTMLElement;
  /** One select per quadrant (in the quadrant's corner). */
  readonly quadSelects: readonly HTMLSelectElement[];
  readonly onExport: () => void;
}

export class CompareBar {
  private readonly modeButtons = new Map<CompareMode, HTMLButtonElement>();
  private readonly swipeLeft = el('select', { 'data-testid': 'swipe-left', title: 'Layer on the left of the divider' });
  private readonly swipeRight = el('select', { 'data-testid': 'swipe-right', title: 'Layer on the right of the divider' });
  private readonly swipeControls = el('span', { class: 'swipe-controls', hidden: true }, 'left ', this.swipeLeft, ' right ', this.swipeRight);
  private readonly stretchLink = el('select', {
    'data-testid': 'stretch-link',
    title:
      'Linked stretch: every compared layer is shown on the display range of this reference layer (equal values look equal). "Per layer" stretches each on its own.',
  });
  private readonly stretchControls = el('span', { class: 'swipe-controls', hidden: true }, 'stretch ', this.stretchLink);

  constructor(private readonly options: CompareBarOptions) {
    const modes: [CompareMode, string, string][] = [
      ['single', 'Map', 'One map with the layer stack'],
      ['swipe', 'Swipe', 'Compare two layers with a divider you drag'],
      ['quad', '2×2', 'Four synced maps, one layer each'],
    ];
    const group = el('span', { class: 'segmented' });
    for (const [mode, label, title] of modes) {
      const b = el('button', { type: 'button', title, 'data-testid': `mode-${mode}`, onclick: () => this.setMode(mode) }, label);
      this.modeButtons.set(mode, b);
      group.append(b);
    }
    const changed = (ev: Event) => {
      (ev.target as HTMLSelectElement).dataset.chosen = 'user';
      options.map.setSwipe(this.swipeLeft.value || null, this.swipeRight.value || null);
    };
    this.swipeLeft.addEventListener('change', changed);
    this.swipeRight.addEventListener('change', changed);
    options.swipeSlider.addEventListener('input', () => {
      options.map.setSwipeFraction(Number(options.swipeSlider.value) / 100);
      options.swipeLine.style.left = `${options.swipeSlider.value}%`; // CSSOM, which the CSP allows
    });
    options.quadSelects.forEach((s, cell) =>
      s.addEventListener('change', () => {
        s.dataset.chosen = 'user';
        options.map.setQuadLayer(cell, s.value || null);
      }),
    );
    this.stretchLink.addEventListener('change', () => {
      this.stretchLink.dataset.chosen = 'user';
      options.map.setStretchLink(this.stretchLink.value || null);
    });
    options.root.append(
      group,
      this.swipeControls,
      this.stretchControls,
      el('span', { class: 'spacer' }),
      el(
        'button',
        { type: 'button', title: 'Fit the whole scene in view', 'data-testid': 'zoom-scene', onclick: () => options.map.zoomToScene() },
        'Zoom to scene',
      ),
      el('button', { type: 'button', title: 'Export a layer as GeoTIFF/COG', 'data-testid': 'export-open', onclick: () => options.onExport() }, 'Export…'),
    );
    options.store.onChange((c) => {
      if (c.type === 'list') this.fillSelects();
    });
    this.setMode('single');
  }

  setMode(mode: CompareMode): void {
    for (const [m, b] of this.modeButtons) b.classList.toggle('active', m === mode);
    this.swipeControls.hidden = mode !== 'swipe';
    this.stretchControls.hidden = mode === 'single';
    this.options.swipeSlider.hidden = mode !== 'swipe';
    this.options.swipeLine.hidden = mode !== 'swipe';
    if (mode === 'swipe') this.options.map.setSwipe(this.swipeLeft.value || null, this.swipeRight.value || null);
    this.options.map.setMode(mode);
  }

  /**
   * The linked-stretch reference: the user's choice while its layer exists (or "per layer"), else the MS — the
   * image every fusion should match in colour — so linking is on by default in swipe and 2×2.
   */
  private fillStretchLink(): void {
    const images = this.options.store.list().filter((e) => e.layer.kind !== 'quality');
    const chosen = this.stretchLink.dataset.chosen === 'user' ? this.stretchLink.value : null;
    const keep =
      chosen !== null && (chosen === '' || images.some((e) => e.layer.layerId === chosen))
        ? chosen
        : ((images.find((e) => e.layer.kind === 'ms') ?? images[0])?.layer.layerId ?? '');
    clear(this.stretchLink);
    for (const e of images) this.stretchLink.append(el('option', { value: e.layer.layerId }, `linked to ${e.layer.name}`));
    this.stretchLink.append(el('option', { value: '' }, 'per layer'));
    this.stretchLink.value = keep;
    this.options.map.setStretchLink(keep || null);
  }

  /**
   * Keeps the selects in step with the layer list. A choice the user made stays while its layer exists; the
   * others follow the list: the swipe compares the top two layers, the quadrants show the top four.
   */
  private fillSelects(): void {
    const entries = this.options.store.list();
    const ids = entries.map((e) => e.layer.layerId);
    const fill = (s: HTMLSelectElement, fallback: string | undefined) => {
      const keep = s.dataset.chosen === 'user' && ids.includes(s.value) ? s.value : (fallback ?? '');
      clear(s);
      s.append(el('option', { value: '' }, '—'));
      for (const e of entries) s.append(el('option', { value: e.layer.layerId, selected: e.layer.layerId === keep }, e.layer.name));
      s.value = keep;
    };
    this.fillStretchLink();
    fill(this.swipeLeft, ids[0]);
    fill(this.swipeRight, ids[1] ?? ids[0]);
    this.options.map.setSwipe(this.swipeLeft.value || null, this.swipeRight.value || null);
    this.options.quadSelects.forEach((s, cell) => {
      fill(s, ids[cell] ?? ids[ids.length - 1]);
      this.options.map.setQuadLayer(cell, s.value || null);
    });
  }
}
