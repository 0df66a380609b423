/**
 * @module main/cli/option-values
 * Checked option values shared by the commands: one wording for every usage error of the same kind.
 */
import { suggestion } from './did-you-mean.ts';
import { UsageError } from './usage-error.ts';

export function required(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`missing --${name}`);
  return v;
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string, fallback: T): T {
  if (value === undefined) return fallback;
  const match = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (!match) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}; got "${value}"${suggestion(value, allowed)}`);
  return match;
}

export function integerOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\s*-?\d+\s*$/.test(value) || !Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}; got "${value}"`);
  return n;
}

/** A non-empty comma-separated list. */
export function listOption(value: string | undefined, name: string): string[] {
  const items = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new UsageError(`--${name} needs a comma-separated list; got "${value ?? ''}"`);
  return items;
}

/** A method id the registry knows, else a usage error with the nearest one (before any input is opened). */
export async function checkMethodName(method: string): Promise<string> {
  const { listMethods } = await import('../engine/methods/registry.ts');
  const ids = listMethods().map((e) => e.id);
  if (!ids.includes(method.toLowerCase())) throw new UsageError(`unknown method "${method}"${suggestion(method, ids)}; available: ${ids.join(', ')}`);
  return method.toLowerCase();
}
