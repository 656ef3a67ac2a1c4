/**
 * Theme-aware Chart.js bar charts. Only the pieces used are registered (no chart.js/auto).
 * Colours come from computed `--vscode-*` variables at creation and are re-read when the body's
 * theme class changes (VS Code swaps vscode-light / vscode-dark / vscode-high-contrast).
 * Labels are drawn on the canvas, so log text never becomes markup.
 */
import type { ActiveElement, ChartEvent } from 'chart.js';
import { BarController, BarElement, CategoryScale, Chart, layouts, LinearScale, Legend, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { ChartSeries } from '../../src/shared/protocol';
import { clear, cssVar, h, icon, visibleText } from './dom';
import { readableTagColor, TAG_NEUTRAL, TAG_PALETTE } from '../../src/shared/tag-palette';
import { seriesColors } from '../../src/shared/series-colors';
import { valueTickLabel } from '../../src/shared/value-ticks';
import { fitLabels } from './labelFit';
import { spreadTickIndices, wrapWords } from '../../src/shared/axis-ticks';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

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
  /** Colours for datasets without a known colour key, in order. */
  cycle: string[];
  /** Colour of the neutral tag slot (-1: the default tag, `(not tagged)`; core/analyze/tag-colors). */
  neutral: string;
  background: string;
}

function readPalette(): Palette {
  const hc = document.body.classList.contains('vscode-high-contrast');
  const fg = cssVar('--vscode-foreground', '#cccccc');
  const background = cssVar('--vscode-editor-background', '#1e1e1e');
  // a tag's colour: the theme's chart colour made opaque when it reads on the background (≥ 3:1), else the slot's
  // checked palette colour (a theme's charts.orange with alpha painted MaliciousIP dark brown on the dark theme)
  const tagColor = (slot: number, themeVar?: string) => readableTagColor(themeVar ? cssVar(themeVar, '') : undefined, background, TAG_PALETTE[slot]);
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
      ESCALATED: cssVar('--vscode-charts-red', cssVar('--vscode-errorForeground', '#f48771')),
      FALSEPOSITIVE: cssVar('--vscode-charts-green', '#89d185'),
      NOTCLOSED: cssVar('--vscode-descriptionForeground', '#9d9d9d'),
      NONE: cssVar('--vscode-descriptionForeground', '#9d9d9d'),
    },
    // Theme chart colours first, then fixed mid-saturation hues readable on light and dark backgrounds, so up to
    // 12 series (e.g. tags) never share a colour.
    cycle: [
      tagColor(0, '--vscode-charts-blue'),
      tagColor(1, '--vscode-charts-purple'),
      tagColor(2, '--vscode-charts-orange'),
      tagColor(3, '--vscode-charts-yellow'),
      tagColor(4, '--vscode-charts-green'),
      tagColor(5, '--vscode-charts-red'),
      tagColor(6),
      tagColor(7),
      tagColor(8),
      tagColor(9),
      tagColor(10),
      cssVar('--vscode-charts-foreground', '#cccccc'),
    ],
    neutral: readableTagColor(cssVar('--vscode-disabledForeground', cssVar('--vscode-descriptionForeground', '')), background, TAG_NEUTRAL),
    background,
  };
}

/** Tag colour slots (core/analyze/tag-colors TAG_COLOR_SLOTS): the 11 hued cycle colours (the 12th is a grey, too close to the neutral colour). */
const TAG_SLOTS = 11;

/** The colour of a tag colour slot (the same hue per slot as the report): a cycle colour, the neutral colour for a negative slot. */
function slotColor(slot: number, p: Palette): string {
  return slot < 0 ? p.neutral : p.cycle[slot % TAG_SLOTS];
}

/**
 * Colours of a multi-series chart's datasets, each its own (src/shared/series-colors.ts): a colour slot's colour (tags:
 * the same tag, the same colour in every chart), else its colour key's theme colour for the first dataset of that
 * colour, else the next cycle colour no other dataset of the chart has.
 */
function datasetColors(series: ChartSeries, p: Palette): string[] {
  return seriesColors(series.datasets ?? [], { levels: p.levels, cycle: p.cycle, slot: (slot) => slotColor(slot, p) });
}

/** Shortest bar drawn for a non-zero value (px). */
export const MIN_BAR_PX = 3;

