/**
 * @module renderer/map/scene-map
 * The map of the open scene: one OpenLayers map in the scene's CRS (a UTM zone for a geographic scene,
 * display-projection.ts) showing the layer store, a swipe between any
 * two layers (WebGL scissor on the left layer), and a 2×2 view of four maps sharing one ol/View. Rasters are
 * COGs read over HTTP Range by `ol/source/GeoTIFF` (raw values, `normalize: false`) and drawn by WebGL tile
 * layers whose style (band combination, stretch) comes from renderer/style/band-style.
 */
import Feature from 'ol/Feature.js';
import OlMap from 'ol/Map.js';
import View from 'ol/View.js';
import MousePosition from 'ol/control/MousePosition.js';
import ScaleLine from 'ol/control/ScaleLine.js';
import Zoom from 'ol/control/Zoom.js';
import { createStringXY, type Coordinate } from 'ol/coordinate.js';
import { getCenter, getIntersection, isEmpty } from 'ol/extent.js';
import { transform, transformExtent } from 'ol/proj.js';
import Point from 'ol/geom/Point.js';
import VectorLayer from 'ol/layer/Vector.js';
import WebGLTileLayer, { type Style } from 'ol/layer/WebGLTile.js';
import type Projection from 'ol/proj/Projection.js';
import type RenderEvent from 'ol/render/Event.js';
import { getRenderPixel } from 'ol/render.js';
import GeoTIFF from 'ol/source/GeoTIFF.js';
import VectorSource from 'ol/source/Vector.js';
import type { AppInfo, Extent, RasterLayer, SceneView, WireError } from '../../../preload/contract.ts';
import { webglStyle, type LinkedStretch } from '../style/band-style.ts';
import type { LayerEntry, LayerStore } from './layer-store.ts';
import { displayProjectionFor } from './display-projection.ts';
import { registerSceneProjection } from './projection.ts';
import { coordinateDigits } from './scene-units.ts';

export type CompareMode = 'single' | 'swipe' | 'quad';

export interface SceneMapOptions {
  readonly store: LayerStore;
  readonly info: AppInfo;
  /** Where the single/swipe map goes. */
  readonly mainTarget: HTMLElement;
  /** The four cells of the 2×2 view (each gets its own map, all on one view). */
  readonly quadTargets: readonly HTMLElement[];
  readonly mouseTarget: HTMLElement;
  readonly onError: (error: WireError, doing: string) => void;
  /** A click on any map: the pixel inspector reads there. */
  readonly onClick: (coordinate: Coordinate) => void;
}

function rasterUrl(info: AppInfo, layer: RasterLayer): string {
  return `${info.outputsBaseUrl}${encodeURIComponent(layer.layerId)}.tif${info.outputsQuery}`;
}

export class SceneMap {
  readonly map: OlMap;
  private view = new View({ center: [0, 0], zoom: 2 });
  /** The scene's CRS: sources, clicks, previews and exports use it. */
  private projection: Projection | null = null;
  /** What the view is drawn in (the scene's CRS, or a UTM zone for a geographic scene). */
  private viewProjection: Projection | null = null;
  /** Why the view is not in the scene's CRS, or null. */
  displayNote: string | null = null;
  private scene: SceneView | null = null;
  private readonly sources = new Map<string, GeoTIFF>();
  private readonly mainLayers = new Map<string, WebGLTileLayer>();
  private readonly mousePosition: MousePosition;
  private readonly marker = new VectorSource();
  private readonly quadMaps: OlMap[] = [];
  private readonly quadLayerIds: (string | null)[] = [null, null, null, null];
  /** What each quadrant draws now (its own WebGL layer; the GeoTIFF source is shared with the main map). */
  private readonly quadLayers: ({ layerId: string; layer: WebGLTileLayer } | null)[] = [null, null, null, null];
  private mode: CompareMode = 'single';
  /** The layer whose display range every compared layer uses in swipe and 2×2 (null = each its own). */
  private stretchReference: string | null = null;
  private swipe: { left: string | null; right: string | null; fraction: number } = { left: null, right: null, fraction: 0.5 };

  constructor(private readonly options: SceneMapOptions) {
    this.mousePosition = new MousePosition({ coordinateFormat: createStringXY(2), target: options.mouseTarget, placeholder: '–' });
    this.map = new OlMap({
      target: options.mainTarget,
      view: this.view,
      controls: [new Zoom(), new ScaleLine({ units: 'metric', minWidth: 100 }), this.mousePosition],
      layers: [new VectorLayer({ source: this.marker, zIndex: 10_000 })],
    });
    this.watchRender(this.map, options.mainTarget);
    this.map.on('singleclick', (e) => options.onClick(this.toScene(e.coordinate)));
    options.store.onChange((change) => {
      if (change.type === 'list') this.syncList();
      // The reference's band choice or stretch changes every linked layer.
      else if (change.layerId === this.stretchReference && this.mode !== 'single') this.syncStyleAll();
      else this.syncStyle(change.layerId);
    });
  }

