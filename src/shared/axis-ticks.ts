/**
 * Where a narrow chart draws its label axis's texts (pure: the webview's charts.ts measures, these decide). New-user
 * trial, the beacon detail's "Connections per bin" (24 bars in a chart about 200 px wide): Chart.js's own skipping drew
 * one date of 24 (`04-19 09:00`) and squeezed the axis title "Bin start (to the nearest 5 min)" into the plot's width,
 * too small to read.
 */

/** Least px between two upright tick labels of a label axis. */
export const TICK_GAP_PX = 8;

/**
 * The indices of the tick labels drawn upright under `n` bars `slot` px apart whose widest label is `widest` px: the
 * first and the last, and as many evenly spaced between them as fit with {@link TICK_GAP_PX} between neighbours (the
 * middle one first: 3 labels `0, 12, 23` of 24). All of them when they fit side by side; only the first when not even
 * the first and the last fit.
 */
export function spreadTickIndices(n: number, slot: number, widest: number, gap = TICK_GAP_PX): number[] {
  if (n <= 0) return [];
  if (n === 1) return [0];
  const need = widest + gap; // px from one label's centre to the next's
  if (slot >= need) return Array.from({ length: n }, (_, i) => i);
  // labels k apart: centres (n - 1) · slot / (k - 1) px apart
  const span = (n - 1) * slot;
  // (fewer when the bars' whole indices bring two of them closer than that)
  for (let k = Math.min(n, Math.floor(span / need) + 1); k >= 2; k--) {
    const out = Array.from({ length: k }, (_, j) => Math.round((j * (n - 1)) / (k - 1)));
    if (out.every((i, j) => j === 0 || (i - out[j - 1]) * slot >= need)) return out;
  }
  return [0];
}

/**
 * `text` on lines at most `width` px wide as `measure` measures them, broken at its spaces (a word wider than the
 * width stays whole on its own line); one line when it fits. An axis title wider than its axis (Chart.js squeezes a
 * title into the axis's width: narrower letters, not a smaller font) is drawn on these lines instead.
 */
export function wrapWords(text: string, width: number, measure: (s: string) => number): string[] {
  if (!(width > 0) || measure(text) <= width) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && measure(next) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [text];
}
