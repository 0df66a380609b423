/**
 * @module renderer/main
 * Start-up: pick the API (Electron preload or browser bridge), read AppInfo, build the panels around one layer
 * store and one scene map, re-read jobs that outlived a reload, and reopen the scene this tab had open.
 */
import 'ol/ol.css';
import './styles.css';
import type { AppInfo, JobSnapshot, PanForgeApi, SceneFiles, SceneView } from '../../preload/contract.ts';
import { getApi } from './api/get-api.ts';
import { byId, el } from './dom.ts';
import { LayerStore } from './map/layer-store.ts';
import { SceneMap } from './map/scene-map.ts';
import { resolutionText } from './map/scene-units.ts';
import { BandLayoutPanel } from './panels/band-layout-panel.ts';
import { CompareBar } from './panels/compare-bar.ts';
import { ExportDialog, sceneNameOf } from './panels/export-dialog.ts';
import { InspectorPanel } from './panels/inspector-panel.ts';
import { LayerPanel } from './panels/layer-panel.ts';
import { MetricsPanel } from './panels/metrics-panel.ts';
import { RecommendPanel } from './panels/recommend-panel.ts';
import { RunsPanel } from './panels/runs-panel.ts';
import { ScenePanel } from './panels/scene-panel.ts';
import { StoragePanel } from './panels/storage-panel.ts';
import { StatusBar } from './status-bar.ts';

const SESSION_KEY = 'panforge.scene';

// Long: the composition root; its panels and the scene they share call each other through its closures.
async function start(): Promise<void> {
  const status = new StatusBar(byId('status-line'), byId('status-log'));
  let runs: RunsPanel | null = null;
  const api = connectApi(status, () => runs);
  if (!api) return;
  const info: AppInfo | null = status.unwrap(await api.appInfo({}), 'reading app info');
  if (!info) return;
  byId('app-mode').textContent = `${info.mode} · v${info.version}`;

  const store = new LayerStore();
  let scene: SceneView | null = null;
  const inspector = new InspectorPanel(api, store, status, byId('inspector-panel'));
  const quadCells = [...document.querySelectorAll<HTMLElement>('.quad-cell')];
  const map = new SceneMap({
    store,
    info,
    mainTarget: byId('map'),
    quadTargets: quadCells,
    mouseTarget: byId('mouse-position'),
    onError: (error, doing) => status.error(error, doing),
    onClick: (c) => {
      map.markPoint(c);
      void inspector.read(c[0]!, c[1]!, map.displayedLayerIds());
    },
  });
  const clippedView = () => {
    const e = map.viewExtent();
    return e ? map.clipToScene(e) : null;
  };
  let selectedLayer: string | null = null;
  new LayerPanel(
    store,
    byId('layer-panel'),
    (id) => (selectedLayer = id),
    (extent) => map.zoomTo(extent),
  );
  const exportDialog = new ExportDialog({
    api,
    store,
    status,
    viewExtent: clippedView,
    mode: info.mode,
    sceneName: () => (scene ? sceneNameOf(scene.files.panPath) : null),
  });
  new CompareBar({
    store,
    map,
    root: byId('map-toolbar'),
    swipeSlider: byId<HTMLInputElement>('swipe'),
    swipeLine: byId('swipe-line'),
    quadSelects: quadCells.map((c) => c.querySelector('select')!),
    onExport: () => exportDialog.open(selectedLayer),
  });
  const metrics = new MetricsPanel(api, status, byId('metrics-panel'), (run, layer) => {
    if (run.sceneId !== scene?.sceneId || store.get(layer.layerId)) return;
    // A quality map is a diagnostic over the imagery, not a replacement: listed unticked, see-through once shown.
    store.add(layer, 'top', false, 0.7);
    status.info(`${layer.name} added to the layers (tick it to show it over the imagery)`);
  });
  const storageSection = byId<HTMLDetailsElement>('storage-section');
  const storage = new StoragePanel({ api, status, root: byId('storage-panel'), onRunRemoved: () => void scenePanel.refreshRecent() });
  // Read when the section is opened, and again after runs finish while it is open.
  storageSection.addEventListener('toggle', () => {
    if (storageSection.open) void storage.refresh();
  });
  let recentTimer: ReturnType<typeof setTimeout> | undefined;
  const ofScene = (jobs: readonly JobSnapshot[]) => jobs.filter((j) => j.sceneId === scene?.sceneId);
  runs = new RunsPanel({
    api,
    status,
    root: byId('runs-panel'),
    previewExtent: clippedView,
    onDone: (job) => {
      if (job.result && job.sceneId === scene?.sceneId) store.add(job.result.layer, 'top');
      // The recent-runs list gains this run; one refresh for a burst of finished jobs.
      clearTimeout(recentTimer);
      recentTimer = setTimeout(() => {
        void scenePanel.refreshRecent();
        if (storageSection.open) void storage.refresh();
      }, 300);
    },
    onJobsChanged: (jobs) => metrics.setRuns(ofScene(jobs)),
  });

  const recommendPanel = new RecommendPanel({ api, status, root: byId('recommend-panel'), preselect: (method, adapt) => runs!.preselect(method, adapt) });

  const openScene = async (files: SceneFiles): Promise<void> => {
    status.info(`opening ${files.panPath} + ${files.msPath}…`);
    document.body.classList.add('busy');
    const view = status.unwrap(await api.sceneOpen(files), 'opening the scene');
    document.body.classList.remove('busy');
    if (!view) return;
    scene = view;
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(files));
    scenePanel.setFiles(files);
    // The scene is open: give the layers and runs the room (the section opens again with a click).
    byId<HTMLDetailsElement>('scene-section').open = false;
    // Guessed band names are worth a look before anything is run on them.
    byId<HTMLDetailsElement>('layout-section').open = view.layout.bandsGuessed;
    map.setScene(view);
    inspector.setScene(view);
    await showScene(view);
    const notes = [...view.notes, ...(map.displayNote ? [`${view.crsCode ?? view.crsName} is geographic: ${map.displayNote}`] : [])];
    status.info(`opened ${view.files.panPath.split(/[\\/]/).pop()}${notes.length ? ` — ${notes.join('; ')}` : ''}`);
    void scenePanel.refreshRecent();
  };
  /** The scene's layers, header and panels (on open, and again when its sensor and bands change). */
  const showScene = async (view: SceneView): Promise<void> => {
    scene = view;
    store.reset();
    // Scene layers at the bottom: MS above PAN, so the colour is seen first.
    for (const kind of ['ms', 'pan', 'quality'] as const)
      for (const layer of view.layers.filter((l) => l.kind === kind)) store.add(layer, 'bottom', kind !== 'quality');
    for (const layer of view.layers.filter((l) => l.kind === 'output')) store.add(layer, 'top');
    showSceneHeader(view, map.displayNote);
    bandLayout.setScene(view);
    runs!.setScene(view);
    recommendPanel.setScene(view);
    metrics.setRuns(ofScene(runs!.all()));
    await runs!.refreshJobs();
  };
  const bandLayout = new BandLayoutPanel({ api, status, root: byId('layout-panel'), applied: (view) => void showScene(view) });
  const scenePanel = new ScenePanel({ api, info, status, root: byId('scene-panel'), open: openScene });

  await Promise.all([runs.loadMethods(), runs.refreshJobs(), scenePanel.refreshRecent()]);
  if (await reopenRememberedScene(openScene)) return;
  status.info('ready: open a scene');
}

