/**
 * @module main/cli/parse-options
 * node:util parseArgs with the two things a command line needs from us: a value that starts with a dash
 * (`--tile -5`) is taken as the option's value, so the range check can say what is wrong with it (parseArgs
 * alone calls it "ambiguous"), and every parse failure is a UsageError (exit code 2).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** `--name -5` → `--name=-5` for string options, when the value looks like a number. */
export function joinDashedValues(argv: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : null;
    if (name && options[name]?.type === 'string' && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

export function parseCommandArgs<O extends Options>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: joinDashedValues(argv, options), options, strict: true, allowPositionals: false });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** An integer option in [min, max], or the fallback when absent. */
export function integerOption(value: string | undefined, name: string, min: number, max: number, fallback: number): number;
export function integerOption(value: string | undefined, name: string, min: number, max: number): number | undefined;
export function integerOption(value: string | undefined, name: string, min: number, max: number, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}; got "${value}"`);
  return n;
}