  /** Shows a newly opened scene: its CRS, a fresh view fitted to it, and no layers until the store fills. */
  setScene(scene: SceneView): void {
    this.scene = scene;
    this.projection = registerSceneProjection(scene);
    const display = displayProjectionFor(scene, this.projection);
    this.viewProjection = display.projection;
    this.displayNote = display.note;
    for (const layer of this.mainLayers.values()) this.dropLayer(this.map, layer);
    this.quadMaps.forEach((m, cell) => {
      const q = this.quadLayers[cell];
      if (q) this.dropLayer(m, q.layer);
      this.quadLayers[cell] = null;
    });
    this.mainLayers.clear();
    this.sources.clear();
    this.marker.clear();
    this.quadLayerIds.fill(null);
    // A metric view's resolution is the PAN ground size; otherwise the pixel size in the scene's units.
    const resolution = display.metric ? (scene.panGroundPixelM[0] ?? scene.panPixelSize) : scene.panPixelSize;
    this.view = new View({
      projection: this.viewProjection,
      center: transform(getCenter(scene.extent), this.projection, this.viewProjection),
      resolution,
      minResolution: resolution / 16,
      maxResolution: resolution * 256,
      constrainResolution: false,
    });
    this.map.setView(this.view);
    for (const m of this.quadMaps) m.setView(this.view);
    // Mouse coordinates in the scene's CRS, with enough decimals for degrees.
    this.mousePosition.setProjection(this.projection);
    this.mousePosition.setCoordinateFormat(createStringXY(coordinateDigits(scene)));
    this.syncList();
    this.zoomToScene();
  }

  /** Fits the scene in the map on screen (a quadrant in the 2×2 view: they share the view). */
  zoomToScene(): void {
    if (this.scene) this.zoomTo(this.scene.extent);
  }

  /** Fits `extent` (a layer's, e.g. a small preview output) in the map on screen. */
  zoomTo(extent: readonly [number, number, number, number]): void {
    const size = (this.mode === 'quad' ? this.quadMaps[0] : this.map)?.getSize();
    this.view.fit(this.toView(extent), { padding: [24, 24, 24, 24], ...(size ? { size } : {}) });
  }

  /** The visible part of the map in the scene CRS, or null before a scene is open. */
  viewExtent(): Extent | null {
    if (!this.scene) return null;
    const target = this.mode === 'quad' ? this.quadMaps[0] : this.map;
    const size = target?.getSize();
    if (!size) return null;
    const e = this.fromView(this.view.calculateExtent(size));
    return [e[0]!, e[1]!, e[2]!, e[3]!];
  }

  /** `extent` clipped to the scene, or null when they do not overlap. */
  clipToScene(extent: Extent): Extent | null {
    if (!this.scene) return null;
    const c = getIntersection(extent, this.scene.extent);
    return isEmpty(c) || c[0]! >= c[2]! || c[1]! >= c[3]! ? null : [c[0]!, c[1]!, c[2]!, c[3]!];
  }

  /** Marks a point given in the scene's CRS. */
  markPoint(coordinate: Coordinate): void {
    this.marker.clear();
    this.marker.addFeature(
      new Feature(new Point(this.projection && this.viewProjection ? transform(coordinate, this.projection, this.viewProjection) : coordinate)),
    );
  }

  /** A view coordinate in the scene's CRS. */
  private toScene(coordinate: Coordinate): Coordinate {
    return this.projection && this.viewProjection && this.projection !== this.viewProjection
      ? transform(coordinate, this.viewProjection, this.projection)
      : coordinate;
  }

  /** A scene-CRS extent in the view's projection (its bounding box). */
  private toView(extent: readonly number[]): number[] {
    return this.projection && this.viewProjection && this.projection !== this.viewProjection
      ? transformExtent([...extent], this.projection, this.viewProjection)
      : [...extent];
  }

  private fromView(extent: readonly number[]): number[] {
    return this.projection && this.viewProjection && this.projection !== this.viewProjection
      ? transformExtent([...extent], this.viewProjection, this.projection)
      : [...extent];
  }

  getMode(): CompareMode {
    return this.mode;
  }

  setMode(mode: CompareMode): void {
    this.mode = mode;
    const quad = mode === 'quad';
    this.options.mainTarget.hidden = quad;
    for (const t of this.options.quadTargets) t.hidden = !quad;
    if (quad) this.ensureQuadMaps();
    this.syncStyleAll();
    // The hidden/shown containers changed size.
    requestAnimationFrame(() => {
      this.map.updateSize();
      for (const m of this.quadMaps) m.updateSize();
    });
  }

