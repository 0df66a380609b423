/**
 * @module bench/sharpen-child
 * Runs one sharpen job in its own process and prints its result with the process's peak RSS, so each
 * measurement starts from a clean heap. Argument: the SharpenOptions as JSON.
 * Peak RSS is VmHWM from /proc/self/status: Linux carries getrusage's maxRSS across fork + exec, so a child of a
 * large benchmark process would report the parent's size; VmHWM belongs to this process image alone.
 */
import { readFileSync } from 'node:fs';
import { sharpen, type SharpenOptions } from '../main/engine/jobs/sharpen.ts';

function peakRssMiB(): number {
  const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return hwm ? Number(hwm[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
}

const options: SharpenOptions = JSON.parse(process.argv[2] ?? '{}');
const result = await sharpen(options);
process.stdout.write(JSON.stringify({ result, peakRssMiB: peakRssMiB() }) + '\n');
