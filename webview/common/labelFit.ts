/**
 * Fitting a chart label into the pixels its axis has (no dependencies but the pure hash cut of
 * src/shared/hash-label.ts: the webview harness runs it in the page on its own).
 */
import { cutHashLabel } from '../../src/shared/hash-label';

/** Where a long label is preferably cut: after a path, rule name or word separator. */
const SEPARATOR = /[_.\\/\s:-]/;

/**
 * `label` as it fits in `maxPx` pixels of `font` (measured on `ctx`): whole when it fits, else its
 * start and end around a "…". The end is kept from a separator on (`_`, `.`, `\`, `/`, space, …)
 * when that leaves a useful start: rules and paths often share a long prefix
 * (EquationDrug_HDDSSD_…) and the end tells them apart. A label holding a hash (32+ hex digits) is cut
 * inside the hash, its first and last digits kept ({@link cutHashLabel}). The chart tooltip shows the whole label.
 * Results are cached per width in `cache` (labels are re-fitted on every chart update).
 */
export function fitLabel(ctx: CanvasRenderingContext2D, label: string, maxPx: number, font: string, cache?: Map<string, string>, keepFrom?: number): string {
  const budget = Math.max(40, Math.floor(maxPx));
  const key = `${budget}\u0000${font}\u0000${keepFrom ?? ''}\u0000${label}`;
  const hit = cache?.get(key);
  if (hit !== undefined) return hit;
  ctx.save();
  ctx.font = font;
  const width = (t: string) => ctx.measureText(t).width;
  let out = label;
  // a hash in the label (a rule named after a SHA256): cut inside it, its start and end kept (hash-label.ts), unless
  // a look-alike asks for the end from a given place
  const over = width(label) > budget;
  const hashCut = keepFrom === undefined && over ? cutHashLabel(label, budget, width) : undefined;
  if (hashCut !== undefined) out = hashCut;
  else if (over) {
    const room = budget - width('…');
    // longest start of `label` (at most `max` chars) that fits in `px`
    const startFitting = (px: number, max = label.length) => {
      let lo = 0;
      let hi = max;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (width(label.slice(0, mid)) <= px) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    // shortest suffix start index such that the suffix fits in `px`
    const endFitting = (px: number) => {
      let lo = 0;
      let hi = label.length;
      while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        if (width(label.slice(mid)) <= px) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    };
    // The end: from the last separator whose tail takes at most 55 % of the room, else the last 40 %.
    let tailAt = -1;
    const minTail = endFitting(room * 0.55);
    for (let i = label.length - 2; i >= minTail; i--) {
      if (SEPARATOR.test(label[i])) tailAt = i;
    }
    // A path keeps its whole file name when it takes at most 70 % of the room (`…\Uninstall.exe`,
    // not `….exe`): the file name is what tells two paths apart.
    const lastPathSep = Math.max(label.lastIndexOf('\\'), label.lastIndexOf('/'));
    if (lastPathSep > 0 && lastPathSep < label.length - 1 && (tailAt < 0 || tailAt > lastPathSep) && lastPathSep >= endFitting(room * 0.7)) {
      tailAt = lastPathSep;
    }
    if (tailAt < 0) tailAt = endFitting(room * 0.4);
    // `keepFrom`: the end must show the label from there on (what tells it from a look-alike), from a
    // separator before it when that fits, while a few characters of the start stay.
    if (keepFrom !== undefined && keepFrom < tailAt) {
      const most = endFitting(room - width(label.slice(0, 3)));
      let at = -1;
      for (let i = keepFrom; i >= most && i >= 1; i--) {
        if (SEPARATOR.test(label[i])) {
          at = i;
          break;
        }
      }
      tailAt = at >= 0 ? at : Math.max(1, Math.min(keepFrom, Math.max(most, 1)));
    }
    const tail = label.slice(tailAt);
    // The start: up to a separator or the end of a word when that keeps most of what fits, else as many
    // characters as fit.
    const headMax = startFitting(room - width(tail), tailAt);
    let headLen = headMax;
    for (let i = headMax; i > headMax * 0.6; i--) {
      if (SEPARATOR.test(label[i - 1]) || (i < label.length && SEPARATOR.test(label[i]))) {
        headLen = i;
        break;
      }
    }
    // What the start left unused goes to the end, a word at a time (`APT_MAL_…_Exaramel_Socket_Path`), then
    // back to the start (a label is never cut with room to spare).
    let tailStart = tailAt;
    for (let i = tailAt - 1; i > headLen; i--) {
      if (!SEPARATOR.test(label[i])) continue;
      if (width(label.slice(0, headLen).trimEnd()) + width(label.slice(i)) > room) break;
      tailStart = i;
    }
    const tailFinal = label.slice(tailStart);
    headLen = Math.max(headLen, startFitting(room - width(tailFinal), tailStart));
    out = `${label.slice(0, headLen).trimEnd()}…${tailFinal}`;
  }
  ctx.restore();
  if (cache) {
    if (cache.size > 2000) cache.clear();
    cache.set(key, out);
  }
  return out;
}

/**
 * `label` on at most `maxLines` lines of at most `maxPx` pixels each (measured on `ctx` in `font`):
 * one line when it fits; else a label with spaces (an offense name, a sentence) is wrapped at its
 * spaces, and a label without spaces (a YARA rule name, a path) after its `_`, `.`, `\`, `/`, `:` or `-`
 * (the separator stays at the end of the line: `EquationDrug_HDDSSD_` / `Op_RID2F2E`); what does not fit
 * on the last line is cut with {@link fitLabel}. A label whose first piece is wider than a line (a hash)
 * stays on one line, cut by {@link fitLabel}. The tooltip shows the whole label. Returns the lines (one
 * string when one line).
 */
export function wrapLabel(ctx: CanvasRenderingContext2D, label: string, maxPx: number, font: string, maxLines = 2, cache?: Map<string, string>): string | string[] {
  const budget = Math.max(40, Math.floor(maxPx));
  ctx.save();
  ctx.font = font;
  const width = (t: string) => ctx.measureText(t).width;
  const fits = width(label) <= budget;
  const words = label.split(/\s+/).filter(Boolean);
  let lines: string[] | undefined;
  if (!fits && words.length > 1 && maxLines > 1) {
    lines = [];
    let i = 0;
    while (i < words.length && lines.length < maxLines - 1) {
      let line = words[i++];
      while (i < words.length && width(`${line} ${words[i]}`) <= budget) line += ` ${words[i++]}`;
      lines.push(line);
    }
    if (i < words.length) lines.push(words.slice(i).join(' '));
  } else if (!fits && maxLines > 1) {
    // no spaces: pieces that each end after a separator, joined without one
    const pieces = label.match(/[^_.\\/:-]*(?:[_.\\/:-]+|$)/g)?.filter(Boolean) ?? [label];
    if (pieces.length > 1 && width(pieces[0]) <= budget) {
      lines = [];
      let i = 0;
      while (i < pieces.length && lines.length < maxLines - 1) {
        let line = pieces[i++];
        while (i < pieces.length && width(line + pieces[i]) <= budget) line += pieces[i++];
        lines.push(line);
      }
      if (i < pieces.length) lines.push(pieces.slice(i).join(''));
    }
  }
  ctx.restore();
  if (!lines) return fitLabel(ctx, label, maxPx, font, cache);
  // a first word wider than the room, or a rest that does not fit the last line: cut those lines
  return lines.map((l) => fitLabel(ctx, l, maxPx, font, cache));
}

/** Whether a cut label (`head…tail`) could be read as `other`: `other` starts with its head and ends with its tail. */
function couldBe(shown: string, other: string): boolean {
  const cut = shown.indexOf('…');
  if (cut < 0) return shown === other;
  const head = shown.slice(0, cut);
  const tail = shown.slice(cut + 1);
  return other.length >= head.length + tail.length && other.startsWith(head) && other.endsWith(tail);
}

/**
 * The labels of one chart, each as {@link wrapLabel} fits it; a one-line label cut so that it could be
 * read as another label of the chart (`EquationDrug_…_Op` next to `EquationDrug_HDDSSD_Op` and
 * `EquationDrug_HDDSSD_x_Op`) is cut again keeping its end from where the two differ, so that no two
 * look alike. The tooltip still shows each label whole.
 */
export function fitLabels(ctx: CanvasRenderingContext2D, labels: readonly string[], maxPx: number, font: string, maxLines = 2, cache?: Map<string, string>): (string | string[])[] {
  const out = labels.map((l) => wrapLabel(ctx, l, maxPx, font, maxLines, cache));
  out.forEach((shown, i) => {
    if (typeof shown !== 'string' || !shown.includes('…')) return;
    const label = labels[i];
    const alike = labels.filter((o, j) => j !== i && o !== label && couldBe(shown, o));
    if (!alike.length) return;
    // where it first differs from the look-alikes (the latest such point, so the end shows all of them apart)
    let from = 0;
    for (const o of alike) {
      let k = 0;
      while (k < label.length && k < o.length && label[k] === o[k]) k++;
      from = Math.max(from, Math.min(k, label.length - 1));
    }
    out[i] = fitLabel(ctx, label, maxPx, font, cache, from);
  });
  return out;
}
