/**
 * Sizes and places the chart cards of one chart grid (`.charts`), so that the charts take little height
 * and their labels stay readable:
 * - a horizontal bar chart is as tall as its bars' labels need (one line each: 22 px a bar), but no taller than
 *   the charts pane (`.charts-pane`, about two fifths of the panel) shows at once, down to 16 px a bar; one
 *   whose long names wrap onto two or three lines (a narrow chart) may grow up to the panel's height for
 *   them (the pane scrolls: whole names rather than cut ones, UI trial) — when the wrapping shows names whole
 *   that one line cuts, and, when the chart no longer fits the pane, at least one in six of them ({@link labelLines});
 *   a time series (vertical) is about a quarter of the panel's height (140–200 px);
 * - a horizontal chart whose longest label would be cut in one column takes two columns when the grid
 *   has two or more (the label axis gets twice the room: whole YARA rule names, not `SUSP_…_Directory`);
 *   in one column, or when two do not suffice, its labels wrap onto two or three lines (charts.ts,
 *   labelFit.ts) as far as its height allows;
 * - the cards are packed like masonry: each spans as many 4 px grid rows as its height needs, so a short
 *   chart sits under another short one beside a tall one instead of leaving a hole.
 * Runs on every size change of the grid or a card, and on a change of the window's height, one frame later
 * (a layout inside a ResizeObserver callback would re-trigger it in the same frame).
 */
import type { ChartSeries } from '../../src/shared/protocol';
import { AXIS_PX, AXIS_TITLE_PX, axisTitlePx, LABEL_LINES, labelRoomPx, measureLabels, plotBottomPx, slotPx, verticalLabelAxisPx } from './charts';

export interface LaidOutChart {
  /** The `.chart-card`. */
  el: HTMLElement;
  /** Its `.chart-box` (the canvas's container, whose height the chart follows). */
  box: HTMLElement;
  series: () => ChartSeries;
}

/** Height of the masonry rows (`.charts.masonry { grid-auto-rows }` in styles.css). */
const ROW_UNIT = 4;
/** The smallest bar slot of a horizontal chart: one line of labels (14.4 px) and a thin bar. */
const MIN_SLOT_PX = 16;
/** Share of the panel's height a horizontal chart may take for labels wrapped onto more lines. */
const WRAP_SHARE = 1;
/**
 * A horizontal chart too tall for the charts pane with its labels wrapped wraps them only when that shows at least one
 * in this many of its labels whole that fewer lines cut (new-user trial: one "Hash IOC: …" sentence among Loki's 12 rule
 * names made every bar slot three lines high, 46 px for one-line names; 7 bars fitted in the pane, the table showed 5 rows).
 */
const WRAP_GAIN_SHARE = 6;

/** Bars a horizontal chart makes room for (more are drawn closer together, never overlapping labels: charts.ts). */
function rowsOf(s: ChartSeries): number {
  return Math.max(3, Math.min(s.labels.length, 12));
}

function legendPx(s: ChartSeries): number {
  const n = s.datasets?.length ?? 0;
  return n > 1 ? 30 + 16 * Math.ceil(n / 4) : 0;
}

/** The height of a time series chart: about a quarter of the panel's height, 140–200 px, plus its legend. */
export function verticalChartPx(s: ChartSeries, viewportHeight: number): number {
  return Math.round(Math.min(200, Math.max(140, viewportHeight * 0.24))) + legendPx(s) + axisTitlePx(s);
}

/** The plot area a time series keeps at the least (UI trial, 200 % zoom: a 120 px floor left 0–17 px of plot under turned dates and a legend). */
export const MIN_PLOT_PX = 60;
/** What a vertical chart's height holds besides its plot, its label axis and legend: the tick paddings and the half line above the top tick. */
const VERTICAL_CHROME_PX = 22;

/**
 * The least height of a time series `boxWidth` px wide: a plot of {@link MIN_PLOT_PX}, its label axis (dates turned
 * by up to 60° when they do not fit side by side) and its legend, and never under the old 120 px.
 */
export function verticalFloorPx(s: ChartSeries, boxWidth: number): number {
  const plotWidth = Math.max(1, boxWidth - 40 - (s.axes?.value ? AXIS_TITLE_PX : 0)); // less the value axis and its title
  return Math.max(120, Math.ceil(MIN_PLOT_PX + verticalLabelAxisPx(s.labels, plotWidth) + legendPx(s) + axisTitlePx(s) + VERTICAL_CHROME_PX));
}

