/**
 * @module main/engine/evaluate/report-html
 * report.html: one self-contained page (opens offline, from any folder) with the scene facts, a table per protocol
 * and a Chart.js bar chart per index. Chart.js's UMD build is inlined from node_modules (a dependency), the report
 * data ride along as JSON; nothing is fetched.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type EvaluationReport, INDEX_INFO, reportToJson } from './evaluation-report.ts';

let chartJsSource: string | null = null;

/** Chart.js's browser build (its package exports only the module entries; the UMD file sits beside them). */
function chartJs(): string {
  if (chartJsSource === null) {
    const entry = createRequire(import.meta.url).resolve('chart.js');
    chartJsSource = readFileSync(join(dirname(entry), 'chart.umd.js'), 'utf8');
  }
  return chartJsSource;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Code inside <script> must not close the element. */
function scriptSafe(s: string): string {
  return s.replace(/<\/(script)/gi, '<\\/$1');
}

/** JSON inside <script>: every `<` escaped (only strings can hold one, where \u003c means the same). */
function jsonSafe(s: string): string {
  return s.replace(/</g, '\\u003c');
}

function formatValue(v: number | undefined): string {
  if (v === undefined) return '';
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(2) : v.toFixed(4);
}

function tables(report: EvaluationReport): string {
  return report.protocols
    .map((p) => {
      const info = INDEX_INFO.filter((i) => i.protocol === p.protocol && p.methods.some((m) => m.indices[i.key] !== undefined));
      const excludedKeys = [...new Set(p.methods.flatMap((m) => Object.keys(m.excluded)))];
      const head = ['method', ...info.map((i) => `${i.label} ${i.better === 'higher' ? '↑' : '↓'}`), ...excludedKeys.map((k) => `excluded ${k}`), 'time (s)'];
      const best = new Map(
        info.map((i) => {
          const values = p.methods.map((m) => m.indices[i.key]).filter((v): v is number => v !== undefined && Number.isFinite(v));
          return [i.key, values.length ? (i.better === 'higher' ? Math.max(...values) : Math.min(...values)) : NaN];
        }),
      );
      const rows = p.methods.map((m) => {
        const cells = [
          `<th scope="row">${escapeHtml(m.label)}${m.modelName ? `<br><small>${escapeHtml(m.modelName)}</small>` : ''}</th>`,
          ...info.map((i) => `<td class="${m.indices[i.key] === best.get(i.key) ? 'best' : ''}">${formatValue(m.indices[i.key])}</td>`),
          ...excludedKeys.map((k) => `<td>${m.excluded[k] ?? ''}</td>`),
          `<td>${((m.sharpenMs + m.indicesMs) / 1000).toFixed(1)}</td>`,
        ];
        return `<tr>${cells.join('')}</tr>`;
      });
      return `<section><h2>${escapeHtml(p.title)}</h2><p>${escapeHtml(p.description)}</p>
<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>
<div class="charts" id="charts-${p.protocol}"></div></section>`;
    })
    .join('\n');
}

const CHART_SCRIPT = `
const report = JSON.parse(document.getElementById('report-data').textContent);
const num = (v) => (typeof v === 'number' ? v : Number(v));
for (const p of report.protocols) {
  const holder = document.getElementById('charts-' + p.protocol);
  for (const info of report.indexInfo.filter((i) => i.protocol === p.protocol)) {
    const values = p.methods.map((m) => num(m.indices[info.key]));
    if (values.every((v) => Number.isNaN(v))) continue;
    const box = document.createElement('figure');
    const canvas = document.createElement('canvas');
    const caption = document.createElement('figcaption');
    caption.textContent = info.label + ' (' + info.better + ' is better): ' + info.meaning;
    box.append(canvas, caption);
    holder.append(box);
    new Chart(canvas, {
      type: 'bar',
      data: { labels: p.methods.map((m) => m.label), datasets: [{ label: info.label, data: values.map((v) => (Number.isFinite(v) ? v : null)), backgroundColor: '#3b7dd8' }] },
      options: { animation: false, responsive: true, plugins: { legend: { display: false }, title: { display: true, text: info.label } } },
    });
  }
}`;

export function reportToHtml(report: EvaluationReport): string {
  const s = report.scene;
  const facts: [string, string][] = [
    ['PAN', `${s.panPath} (${s.panSize.join('×')} px)`],
    ['MS', `${s.msPath} (${s.msSize.join('×')} px, ${s.bands} bands: ${s.bandDescriptions.join(', ')})`],
    ['ratio', String(s.ratio)],
    ['sensor', `${s.sensor ?? 'unknown'} (MTF: ${s.mtf})`],
    ['bit depth', s.bitDepth === null ? 'unknown (float reflectance)' : String(s.bitDepth)],
    ['protocols', report.protocols.map((p) => p.title).join('; ')],
    ['date', report.createdAt],
    ['software', `${report.software.name} ${report.software.version}`],
  ];
  const skipped = report.skipped.length
    ? `<p><strong>Skipped:</strong> ${report.skipped.map((k) => `${escapeHtml(k.method)} (${escapeHtml(k.reason)})`).join('; ')}</p>`
    : '';
  const notes = [...s.notes, ...report.notes];
  const comparisons = report.comparisons.length
    ? `<section><h2>Where methods disagree</h2><ul>${report.comparisons
        .map(
          (c) =>
            `<li>${c.protocol}: ${escapeHtml(c.a)} vs ${escapeHtml(c.b)}: mean spectral angle ${formatValue(c.meanSpectralAngleDeg)}°, mean relative difference ${formatValue(c.meanRelativeDifference)} (maps: ${Object.values(c.maps).map(escapeHtml).join(', ')})</li>`,
        )
        .join('')}</ul></section>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>PanForge quality report</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; } th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; }
thead th { background: #f3f3f3; } tbody th { text-align: left; } td.best { font-weight: bold; background: #e8f5e9; }
dl { display: grid; grid-template-columns: max-content auto; gap: 2px 12px; } dt { font-weight: bold; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 16px; }
figure { margin: 0; } figcaption { font-size: 12px; color: #555; }
</style></head>
<body>
<h1>Pansharpening quality report</h1>
<dl>${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>
${skipped}
${notes.length ? `<ul>${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : ''}
${tables(report)}
${comparisons}
<p><small>Non-finite pixels (NaN, nodata) are left out of every index and counted in the "excluded" columns. Bold: best value of a column.</small></p>
<script type="application/json" id="report-data">${jsonSafe(reportToJson(report))}</script>
<script>${scriptSafe(chartJs())}</script>
<script>${scriptSafe(CHART_SCRIPT)}</script>
</body></html>
`;
}
