/**
 * @module bench/sharpen-child
 * Runs one sharpen job in its own process and prints its result with the process's peak RSS, so each
 * measurement starts from a clean heap. Argument: the SharpenOptions as JSON.
 */
import { sharpen, type SharpenOptions } from '../main/engine/jobs/sharpen.ts';

const options: SharpenOptions = JSON.parse(process.argv[2] ?? '{}');
const result = await sharpen(options);
process.stdout.write(JSON.stringify({ result, peakRssMiB: process.resourceUsage().maxRSS / 1024 }) + '\n');