/**
 * The lines (1 … `whole.length`) a horizontal chart's bar slots hold for its labels, from `whole` ({@link measureLabels}:
 * index `k`, the labels shown whole on `k + 1` lines) and `cap`, the px of the chart's box the charts pane shows: one
 * line, or more when more lines show more labels whole and either the chart then still fits `cap` or they show at
 * least one in {@link WRAP_GAIN_SHARE} of its labels whole (a single long sentence among twelve names is cut on one
 * line, whole in its tooltip, rather than making every slot two or three lines high).
 */
export function labelLines(s: ChartSeries, whole: readonly number[], cap: number): number {
  let lines = 1;
  const need = Math.max(1, Math.ceil(s.labels.length / WRAP_GAIN_SHARE));
  for (let l = 2; l <= whole.length; l++) {
    const gain = whole[l - 1] - whole[lines - 1];
    if (gain > 0 && (gain >= need || horizontalChartPx(s, l) <= cap)) lines = l;
  }
  return lines;
}

/** The height of a horizontal chart whose labels take `lines` lines, at most `cap` px (never less than one line a bar). */
export function horizontalChartPx(s: ChartSeries, lines: number, cap = Infinity): number {
  const least = rowsOf(s) * MIN_SLOT_PX + AXIS_PX + legendPx(s) + axisTitlePx(s);
  const wanted = rowsOf(s) * slotPx(lines) + AXIS_PX + legendPx(s) + axisTitlePx(s);
  return Math.round(Math.max(least, Math.min(wanted, cap)));
}

/** The height the charts pane around `grid` shows at once (its max-height as styles.css sets it), or Infinity without a pane. */
function paneHeight(grid: HTMLElement): number {
  const pane = grid.closest<HTMLElement>('.charts-pane');
  if (!pane) return Infinity;
  // (the stylesheet's height, not the few px fitPaneToCards may add: else charts grown to the wider pane would move the cut)
  const inline = pane.style.maxHeight;
  if (inline) pane.style.maxHeight = '';
  const max = parseFloat(getComputedStyle(pane).maxHeight);
  if (inline) pane.style.maxHeight = inline;
  return Number.isFinite(max) && max > 0 ? max : window.innerHeight * 0.38;
}

/**
 * Lays out `items` in `grid` now and whenever sizes change; returns a function that stops it. `uniform`: a regular
 * grid (see {@link layoutUniform}) instead of the masonry.
 */
export function layoutCharts(grid: HTMLElement, items: LaidOutChart[], opts: { uniform?: boolean } = {}): () => void {
  let frame = 0;
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(run);
  };
  const run = () => {
    frame = 0;
    (opts.uniform ? layoutUniform : layout)(grid, items);
  };
  const ro = new ResizeObserver(schedule);
  ro.observe(grid);
  for (const it of items) ro.observe(it.el);
  window.addEventListener('resize', schedule);
  (opts.uniform ? layoutUniform : layout)(grid, items);
  return () => {
    ro.disconnect();
    window.removeEventListener('resize', schedule);
    if (frame) cancelAnimationFrame(frame);
  };
}

