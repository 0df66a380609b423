/**
 * @module renderer/panels/charts
 * chart.js with only the pieces the panels use registered (keeps the bundle smaller), and one palette so a run
 * has the same colour in the spectral profile and the metrics chart.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);
Chart.defaults.font.size = 11;
Chart.defaults.animation = false;

export { Chart };

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

/** A stable colour per key (layer or job id) for as long as the page lives. */
const assigned = new Map<string, string>();
export function colourFor(key: string): string {
  let c = assigned.get(key);
  if (!c) {
    c = PALETTE[assigned.size % PALETTE.length]!;
    assigned.set(key, c);
  }
  return c;
}