/** Chart.js datasets of a series: its `datasets`, or one dataset from `values`. */
function chartDatasets(series: ChartSeries, p: Palette) {
  const line = series.type === 'line';
  const list = series.datasets?.length ? series.datasets : [{ label: series.title, values: series.values }];
  const colors = series.datasets?.length ? datasetColors(series, p) : undefined;
  return list.map((d, i) => {
    const color = colors?.[i];
    return {
      label: d.label,
      // Bars: a zero is no bar (null), so that minBarLength draws every non-zero bar at least MIN_BAR_PX
      // long (one event next to a bucket of hundreds is still seen) without stubs on the empty buckets.
      data: line ? d.values : d.values.map((v) => (v === 0 ? null : v)),
      minBarLength: line ? undefined : MIN_BAR_PX,
      backgroundColor: color ?? barColors(series, p),
      borderColor: line ? color ?? p.bar : undefined,
      hoverBackgroundColor: line ? color : p.barHover,
      borderWidth: line ? 2 : 0,
      borderRadius: line ? 0 : 2,
      maxBarThickness: 22,
      pointRadius: line ? 2 : undefined,
      // Straight segments: the series are counts per day or hour; a smoothed curve drew a one-day spike as a
      // bell over three days, with fractional values and activity on days that had none.
      tension: line ? 0 : undefined,
    };
  });
}

/**
 * The chart as a PNG data URL on the editor background (a transparent PNG with theme-coloured
 * text is unreadable in most image viewers).
 */
export function chartPng(chart: Chart): string {
  const src = chart.canvas;
  const c = document.createElement('canvas');
  c.width = src.width;
  c.height = src.height;
  const ctx = c.getContext('2d');
  if (!ctx) return src.toDataURL('image/png');
  ctx.fillStyle = readPalette().background;
  ctx.fillRect(0, 0, c.width, c.height);
  ctx.drawImage(src, 0, 0);
  return c.toDataURL('image/png');
}

function barColors(series: ChartSeries, p: Palette): string[] {
  return series.labels.map((_, i) => {
    const slot = series.colorSlots?.[i];
    if (slot !== undefined) return slotColor(slot, p);
    const key = series.colorKeys?.[i]?.toUpperCase();
    return (key && p.levels[key]) || p.bar;
  });
}

/** Lines a long label may wrap onto on a horizontal chart's label axis (at spaces, else after `_` `.` `\` …). */
export const LABEL_LINES = 3;
/** Share of a horizontal chart's width its label axis may take (Chart.js itself allows at most half). */
export const LABEL_AXIS_SHARE = 0.47;
/** Height of one line of tick labels (Chart.js: font size × its default line height 1.2). */
export const LABEL_LINE_PX = (Chart.defaults.font.size ?? 12) * 1.2;
/** Height (or, beside a horizontal chart's labels, width) an axis title takes: one line of the tick font plus its padding of 4 px each side. */
export const AXIS_TITLE_PX = Math.ceil(LABEL_LINE_PX + 8);
/** Height of a horizontal chart's bar slot for labels of `lines` lines (22 px for one line). */
export function slotPx(lines: number): number {
  return lines <= 1 ? 22 : lines * LABEL_LINE_PX + 4;
}
/** Lines of labels a bar slot `slot` px high holds (the inverse of {@link slotPx}; at least one). */
export function linesIn(slot: number): number {
  return Math.max(1, Math.min(LABEL_LINES, Math.floor((slot - 4) / LABEL_LINE_PX)));
}
/** What a horizontal chart's height holds besides its bar slots: the value axis and the padding (plus a legend). */
export const AXIS_PX = 40;
/** The CSS font of the tick labels (Chart.js default size, the theme's family). */
function tickFont(family: string): string {
  return `${Chart.defaults.font.size ?? 12}px ${family}`;
}
/**
 * Pixels a horizontal chart `chartWidth` wide gives its label axis's labels (the callback below; Chart.js caps the
 * axis at half), less the axis title beside them when `titled`.
 */
export function labelRoomPx(chartWidth: number, titled = false): number {
  return Math.floor(Math.min(chartWidth * LABEL_AXIS_SHARE, (chartWidth - 8) / 2 - 12) - (titled ? AXIS_TITLE_PX : 0));
}
let measureCtx: CanvasRenderingContext2D | null | undefined;
const measureCache = new Map<string, string>();
/** How a horizontal chart's labels are drawn at a given width (see {@link measureLabels}). */
export interface LabelMeasure {
  /** The widest label's pixels on one line (uncut). */
  widest: number;
  /** The most lines a label takes when each may wrap onto `maxLines` lines. */
  lines: number;
  /** Index `k`: how many labels are shown whole (not cut with "…") when each may take `k + 1` lines (1 … `maxLines`). */
  whole: number[];
}
/**
 * How the labels of a horizontal chart `chartWidth` px wide are drawn, measured as the tick callback fits them
 * ({@link fitLabels}): the widest label's pixels on one line, the lines the labels take when wrapped onto at most
 * `maxLines`, and per line count how many labels are shown whole. Used to size the chart and to choose its width and
 * how many lines its bar slots hold (chartLayout.ts). No labels (or no canvas): `{ widest: 0, lines: 1, whole: [0…] }`.
 */
