/**
 * Detail pane for one row: all fields, one section per reason, "Reveal in log" and "Copy".
 * Text only (textContent); values are selectable.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { ActionDone, DetailField, RowDetail } from '../../src/shared/protocol';
import { clear, h, icon, visibleText } from './dom';
import { createBarChart, type BarChartHandle } from './charts';

/** Values longer than this are shown under their label across the whole detail pane. */
const WIDE_VALUE_CHARS = 80;
/** A hex digest: MD5 (32), SHA1 (40), SHA256 (64), SHA512 (128). */
const HASH = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$/i;
/** Hashes at least this long (SHA256, SHA512) take the pane's whole width: a SHA256 on at most two lines. */
const WIDE_HASH_CHARS = 64;
/**
 * A hex run this long (an MD5, a SHA1, Loki's first bytes `230a2320…494c / <filter …>`): its row takes the pane's
 * whole width under its label while the pane is under 560 px wide (styles.css `hash-row`), so the run stays on one line
 * (UI trial: at a 1400×900 window beside the Explorer an MD5 took two lines and a SHA1 three in the value column).
 */
const HEX_RUN = /(?:^|\s)[0-9a-f]{32,}(?=\s|$)/i;
/** A run without a space this short that holds a hyphen (`2022-01-19T18:50:46Z`, `False-Positive,`) is never split. */
const NOBR_RUN = 32;
/** Narrowest width of the detail pane a resize allows (px); the table keeps at least TABLE_MIN_PX. */
export const DETAIL_MIN_PX = 280;
const TABLE_MIN_PX = 320;
/** Runs without a space longer than this get line-break opportunities after their separators. */
const LONG_RUN = 20;
/** A line may break after a path separator; inside a long path segment also after these (rule names, URLs, command lines). */
const PATH_BREAK = /(?<=[\\/])/;
const NAME_BREAK = /(?<=[_,;=&?|])/;

/**
 * `value` as text nodes with a `<wbr>` after each path or name separator of its long runs, so a
 * long path wraps at `\` or `/` ("…\WinPcap\" / "Uninstall.exe") instead of mid-word (a long
 * segment also after `_` `,` `;` `=` `&` `?` `|`). Text nodes only (the value is log text); `<wbr>`
 * adds no characters to a copy or to `textContent`.
 */
export function breakableText(value: string): Node {
  const frag = document.createDocumentFragment();
  for (const run of value.split(/(\s+)/)) {
    // A token with a hyphen (an ISO time, a date, "False-Positive") is not broken after its hyphens (UI trial:
    // "2022-01-" / "19T18:50:46Z"); an MD5- or SHA1-long hex run (first bytes) not at all. Either may scroll sideways in a pane
    // too narrow for it (styles.css .detail-value).
    const hex = /^[0-9a-f]{32,40}$/i.test(run);
    if (hex || (run.length <= NOBR_RUN && /[-\u2010\u2011]/.test(run) && !/[\\/]/.test(run))) {
      // an ISO 8601 date-time may break after its `T` only ("2024-04-19T" / "00:13:05.258Z"): whole, it was cut off
      // at its `Z` in the beacon pane's value column at 1400×900 (new user's trial, 2026-12-02)
      const iso = hex ? null : /^(\d{4}-\d\d-\d\dT)(\d.*)$/.exec(run);
      if (iso) {
        frag.appendChild(h('span', { class: 'nobr' }, iso[1]));
        frag.appendChild(document.createElement('wbr'));
        frag.appendChild(h('span', { class: 'nobr' }, iso[2]));
      } else frag.appendChild(h('span', { class: hex ? 'nobr hex' : 'nobr' }, run));
      continue;
    }
    if (run.length <= LONG_RUN || /^\s+$/.test(run)) {
      if (run) frag.appendChild(document.createTextNode(run));
      continue;
    }
    const parts = run.split(PATH_BREAK).flatMap((seg) => (seg.length > LONG_RUN ? seg.split(NAME_BREAK) : [seg]));
    parts.forEach((part, i) => {
      if (i > 0) frag.appendChild(document.createElement('wbr'));
      frag.appendChild(document.createTextNode(part));
    });
  }
  return frag;
}

/**
 * `value` as text nodes with a `<wbr>` after each path separator (`\`, `/`) of its runs longer than 20 characters, and
 * inside a long segment after `_` `,` `;` `=` `&` `?` `|`: {@link breakableText}'s rule without its whole-token spans,
 * for a small table's wrapped cell (Loki's *Hashes* Paths: `C:\…\PSTools\` / `PsExec64.exe`, not `…PsExec64.e` /
 * `xe` — analyst trial 8). Text nodes and `<wbr>` only: `textContent` is the value unchanged.
 */