function layout(grid: HTMLElement, items: LaidOutChart[]): void {
  if (!grid.isConnected || grid.clientWidth === 0 || !items.length) return; // folded away: laid out when unfolded
  grid.classList.add('masonry'); // (first: the cards' heights below are their own, not their row's)
  const cs = getComputedStyle(grid);
  const tracks = cs.gridTemplateColumns.split(/\s+/).map(parseFloat).filter((w) => w > 0);
  const cols = Math.max(1, tracks.length);
  const colW = tracks.length ? Math.min(...tracks) : grid.clientWidth;
  const gap = parseFloat(cs.columnGap) || 0;
  const vh = window.innerHeight;
  const pane = paneHeight(grid);
  // (per card: its box's height and, for a horizontal chart drawn with one-line names, the least its bars may take)
  const sized = new Map<LaidOutChart, { height: number; least?: number }>();
  for (const it of items) {
    const s = it.series();
    const card = it.el.getBoundingClientRect();
    const box = it.box.getBoundingClientRect();
    if (card.width <= 0) continue;
    const chrome = card.width - box.width; // the card's padding and border
    // what the pane shows of a chart's box: its height less the card's title, note and padding
    const cap = pane - (card.height - box.height) - gap;
    let height: number;
    if (s.orientation === 'vertical') {
      const wide = cols >= 2;
      it.el.classList.toggle('chart-wide', wide); // room for the dates under the bars
      // (the floor: a usable plot under the dates and legend, even when the pane is low, e.g. at 200 % zoom; the pane scrolls)
      height = Math.max(verticalFloorPx(s, (wide ? 2 * colW + gap : colW) - chrome), Math.min(verticalChartPx(s, vh), cap));
    } else {
      const single = colW - chrome;
      const titled = !!s.axes?.label;
      const one = measureLabels(s.labels, single, LABEL_LINES, titled);
      const wide = cols >= 2 && one.widest > labelRoomPx(single, titled);
      it.el.classList.toggle('chart-wide', wide);
      const m = wide ? measureLabels(s.labels, 2 * colW + gap - chrome, LABEL_LINES, titled) : one;
      const lines = labelLines(s, m.whole, cap);
      height = horizontalChartPx(s, lines, lines > 1 ? Math.max(cap, vh * WRAP_SHARE) : cap);
      if (lines === 1) sized.set(it, { height, least: horizontalChartPx(s, 1, 0) });
    }
    if (!sized.has(it)) sized.set(it, { height });
    const px = `${height}px`;
    if (it.box.style.height !== px) it.box.style.height = px;
  }
  const full = fullRowCharts(items.map((it) => it.el.classList.contains('chart-wide')), cols);
  items.forEach((it, i) => it.el.classList.toggle('chart-full', full[i]));
  placeCards(items, gap);
  if (fitStacksToFirstRow(items, sized)) placeCards(items, gap);
  // the grid ends at its lowest card (its masonry rows hold the gap under each card and round up to 4 px: the charts
  // pane, ending under the cards, scrolled by those ~10 px with no chart out of its view)
  const top = grid.getBoundingClientRect().top;
  const end = Math.max(0, ...items.map((it) => it.el.getBoundingClientRect()).filter((r) => r.height > 0).map((r) => r.bottom - top));
  const gridPx = `${Math.ceil(end)}px`;
  if (grid.style.height !== gridPx) grid.style.height = gridPx;
}

/**
 * A regular grid of small charts of one kind (`.charts.uniform`, styles.css: as many columns of one width as the panel
 * holds, the charts in reading order, left to right and down): every chart one column wide, its labels wrapped onto as
 * many lines as it needs there, and the charts of a row as high as its highest, their plots side by side (new-user
 * trial: QRadar's per-offense-name "top offense sources" charts, some one column and some two wide in a masonry, made a
 * mosaic whose order jumped between the columns).
 */
function layoutUniform(grid: HTMLElement, items: LaidOutChart[]): void {
  if (!grid.isConnected || grid.clientWidth === 0 || !items.length) return; // folded away: laid out when unfolded
  const cs = getComputedStyle(grid);
  const tracks = cs.gridTemplateColumns.split(/\s+/).map(parseFloat).filter((w) => w > 0);
  const cols = Math.max(1, tracks.length);
  const pane = paneHeight(grid);
  const vh = window.innerHeight;
  const heights = items.map((it) => {
    const s = it.series();
    it.el.classList.remove('chart-wide', 'chart-full');
    const card = it.el.getBoundingClientRect();
    const box = it.box.getBoundingClientRect();
    if (card.width <= 0) return 0;
    if (s.orientation === 'vertical') return Math.max(verticalFloorPx(s, box.width), Math.min(verticalChartPx(s, vh), pane));
    const m = measureLabels(s.labels, box.width, LABEL_LINES, !!s.axes?.label);
    const cap = pane - (card.height - box.height);
    const lines = labelLines(s, m.whole, cap);
    return horizontalChartPx(s, lines, lines > 1 ? Math.max(cap, vh * WRAP_SHARE) : cap);
  });
  items.forEach((it, i) => {
    const row = Math.floor(i / cols) * cols;
    const px = `${Math.max(...heights.slice(row, row + cols))}px`;
    if (it.box.style.height !== px) it.box.style.height = px;
  });
}