/** The API (Electron preload or browser bridge), or null after reporting why there is none. */
function connectApi(status: StatusBar, runs: () => RunsPanel | null): PanForgeApi | null {
  try {
    return getApi({
      onTrouble: (error) => status.error(error, 'talking to the host'),
      onReconnect: () => {
        status.info('reconnected to the host');
        void runs()?.refreshJobs();
      },
    });
  } catch (err) {
    status.error({ code: 'no-api', message: err instanceof Error ? err.message : String(err), details: {} }, 'starting');
    return null;
  }
}

/** The title line (sensor, ratio, resolution, values, file) and the CRS label above the map. */
function showSceneHeader(view: SceneView, displayNote: string | null): void {
  const sensor = view.sensor ?? 'unknown sensor';
  byId('scene-title').textContent =
    `${sensor} · ratio ${view.ratio} · ${resolutionText(view)} · ${view.valueLabel} · ${view.files.panPath.split(/[\\/]/).pop()}`;
  byId('scene-title').title =
    `${view.files.panPath}\n${view.files.msPath}\nbands: ${view.layout.bandNames.join(', ')}${view.layout.bandsGuessed ? ' (guessed)' : ''}`;
  byId('crs-label').textContent = `${view.crsName}${view.crsCode ? ` (${view.crsCode})` : ''}${displayNote ? ' · drawn in UTM' : ''}`;
  byId('crs-label').title = displayNote ?? "the map is drawn in the scene's CRS";
}

/** Opens the scene this tab had open before a reload; false when there was none (a corrupt entry is dropped). */
async function reopenRememberedScene(openScene: (files: SceneFiles) => Promise<void>): Promise<boolean> {
  const remembered = sessionStorage.getItem(SESSION_KEY);
  if (remembered) {
    try {
      const files: unknown = JSON.parse(remembered);
      if (
        typeof files === 'object' &&
        files !== null &&
        'panPath' in files &&
        'msPath' in files &&
        typeof files.panPath === 'string' &&
        typeof files.msPath === 'string'
      ) {
        await openScene({ panPath: files.panPath, msPath: files.msPath });
        return true;
      }
    } catch {
      sessionStorage.removeItem(SESSION_KEY); // a corrupt entry is not worth an error; the user opens again
    }
  }
  return false;
}

start().then(
  () => (document.body.dataset.ready = 'true'),
  (err: unknown) => {
    const line = document.getElementById('status-line');
    if (line) line.replaceChildren(el('code', {}, 'internal'), ` start-up failed: ${err instanceof Error ? err.message : String(err)}`);
    console.error(err);
  },
);
