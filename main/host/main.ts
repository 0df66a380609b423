/**
 * @module main/host/main
 * `npm run host -- --allow ../shared/data --export-dir /tmp/exports`: starts the browser-mode host and prints the
 * page URL (token included). Scenes may be opened only from the --allow files/folders; exports go into
 * --export-dir. Stops on Ctrl-C / SIGTERM, taking the engine process with it.
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { forkEngine } from '../engine/service/fork-engine.ts';
import { softwareVersion } from '../engine/version.ts';
import { startHost } from './host-server.ts';

const USAGE = `usage: npm run host -- --allow <file|folder> [--allow …] [--export-dir DIR] [--user-data DIR] [--renderer-dir DIR] [--port N] [--token T]
                              [--cache-max-gib N] [--cache-max-days N]
  --allow         scene files or folders the page may open (repeatable; at least one)
  --export-dir    where exports are written [default <user-data>/exports]
  --user-data     recent list, display copies and run outputs [default $XDG_DATA_HOME/panforge-host]
  --cache-max-gib  display copies beyond this total are deleted, least recently used first [default 8]
  --cache-max-days display copies not used for this many days are deleted at start-up [default 30]
  --renderer-dir  the built renderer [default renderer/dist]
  --port          [default: a free port]   --token  [default: random]`;

function fail(message: string): never {
  process.stderr.write(`panforge host: ${message}\n${USAGE}\n`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      allow: { type: 'string', multiple: true },
      'export-dir': { type: 'string' },
      'user-data': { type: 'string' },
      'renderer-dir': { type: 'string' },
      port: { type: 'string' },
      token: { type: 'string' },
      'cache-max-gib': { type: 'string' },
      'cache-max-days': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  }).values;
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const allow = (args.allow ?? []).map((p) => resolve(p));
if (allow.length === 0) fail('give at least one --allow <file|folder>: the page can open scenes only from there');
const port = args.port === undefined ? 0 : Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port ${args.port}: expected an integer in 0–65535`);
/** A positive number flag, or undefined when not given. */
function positive(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) fail(`--${flag} ${value}: expected a number > 0`);
  return n;
}
const cacheMaxGib = positive('cache-max-gib', args['cache-max-gib']);
const cacheMaxAgeDays = positive('cache-max-days', args['cache-max-days']);
const userDataDir = resolve(args['user-data'] ?? join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'panforge-host'));
const exportDir = resolve(args['export-dir'] ?? join(userDataDir, 'exports'));
mkdirSync(exportDir, { recursive: true });

try {
  const host = await startHost({
    rendererDir: resolve(args['renderer-dir'] ?? fileURLToPath(new URL('../../renderer/dist', import.meta.url))),
    userDataDir,
    exportDir,
    allow,
    version: softwareVersion,
    startEngine: () => forkEngine(),
    storage: {
      ...(cacheMaxGib === undefined ? {} : { cacheMaxBytes: Math.round(cacheMaxGib * 1024 ** 3) }),
      ...(cacheMaxAgeDays === undefined ? {} : { cacheMaxAgeDays }),
    },
    port,
    token: args.token,
    log: (m) => process.stderr.write(`panforge host: ${m}\n`),
  });
  process.stdout.write(
    `PanForge browser host: open ${host.url}\n  scenes from: ${allow.join(', ')}\n  exports to: ${exportDir}\nPANFORGE_HOST_URL=${host.url}\n`,
  );
  const stop = () => {
    void host.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}