/**
 * Which charts of a grid of `cols` columns take the whole row (`wide[i]`: chart `i` takes two columns): in a grid of
 * three, a two-column chart leaves one column beside it, which only a one-column chart can fill. The two-column charts
 * get a one-column chart each to stand beside, in order, while there are any; the ones after that take the whole row
 * rather than leave that column empty (new-user trial: QRadar's "Show all charts" at a 1400 px window, 3 columns, 2
 * one-column charts and 6 two-column ones, left the right column empty beside four charts). Other column counts: none.
 */
export function fullRowCharts(wide: readonly boolean[], cols: number): boolean[] {
  if (cols !== 3) return wide.map(() => false);
  let singles = wide.filter((w) => !w).length;
  return wide.map((w) => {
    if (!w) return false;
    if (singles > 0) {
      singles--;
      return false;
    }
    return true;
  });
}

/** Masonry: each card spans the 4 px grid rows its height (and the gap `rowGap` below it) needs. */
function placeCards(items: LaidOutChart[], rowGap: number): void {
  for (const it of items) {
    const h = it.el.getBoundingClientRect().height;
    if (h <= 0) continue;
    const span = `span ${Math.ceil((h + rowGap) / ROW_UNIT)}`;
    if (it.el.style.gridRowEnd !== span) it.el.style.gridRowEnd = span;
  }
}

/**
 * Cards stacked in a column beside the first row's tallest card end no lower than it when the horizontal charts in
 * the stack can give the px (their bar slots down to {@link MIN_SLOT_PX}), so that the charts pane can end under the
 * first row with every chart in view whole (new-user trial, Loki at 1042×800: "Top 3 hosts" and "Findings by level",
 * 172 px each, stood 352 px high beside the 333 px rules chart; the pane had to cut one of them). `sized` holds each
 * card's box height (px) as laid out and, for a horizontal chart with one-line names, the least it may take. Reads the
 * cards' places (getBoundingClientRect, viewport px) after {@link placeCards}; sets the boxes' heights of the charts
 * it shrinks. Returns whether it changed any (the cards are then placed again).
 */
function fitStacksToFirstRow(items: LaidOutChart[], sized: Map<LaidOutChart, { height: number; least?: number }>): boolean {
  const cards = items.map((it) => ({ it, r: it.el.getBoundingClientRect() })).filter((c) => c.r.height > 0);
  if (cards.length < 2) return false;
  const top0 = Math.min(...cards.map((c) => c.r.top));
  const first = cards.filter((c) => c.r.top <= top0 + 1);
  const band = Math.max(...first.map((c) => c.r.bottom));
  const shrink = new Map<LaidOutChart, number>();
  for (const c of cards) {
    if (c.r.top <= top0 + 1 || c.r.top >= band || c.r.bottom <= band + 0.5) continue;
    // the cards from the top of the grid down to this one in its column(s)
    const stack = cards.filter((o) => o.r.top <= c.r.top && o.r.left < c.r.right - 1 && c.r.left < o.r.right - 1);
    // (each card's place is rounded up to the 4 px masonry rows: up to a row more per card above this one)
    const need = c.r.bottom - band + ROW_UNIT * (stack.length - 1);
    const slack = stack.map((o) => {
      const sz = sized.get(o.it)!;
      return sz.least === undefined ? 0 : Math.max(0, sz.height - (shrink.get(o.it) ?? 0) - sz.least);
    });
    const total = slack.reduce((a, b) => a + b, 0);
    if (total < need) continue; // (it cannot end in the first row: left as it is)
    stack.forEach((o, k) => {
      if (slack[k] > 0) shrink.set(o.it, (shrink.get(o.it) ?? 0) + Math.min(slack[k], Math.ceil((need * slack[k]) / total)));
    });
  }
  for (const [it, by] of shrink) it.box.style.height = `${sized.get(it)!.height - by}px`;
  return shrink.size > 0;
}

/**
 * A chart card that ends at most this far below the charts pane's edge is shown whole: the pane grows by that much
 * (the value axis's ticks, 40 px, and its title). New-user trial: at 1240×935 the beacons' "Sources with most beacons"
 * card ended 20 px below the pane, at ~1080 px wide Loki's "Findings by level" 13 px below it: the chart looked
 * whole but for its x-axis title, cut by the pane's edge (the card itself holds it).
 */
