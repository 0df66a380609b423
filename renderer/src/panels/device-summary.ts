/**
 * @module renderer/panels/device-summary
 * What a finished job's row says about its device: the device that made the last tiles (a badge), whether the
 * run had to change course (a CUDA batch shrink or a fall back to CPU, marked on the badge), and the whole story
 * for the tooltip and the short list under the row. Pure, so it is unit-tested.
 */
import type { JobResult } from '../../../preload/contract.ts';

export interface DeviceSummary {
  /** 'cpu', 'cuda', or 'js' for the TypeScript baselines. */
  readonly label: string;
  /** The run changed device or batch size on the way: the badge is marked, the events listed. */
  readonly changed: boolean;
  /** Started on CUDA, finished on CPU. */
  readonly fellBackToCpu: boolean;
  readonly tooltip: string;
  readonly events: readonly string[];
}

const DEVICE_NAMES: Readonly<Record<string, string>> = { cpu: 'CPU', cuda: 'CUDA', js: 'CPU (JavaScript baseline)' };

export function deviceSummary(result: Pick<JobResult, 'device' | 'deviceReason' | 'deviceEvents'>): DeviceSummary {
  const events = result.deviceEvents;
  const fellBackToCpu = result.device === 'cpu' && events.some((e) => /CPU/.test(e));
  const lines = [`Ran on ${DEVICE_NAMES[result.device] ?? result.device}${fellBackToCpu ? ' after CUDA failed' : ''}`, `Device choice: ${result.deviceReason}`];
  for (const e of events) lines.push(`• ${e}`);
  return { label: result.device, changed: events.length > 0, fellBackToCpu, tooltip: lines.join('\n'), events };
}
