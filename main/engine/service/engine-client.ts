/**
 * @module main/engine/service/engine-client
 * The caller's side of the engine service, for the app and the CLI: starts the process through a transport
 * (child-host.ts or utilityProcess), makes calls through the rpc envelope, parses everything it receives, and
 * mirrors the job snapshots from the service's notices. `call` answers in the contract's Reply (the app forwards
 * it); `invoke` returns the value or throws the engine's error class, with progress and cancel (the CLI's run).
 * When the process dies, every pending call and every queued or running job fails with `engine-crashed` (the
 * window and the app stay up); the next call starts a fresh process.
 */
import { type JobEvent, type JobSnapshot, type Reply, type WireError } from '../../../preload/contract.ts';
import { CancelledError, EngineCrashedError } from '../errors.ts';
import { encodeError, type EncodedError } from '../rpc/error-codec.ts';
import type { ToCallee } from '../rpc/envelope.ts';
import { RpcClient, type Outcome } from '../rpc/rpc-client.ts';
import { parseServiceNotice, ServiceMethods, type ServiceMethodName, type ServiceRequest, type ServiceValue } from './protocol.ts';

export interface EngineTransport {
  post(message: ToCallee): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (description: string) => void): void;
  kill(): void;
}

export interface EngineClientOptions {
  /** Starts a fresh engine process. */
  readonly start: () => EngineTransport;
  readonly onEvent?: (event: JobEvent) => void;
  readonly onRaster?: (layerId: string, path: string) => void;
  readonly log?: (message: string) => void;
  /** What a call and a job get when the engine dies under them, from how it ended [default: the app's message]. */
  readonly crashError?: (exit: string) => EngineCrashedError;
  /** A malformed message from the engine fails every pending call and stops the engine, instead of being logged
   * and ignored [default false; the CLI's one-run engines set it]. */
  readonly strict?: boolean;
}

function appCrashError(exit: string): EngineCrashedError {
  return new EngineCrashedError(
    `the engine process stopped unexpectedly (${exit}); the job was lost, no output was kept. Start it again; if it repeats, try --device cpu or a smaller tile size`,
    { exit },
  );
}

export interface InvokeOptions {
  /** Cancels the call (the engine stops it like an in-process job). */
  readonly signal?: AbortSignal;
  /** A cancelled call whose engine has not answered this long after is ended by killing the engine [default: never]. */
  readonly cancelGraceMs?: number;
  /** The call's progress events, as the engine sent them. */
  readonly onProgress?: (event: unknown) => void;
}

function wireError(e: EncodedError): WireError {
  return { code: e.code, message: e.message, details: e.details };
}

export class EngineClient {
  private transport: EngineTransport | null = null;
  private rpc: RpcClient | null = null;
  private readonly jobs = new Map<string, JobSnapshot>();
  private generation = 0;

  constructor(private readonly options: EngineClientOptions) {}

  /** The last known snapshot of every job (kept across an engine crash, marked failed). */
  jobSnapshots(): JobSnapshot[] {
    return [...this.jobs.values()];
  }

  /** The call's reply in the contract's envelope (never rejects: an engine crash is an `engine-crashed` reply). */
  async call<K extends ServiceMethodName>(method: K, payload: ServiceRequest<K>): Promise<Reply<ServiceValue<K>>> {
    let outcome: Outcome;
    try {
      outcome = await this.ensureStarted().request(method, payload);
    } catch (err) {
      return { ok: false, error: wireError(encodeError(err)) };
    }
    if (!outcome.ok) return { ok: false, error: wireError(outcome.error) };
    try {
      return { ok: true, value: this.parseValue(method, outcome.value) };
    } catch (err) {
      return { ok: false, error: wireError(encodeError(err)) };
    }
  }

  /**
   * The call's value; its error is rethrown as the engine's class (an engine crash as EngineCrashedError, a
   * cancelled call whose engine had to be killed as CancelledError).
   */
  async invoke<K extends ServiceMethodName>(method: K, payload: ServiceRequest<K>, options: InvokeOptions = {}): Promise<ServiceValue<K>> {
    const rpc = this.ensureStarted();
    const { signal, cancelGraceMs } = options;
    let killTimer: NodeJS.Timeout | null = null;
    const onAbort = () => {
      const transport = this.transport;
      if (cancelGraceMs !== undefined && transport) killTimer = setTimeout(() => transport.kill(), cancelGraceMs);
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const value = await rpc.call(method, payload, { ...(signal ? { signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
      return this.parseValue(method, value);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
    }
  }

  /** Stops the process on purpose (app quit, a CLI run done): its exit is not reported as a crash. */
  stop(): void {
    this.generation++;
    this.transport?.kill();
    this.transport = null;
    this.rpc = null;
  }

  /** Re-parses a value with the method's reply schema: it crossed a process boundary. */
  private parseValue<K extends ServiceMethodName>(method: K, value: unknown): ServiceValue<K> {
    const schema = ServiceMethods[method].reply as (x: unknown, p: string) => ServiceValue<K>;
    return schema(value, `engine ${method} reply`);
  }

  private ensureStarted(): RpcClient {
    if (this.rpc) return this.rpc;
    const generation = ++this.generation;
    const transport = this.options.start();
    const rpc = new RpcClient(
      { post: (message) => transport.post(message) },
      {
        where: 'engine',
        onMalformed: (err) => {
          if (!this.options.strict) return this.options.log?.(`engine sent a malformed message, ignored: ${err.message}`);
          rpc.fail(err);
          this.stop();
        },
        onNotice: (topic, payload) => this.notice(topic, payload),
      },
    );
    transport.onMessage((raw) => rpc.receive(raw));
    transport.onExit((description) => {
      if (generation === this.generation) this.crashed(rpc, description);
    });
    this.transport = transport;
    this.rpc = rpc;
    return rpc;
  }

  private notice(topic: string, payload: unknown): void {
    let notice;
    try {
      notice = parseServiceNotice(topic, payload);
    } catch (err) {
      this.options.log?.(`engine sent a malformed message, ignored: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    switch (notice.topic) {
      case 'ready':
        this.options.log?.(`engine service ready (pid ${notice.pid})`);
        return;
      case 'raster':
        this.options.onRaster?.(notice.layerId, notice.path);
        return;
      case 'job-event': {
        const { event } = notice;
        if (event.type === 'state') this.jobs.set(event.job.jobId, event.job);
        else if (event.type === 'progress') {
          const job = this.jobs.get(event.jobId);
          if (job) this.jobs.set(event.jobId, { ...job, progress: event.progress });
        }
        this.options.onEvent?.(event);
      }
    }
  }

  private crashed(rpc: RpcClient, description: string): void {
    this.transport = null;
    this.rpc = null;
    const crash = (this.options.crashError ?? appCrashError)(description);
    // A call that was cancelled and then ended by killing the engine (InvokeOptions.cancelGraceMs) was cancelled.
    rpc.fail((cancelRequested) => (cancelRequested ? new CancelledError('cancelled; the engine process was stopped and no output was kept') : crash));
    const error = wireError(encodeError(crash));
    for (const job of this.jobs.values()) {
      if (job.state === 'queued' || job.state === 'running') {
        const failed: JobSnapshot = { ...job, state: 'failed', error };
        this.jobs.set(job.jobId, failed);
        this.options.onEvent?.({ type: 'state', job: failed });
      }
    }
    this.options.log?.(crash.message);
  }
}
