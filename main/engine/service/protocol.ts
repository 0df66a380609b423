/**
 * @module main/engine/service/protocol
 * The engine service's methods and notices, carried in the rpc envelope (main/engine/rpc) between the app side
 * (Electron main, the browser host, the CLI) and the engine service process. Each call carries one payload,
 * parsed by its method's schema in the service and its value re-parsed by the client; the service announces job
 * events and each raster it made (the only files the outputs protocol may serve).
 */
import {
  arr,
  ContractError,
  Empty,
  ExportRequest,
  ExportResult,
  int,
  isRecord,
  JobEvent,
  JobRef,
  JobSnapshot,
  JobStartRequest,
  MethodSummary,
  MetricsReport,
  obj,
  PixelReadRequest,
  PixelReading,
  RasterLayer,
  RecommendReport,
  RecommendRequest,
  SceneLayoutRequest,
  SceneView,
  text,
  type Infer,
  type Schema,
} from '../../../preload/contract.ts';
import type { SharpenOptions, SharpenResult } from '../jobs/sharpen.ts';

/** The CLI's whole sharpen run (one per engine process). Checked for the fields every run needs, as sharpen()
 * checks the rest; the CLI built these options itself. */
const SharpenRun: Schema<SharpenOptions> = (x, p) => {
  if (!isRecord(x) || typeof x.panPath !== 'string' || typeof x.msPath !== 'string' || typeof x.method !== 'string' || typeof x.outPath !== 'string') {
    throw new ContractError(p, '{panPath, msPath, method, outPath, …sharpen options}', x);
  }
  return x as unknown as SharpenOptions;
};
const SharpenRunResult: Schema<SharpenResult> = (x, p) => {
  if (!isRecord(x) || typeof x.outPath !== 'string') throw new ContractError(p, '{outPath, …sharpen result}', x);
  return x as unknown as SharpenResult;
};

function method<Req, Res>(request: Schema<Req>, reply: Schema<Res>) {
  return { request, reply };
}

export const ServiceMethods = {
  methodsList: method(Empty, arr(MethodSummary)),
  /** cacheDir: where display copies (COG) of PAN and MS go. */
  sceneOpen: method(obj({ panPath: text, msPath: text, cacheDir: text }), SceneView),
  sceneSetLayout: method(SceneLayoutRequest, SceneView),
  /** outPath: chosen by the app side, never by the renderer. */
  jobStart: method(obj({ request: JobStartRequest, outPath: text }), JobSnapshot),
  jobCancel: method(JobRef, JobSnapshot),
  jobList: method(Empty, arr(JobSnapshot)),
  pixelRead: method(PixelReadRequest, PixelReading),
  metricsCompute: method(JobRef, MetricsReport),
  qualityMapCompute: method(JobRef, RasterLayer),
  recommendRun: method(RecommendRequest, RecommendReport),
  exportRun: method(ExportRequest, ExportResult),
  /** Progress: the run's JobEvents (main/engine/job-events.ts); cancel stops it like an in-process job. */
  sharpenRun: method(SharpenRun, SharpenRunResult),
};
export type ServiceMethods = typeof ServiceMethods;
export type ServiceMethodName = keyof ServiceMethods;
export type ServiceRequest<K extends ServiceMethodName> = Infer<ServiceMethods[K]['request']>;
export type ServiceValue<K extends ServiceMethodName> = Infer<ServiceMethods[K]['reply']>;

export function isServiceMethod(x: unknown): x is ServiceMethodName {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(ServiceMethods, x);
}

/** What the service announces besides answers (RpcNotice topics), with their payloads. */
export type ServiceNotice =
  | { readonly topic: 'ready'; readonly pid: number }
  | { readonly topic: 'job-event'; readonly event: JobEvent }
  | { readonly topic: 'raster'; readonly layerId: string; readonly path: string };

const Ready = obj({ pid: int });
const RasterNotice = obj({ layerId: text, path: text });

export function parseServiceNotice(topic: string, payload: unknown): ServiceNotice {
  const where = `engine ${topic} notice`;
  switch (topic) {
    case 'ready':
      return { topic, pid: Ready(payload, where).pid };
    case 'job-event':
      return { topic, event: JobEvent(payload, where) };
    case 'raster':
      return { topic, ...RasterNotice(payload, where) };
    default:
      throw new ContractError('engine notice', 'topic ready|job-event|raster', topic);
  }
}
