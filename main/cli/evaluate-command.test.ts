// `panforge evaluate` as scripts use it: files, JSON, plausible numbers, exit codes.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { writeSyntheticScene, type SyntheticScene } from '../engine/testing/synthetic-scene.ts';
import { tempFolder } from '../engine/testing/temp-folder.ts';
import { runCli } from './testing/cli-process.ts';

const root = tempFolder('cli-evaluate');
let scene: SyntheticScene;

before(async () => {
  scene = await writeSyntheticScene({ folder: join(root, 'scene'), panWidth: 384, panHeight: 384, sensor: 'QuickBird' });
});

function run(args: string[]) {
  return runCli(['evaluate', ...args], { timeoutMs: 300_000 });
}

test('evaluate exp,gsa both protocols --json: report files, finite numbers, gsa beats exp on ERGAS, exit 0', () => {
  const out = join(root, 'report');
  const r = run(['--pan', scene.panPath, '--ms', scene.msPath, '--methods', 'exp,gsa', '--protocol', 'both', '--out', out, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.equal(result.ok, true);
  for (const f of ['report.json', 'report.csv', 'report.html']) assert.ok(existsSync(join(out, f)), f);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  assert.equal(report.software.name, 'PanForge');
  assert.equal(report.scene.sensor, 'QuickBird');
  assert.ok(!Number.isNaN(Date.parse(report.createdAt)));
  const [rr, fr] = report.protocols;
  const byMethod = (p: { methods: { method: string; indices: Record<string, number> }[] }, m: string) => p.methods.find((x) => x.method === m)!.indices;
  for (const p of [rr, fr])
    for (const m of p.methods) for (const [k, v] of Object.entries(m.indices)) assert.equal(typeof v, 'number', `${p.protocol} ${m.method} ${k} = ${v}`);
  const exp = byMethod(rr, 'exp');
  const gsa = byMethod(rr, 'gsa');
  assert.ok(gsa.ERGAS! < exp.ERGAS!, `gsa ERGAS ${gsa.ERGAS} < exp ERGAS ${exp.ERGAS}`);
  assert.ok(gsa.Q2n! > exp.Q2n! && gsa.SCC! > exp.SCC!, 'gsa adds detail that exp cannot');
  for (const v of [exp.Q2n, exp.Q, gsa.Q2n, gsa.Q, gsa.SCC]) assert.ok(v! > 0.5 && v! <= 1, `similarity index ${v} in (0.5, 1]`);
  assert.ok(gsa.SAM_deg! > 0 && gsa.SAM_deg! < 20 && gsa.PSNR_dB! > 15 && gsa.PSNR_dB! < 80);
  for (const m of fr.methods) {
    const { D_lambda, D_s, QNR, HQNR } = m.indices;
    assert.ok(D_lambda >= 0 && D_lambda < 0.5 && D_s >= 0 && D_s < 0.5, JSON.stringify(m.indices));
    assert.ok(Math.abs(QNR - (1 - D_lambda) * (1 - D_s)) < 1e-12 && HQNR > 0 && HQNR <= 1);
    for (const map of Object.values(m.maps as Record<string, string>)) assert.ok(existsSync(join(out, map)), map);
  }
  assert.equal(report.comparisons.length, 2);
  const csv = readFileSync(join(out, 'report.csv'), 'utf8').trim().split('\n');
  assert.equal(csv.length, 5);
  assert.match(csv[0]!, /^protocol,method,model,Q2n,Q,SAM_deg,ERGAS,SCC,PSNR_dB,D_lambda,D_s,QNR,D_lambda_K,HQNR/);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.match(html, /new Chart\(/);
  assert.ok(html.length > 150_000, 'Chart.js is inlined');
  assert.doesNotMatch(html, /<script[^>]+src=/, 'no external scripts');
});

test('human output: the table on stdout, progress steps on stderr', () => {
  const r = run(['--pan', scene.panPath, '--ms', scene.msPath, '--methods', 'exp', '--protocol', 'fr', '--out', join(root, 'human')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Full resolution \(no reference\)\nmethod\s+D_λ ↓/);
  assert.match(r.stdout, /report: .*report\.html/);
  assert.match(r.stderr, /\[1\/3\] fr: low-pass PAN/);
});

test('exit codes: 2 usage (also an unknown method), 3 bad input, 5 existing report', () => {
  const base = ['--pan', scene.panPath, '--ms', scene.msPath, '--out', join(root, 'codes')];
  let r = run([...base, '--methods', 'exp', '--protocol', 'xx']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--protocol must be rr, fr or both; got "xx"/);
  r = run([...base, '--methods', 'exp', '--protocol', 'fr', '--threads', '0']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--threads must be an integer from 1 to 256; got "0"/);
  r = run(['--pan', scene.panPath, '--methods', 'exp', '--protocol', 'fr']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /missing --ms/);
  r = run([...base, '--methods', 'exp,nosuch', '--protocol', 'fr', '--json']);
  assert.equal(r.status, 2); // an unknown method is a usage error (issue 13)
  assert.equal(JSON.parse(r.stdout).error.code, 'unknown-method');
  r = run(['--pan', scene.panPath, '--ms', scene.msPath, '--out', join(root, 'report'), '--methods', 'exp', '--protocol', 'fr']);
  assert.equal(r.status, 5);
  assert.match(r.stderr, /output exists: .*report\.json; choose another name or pass --overwrite/);
});
