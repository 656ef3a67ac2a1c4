/**
 * Theme-aware Chart.js bar charts. Only the pieces used are registered (no chart.js/auto).
 * Colours come from computed `--vscode-*` variables at creation and are re-read when the body's
 * theme class changes (VS Code swaps vscode-light / vscode-dark / vscode-high-contrast).
 * Labels are drawn on the canvas, so log text never becomes markup.
 */
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Legend, Tooltip } from 'chart.js';
import type { ChartSeries } from '../../src/shared/protocol';
import { cssVar, h } from './dom';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

interface Palette {
  fg: string;
  grid: string;
  bar: string;
  barHover: string;
  tooltipBg: string;
  tooltipFg: string;
  tooltipBorder: string;
  font: string;
  levels: Record<string, string>;
}

function readPalette(): Palette {
  const hc = document.body.classList.contains('vscode-high-contrast');
  const fg = cssVar('--vscode-foreground', '#cccccc');
  return {
    fg,
    grid: hc ? cssVar('--vscode-contrastBorder', fg) : cssVar('--vscode-editorWidget-border', cssVar('--vscode-panel-border', 'rgba(128,128,128,0.35)')),
    bar: cssVar('--vscode-charts-blue', cssVar('--vscode-button-background', '#3794ff')),
    barHover: cssVar('--vscode-focusBorder', '#007fd4'),
    tooltipBg: cssVar('--vscode-editorHoverWidget-background', cssVar('--vscode-editorWidget-background', '#252526')),
    tooltipFg: cssVar('--vscode-editorHoverWidget-foreground', fg),
    tooltipBorder: cssVar('--vscode-editorHoverWidget-border', cssVar('--vscode-contrastBorder', 'transparent')),
    font: cssVar('--vscode-font-family', 'sans-serif'),
    levels: {
      ALERT: cssVar('--vscode-errorForeground', '#f48771'),
      WARNING: cssVar('--vscode-editorWarning-foreground', '#cca700'),
      NOTICE: cssVar('--vscode-editorInfo-foreground', '#3794ff'),
      CLEAN: cssVar('--vscode-charts-green', cssVar('--vscode-testing-iconPassed', '#89d185')),
      INDICATORS: cssVar('--vscode-errorForeground', '#f48771'),
      SUSPICIOUS: cssVar('--vscode-editorWarning-foreground', '#cca700'),
      INCOMPLETE: cssVar('--vscode-descriptionForeground', '#9d9d9d'),
    },
  };
}

function barColors(series: ChartSeries, p: Palette): string[] {
  return series.labels.map((_, i) => {
    const key = series.colorKeys?.[i]?.toUpperCase();
    return (key && p.levels[key]) || p.bar;
  });
}

export interface BarChartHandle {
  el: HTMLElement;
  chart: Chart<'bar'>;
  update(series: ChartSeries): void;
  destroy(): void;
}

/**
 * Creates a horizontal bar chart card. `onBar(label)` fires when a bar is clicked.
 */
export function createBarChart(series: ChartSeries, onBar?: (series: ChartSeries, label: string, index: number) => void): BarChartHandle {
  let current = series;
  const canvas = h('canvas', { role: 'img', 'aria-label': series.title, 'data-testid': `chart-${series.id}` });
  const box = h('div', { class: 'chart-box' }, canvas);
  const el = h('section', { class: 'chart-card', 'data-chart': series.id }, h('h3', { class: 'chart-title' }, series.title), box);
  if (!series.labels.length) el.appendChild(h('div', { class: 'chart-empty' }, 'No data'));

  const p = readPalette();
  const chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels: series.labels,
      datasets: [
        {
          label: series.title,
          data: series.values,
          backgroundColor: barColors(series, p),
          hoverBackgroundColor: p.barHover,
          borderWidth: 0,
          borderRadius: 2,
          maxBarThickness: 22,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      layout: { padding: { right: 8 } },
      plugins: {
        legend: { display: false },
        tooltip: {
          backgroundColor: p.tooltipBg,
          titleColor: p.tooltipFg,
          bodyColor: p.tooltipFg,
          borderColor: p.tooltipBorder,
          borderWidth: 1,
          displayColors: false,
        },
      },
      scales: {
        x: { beginAtZero: true, ticks: { color: p.fg, precision: 0, maxRotation: 0, autoSkip: true, font: { family: p.font } }, grid: { color: p.grid }, border: { color: p.grid } },
        y: {
          ticks: {
            color: p.fg,
            font: { family: p.font },
            autoSkip: false,
            callback(value) {
              // Keep labels to ~40% of the chart width (Chart.js would clip longer ones at the left edge).
              const label = String(this.getLabelForValue(Number(value)));
              const max = Math.max(8, Math.min(32, Math.floor((this.chart.width * 0.4) / 7)));
              return label.length > max ? `${label.slice(0, max - 1)}…` : label;
            },
          },
          grid: { display: false },
          border: { color: p.grid },
        },
      },
      onHover(evt, elements) {
        const t = evt.native?.target as HTMLElement | undefined;
        if (t) t.classList.toggle('clickable', elements.length > 0 && !!current.facetColumn);
      },
      onClick(_evt, elements) {
        if (!elements.length || !onBar) return;
        const i = elements[0].index;
        onBar(current, current.labels[i], i);
      },
    },
  });

  const handle: BarChartHandle = {
    el,
    chart,
    update(s: ChartSeries) {
      current = s;
      chart.data.labels = s.labels;
      chart.data.datasets[0].data = s.values;
      chart.data.datasets[0].backgroundColor = barColors(s, readPalette());
      chart.update();
    },
    destroy() {
      chart.destroy();
    },
  };
  (chart as unknown as { __series: () => ChartSeries }).__series = () => current;
  applyPalette(chart, () => current);
  return handle;
}

function applyPalette(chart: Chart<'bar'>, series: () => ChartSeries): void {
  const p = readPalette();
  const ds = chart.data.datasets[0];
  ds.backgroundColor = barColors(series(), p);
  ds.hoverBackgroundColor = p.barHover;
  const o = chart.options;
  const tt = o.plugins?.tooltip;
  if (tt) {
    tt.backgroundColor = p.tooltipBg;
    tt.titleColor = p.tooltipFg;
    tt.bodyColor = p.tooltipFg;
    tt.borderColor = p.tooltipBorder;
  }
  for (const axis of ['x', 'y'] as const) {
    const sc = o.scales?.[axis];
    if (!sc) continue;
    if (sc.ticks) sc.ticks.color = p.fg;
    if (sc.grid) sc.grid.color = p.grid;
    if (sc.border) sc.border.color = p.grid;
  }
  chart.update('none');
}

/**
 * Re-reads theme colours for the given charts whenever the theme changes: VS Code swaps the body
 * class (vscode-light / vscode-dark / vscode-high-contrast), sets `data-vscode-theme-id` on the body
 * and rewrites the variables in the `<html>` style attribute.
 */
export function watchTheme(getCharts: () => BarChartHandle[], onChange?: () => void): MutationObserver {
  let scheduled = false;
  const mo = new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      for (const c of getCharts()) {
        const get = (c.chart as unknown as { __series: () => ChartSeries }).__series;
        applyPalette(c.chart, get);
      }
      onChange?.();
    });
  });
  mo.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });
  mo.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return mo;
}
