/**
 * @module renderer/panels/inspector-panel
 * Pixel inspector: a click on the map reads every displayed layer at that point (pixelRead, in the engine, on
 * the real values) and plots the spectral profile per layer (x = band, labelled from the MS band descriptions),
 * with the values in a table below.
 */
import type { PanForgeApi, PixelReading, SceneView } from '../../../preload/contract.ts';
import type { LayerStore } from '../map/layer-store.ts';
import { formatPoint } from '../map/scene-units.ts';
import { bandLabel } from '../style/band-style.ts';
import { clear, el, swatch } from '../dom.ts';
import type { StatusBar } from '../status-bar.ts';
import { Chart, colourFor } from './charts.ts';

export class InspectorPanel {
  private readonly where = el('div', { class: 'muted', 'data-testid': 'inspector-where' }, 'Click the map to read pixel values.');
  private readonly canvas = el('canvas', { 'data-testid': 'profile-chart' });
  private readonly table = el('div', { class: 'values', 'data-testid': 'inspector-values' });
  private chart: Chart<'line'> | null = null;
  private request = 0;
  private scene: SceneView | null = null;

  constructor(
    private readonly api: PanForgeApi,
    private readonly store: LayerStore,
    private readonly status: StatusBar,
    root: HTMLElement,
  ) {
    root.append(this.where, el('div', { class: 'chart-box' }, this.canvas), this.table);
  }

  /** A newly opened scene: nothing of the previous one stays (values, layer names, a read still on its way). */
  setScene(scene: SceneView): void {
    this.scene = scene;
    this.request++;
    this.chart?.destroy();
    this.chart = null;
    clear(this.table);
    this.where.textContent = 'Click the map to read pixel values.';
  }

  async read(x: number, y: number, layerIds: readonly string[]): Promise<void> {
    if (layerIds.length === 0) {
      this.status.error({ code: 'no-layer', message: 'no layer is shown; tick a layer to inspect it', details: {} }, 'reading pixel values');
      return;
    }
    const n = ++this.request;
    this.where.textContent = `reading at ${formatPoint(this.scene, x, y)}…`;
    const reading = this.status.unwrap(await this.api.pixelRead({ x, y, layerIds: [...layerIds] }), 'reading pixel values');
    if (n !== this.request) return; // a newer click won
    if (!reading) {
      this.where.textContent = 'the read failed (see the status bar)';
      return;
    }
    this.show(reading);
  }

  private show(reading: PixelReading): void {
    this.where.textContent = formatPoint(this.scene, reading.x, reading.y);
    const layers = reading.layers.map((l) => ({ ...l, entry: this.store.get(l.layerId) }));
    const maxBands = Math.max(1, ...layers.map((l) => l.values?.length ?? 0));
    // Band labels from the layer with the most bands that has descriptions (MS / outputs share the order).
    const labelSource = layers.filter((l) => l.entry && l.entry.layer.bandCount === maxBands)[0]?.entry?.layer;
    const labels = Array.from({ length: maxBands }, (_, b) => (labelSource ? bandLabel(labelSource, b) : `Band ${b + 1}`));
    const datasets = layers
      .filter((l) => l.values !== null)
      .map((l) => {
        const name = l.entry?.layer.name ?? l.layerId;
        const colour = colourFor(l.layerId);
        // A one-band layer (PAN) spans every band position as a flat reference line.
        const values = l.values!.length === 1 && maxBands > 1 ? Array.from({ length: maxBands }, () => l.values![0]!) : l.values!;
        return {
          label: name,
          data: values,
          borderColor: colour,
          backgroundColor: colour,
          borderDash: l.values!.length === 1 && maxBands > 1 ? [4, 3] : [],
          pointRadius: 3,
          tension: 0,
        };
      });
    // Integer rasters hold digital numbers; float ones (reflectance, radiance) are values in their own unit.
    const floats = layers.some((l) => l.entry && l.entry.layer.kind !== 'quality' && /^Float/.test(l.entry.layer.dataType));
    const axisTitle = floats ? 'value (float)' : 'value (DN)';
    if (this.chart) {
      const y = this.chart.options.scales?.y as { title?: { text?: string } } | undefined;
      if (y?.title) y.title.text = axisTitle;
      this.chart.data.labels = labels;
      this.chart.data.datasets = datasets;
      this.chart.update();
    } else {
      this.chart = new Chart(this.canvas, {
        type: 'line',
        data: { labels, datasets },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          scales: { y: { title: { display: true, text: axisTitle } } },
          plugins: { legend: { position: 'bottom', labels: { boxWidth: 10 } } },
        },
      });
    }
    clear(this.table);
    const t = el('table', { class: 'grid' });
    t.append(el('tr', {}, el('th', {}, 'layer'), ...labels.map((b) => el('th', {}, b))));
    for (const l of layers) {
      const name = l.entry?.layer.name ?? l.layerId;
      const cells =
        l.values === null
          ? [el('td', { colspan: maxBands, class: 'muted' }, 'outside the raster')]
          : l.values.map((v) => el('td', {}, v === null ? 'nodata' : Number.isInteger(v) ? String(v) : Math.abs(v) < 10 ? v.toFixed(4) : v.toFixed(2)));
      t.append(el('tr', { 'data-testid': 'inspector-row' }, el('td', { title: l.layerId }, swatch(colourFor(l.layerId)), name), ...cells));
    }
    this.table.append(t);
  }
}
