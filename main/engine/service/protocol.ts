/**
 * @module main/engine/service/protocol
 * Messages between the app side (Electron main or the browser host) and the engine service process. Calls carry
 * one payload and get one reply in the contract's envelope; the service pushes job events and announces each
 * raster it made (the only files the outputs protocol may serve). Both ends parse what they receive.
 */
import {
  arr, ContractError, Empty, ExportRequest, ExportResult, int, isRecord, JobEvent, JobRef, JobSnapshot, JobStartRequest, literal, MethodSummary,
  MetricsReport, obj, PixelReadRequest, PixelReading, RasterLayer, RecommendReport, RecommendRequest, SceneLayoutRequest, SceneView, text, type Infer, type Schema,
} from '../../../preload/contract.ts';

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
};
export type ServiceMethods = typeof ServiceMethods;
export type ServiceMethodName = keyof ServiceMethods;
export type ServiceRequest<K extends ServiceMethodName> = Infer<ServiceMethods[K]['request']>;
export type ServiceValue<K extends ServiceMethodName> = Infer<ServiceMethods[K]['reply']>;

export function isServiceMethod(x: unknown): x is ServiceMethodName {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(ServiceMethods, x);
}

/** App side → service. */
export type ToService = { kind: 'call'; callId: number; method: ServiceMethodName; payload: unknown };

/** Service → app side. */
export type FromService =
  | { kind: 'ready'; pid: number }
  | { kind: 'reply'; callId: number; reply: unknown }
  | { kind: 'event'; event: JobEvent }
  | { kind: 'raster'; layerId: string; path: string };

export function parseToService(x: unknown): ToService {
  if (!isRecord(x) || x.kind !== 'call' || !isServiceMethod(x.method)) throw new ContractError('engine call', `{kind: 'call', callId, method: ${Object.keys(ServiceMethods).join('|')}, payload}`, x);
  return { kind: 'call', callId: int(x.callId, 'engine call.callId'), method: x.method, payload: x.payload };
}

const Ready = obj({ kind: literal('ready'), pid: int });
const ReplyMsg = obj({ kind: literal('reply'), callId: int, reply: (v: unknown) => v });
const EventMsg = obj({ kind: literal('event'), event: JobEvent });
const RasterMsg = obj({ kind: literal('raster'), layerId: text, path: text });

export function parseFromService(x: unknown): FromService {
  const kind = isRecord(x) ? x.kind : undefined;
  switch (kind) {
    case 'ready': return Ready(x, 'engine message');
    case 'reply': return ReplyMsg(x, 'engine message');
    case 'event': return EventMsg(x, 'engine message');
    case 'raster': return RasterMsg(x, 'engine message');
    default: throw new ContractError('engine message', 'kind ready|reply|event|raster', x);
  }
}