export function separatorBreaks(value: string): Node {
  const frag = document.createDocumentFragment();
  for (const run of value.split(/(\s+)/)) {
    if (run.length <= LONG_RUN) {
      if (run) frag.appendChild(document.createTextNode(run));
      continue;
    }
    run
      .split(PATH_BREAK)
      .flatMap((seg) => (seg.length > LONG_RUN ? seg.split(NAME_BREAK) : [seg]))
      .forEach((part, i) => {
        if (i > 0) frag.appendChild(document.createElement('wbr'));
        frag.appendChild(document.createTextNode(part));
      });
  }
  return frag;
}

/** A part of a title no longer than this stays on one line (a beacon pair `src → dst`, a level, a host). */
const TITLE_PART_CHARS = 48;

/**
 * A detail title (`high · 1.000 · 10.0.0.5 → 203.0.113.9`, `ALERT · DS1 · C:\…\file.exe`) that wraps instead of
 * being cut (UI trial: the beacon title ended "64.225.56.201 → 91.18…", cutting the destination that identifies the
 * pair): it wraps between its ` · ` parts, a short part (the pair) kept whole on one line, a long one (a path) at its
 * separators. Text nodes, spans and `<wbr>` only; `textContent` is the title unchanged.
 */
export function titleText(title: string): Node {
  const frag = document.createDocumentFragment();
  title.split(' · ').forEach((part, i) => {
    if (i > 0) frag.appendChild(document.createTextNode(' · '));
    frag.appendChild(part.length <= TITLE_PART_CHARS ? h('span', { class: 'title-part' }, part) : breakableText(part));
  });
  return frag;
}

export interface DetailPaneOptions {
  /** Accessible name of the pane, naming what a row is: "Offense details" (default "Row details"). */
  label?: string;
  /** Width of the pane in px (a width the user chose before); the stylesheet's default when absent. */
  width?: number;
  /** The user resized the pane (drag or keyboard on its left edge) to `width` px. */
  onResize?(width: number): void;
  onReveal(row: number): void;
  onCopy(text: string): void;
  onClose(): void;
  /** A row action button (`RowDetail.actions`) was clicked. */
  onAction?(row: number, action: string): void;
}

function detailText(d: RowDetail): string {
  const lines = [d.title, ...d.fields.map((f) => `${f.label}: ${f.value}`)];
  for (const s of d.sections) {
    lines.push('', s.title, ...s.fields.map((f) => `  ${f.label}: ${f.value}`));
  }
  return lines.join('\n');
}

export class DetailPane {
  readonly el: HTMLElement;
  private readonly content: HTMLElement;
  private readonly titleEl: HTMLElement;
  private readonly revealBtn: HTMLElement;
  private readonly copyBtn: HTMLElement;
  private current: RowDetail | undefined;
  private readonly extraActions: HTMLElement;
  private charts: BarChartHandle[] = [];

