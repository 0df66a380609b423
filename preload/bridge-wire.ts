/**
 * @module preload/bridge-wire
 * The browser-mode wire protocol: the JSON messages between the renderer's WebSocket bridge and the browser host
 * (main/host). Common code like the contract it builds on: it imports only ./contract.ts, so the renderer, the
 * host and their tests share one definition. Both ends parse every message they receive; payloads and reply
 * values are then parsed with the call's own schema (parseRequest / replyFor).
 *
 *   renderer → host  {"kind":"call","id":<int>,"name":<CallName>,"payload":<request>}
 *   host → renderer  {"kind":"reply","id":<int>,"reply":{ok:true,value}|{ok:false,error}}
 *                    {"kind":"event","channel":"panforge:job.event","event":<JobEvent>}
 */
import {
  CALL_NAMES,
  ContractError,
  ErrorCode,
  EventChannel,
  isCallName,
  isRecord,
  JobEvent,
  parseReply,
  parseValue,
  type CallName,
  type CallValue,
  type Reply,
} from './contract.ts';

/** Where the host serves things; every request carries `?token=<TOKEN_PARAM>`. */
export const WirePath = {
  /** The WebSocket endpoint. */
  api: '/api',
  /** Registered rasters: `/outputs/<layerId>.tif`. */
  outputs: '/outputs/',
} as const;
export const TOKEN_PARAM = 'token';

/** renderer → host. `payload` is still unparsed: the host parses it with the call's request schema. */
export interface CallMessage {
  readonly kind: 'call';
  readonly id: number;
  readonly name: CallName;
  readonly payload: unknown;
}

/** host → renderer, answering the call with the same id. `reply` is parsed by the caller, who knows the call. */
export interface ReplyMessage {
  readonly kind: 'reply';
  readonly id: number;
  readonly reply: unknown;
}

export interface EventMessage {
  readonly kind: 'event';
  readonly channel: typeof EventChannel.jobEvent;
  readonly event: JobEvent;
}

export type FromHost = ReplyMessage | EventMessage;

function messageId(x: Record<string, unknown>, where: string): number {
  const id = x.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) throw new ContractError(`${where}.id`, 'a non-negative integer', id);
  return id;
}

/** Parses one renderer → host message (already JSON-decoded). Throws ContractError. */
export function parseCallMessage(x: unknown): CallMessage {
  const where = 'wire call';
  if (!isRecord(x) || x.kind !== 'call') throw new ContractError(where, `{kind: 'call', id, name, payload}`, x);
  const id = messageId(x, where);
  if (!isCallName(x.name)) throw new ContractError(`${where}.name`, `one of ${CALL_NAMES.join('|')}`, x.name);
  return { kind: 'call', id, name: x.name, payload: x.payload };
}

/** Parses one host → renderer message (already JSON-decoded). Throws ContractError; events are fully parsed. */
export function parseFromHost(x: unknown): FromHost {
  const where = 'wire message';
  if (!isRecord(x)) throw new ContractError(where, `{kind: 'reply' | 'event', …}`, x);
  if (x.kind === 'reply') {
    if (!('reply' in x)) throw new ContractError(`${where}.reply`, 'a reply envelope', undefined);
    return { kind: 'reply', id: messageId(x, where), reply: x.reply };
  }
  if (x.kind === 'event') {
    if (x.channel !== EventChannel.jobEvent) throw new ContractError(`${where}.channel`, EventChannel.jobEvent, x.channel);
    return { kind: 'event', channel: EventChannel.jobEvent, event: JobEvent(x.event, `${where}.event`) };
  }
  throw new ContractError(`${where}.kind`, 'reply|event', x.kind);
}

/**
 * A raw reply envelope as the typed reply of call `name`. Never throws: a malformed reply becomes a `contract`
 * error reply, because PanForgeApi promises never reject.
 */
export function replyFor<K extends CallName>(name: K, raw: unknown): Reply<CallValue<K>> {
  try {
    return parseReply((v) => parseValue(name, v), raw, `wire ${name} reply`);
  } catch (err) {
    return { ok: false, error: { code: ErrorCode.contract, message: err instanceof Error ? err.message : String(err), details: {} } };
  }
}

export function callMessage(id: number, name: CallName, payload: unknown): CallMessage {
  return { kind: 'call', id, name, payload };
}

export function replyMessage(id: number, reply: Reply<unknown>): ReplyMessage {
  return { kind: 'reply', id, reply };
}

export function eventMessage(event: JobEvent): EventMessage {
  return { kind: 'event', channel: EventChannel.jobEvent, event };
}
