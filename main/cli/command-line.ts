/**
 * @module main/cli/command-line
 * One parser for every command's options: node:util parseArgs plus what users of a CLI expect from it:
 * `--help`/`-h` anywhere prints the command's help (exit 0), and an unknown or misspelt option, a missing value or a
 * stray argument is a UsageError (exit 2) naming it, with the nearest option as a suggestion.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { suggestion } from './did-you-mean.ts';
import { UsageError } from './usage-error.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export type Parsed<T extends OptionSpec> =
  | { help: true }
  | { help: false; values: { [K in keyof T]?: T[K] extends { type: 'boolean' } ? boolean : T[K] extends { multiple: true } ? string[] : string } };

export function parseCommandLine<T extends OptionSpec>(argv: readonly string[], options: T): Parsed<T> {
  if (argv.includes('--help') || argv.includes('-h')) return { help: true };
  const names = [...Object.keys(options), 'help'];
  for (const arg of argv) {
    if (!arg.startsWith('--')) continue;
    const name = arg.slice(2).split('=')[0]!;
    if (!names.includes(name)) throw new UsageError(`unknown option --${name}${suggestion(name, names, '--')}`);
  }
  // `--tile -5`: node reads -5 as an option and calls the value missing ("ambiguous"); a negative number after
  // an option that takes a value is that value, which the command then checks and names (e.g. "must be 16 to 8192").
  const args = [...argv];
  for (let i = 1; i < args.length; i++) {
    const name = args[i - 1]!.startsWith('--') ? args[i - 1]!.slice(2) : null;
    if (name && options[name]?.type === 'string' && /^-\d/.test(args[i]!)) {
      args.splice(i - 1, 2, `--${name}=${args[i]}`);
      i--;
    }
  }
  try {
    const { values } = parseArgs({ args, options, strict: true, allowPositionals: false });
    return { help: false, values: values as never };
  } catch (err) {
    if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
      // node's wording, minus its advice to use "--" (no command takes positionals)
      throw new UsageError(err.message.replace(/\. To specify a positional argument starting with a '-'.*$/s, '').replace(/\.$/, ''));
    }
    throw err;
  }
}