  constructor(private readonly opts: DetailPaneOptions) {
    this.titleEl = h('h2', { class: 'detail-title' });
    this.revealBtn = h('vscode-button', { icon: 'go-to-file', 'data-testid': 'detail-reveal', title: 'Open the log file at this line' }, 'Reveal in log');
    this.copyBtn = h('vscode-button', { icon: 'copy', secondary: true, 'data-testid': 'detail-copy', title: 'Copy all fields' }, 'Copy');
    const closeBtn = h('vscode-button', { icon: 'close', 'icon-only': true, secondary: true, title: 'Close details', 'aria-label': 'Close details', class: 'detail-close' });
    this.revealBtn.addEventListener('click', () => {
      if (this.current?.canReveal) this.opts.onReveal(this.current.row);
    });
    this.copyBtn.addEventListener('click', () => {
      if (this.current) this.opts.onCopy(detailText(this.current));
    });
    closeBtn.addEventListener('click', () => this.close());
    this.content = h('div', { class: 'detail-content' });
    this.extraActions = h('span', { class: 'detail-extra-actions' });
    this.el = h(
      'aside',
      { class: 'detail', 'data-testid': 'detail', 'aria-label': opts.label ?? 'Row details', tabindex: -1 },
      this.resizer(),
      h('div', { class: 'detail-head' }, this.titleEl, closeBtn),
      h('div', { class: 'detail-actions' }, this.revealBtn, this.copyBtn, this.extraActions),
      this.content,
    );
    if (opts.width) this.el.style.width = `${Math.round(opts.width)}px`;
    // Escape anywhere in the pane closes it (onClose gives the focus back to the table)
    this.el.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || e.defaultPrevented || this.el.hidden) return;
      e.preventDefault();
      this.close();
    });
  }

  /** Closes the pane as its close button does (`onClose`). */
  close(): void {
    this.opts.onClose();
  }

  /**
   * The handle on the pane's left edge: drag it, or focus it and press Left/Right (Shift: larger
   * steps), Home/End (widest/narrowest), to resize the pane. The width is reported through `onResize`.
   */
  private resizer(): HTMLElement {
    const handle = h('div', {
      class: 'detail-resizer',
      role: 'separator',
      tabindex: 0,
      'aria-orientation': 'vertical',
      'aria-label': 'Resize details',
      title: 'Drag (or focus and press ←/→) to resize the details',
      'data-testid': 'detail-resizer',
    });
    const maxWidth = () => Math.max(DETAIL_MIN_PX, (this.el.parentElement?.clientWidth ?? window.innerWidth) - TABLE_MIN_PX);
    const setWidth = (w: number, report: boolean) => {
      const width = Math.round(Math.min(maxWidth(), Math.max(DETAIL_MIN_PX, w)));
      this.el.style.width = `${width}px`;
      handle.setAttribute('aria-valuenow', String(width));
      handle.setAttribute('aria-valuemin', String(DETAIL_MIN_PX));
      handle.setAttribute('aria-valuemax', String(Math.round(maxWidth())));
      if (report) this.opts.onResize?.(width);
    };
    handle.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      e.preventDefault();
      const startX = e.clientX;
      const startW = this.el.getBoundingClientRect().width;
      handle.setPointerCapture(e.pointerId);
      handle.classList.add('dragging');
      const move = (ev: PointerEvent) => setWidth(startW + (startX - ev.clientX), false);
      const up = (ev: PointerEvent) => {
        handle.removeEventListener('pointermove', move);
        handle.removeEventListener('pointerup', up);
        handle.removeEventListener('pointercancel', up);
        handle.classList.remove('dragging');
        setWidth(startW + (startX - ev.clientX), true);
      };
      handle.addEventListener('pointermove', move);
      handle.addEventListener('pointerup', up);
      handle.addEventListener('pointercancel', up);
    });
    handle.addEventListener('keydown', (e) => {
      const w = this.el.getBoundingClientRect().width;
      const step = e.shiftKey ? 64 : 16;
      let next: number | undefined;
      if (e.key === 'ArrowLeft') next = w + step;
      else if (e.key === 'ArrowRight') next = w - step;
      else if (e.key === 'Home') next = maxWidth();
      else if (e.key === 'End') next = DETAIL_MIN_PX;
      if (next === undefined) return;
      e.preventDefault();
      setWidth(next, true);
    });
    return handle;
  }

  /** Destroys the Chart.js instances of the previous row. */
  private dropCharts(): void {
    for (const c of this.charts) c.destroy();
    this.charts = [];
  }

  showLoading(): void {
    this.dropCharts();
    clear(this.extraActions);
    clear(this.content);
    this.content.appendChild(h('div', { class: 'detail-loading', role: 'status', 'data-testid': 'detail-loading' }, h('vscode-progress-ring', { 'aria-hidden': 'true' }), 'Loading…'));
  }

  showError(message: string): void {
    this.dropCharts();
    clear(this.content);
    this.content.appendChild(h('div', { class: 'detail-error' }, message));
  }

  /**
   * The outcome of an action that took the row out of the table (e.g. a safelisted pair): its
   * title and lines, with no row buttons (nothing left to act on, so a second click does nothing).
   */
  showDone(done: ActionDone): void {
    this.current = undefined;
    this.dropCharts();
    clear(this.extraActions);
    clear(this.content);
    this.setTitle(done.title);
    // nothing left to reveal (the row left the table): no reveal button, as a beacon pair's pane has none (UI review)
    this.revealBtn.setAttribute('disabled', '');
    this.revealBtn.hidden = true;
    this.copyBtn.setAttribute('disabled', '');
    this.content.appendChild(
      h('div', { class: 'detail-done', role: 'status', 'data-testid': 'detail-done' }, icon('pass'), h('div', { class: 'detail-done-lines' }, ...done.lines.map((l) => h('p', {}, l)))),
    );
  }

  /** The title, wrapped onto as many lines as it needs (see {@link titleText}); whole as the tooltip too. */
  private setTitle(title: string): void {
    const text = visibleText(title);
    clear(this.titleEl);
    this.titleEl.appendChild(titleText(text));
    this.titleEl.setAttribute('title', text);
  }

  /** Disables the row's action buttons while one of them runs (a confirmation may be open in the host). */
  setBusy(busy: boolean): void {
    for (const b of this.extraActions.children) {
      if (busy) b.setAttribute('disabled', '');
      else b.removeAttribute('disabled');
    }
  }

  show(d: RowDetail): void {
    this.current = d;
    this.copyBtn.removeAttribute('disabled');
    this.setTitle(d.title);
    // the label names what it opens (UI trial: a QRadar offense's "Reveal in log" opened the offenses JSON export);
    // the same button, so its place in the tab order, its role and its test id stay
    this.revealBtn.textContent = d.reveal?.label ?? 'Reveal in log';
    // a kind whose rows never have a line to reveal (a beacon pair) shows no button, not a dead disabled one
    this.revealBtn.hidden = !!d.noReveal;
    if (d.canReveal) {
      this.revealBtn.removeAttribute('disabled');
      this.revealBtn.removeAttribute('secondary');
      this.revealBtn.setAttribute('title', d.reveal?.title ?? 'Open the log file at this line');
    } else {
      // disabled and not in the primary colour, so it does not look clickable
      this.revealBtn.setAttribute('disabled', '');
      this.revealBtn.setAttribute('secondary', '');
      this.revealBtn.setAttribute('title', d.reveal?.disabledTitle ?? 'This row is aggregated from many log lines: there is no single line to reveal');
    }
    this.dropCharts();
    clear(this.content);
    clear(this.extraActions);
    for (const a of d.actions ?? []) {
      const btn = h('vscode-button', { icon: a.icon ?? 'circle-slash', secondary: true, 'data-testid': `detail-action-${a.id}`, title: a.title ?? a.label }, a.label);
      btn.addEventListener('click', () => {
        if (this.current) this.opts.onAction?.(this.current.row, a.id);
      });
      this.extraActions.appendChild(btn);
    }
    // Fields, charts, sections: in this order for the keyboard and in a narrow pane (stacked); in a pane wide enough
    // for both (styles.css, a container query on the pane's own width) the charts stand beside the fields and
    // sections, so they are in view without scrolling the pane (UI trial: at 1400×900 the beacon pair's histograms
    // were below the fold). A pane with charts starts wider (`has-charts`: 58 % of the panel, about 580 px at 1400×900
    // beside the Explorer; they stand beside from 540 px) unless the user chose a width.
    const hasCharts = !!d.charts?.length;
    this.el.classList.toggle('has-charts', hasCharts);
    const body = h('div', { class: `detail-body${hasCharts ? ' with-charts' : ''}`, 'data-testid': 'detail-body' }, h('div', { class: 'detail-main' }, this.fieldList(d.fields)));
    this.content.appendChild(body);
    if (hasCharts) {
      const wrap = h('div', { class: 'detail-charts', 'data-testid': 'detail-charts' });
      body.appendChild(wrap);
      for (const s of d.charts!) {
        // (narrow: upright tick labels, the first, the last and evenly spaced between: charts.ts spreadTicks)
        const c = createBarChart(s, undefined, undefined, 3, { spreadTicks: true });
        const box = c.el.querySelector('.chart-box') as HTMLElement | null;
        // a histogram (vertical) is as high as styles.css says: 160 px stacked under the fields, 120 px beside them, so
        // that a beacon pair's three with their titles fit the pane's height at 1400×900 (the panel less its tab strip
        // and toolbar: about 680 px; at 160 px the third was cut)
        if (box && s.orientation !== 'vertical') box.style.height = `${Math.max(3, Math.min(s.labels.length, 12)) * 20 + 40}px`;
        this.charts.push(c);
        wrap.appendChild(c.el);
      }
    }
    if (d.sections.length) {
      body.appendChild(h('div', { class: 'detail-sections' }, ...d.sections.map((s) => h('section', { class: 'detail-section' }, h('h3', {}, s.title), this.fieldList(s.fields)))));
    }
  }

  private fieldList(fields: DetailField[]): HTMLElement {
    const dl = h('dl', { class: 'detail-fields' });
    for (const f of fields) {
      const copy = h('button', { class: 'icon-btn copy-field', type: 'button', title: `Copy ${f.label}`, 'aria-label': `Copy ${f.label}` }, h('span', { class: 'codicon codicon-copy', 'aria-hidden': 'true' }));
      copy.addEventListener('click', () => this.opts.onCopy(f.value));
      // A long value (a raw Loki message, a command line) gets the pane's whole width, under its label; so does a
      // SHA256 (two lines at most), and in a pane under 560 px an MD5, a SHA1 or first bytes (one line). A SHA256 may
      // break anywhere, a shorter hash nowhere (it scrolls sideways if the pane cannot hold it); other values at
      // separators, never inside a time.
      const hash = HASH.test(f.value);
      const wide = f.value.length > WIDE_VALUE_CHARS || (hash && f.value.length >= WIDE_HASH_CHARS) ? { class: 'wide' } : HEX_RUN.test(f.value) ? { class: 'hash-row' } : {};
      const value = hash ? h('span', { class: `detail-value hash${f.value.length < WIDE_HASH_CHARS ? ' nobr' : ''}` }, f.value) : h('span', { class: f.prose === true ? 'detail-value prose' : 'detail-value' }, breakableText(f.value));
      dl.append(h('dt', wide, f.label), h('dd', wide, value, copy));
    }
    return dl;
  }
}