export const PANE_SLACK_PX = AXIS_PX + AXIS_TITLE_PX;
/** The most of the panel's height the charts pane may take when it grows for a card (styles.css gives it 38 %; the harness keeps the table's first rows in view at 1100×780). */
const PANE_MAX_SHARE = 0.46;
/** The most of the panel's height the charts pane takes to show a time series of its first row whole (the page scrolls to the table). */
const PANE_LEAD_SHARE = 0.85;
/** The least share of the panel's height the charts pane keeps when it gives way to the table's first rows (never under 160 px, styles.css's least). */
const PANE_MIN_SHARE = 0.25;
/** An edge less than this far above the bottom of a chart's plot would cut its bars so little that they look whole. */
const MISLEAD_PX = 8;
/** How far into a chart's plot the pane's edge cuts when it cannot show the chart whole: half a one-line bar slot. */
const CUT_INTO_PLOT_PX = 11;

/**
 * Sets the charts pane's height (its max-height; styles.css gives it about two fifths of the panel) so that the table
 * keeps its first rows in view and no chart card is cut in a misleading way:
 * - `tableBelow()` (optional): the px the page needs under the pane's bottom edge for the table's tab strip, toolbar,
 *   header and first rows; the pane gives way to them, down to {@link PANE_MIN_SHARE} of the panel's height
 *   (new-user trial: at a 1400×900 VS Code window Loki's findings table showed 5 rows under the charts);
 * - the pane ends where it cuts no card (each wholly in view or wholly out of it) and its first row of charts is in
 *   view: at the nearest such edge at or under that height (down to the least), else above it, up to
 *   {@link PANE_MAX_SHARE} of the panel's height — the first chart whole wins over the table's 10th row (new-user
 *   trial, Loki at 1042×800: the pane given way to the table cut "Top 12 rules" through its bars and the chart beside it);
 * - a time series (vertical bars over dates) is never cut: the pane is never lower than one in its first row of charts
 *   (up to {@link PANE_LEAD_SHARE} of the panel's height), even when the room above the pane grew (an expanded problem
 *   list) or a narrow panel made it taller, the table's first rows then giving way (the page scrolls to them; analyst
 *   trial 8: the pane ended at the first chart's baseline, its dates, axis title and legend lost), and it ends above
 *   or below one further down, never across it;
 * - when no edge does (a first chart taller than that, in a narrow panel), a card the edge would cut between its plot
 *   and its end (its x axis and title lost, the chart looking whole) is shown whole when it ends within
 *   {@link PANE_SLACK_PX} below the edge: the pane grows, up to {@link PANE_MAX_SHARE} of the panel's height and while
 *   the table keeps its rows; else the pane ends inside the card's plot (its last bar visibly cut; the pane's fade and
 *   the note over it say a chart continues below).
 * Not while the pane shows all its charts (`expanded`). Returns the max-height set in px (0: the stylesheet's).
 */