  /** The two layers of the swipe: `left` is drawn over `right` on the left `fraction` of the map. */
  setSwipe(left: string | null, right: string | null): void {
    this.swipe = { ...this.swipe, left, right };
    this.syncStyleAll();
  }

  setSwipeFraction(fraction: number): void {
    this.swipe.fraction = Math.min(1, Math.max(0, fraction));
    this.map.render();
  }

  setQuadLayer(cell: number, layerId: string | null): void {
    this.quadLayerIds[cell] = layerId;
    if (this.mode === 'quad') this.syncQuadCell(cell);
  }

  quadLayer(cell: number): string | null {
    return this.quadLayerIds[cell] ?? null;
  }

  /** The layers the user sees now, top first: what the pixel inspector reads. */
  displayedLayerIds(): string[] {
    const ids = this.options.store.list().map((e) => e.layer.layerId);
    if (this.mode === 'quad') return [...new Set(this.quadLayerIds.filter((id): id is string => id !== null && ids.includes(id)))];
    return this.options.store
      .list()
      .filter((e) => this.isShown(e))
      .map((e) => e.layer.layerId);
  }

  private isShown(entry: LayerEntry): boolean {
    if (this.mode === 'swipe') return entry.layer.layerId === this.swipe.left || entry.layer.layerId === this.swipe.right;
    return entry.visible;
  }

  private sourceFor(layer: RasterLayer): GeoTIFF {
    let source = this.sources.get(layer.layerId);
    if (source) return source;
    source = new GeoTIFF({
      // Quality maps mark "not evaluated" with NaN, which the contract cannot carry: name it so it is transparent.
      sources: [
        { url: rasterUrl(this.options.info, layer), ...(layer.noData !== null ? { nodata: layer.noData } : layer.kind === 'quality' ? { nodata: NaN } : {}) },
      ],
      normalize: false,
      projection: this.projection ?? undefined,
      // Nearest neighbour: an analyst judges fused pixels, not a smoothed view (and linear filtering would blend
      // the edge of a partial last tile with its zero padding into a dark seam).
      interpolate: false,
      transition: 0,
    });
    let reported = false;
    const s = source;
    s.on('change', () => {
      if (s.getState() === 'error' && !reported) {
        reported = true;
        this.options.onError(
          { code: 'layer-load', message: `${layer.name}: ${s.getError()?.message ?? 'the raster could not be read'}`, details: {} },
          `showing layer ${layer.name}`,
        );
      }
    });
    s.on('tileloaderror', () => {
      if (reported) return;
      reported = true;
      this.options.onError(
        { code: 'tile-load', message: `a tile of ${layer.name} could not be loaded from ${rasterUrl(this.options.info, layer).split('?')[0]}`, details: {} },
        `showing layer ${layer.name}`,
      );
    });
    this.sources.set(layer.layerId, source);
    return source;
  }

  private styleOf(entry: LayerEntry): Style {
    // Our expression type is structurally the OpenLayers one (nested arrays of numbers and strings).
    return webglStyle(entry.layer, { combo: entry.combo, gamma: entry.gamma, stretch: entry.stretch, linkedTo: this.linkFor(entry) }) as unknown as Style;
  }

  /**
   * Linked stretch: in swipe and 2×2 every compared image layer is shown on the reference layer's display range
   * (its own stretch would make equal values look different: a fusion "looks" better or worse by contrast alone).
   * Quality maps keep their ramp; the reference itself is drawn as it is.
   */
  setStretchLink(referenceLayerId: string | null): void {
    this.stretchReference = referenceLayerId;
    this.syncStyleAll();
  }

  stretchLink(): string | null {
    return this.stretchReference;
  }

  private linkFor(entry: LayerEntry): LinkedStretch | null {
    if (this.mode === 'single' || !this.stretchReference || entry.layer.kind === 'quality') return null;
    const ref = this.options.store.get(this.stretchReference);
    if (!ref || ref.layer.kind === 'quality' || ref.layer.layerId === entry.layer.layerId) return null;
    return { layer: ref.layer, combo: ref.combo, stretch: ref.stretch };
  }

  private makeLayer(entry: LayerEntry): WebGLTileLayer {
    return new WebGLTileLayer({
      source: this.sourceFor(entry.layer),
      style: this.styleOf(entry),
      opacity: entry.opacity,
      properties: { layerId: entry.layer.layerId },
    });
  }

