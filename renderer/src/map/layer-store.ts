/**
 * @module renderer/map/layer-store
 * The layer list of the open scene and how each layer is shown (visibility, opacity, band combination, gamma),
 * top of the list = top of the map. Plain state with change listeners: the map and the layer panel both follow it.
 */
import type { RasterLayer } from '../../../preload/contract.ts';
import { defaultCombo, type BandCombo, type StretchKind } from '../style/band-style.ts';

export interface LayerEntry {
  readonly layer: RasterLayer;
  visible: boolean;
  /** 0…1 */
  opacity: number;
  combo: BandCombo;
  gamma: number;
  stretch: StretchKind;
}

export type LayerChange = { type: 'list' } | { type: 'style'; layerId: string };

export class LayerStore {
  /** Top first. */
  private entries: LayerEntry[] = [];
  private readonly listeners = new Set<(change: LayerChange) => void>();

  list(): readonly LayerEntry[] {
    return this.entries;
  }

  get(layerId: string): LayerEntry | undefined {
    return this.entries.find((e) => e.layer.layerId === layerId);
  }

  /** Adds on top (outputs) or at the bottom (the scene's PAN/MS); a known layerId is left as it is. */
  add(layer: RasterLayer, where: 'top' | 'bottom', visible = true, opacity = 1): void {
    if (this.get(layer.layerId)) return;
    const entry: LayerEntry = { layer, visible, opacity, combo: defaultCombo(layer), gamma: 1, stretch: 'percent' };
    if (where === 'top') this.entries.unshift(entry);
    else this.entries.push(entry);
    this.emit({ type: 'list' });
  }

  reset(): void {
    this.entries = [];
    this.emit({ type: 'list' });
  }

  update(layerId: string, patch: Partial<Omit<LayerEntry, 'layer'>>): void {
    const entry = this.get(layerId);
    if (!entry) return;
    Object.assign(entry, patch);
    this.emit({ type: 'style', layerId });
  }

  /** Moves a layer up (towards the top, -1) or down (+1). */
  move(layerId: string, delta: -1 | 1): void {
    const i = this.entries.findIndex((e) => e.layer.layerId === layerId);
    const j = i + delta;
    if (i < 0 || j < 0 || j >= this.entries.length) return;
    const next = [...this.entries];
    [next[i], next[j]] = [next[j]!, next[i]!];
    this.entries = next;
    this.emit({ type: 'list' });
  }

  onChange(listener: (change: LayerChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: LayerChange): void {
    for (const l of this.listeners) l(change);
  }
}
