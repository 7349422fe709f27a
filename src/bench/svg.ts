/**
 * The learning curve as a self-contained SVG: cumulative success rate (y, 0–100 %) after each task of
 * the stream (x), one line per strategy (the mean over streams, with a shaded band from the lowest to the
 * highest stream when there are several), pass boundaries dashed. Hand-written so the report needs no
 * charting dependency and renders the same on GitHub, in VS Code's Markdown preview and in a browser.
 */
import type { BenchReport } from './report';
import { learningCurves } from './report';

const COLORS: Record<string, string> = {
  none: '#6b7280',
  trajectory: '#2563eb',
  workflow: '#d97706',
  reasoningbank: '#059669',
};
const DASH: Record<string, string> = { none: '6 4' };

const W = 760;
const H = 440;
const M = { top: 68, right: 200, bottom: 64, left: 64 };
const LINE_GAP = 3;

/**
 * Vertical offset (px) of a strategy's line: lines with equal values would hide each other, so they are
 * drawn a few pixels apart (at most about 1 % of the scale), in legend order from top to bottom.
 */
export function lineOffset(index: number, count: number): number {
  return (index - (count - 1) / 2) * LINE_GAP;
}

export function learningCurveSvg(report: BenchReport): string {
  const curves = learningCurves(report);
  const n = Math.max(1, ...curves.map((c) => c.points.length));
  const perPass = report.suite.tasks.length;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  // one step per run; a single run still gets a visible segment from x=0
  const x = (i: number) => M.left + (n === 1 ? plotW / 2 : (i / (n - 1)) * plotW);
  const y = (rate: number) => M.top + (1 - rate) * plotH;
  const parts: string[] = [];

  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>Cumulative success rate over the task stream</title>`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${M.left}" y="26" font-size="16" font-weight="600" fill="#111827">Cumulative success rate over the task stream</text>`,
    `<text x="${M.left}" y="44" fill="#4b5563">${esc(report.suite.name)} · ${perPass} task(s) × ${report.settings.repeat} pass(es)${report.settings.streams > 1 ? ` × ${report.settings.streams} streams` : ''} · ${esc(report.settings.model)}${report.settings.k > 1 ? ` · k = ${report.settings.k} ${report.settings.mode}` : ''}</text>`,
  );

  // grid and y axis
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const yy = y(tick).toFixed(1);
    parts.push(
      `<line x1="${M.left}" y1="${yy}" x2="${M.left + plotW}" y2="${yy}" stroke="${tick === 0 ? '#9ca3af' : '#e5e7eb'}" stroke-width="1"/>`,
      `<text x="${M.left - 8}" y="${yy}" text-anchor="end" dominant-baseline="middle" fill="#4b5563">${tick * 100}%</text>`,
    );
  }
  parts.push(`<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + plotH}" stroke="#9ca3af" stroke-width="1"/>`);

  // x ticks: every task when they fit, otherwise a readable stride
  const stride = n <= 20 ? 1 : n <= 50 ? 5 : 10;
  for (let i = 0; i < n; i++) {
    const label = i + 1;
    // the last task gets a label unless it would crowd the stride tick just before it
    const isLast = label === n && (n % stride === 0 || n % stride > stride / 2);
    if (label !== 1 && !isLast && label % stride !== 0) continue;
    const xx = x(i).toFixed(1);
    parts.push(
      `<line x1="${xx}" y1="${M.top + plotH}" x2="${xx}" y2="${M.top + plotH + 5}" stroke="#9ca3af"/>`,
      `<text x="${xx}" y="${M.top + plotH + 18}" text-anchor="middle" fill="#4b5563">${label}</text>`,
    );
  }
  parts.push(
    `<text x="${M.left + plotW / 2}" y="${H - 26}" text-anchor="middle" fill="#374151">task in stream order</text>`,
    `<text x="${M.left}" y="${H - 8}" font-size="10" fill="#9ca3af">${report.settings.streams > 1 ? `Lines: mean of ${report.settings.streams} streams; shaded: lowest to highest stream. ` : ''}Lines are drawn up to ${Math.ceil(((curves.length - 1) / 2) * LINE_GAP)} px apart so that equal values stay visible.</text>`,
    `<text transform="translate(18 ${M.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#374151">resolved so far</text>`,
  );

  // pass boundaries
  if (report.settings.repeat > 1 && n > 1) {
    for (let p = 1; p < report.settings.repeat; p++) {
      const boundary = p * perPass;
      if (boundary >= n) break;
      const xx = ((x(boundary - 1) + x(boundary)) / 2).toFixed(1);
      parts.push(
        `<line x1="${xx}" y1="${M.top}" x2="${xx}" y2="${M.top + plotH}" stroke="#9ca3af" stroke-dasharray="3 3"/>`,
        `<text x="${(Number(xx) + 4).toFixed(1)}" y="${M.top - 8}" fill="#6b7280">pass ${p + 1}</text>`,
      );
    }
  }

  const colorOf = (strategy: string, ci: number) => COLORS[strategy] ?? ['#7c3aed', '#db2777', '#0891b2'][ci % 3]!;
  // bands first, so that every line stays on top of every band
  curves.forEach((curve, ci) => {
    if (curve.streams < 2 || curve.points.length === 0) return;
    const dy = lineOffset(ci, curves.length);
    const upper = curve.high.map((r, i) => `${x(i).toFixed(1)},${(y(r) + dy).toFixed(1)}`);
    const lower = curve.low.map((r, i) => `${x(i).toFixed(1)},${(y(r) + dy).toFixed(1)}`).reverse();
    parts.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${colorOf(curve.strategy, ci)}" fill-opacity="0.12" stroke="none"/>`);
  });

  // lines, then the legend with each strategy's final figure
  const legendX = M.left + plotW + 24;
  curves.forEach((curve, ci) => {
    const color = colorOf(curve.strategy, ci);
    const dash = DASH[curve.strategy] ? ` stroke-dasharray="${DASH[curve.strategy]}"` : '';
    const dy = lineOffset(ci, curves.length);
    if (curve.points.length) {
      const pts = curve.points.map((r, i) => `${x(i).toFixed(1)},${(y(r) + dy).toFixed(1)}`).join(' ');
      parts.push(`<polyline points="${pts}" fill="none" stroke="${color}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"${dash}/>`);
      if (n <= 40) {
        for (const [i, r] of curve.points.entries()) {
          parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${(y(r) + dy).toFixed(1)}" r="3" fill="${color}"/>`);
        }
      }
    }
    const summary = report.strategies.find((s) => s.strategy === curve.strategy);
    const ly = M.top + 8 + ci * 40;
    parts.push(
      `<line x1="${legendX}" y1="${ly}" x2="${legendX + 24}" y2="${ly}" stroke="${color}" stroke-width="2.5"${dash}/>`,
      `<text x="${legendX + 32}" y="${ly}" dominant-baseline="middle" font-weight="600" fill="#111827">${esc(curve.strategy)}</text>`,
      `<text x="${legendX + 32}" y="${ly + 16}" dominant-baseline="middle" fill="#4b5563">${summary ? `${summary.resolved}/${summary.runs} resolved (${Math.round(summary.successRate * 100)}%)` : ''}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
