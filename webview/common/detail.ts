/**
 * Detail pane for one row: all fields, one section per reason, "Reveal in log" and "Copy".
 * Text only (textContent); values are selectable.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { RowDetail } from '../../src/shared/protocol';
import { clear, h } from './dom';
import { createBarChart, type BarChartHandle } from './charts';

/** Values longer than this are shown under their label across the whole detail pane. */
const WIDE_VALUE_CHARS = 80;

export interface DetailPaneOptions {
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
    closeBtn.addEventListener('click', () => this.opts.onClose());
    this.content = h('div', { class: 'detail-content' });
    this.extraActions = h('span', { class: 'detail-extra-actions' });
    this.el = h(
      'aside',
      { class: 'detail', 'data-testid': 'detail', 'aria-label': 'Finding details', tabindex: -1 },
      h('div', { class: 'detail-head' }, this.titleEl, closeBtn),
      h('div', { class: 'detail-actions' }, this.revealBtn, this.copyBtn, this.extraActions),
      this.content,
    );
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
    this.content.appendChild(h('div', { class: 'detail-loading' }, h('vscode-progress-ring'), 'Loading…'));
  }

  showError(message: string): void {
    this.dropCharts();
    clear(this.content);
    this.content.appendChild(h('div', { class: 'detail-error' }, message));
  }

  show(d: RowDetail): void {
    this.current = d;
    this.titleEl.textContent = d.title;
    this.titleEl.setAttribute('title', d.title);
    if (d.canReveal) {
      this.revealBtn.removeAttribute('disabled');
      this.revealBtn.setAttribute('title', 'Open the log file at this line');
    } else {
      this.revealBtn.setAttribute('disabled', '');
      this.revealBtn.setAttribute('title', 'This row is aggregated from many log lines: there is no single line to reveal');
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
    this.content.appendChild(this.fieldList(d.fields));
    if (d.charts?.length) {
      const wrap = h('div', { class: 'detail-charts' });
      this.content.appendChild(wrap);
      for (const s of d.charts) {
        const c = createBarChart(s);
        const box = c.el.querySelector('.chart-box') as HTMLElement | null;
        if (box) box.style.height = s.orientation === 'vertical' ? '160px' : `${Math.max(3, Math.min(s.labels.length, 12)) * 20 + 40}px`;
        this.charts.push(c);
        wrap.appendChild(c.el);
      }
    }
    for (const s of d.sections) {
      this.content.appendChild(h('section', { class: 'detail-section' }, h('h3', {}, s.title), this.fieldList(s.fields)));
    }
  }

  private fieldList(fields: { label: string; value: string }[]): HTMLElement {
    const dl = h('dl', { class: 'detail-fields' });
    for (const f of fields) {
      const copy = h('button', { class: 'icon-btn copy-field', type: 'button', title: `Copy ${f.label}`, 'aria-label': `Copy ${f.label}` }, h('span', { class: 'codicon codicon-copy', 'aria-hidden': 'true' }));
      copy.addEventListener('click', () => this.opts.onCopy(f.value));
      // A long value (a raw Loki message, a command line) gets the pane's whole width, under its label.
      const wide = f.value.length > WIDE_VALUE_CHARS ? { class: 'wide' } : {};
      dl.append(h('dt', wide, f.label), h('dd', wide, h('span', { class: 'detail-value' }, f.value), copy));
    }
    return dl;
  }
}