export function fitPaneToCards(pane: HTMLElement, tableBelow?: () => number): number {
  pane.style.maxHeight = '';
  if (pane.classList.contains('expanded')) return 0;
  const base = parseFloat(getComputedStyle(pane).maxHeight);
  if (!(base > 0)) return 0;
  const vh = window.innerHeight;
  const paneRect = pane.getBoundingClientRect();
  // the most the pane may take with the table's first rows still in view (Infinity without a table)
  const below = tableBelow?.() ?? 0;
  const room = below > 0 ? vh - (paneRect.top + window.scrollY) - below : Infinity;
  const top = paneRect.top - pane.scrollTop;
  const cards = [...pane.querySelectorAll<HTMLElement>('.chart-card')]
    .map((c) => {
      const r = c.getBoundingClientRect();
      const plot = plotBottomPx(c);
      const bottom = r.bottom - top;
      // (the plot's bottom, or the card's end less its axis and title when no chart is drawn)
      return { top: r.top - top, bottom, plot: plot !== undefined ? Math.min(bottom, plot - top) : bottom - PANE_SLACK_PX, height: r.height, vertical: c.classList.contains('chart-vertical') };
    })
    .filter((c) => c.height > 0);
  // the edge under the first row of charts (its tallest card's end)
  const top0 = cards.length ? Math.min(...cards.map((c) => c.top)) : 0;
  const firstRow = cards.filter((c) => c.top <= top0 + 1);
  const lead = cards.length ? Math.ceil(Math.max(...firstRow.map((c) => c.bottom))) + 1 : 0;
  // a time series (vertical bars) in the first row is always whole: the pane is never lower than its end, whatever the
  // room above the pane or the panel's width (analyst trial 8: with QRadar's problem list expanded at a ~1040×800
  // panel, and the merged timeline at ~650 px, the pane ended at the first chart's baseline — dates, axis title and
  // legend lost, the chart looking whole); the page scrolls to the table instead (at most PANE_LEAD_SHARE of the panel)
  const leadSeries = Math.max(0, ...firstRow.filter((c) => c.vertical).map((c) => Math.ceil(c.bottom) + 1));
  const floor = Math.max(Math.min(base, Math.max(160, vh * PANE_MIN_SHARE)), Math.min(leadSeries, vh * PANE_LEAD_SHARE));
  const preferred = Math.max(floor, Math.min(base, room));
  const most = Math.max(vh * PANE_MAX_SHARE, floor);
  const limit = Math.max(preferred, Math.min(most, room));
  // an edge at `h` misleads when it cuts a card below its plot (or in the plot's last px: the bars would look whole), or
  // a time series anywhere (its bars all rise from the baseline: a cut hides every bar's foot and every date at once)
  const honest = (h: number) => !cards.some((c) => c.top < h && h < c.bottom - 0.5 && (c.vertical || h > c.plot - MISLEAD_PX));
  // an edge at `h` cuts a card within its last PANE_SLACK_PX: shown whole when the pane may grow by that much
  const cutNear = (h: number) => cards.some((c) => c.top < h && h < c.bottom - 0.5 && c.bottom - h <= PANE_SLACK_PX);
  // an edge at `h` cuts no card: each is wholly above it (in view) or wholly below it (out of view)
  const clean = (h: number) => !cards.some((c) => c.top < h - 0.5 && h < c.bottom - 0.5);
  let height = preferred;
  let chosen = false;
  if (cards.length && !clean(preferred)) {
    // the first row whole, and no card cut (new-user trial, Loki at 1042×800: the pane, given way to the table's
    // first rows, cut the rules chart through its bars and the chart beside it): the nearest edge that cuts no card
    // and shows the first row, at or under the preferred height (down to the least) or else above it (up to
    // PANE_MAX_SHARE, the table's first rows giving way to the charts in view)
    const edges = cards.flatMap((c) => [Math.ceil(c.bottom) + 1, Math.floor(c.top)]).filter((h) => h >= lead && h <= most && clean(h));
    const down = edges.filter((h) => h <= preferred && h >= floor);
    const up = edges.filter((h) => h > preferred);
    if (down.length || up.length) {
      height = down.length ? Math.max(...down) : Math.min(...up);
      chosen = true;
      // every card in view: the pane takes the grid's last px under them too (else it scrolls by them, nothing out of view)
      if (cards.every((c) => c.bottom <= height + 0.5)) height = Math.max(height, Math.min(pane.scrollHeight, most));
    }
  }
  if (!chosen && (!honest(height) || cutNear(height))) {
    // the edges that show a card whole or cut it inside its plot: the nearest one above the preferred height within
    // the slack (while the table keeps its rows), else, when the cut misleads, the nearest one below it (down to the
    // least height)
    // (or just above a card: a time series is never cut)
    const marks = cards.flatMap((c) => [Math.ceil(c.bottom) + 1, Math.floor(c.plot) - CUT_INTO_PLOT_PX, Math.floor(c.top)]).filter(honest);
    const up = (cap: number) => marks.filter((h) => h > preferred && h <= Math.min(cap, preferred + PANE_SLACK_PX + 1) && !cutNear(h));
    const down = marks.filter((h) => h < preferred && h >= floor);
    const grown = up(limit);
    // (last: grown past the table's rows as far as PANE_MAX_SHARE, rather than cut below a plot)
    const late = up(most);
    if (grown.length) height = Math.min(...grown);
    else if (!honest(height) && down.length) height = Math.max(...down);
    else if (!honest(height) && late.length) height = Math.min(...late);
  }
  if (Math.abs(height - base) < 0.5) return 0;
  // a grown pane takes the grid's last few px under its cards too (masonry rows, the gap), up to the limit: else it
  // would scroll by them with no card out of its view
  const px = Math.floor(height > base && !chosen ? Math.min(height + 16, limit) : height);
  pane.style.maxHeight = `${px}px`;
  return px;
}