export function measureLabels(labels: readonly string[], chartWidth: number, maxLines = LABEL_LINES, titled = false): LabelMeasure {
  measureCtx ??= document.createElement('canvas').getContext('2d');
  const ctx = measureCtx;
  const none = Array.from({ length: Math.max(1, maxLines) }, () => 0);
  if (!ctx || !labels.length) return { widest: 0, lines: 1, whole: none };
  const font = tickFont(cssVar('--vscode-font-family', 'sans-serif'));
  ctx.save();
  ctx.font = font;
  const shown = labels.map(visibleText);
  const widest = Math.max(...shown.map((l) => ctx.measureText(l).width));
  ctx.restore();
  const room = labelRoomPx(chartWidth, titled);
  // (a label wrapped at its spaces loses them, one wrapped after a separator keeps it: compared without white space)
  const bare = (t: string) => t.replace(/\s+/g, '');
  let lines = 1;
  const whole = none.map((_, k) => {
    const fitted = fitLabels(ctx, shown, room, font, k + 1, measureCache);
    if (k === none.length - 1) lines = Math.max(1, ...fitted.map((l) => (Array.isArray(l) ? l.length : 1)));
    return fitted.filter((f, i) => bare(Array.isArray(f) ? f.join('') : f) === bare(shown[i])).length;
  });
  return { widest, lines, whole };
}

/** The event (bubbling from the canvas) after a chart was drawn at a new size: its plot moved. */
export const CHART_RESIZE_EVENT = 'soc-chart-resize';

/**
 * The bottom of the plot area (the bars, above the axis ticks, axis title and legend) of the chart drawn in `card`, in
 * viewport px (as getBoundingClientRect), or undefined when the card holds no drawn chart.
 */
export function plotBottomPx(card: Element): number | undefined {
  const canvas = card.querySelector('canvas');
  const chart = canvas ? Chart.getChart(canvas) : undefined;
  if (!canvas || !chart?.chartArea) return undefined;
  return canvas.getBoundingClientRect().top + chart.chartArea.bottom;
}

/** Charts whose data table is shown (by chart id), kept while the webview lives (a re-render keeps the choice). */
const tablesShown = new Set<string>();
let descCount = 0;

/**
 * A short text summary of a chart for screen readers: "12 bars; largest: psexec_generic 4"; a multi-series chart names
 * its series, each quoted: "31 bars in 3 series (“(not closed)”, “False-Positive, Tuned”, “Non-Issue”); largest total: …".
 */
export function chartSummary(s: ChartSeries): string {
  const n = s.labels.length;
  if (!n) return 'No data';
  const multi = (s.datasets?.length ?? 0) > 1;
  const totals = s.labels.map((_, i) => (multi ? s.datasets!.reduce((sum, d) => sum + (d.values[i] ?? 0), 0) : s.values[i] ?? 0));
  let top = 0;
  for (let i = 1; i < n; i++) if (totals[i] > totals[top]) top = i;
  const unit = s.type === 'line' ? (n === 1 ? 'point' : 'points') : n === 1 ? 'bar' : 'bars';
  // each series name in quotes: a name with a comma ("False-Positive, Tuned") read as two series when joined bare
  const series = multi ? ` in ${s.datasets!.length} series (${s.datasets!.map((d) => `“${d.label}”`).join(', ')})` : '';
  return `${n} ${unit}${series}; largest${multi ? ' total' : ''}: ${s.labels[top]} ${totals[top].toLocaleString('en-US')}`;
}

/**
 * The chart's data as a compact table (label → value, or one column per series), for the keyboard and screen
 * readers. With `onCell`, what a bar click filters is a button: the label when the series filters by its labels
 * (`facetColumn` or `baseFacet`), each series' value when it filters by series (`datasetFacetColumn`, e.g. a source or
 * closing reason per day); `onCell(i, datasetIndex)` filters as a click on that bar does. A time chart
 * (`timeSpans`): each label of a bar with a span is a button (`data-testid` `zoom-<chart id>-<i>`) that zooms as a click
 * on the bar does (`onCell(i, undefined, shiftKey)`), the values plain text. Text only (log content).
 */
