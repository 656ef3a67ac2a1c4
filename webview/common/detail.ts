/**
 * Detail pane for one row: all fields, one section per reason, "Reveal in log" and "Copy".
 * Text only (textContent); values are selectable.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { RowDetail } from '../../src/shared/protocol';
import { clear, h } from './dom';

export interface DetailPaneOptions {
  onReveal(row: number): void;
  onCopy(text: string): void;
  onClose(): void;
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
    this.el = h(
      'aside',
      { class: 'detail', 'data-testid': 'detail', 'aria-label': 'Finding details', tabindex: -1 },
      h('div', { class: 'detail-head' }, this.titleEl, closeBtn),
      h('div', { class: 'detail-actions' }, this.revealBtn, this.copyBtn),
      this.content,
    );
  }

  showLoading(): void {
    clear(this.content);
    this.content.appendChild(h('div', { class: 'detail-loading' }, h('vscode-progress-ring'), 'Loading…'));
  }

  showError(message: string): void {
    clear(this.content);
    this.content.appendChild(h('div', { class: 'detail-error' }, message));
  }

  show(d: RowDetail): void {
    this.current = d;
    this.titleEl.textContent = d.title;
    this.titleEl.setAttribute('title', d.title);
    if (d.canReveal) this.revealBtn.removeAttribute('disabled');
    else this.revealBtn.setAttribute('disabled', '');
    clear(this.content);
    this.content.appendChild(this.fieldList(d.fields));
    for (const s of d.sections) {
      this.content.appendChild(h('section', { class: 'detail-section' }, h('h3', {}, s.title), this.fieldList(s.fields)));
    }
  }

  private fieldList(fields: { label: string; value: string }[]): HTMLElement {
    const dl = h('dl', { class: 'detail-fields' });
    for (const f of fields) {
      const copy = h('button', { class: 'icon-btn copy-field', type: 'button', title: `Copy ${f.label}`, 'aria-label': `Copy ${f.label}` }, h('span', { class: 'codicon codicon-copy', 'aria-hidden': 'true' }));
      copy.addEventListener('click', () => this.opts.onCopy(f.value));
      dl.append(h('dt', {}, f.label), h('dd', {}, h('span', { class: 'detail-value' }, f.value), copy));
    }
    return dl;
  }
}