  private syncList(): void {
    const entries = this.options.store.list();
    const ids = new Set(entries.map((e) => e.layer.layerId));
    for (const [id, layer] of this.mainLayers) {
      if (!ids.has(id)) {
        this.dropLayer(this.map, layer);
        this.mainLayers.delete(id);
      }
    }
    for (const entry of entries) {
      if (this.mainLayers.has(entry.layer.layerId)) continue;
      const layer = this.makeLayer(entry);
      const id = entry.layer.layerId;
      layer.on('prerender', (e) => this.clipForSwipe(id, e));
      layer.on('postrender', (e) => {
        const gl = e.context as WebGLRenderingContext | undefined;
        gl?.disable(gl.SCISSOR_TEST);
      });
      this.mainLayers.set(id, layer);
      this.map.addLayer(layer);
    }
    this.syncStyleAll();
  }

  private clipForSwipe(layerId: string, event: RenderEvent): void {
    if (this.mode !== 'swipe' || layerId !== this.swipe.left || this.swipe.left === this.swipe.right) return;
    const gl = event.context as WebGLRenderingContext | undefined;
    const size = this.map.getSize();
    if (!gl || !size) return;
    const bottomLeft = getRenderPixel(event, [0, size[1]!]);
    const topRight = getRenderPixel(event, [size[0]!, 0]);
    gl.enable(gl.SCISSOR_TEST);
    gl.scissor(bottomLeft[0]!, bottomLeft[1]!, Math.round((topRight[0]! - bottomLeft[0]!) * this.swipe.fraction), topRight[1]! - bottomLeft[1]!);
  }

  private syncStyle(layerId: string): void {
    const entry = this.options.store.get(layerId);
    const layer = this.mainLayers.get(layerId);
    if (!entry || !layer) return;
    const entries = this.options.store.list();
    layer.setStyle(this.styleOf(entry));
    layer.setOpacity(entry.opacity);
    layer.setVisible(this.isShown(entry));
    let z = entries.length - entries.indexOf(entry);
    if (this.mode === 'swipe') z = layerId === this.swipe.left ? 1001 : layerId === this.swipe.right ? 1000 : z;
    layer.setZIndex(z);
    this.quadLayerIds.forEach((id, cell) => {
      if (id === layerId && this.mode === 'quad') this.syncQuadCell(cell);
    });
  }

  private syncStyleAll(): void {
    for (const entry of this.options.store.list()) this.syncStyle(entry.layer.layerId);
    if (this.mode === 'quad') this.quadLayerIds.forEach((_, cell) => this.syncQuadCell(cell));
    this.map.render();
  }

  private ensureQuadMaps(): void {
    if (this.quadMaps.length > 0) return;
    this.options.quadTargets.forEach((target, cell) => {
      const mapTarget = target.querySelector<HTMLElement>('.quad-map') ?? target;
      const m = new OlMap({ target: mapTarget, view: this.view, controls: cell === 2 ? [new ScaleLine({ units: 'metric' })] : [] });
      m.on('singleclick', (e) => this.options.onClick(this.toScene(e.coordinate)));
      this.watchRender(m, mapTarget);
      this.quadMaps.push(m);
    });
  }

  /** Brings quadrant `cell` in line with its chosen layer: restyled in place, or replaced when the layer changed. */
  private syncQuadCell(cell: number): void {
    const m = this.quadMaps[cell];
    if (!m) return;
    const id = this.quadLayerIds[cell];
    const entry = id ? this.options.store.get(id) : undefined;
    const current = this.quadLayers[cell];
    if (current && (!entry || current.layerId !== entry.layer.layerId)) {
      this.dropLayer(m, current.layer);
      this.quadLayers[cell] = null;
    }
    if (!entry) return;
    const shown = this.quadLayers[cell];
    if (shown) {
      shown.layer.setStyle(this.styleOf(entry));
      shown.layer.setOpacity(entry.opacity);
    } else {
      const layer = this.makeLayer(entry);
      m.addLayer(layer);
      this.quadLayers[cell] = { layerId: entry.layer.layerId, layer };
    }
  }

  /** Removes a layer and frees its WebGL resources (browsers allow only a few live WebGL contexts). */
  private dropLayer(m: OlMap, layer: WebGLTileLayer): void {
    m.removeLayer(layer);
    layer.dispose();
  }

  /**
   * `data-render` on the map element: "loading" while tiles load, "complete" once everything is drawn, and
   * `data-renders` counting completed renders (status for the user's eye, and a hook for the e2e suite).
   */
  private watchRender(m: OlMap, element: HTMLElement): void {
    let completed = 0;
    m.on('loadstart', () => (element.dataset.render = 'loading'));
    m.on('rendercomplete', () => {
      element.dataset.render = 'complete';
      element.dataset.renders = String(++completed);
    });
  }
}