function dataTable(s: ChartSeries, onCell?: (i: number, datasetIndex?: number, extend?: boolean) => void): HTMLTableElement {
  const multi = (s.datasets?.length ?? 0) > 1;
  const cols = multi ? s.datasets!.map((d) => d.label) : ['Value'];
  const spans = s.timeSpans?.spans;
  const byLabel = !!onCell && !spans && !!(s.facetColumn || s.baseFacet);
  const bySeries = !!onCell && !spans && multi && !!s.datasetFacetColumn;
  const table = h('table', { class: 'chart-table' }, h('caption', { class: 'sr-only' }, s.title));
  table.appendChild(h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Label'), ...cols.map((c) => h('th', { scope: 'col' }, c)))));
  const body = h('tbody');
  s.labels.forEach((label, i) => {
    const head = h('th', { scope: 'row' });
    if (onCell && spans?.[i]) {
      // a time chart: the label zooms the table to the bar's span (Shift widens the zoom to take it in)
      const btn = h('button', { type: 'button', class: 'link-btn chart-table-label', 'data-testid': `zoom-${s.id}-${i}`, title: `Show only the rows of ${label} in the table (Shift: widen the zoom to it)` }, label);
      btn.addEventListener('click', (e) => onCell(i, undefined, (e as MouseEvent).shiftKey));
      head.appendChild(btn);
    } else if (byLabel) {
      const btn = h('button', { type: 'button', class: 'link-btn chart-table-label', title: `Filter the table by ${s.tooltips?.[i] ?? label}` }, label);
      btn.addEventListener('click', () => onCell!(i));
      head.appendChild(btn);
    } else head.appendChild(document.createTextNode(visibleText(label)));
    const values = multi ? s.datasets!.map((d) => d.values[i] ?? 0) : [s.values[i] ?? 0];
    const cells = values.map((v, d) => {
      const text = v.toLocaleString('en-US');
      if (!bySeries) return h('td', {}, text);
      const what = byLabel ? `${label} · ${s.datasets![d].label}` : s.datasets![d].label;
      const btn = h('button', { type: 'button', class: 'link-btn chart-table-value', title: `Filter the table by ${what}` }, text);
      btn.addEventListener('click', () => onCell!(i, d));
      return h('td', {}, btn);
    });
    body.appendChild(h('tr', {}, head, ...cells));
  });
  table.appendChild(body);
  return table;
}

/** A vertical chart's tick label: at most 16 characters (a narrow slot under each bar). */
function verticalTick(label: string): string {
  return label.length <= 16 ? label : `${label.slice(0, 15)}…`;
}
/** Chart.js's maximum tick rotation on a vertical chart's label axis (degrees). */
export const VERTICAL_MAX_ROTATION = 60;
/**
 * The height a vertical chart's label axis may take, `plotWidth` px wide: one line of ticks when its widest label fits
 * its slot, else the widest label turned by up to 60° (as Chart.js turns them). Used for the chart's least height.
 */
export function verticalLabelAxisPx(labels: readonly string[], plotWidth: number): number {
  measureCtx ??= document.createElement('canvas').getContext('2d');
  const ctx = measureCtx;
  if (!ctx || !labels.length) return LABEL_LINE_PX;
  ctx.save();
  ctx.font = tickFont(cssVar('--vscode-font-family', 'sans-serif'));
  const widest = Math.max(...labels.map((l) => ctx.measureText(verticalTick(visibleText(l))).width));
  ctx.restore();
  if (widest + 6 <= plotWidth / labels.length) return LABEL_LINE_PX;
  const a = (VERTICAL_MAX_ROTATION * Math.PI) / 180;
  return Math.ceil(widest * Math.sin(a) + LABEL_LINE_PX * Math.cos(a));
}

/** Pixels a chart's axis titles add across its label-axis direction: the title under the x axis (the value axis of a horizontal chart, the label axis of a vertical one). */
export function axisTitlePx(s: ChartSeries): number {
  const under = s.orientation === 'vertical' ? s.axes?.label : s.axes?.value;
  return under ? AXIS_TITLE_PX : 0;
}
/** Chart.js options of an axis title: the text (with its unit, from the host) in the theme's foreground colour. */
function axisTitle(text: string | undefined, p: Palette) {
  return { display: !!text, text: text ? visibleText(text) : '', color: p.fg, font: { family: p.font }, padding: { top: 4, bottom: 4 } };
}

/** A scale as {@link axisTitleFits} reads it (a Chart.js scale: its box and whether it runs across). */
interface TitledScale {
  top: number;
  bottom: number;
  left: number;
  right: number;
  isHorizontal(): boolean;
}
/**
 * Whether an axis title `textPx` wide, drawn by Chart.js centred on its scale `s`, lies wholly inside the canvas
 * (`canvasWidth` × `canvasHeight`, CSS px). A rotated title (the y axis) is not squeezed by Chart.js: longer than the
 * room around the scale's centre it runs off the canvas and is cut mid-word (new-user trial: QRadar's small per-offense
 * charts at 200 % zoom cut "Offense source", the beacon detail's histograms "Connections"); across (the x axis) Chart.js
 * squeezes it to the scale's width, never off the canvas: it always fits.
 */
export function axisTitleFits(s: TitledScale, textPx: number, canvasWidth: number, canvasHeight: number): boolean {
  if (s.isHorizontal()) return s.right <= canvasWidth + 1;
  const mid = (s.top + s.bottom) / 2;
  return mid - textPx / 2 >= -1 && mid + textPx / 2 <= canvasHeight + 1;
}

/**
 * Chart.js plugin: an axis title that would be cut (see {@link axisTitleFits}) is left out and the chart laid out again
 * without it — the card's title already names what the axis holds. A title across (the x axis) wider than its axis is
 * drawn on two or more lines ({@link wrapWords}) instead of squeezed by Chart.js into the axis's width, too narrow to
 * read (new-user trial: the beacon detail's "Bin start (to the nearest 5 min)"). Every layout starts from the titles the
 * series asks for (`wanted`: per axis its text, '' for none), so a chart grown large enough shows its title again, on
 * one line.
 */
function axisTitleFitPlugin(wanted: () => Partial<Record<'x' | 'y', string>>, family: string) {
  type Sc = TitledScale & { options: { title: { display: boolean; text: string | string[] } } };
  return {
    id: 'socAxisTitleFit',
    beforeLayout(chart: Chart) {
      const w = wanted();
      for (const ax of ['x', 'y'] as const) {
        const sc = chart.scales[ax] as unknown as Sc | undefined;
        if (!sc?.options?.title) continue;
        sc.options.title.display = !!w[ax];
        if (w[ax]) sc.options.title.text = visibleText(w[ax]!);
      }
    },
    afterLayout(chart: Chart) {
      // (again after a change: a title wrapped onto two lines makes the plot lower, and a turned title may no longer fit)
      for (let pass = 0; pass < 3; pass++) {
        let changed = false;
        const ctx = chart.ctx;
        for (const ax of ['x', 'y'] as const) {
          const sc = chart.scales[ax] as unknown as Sc | undefined;
          const t = sc?.options?.title;
          if (!sc || !t?.display) continue;
          ctx.save();
          ctx.font = tickFont(family);
          const text = Array.isArray(t.text) ? t.text.join(' ') : String(t.text);
          const px = ctx.measureText(text).width;
          // (across: on lines as wide as the axis, when it is wider; measured before the context is restored)
          const lines = sc.isHorizontal() && !Array.isArray(t.text) ? wrapWords(text, sc.right - sc.left, (l) => ctx.measureText(l).width) : [text];
          ctx.restore();
          if (lines.length > 1) {
            t.text = lines;
            changed = true; // (laid out again: the title is taller)
          } else if (!axisTitleFits(sc, px, chart.width, chart.height)) {
            t.display = false;
            changed = true;
          }
        }
        if (!changed) return;
        // laid out again as Chart.js does (its boxes' sizes, then each scale's pixel range from them)
        (layouts.update as (c: Chart, w: number, h: number, minPadding?: number) => void)(chart, chart.width, chart.height, (chart as unknown as { _minPadding?: number })._minPadding ?? 0);
        for (const box of chart.boxes as unknown as { configure?: () => void }[]) box.configure?.();
      }
    },
  };
}

/**
 * How a vertical chart whose every label is meant to be drawn (a few short ones, autoSkip off) draws them in slots
 * `slot` px wide, turned by `rotation` degrees (the angle Chart.js chose, held low by a short chart), the widest label
 * `widest` px and a line `lineHeight` px high: the rotation kept when neighbours do not overlap (turned labels are
 * `slot · sin(rotation)` apart across their lines); else upright and every `step`-th label drawn, as many as fit side by
 * side. New-user trial: the beacon detail's "Bytes sent per connection" (six labels `59 B` … `150 B` in 25 px slots,
 * turned 30°) drew them on top of each other.
 */
export function tickLabelPlan(slot: number, widest: number, lineHeight: number, rotation: number): { rotation: number; step: number } {
  const rad = (rotation * Math.PI) / 180;
  const fits = rotation > 0 ? slot * Math.sin(rad) >= lineHeight + 1 : widest + 6 <= slot;
  if (fits || slot <= 0) return { rotation, step: 1 };
  return { rotation: 0, step: Math.max(2, Math.ceil((widest + 6) / slot)) };
}

export interface BarChartHandle {
  el: HTMLElement;
  chart: Chart;
  update(series: ChartSeries): void;
  destroy(): void;
}

/**
 * Creates a chart card: horizontal bars by default; `orientation: 'vertical'` puts the labels on
 * the x axis (time series), `type: 'line'` draws lines, `datasets` (+ `stacked`) draws several
 * series with a legend. `onBar(series, label, index, datasetIndex, extend)` fires when a bar or point is
 * clicked (`extend`: with Shift held; a time chart's zoom then widens to take the bar in); `onSavePng(series, dataUrl)` adds a "Save PNG" button to the card header. `headingLevel`: the title's
 * heading level (3 under the dashboard's "Charts" or the detail pane's heading, 4 in a chart group).
 */
export function createBarChart(
  series: ChartSeries,
  onBar?: (series: ChartSeries, label: string, index: number, datasetIndex?: number, extend?: boolean) => void,
  onSavePng?: (series: ChartSeries, dataUrl: string) => void,
  headingLevel: 3 | 4 = 3,
  opts: { spreadTicks?: boolean } = {},
): BarChartHandle {
  let current = series;
  const descId = `chart-desc-${++descCount}`;
  const canvas = h('canvas', { role: 'img', 'aria-label': series.title, 'aria-describedby': descId, 'data-testid': `chart-${series.id}` });
  // the chart's data in words for screen readers (the canvas itself is only an image)
  const desc = h('p', { id: descId, class: 'sr-only', 'data-testid': `chart-summary-${series.id}` }, chartSummary(series));
  const box = h('div', { class: 'chart-box' }, canvas);
  const head = h('div', { class: 'chart-head' }, h(headingLevel === 4 ? 'h4' : 'h3', { class: 'chart-title', title: series.title }, series.title));
  // (chart-vertical: bars rising from a baseline with the dates under it, never cut by the charts pane: chartLayout.ts)
  const el = h('section', { class: `chart-card${series.orientation === 'vertical' ? ' chart-vertical' : ''}`, 'data-chart': series.id }, head, series.note ? h('div', { class: 'chart-note' }, series.note) : null, box, desc);
  if (!series.labels.length) el.appendChild(h('div', { class: 'chart-empty' }, 'No data'));
  // a bar click filters only when the series says by what (as the pointer cursor, onHover below), or zooms to its span
  const filters = (s: ChartSeries) => !!onBar && !!(s.facetColumn || s.baseFacet || s.datasetFacetColumn || s.timeSpans);

  const vertical = series.orientation === 'vertical';
  const multi = (series.datasets?.length ?? 0) > 1;
  const p = readPalette();
  const valueAxis = vertical ? 'y' : 'x';
  const labelAxis = vertical ? 'x' : 'y';
  const labelCache = new Map<string, string>();
  let fitted: { key: string; labels: (string | string[])[] } | undefined;
  const chart = new Chart(canvas, {
    type: series.type === 'line' ? 'line' : 'bar',
    plugins: [axisTitleFitPlugin(() => ({ [valueAxis]: current.axes?.value ?? '', [labelAxis]: current.axes?.label ?? '' }), p.font)],
    data: { labels: series.labels.map(visibleText), datasets: chartDatasets(series, p) as never },
    options: {
      indexAxis: vertical ? 'x' : 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      // (the charts pane fits its height to the plots' new places: main.ts chartsSection, chartLayout.ts fitPaneToCards)
      onResize(ch: Chart) {
        ch.canvas.dispatchEvent(new Event(CHART_RESIZE_EVENT, { bubbles: true }));
      },
      layout: { padding: { right: 8 } },
      interaction: series.type === 'line' ? { mode: 'index', intersect: false } : undefined,
      plugins: {
        legend: { display: multi, position: 'bottom', labels: { color: p.fg, boxWidth: 10, font: { family: p.font } } },
        tooltip: {
          backgroundColor: p.tooltipBg,
          titleColor: p.tooltipFg,
          bodyColor: p.tooltipFg,
          borderColor: p.tooltipBorder,
          borderWidth: 1,
          displayColors: multi,
          // a bar's own tooltip title when the series has one (e.g. a rule's id and type beside its name)
          callbacks: {
            title(items: { dataIndex: number; label: string }[]) {
              const i = items[0]?.dataIndex;
              return (i !== undefined && current.tooltips?.[i]) || items[0]?.label || '';
            },
          },
        },
      },
      scales: {
        [valueAxis]: {
          beginAtZero: true,
          stacked: !!series.stacked,
          title: axisTitle(series.axes?.value, p),
          // counts from 100,000 up written short (1.5M): long counts ran into each other (valueTickLabel)
          ticks: { color: p.fg, precision: 0, maxRotation: 0, autoSkip: true, font: { family: p.font }, callback: (v: number | string) => valueTickLabel(Number(v)) },
          grid: { color: p.grid },
          border: { color: p.grid },
        },
        [labelAxis]: {
          stacked: !!series.stacked,
          title: axisTitle(series.axes?.label, p),
          ticks: {
            color: p.fg,
            font: { family: p.font },
            // a few short labels (a histogram's range starts, `0` `15` `30`…) are all drawn, none skipped (new-user
            // trial: the beacon intervals chart labelled one bar of 32, or of 2): they stand in their slots, turned if
            // they must be
            // (`spreadTicks`, a narrow chart of the detail pane: none skipped by Chart.js either, see below)
            autoSkip: vertical && !opts.spreadTicks && !(series.labels.length <= 8 && series.labels.every((l) => l.length <= 6)),
            maxRotation: vertical ? VERTICAL_MAX_ROTATION : 0,
            callback(value: string | number) {
              const scale = this as unknown as { getLabelForValue(v: number): string; chart: Chart };
              const label = String(scale.getLabelForValue(Number(value)));
              // Vertical charts (time series) label a narrow slot under each bar: a character budget.
              if (vertical) return verticalTick(label);
              // Horizontal: the label axis may take up to LABEL_AXIS_SHARE of the chart (Chart.js caps it at half),
              // measured with the chart's own canvas and tick font; a long name wraps onto up to LABEL_LINES lines,
              // and only what does not fit there is cut.
              // The labels are fitted together, so that no two are cut to look alike.
              const all = (scale.chart.data.labels ?? []).map(String);
              // (Chart.js gives the axis at most half the width less the padding, and the ticks take ~11 px beside the text)
              const px = labelRoomPx(scale.chart.width, !!current.axes?.label);
              // as many lines as a bar's slot holds (the chart's height is chosen for them, chartLayout.ts; a
              // chart held lower by the panel's height gets fewer lines, never overlapping labels)
              const legend = scale.chart.legend && multi ? scale.chart.legend.height : 0;
              const slot = (scale.chart.height - AXIS_PX - axisTitlePx(current) - legend) / Math.max(1, all.length);
              const lines = linesIn(slot);
              const key = `${px}\u0000${lines}\u0000${all.join('\u0000')}`;
              if (fitted?.key !== key) fitted = { key, labels: fitLabels(scale.chart.ctx, all, px, tickFont(p.font), lines, labelCache) };
              return fitted.labels[Number(value)] ?? label;
            },
          },
          grid: { display: false },
          border: { color: p.grid },
          // every label drawn (autoSkip off): never on top of one another (tickLabelPlan)
          afterCalculateLabelRotation(scale: { ticks: { label?: string | string[] }[]; labelRotation: number; maxWidth: number; options: { ticks: { autoSkip?: boolean } }; ctx: CanvasRenderingContext2D; _labelSizes?: unknown }) {
            if (!vertical || scale.options.ticks.autoSkip || scale.ticks.length < 2) return;
            const ctx = scale.ctx;
            ctx.save();
            ctx.font = tickFont(p.font);
            const widest = Math.max(...scale.ticks.map((t) => ctx.measureText(Array.isArray(t.label) ? t.label.join(' ') : String(t.label ?? '')).width));
            ctx.restore();
            const slot = scale.maxWidth / scale.ticks.length;
            if (opts.spreadTicks) {
              // a narrow chart (the detail pane's): upright labels, the first, the last and evenly spaced between them
              // as many as fit (new-user trial: 24 bins labelled by one date, `04-19 09:00`, of a two-day window)
              const shown = new Set(spreadTickIndices(scale.ticks.length, slot, widest));
              if (shown.size === scale.ticks.length && scale.labelRotation === 0) return;
              scale.labelRotation = 0;
              scale.ticks.forEach((t, i) => {
                if (!shown.has(i)) t.label = '';
              });
              scale._labelSizes = null;
              return;
            }
            const plan = tickLabelPlan(slot, widest, LABEL_LINE_PX, scale.labelRotation);
            if (plan.step === 1) return;
            scale.labelRotation = plan.rotation;
            scale.ticks.forEach((t, i) => {
              if (i % plan.step) t.label = '';
            });
            scale._labelSizes = null; // (Chart.js measures the labels again for the axis's height)
          },
        },
      },
      onHover(evt: ChartEvent, elements: ActiveElement[]) {
        const t = evt.native?.target as HTMLElement | undefined;
        const i = elements[0]?.index;
        const zooms = i !== undefined && !!current.timeSpans?.spans[i];
        if (t) t.classList.toggle('clickable', elements.length > 0 && (!!current.facetColumn || zooms));
      },
      onClick(evt: ChartEvent, elements: ActiveElement[]) {
        if (!elements.length || !onBar) return;
        const i = elements[0].index;
        onBar(current, current.labels[i], i, current.datasets?.length ? elements[0].datasetIndex : undefined, !!(evt.native as MouseEvent | null)?.shiftKey);
      },
    },
  } as never) as Chart;

  // the chart behind its canvas, for the webview harness (test/webview/harness.mjs reads the drawn tick labels)
  (canvas as unknown as { __chart?: Chart }).__chart = chart;

  if (onSavePng) {
    const btn = h('button', { class: 'icon-btn chart-png', type: 'button', title: 'Save chart as PNG', 'aria-label': `Save chart ${series.title} as PNG`, 'data-testid': `png-${series.id}` }, icon('file-media'));
    btn.addEventListener('click', () => onSavePng(current, chartPng(chart)));
    head.appendChild(btn);
  }

  // "Show as table": the data as a table (hidden by default, so the layout does not change), its labels buttons that
  // filter as a bar click does; the choice is kept per chart while the webview lives
  const tableId = `${descId}-table`;
  const tableWrap = h('div', { class: 'chart-table-wrap', id: tableId, 'data-testid': `chart-table-${series.id}` });
  const tableBtn = h('button', { class: 'icon-btn chart-table-toggle', type: 'button', 'aria-label': `Show chart ${series.title} as a table`, 'aria-expanded': 'false', 'aria-controls': tableId, 'data-testid': `table-toggle-${series.id}` }, icon('table'));
  const fillTable = () => {
    clear(tableWrap);
    if (!tableWrap.hidden) tableWrap.appendChild(dataTable(current, filters(current) ? (i, d, extend) => onBar!(current, current.labels[i], i, d, extend) : undefined));
  };
  const showTable = (on: boolean) => {
    tableWrap.hidden = !on;
    tableBtn.setAttribute('aria-expanded', String(on));
    tableBtn.title = on ? 'Hide the data table' : 'Show as table';
    tableBtn.classList.toggle('active', on);
    if (on) tablesShown.add(series.id);
    else tablesShown.delete(series.id);
    fillTable();
  };
  tableBtn.addEventListener('click', () => showTable(tableWrap.hidden));
  head.insertBefore(tableBtn, head.querySelector('.chart-png'));
  el.appendChild(tableWrap);
  showTable(tablesShown.has(series.id));

  const handle: BarChartHandle = {
    el,
    chart,
    update(s: ChartSeries) {
      current = s;
      desc.textContent = visibleText(chartSummary(s));
      fillTable();
      chart.data.labels = s.labels.map(visibleText);
      chart.data.datasets = chartDatasets(s, readPalette()) as never;
      const sc = chart.options.scales as Record<string, { title?: unknown }> | undefined;
      if (sc?.[valueAxis]) sc[valueAxis].title = axisTitle(s.axes?.value, readPalette());
      if (sc?.[labelAxis]) sc[labelAxis].title = axisTitle(s.axes?.label, readPalette());
      chart.update();
    },
    destroy() {
      liveCharts.delete(handle);
      chart.destroy();
    },
  };
  (chart as unknown as { __series: () => ChartSeries }).__series = () => current;
  applyPalette(chart, () => current);
  liveCharts.add(handle);
  watchThemeChanges();
  return handle;
}

/**
 * Every chart drawn and not yet destroyed, wherever it stands (the dashboard's charts, a chart group's, the detail
 * pane's, a chart made after a theme change): all of them take a new theme's colours (new-user trial: the beacon
 * detail's histograms kept the light theme's dark grey ticks on the dark theme; they were in no list the theme watch
 * read).
 */
const liveCharts = new Set<BarChartHandle>();

function applyPalette(chart: Chart, series: () => ChartSeries): void {
  const p = readPalette();
  const fresh = chartDatasets(series(), p);
  chart.data.datasets.forEach((ds, i) => {
    const f = fresh[i];
    if (!f) return;
    const d = ds as unknown as Record<string, unknown>;
    d.backgroundColor = f.backgroundColor;
    d.hoverBackgroundColor = f.hoverBackgroundColor;
    if (f.borderColor !== undefined) d.borderColor = f.borderColor;
  });
  const o = chart.options as {
    plugins?: { tooltip?: Record<string, unknown>; legend?: { labels?: { color?: string } } };
    scales?: Record<string, { ticks?: { color?: unknown }; grid?: { color?: unknown }; border?: { color?: unknown }; title?: { color?: unknown } }>;
  };
  const tt = o.plugins?.tooltip;
  if (tt) {
    tt.backgroundColor = p.tooltipBg;
    tt.titleColor = p.tooltipFg;
    tt.bodyColor = p.tooltipFg;
    tt.borderColor = p.tooltipBorder;
  }
  if (o.plugins?.legend?.labels) o.plugins.legend.labels.color = p.fg;
  for (const axis of ['x', 'y'] as const) {
    const sc = o.scales?.[axis];
    if (!sc) continue;
    if (sc.ticks) sc.ticks.color = p.fg;
    if (sc.grid) sc.grid.color = p.grid;
    if (sc.border) sc.border.color = p.grid;
    if (sc.title) sc.title.color = p.fg;
  }
  // Not update('none'): in that mode Chart.js keeps a dataset's shared element options (one colour for all its bars,
  // as each series of a stacked chart has) from the last full update, so the bars kept the old theme's colours while
  // the legend, which resolves them anew, took the new ones (new-user trial: QRadar's "Offenses per day … by closing
  // reason" after dark → light). Animations are off, so a full update draws at once as well.
  chart.update();
}

/** Redraws every live chart in the theme's current colours (after a theme change; see {@link watchThemeChanges}). */
function repaintCharts(): void {
  for (const c of liveCharts) {
    const get = (c.chart as unknown as { __series: () => ChartSeries }).__series;
    applyPalette(c.chart, get);
  }
}

let themeWatch: MutationObserver | undefined;

/**
 * Re-reads the theme colours of every live chart (see {@link liveCharts}) whenever the theme changes: VS Code swaps
 * the body class (vscode-light / vscode-dark / vscode-high-contrast), sets `data-vscode-theme-id` /
 * `data-vscode-theme-kind` on the body and rewrites the variables in the `<html>` style attribute (not always in the
 * same task: each change redraws once, a frame later). Started by the first chart; one watch for the page.
 */
function watchThemeChanges(): void {
  if (themeWatch) return;
  let scheduled = false;
  themeWatch = new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      repaintCharts();
    });
  });
  themeWatch.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id', 'data-vscode-theme-kind'] });
  themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}
