/**
 * @module main/engine/service/engine-client
 * The app side of the engine service: starts the process through a transport (child_process or utilityProcess),
 * sends calls and matches replies, parses everything it receives, and mirrors the job snapshots from the events.
 * When the process dies, every pending call and every queued or running job fails with `engine-crashed` (the
 * window and the app stay up); the next call starts a fresh process.
 */
import { ErrorCode, parseReply, type JobEvent, type JobSnapshot, type Reply } from '../../../preload/contract.ts';
import { parseFromService, ServiceMethods, type ServiceMethodName, type ServiceRequest, type ServiceValue, type ToService } from './protocol.ts';

export interface EngineTransport {
  post(message: ToService): void;
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
}

interface Pending {
  readonly method: ServiceMethodName;
  readonly resolve: (reply: Reply<unknown>) => void;
}

export class EngineClient {
  private transport: EngineTransport | null = null;
  private readonly pending = new Map<number, Pending>();
  private readonly jobs = new Map<string, JobSnapshot>();
  private nextCallId = 1;
  private generation = 0;

  constructor(private readonly options: EngineClientOptions) {}

  /** The last known snapshot of every job (kept across an engine crash, marked failed). */
  jobSnapshots(): JobSnapshot[] {
    return [...this.jobs.values()];
  }

  async call<K extends ServiceMethodName>(method: K, payload: ServiceRequest<K>): Promise<Reply<ServiceValue<K>>> {
    const transport = this.ensureStarted();
    const callId = this.nextCallId++;
    const raw = await new Promise<Reply<unknown>>((resolve) => {
      this.pending.set(callId, { method, resolve });
      transport.post({ kind: 'call', callId, method, payload });
    });
    if (!raw.ok) return raw;
    // Re-parse the value with the method's reply schema: it crossed a process boundary.
    const schema = ServiceMethods[method].reply as (x: unknown, p: string) => ServiceValue<K>;
    try {
      return { ok: true, value: schema(raw.value, `engine ${method} reply`) };
    } catch (err) {
      return { ok: false, error: { code: ErrorCode.contract, message: err instanceof Error ? err.message : String(err), details: {} } };
    }
  }

  /** Stops the process on purpose (app quit): its exit is not reported as a crash. */
  stop(): void {
    this.generation++;
    this.transport?.kill();
    this.transport = null;
  }

  private ensureStarted(): EngineTransport {
    if (this.transport) return this.transport;
    const generation = ++this.generation;
    const transport = this.options.start();
    transport.onMessage((raw) => this.receive(raw));
    transport.onExit((description) => {
      if (generation === this.generation) this.crashed(description);
    });
    this.transport = transport;
    return transport;
  }

  private receive(raw: unknown): void {
    let message;
    try {
      message = parseFromService(raw);
    } catch (err) {
      this.options.log?.(`engine sent a malformed message, ignored: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    switch (message.kind) {
      case 'ready':
        this.options.log?.(`engine service ready (pid ${message.pid})`);
        return;
      case 'raster':
        this.options.onRaster?.(message.layerId, message.path);
        return;
      case 'event': {
        const { event } = message;
        if (event.type === 'state') this.jobs.set(event.job.jobId, event.job);
        else if (event.type === 'progress') {
          const job = this.jobs.get(event.jobId);
          if (job) this.jobs.set(event.jobId, { ...job, progress: event.progress });
        }
        this.options.onEvent?.(event);
        return;
      }
      case 'reply': {
        const pending = this.pending.get(message.callId);
        if (!pending) return;
        this.pending.delete(message.callId);
        try {
          pending.resolve(parseReply((v) => v, message.reply, `engine ${pending.method} reply`));
        } catch (err) {
          pending.resolve({ ok: false, error: { code: ErrorCode.contract, message: err instanceof Error ? err.message : String(err), details: {} } });
        }
      }
    }
  }

  private crashed(description: string): void {
    this.transport = null;
    const message = `the engine process stopped unexpectedly (${description}); the job was lost, no output was kept. Start it again; if it repeats, try --device cpu or a smaller tile size`;
    const error = { code: ErrorCode.engineCrashed, message, details: { exit: description } };
    for (const [callId, pending] of this.pending) {
      this.pending.delete(callId);
      pending.resolve({ ok: false, error });
    }
    for (const job of this.jobs.values()) {
      if (job.state === 'queued' || job.state === 'running') {
        const failed: JobSnapshot = { ...job, state: 'failed', error };
        this.jobs.set(job.jobId, failed);
        this.options.onEvent?.({ type: 'state', job: failed });
      }
    }
    this.options.log?.(message);
  }
}
