/**
 * What the Results tree (side panel) shows for one Loki host, as plain data: src/extension/kinds/loki.ts turns the
 * icon into a `vscode.ThemeIcon`. Kept here so that it is unit-tested without VS Code.
 */
import type { Verdict } from '../model/loki';
import { hostVerdictLabel, type LokiHostSummary } from './loki-summary';

/** A codicon id and the theme colour it is drawn in. */
export interface TreeIconSpec {
  id: string;
  color?: string;
}

const VERDICT_ICON: Record<Verdict, TreeIconSpec> = {
  indicators: { id: 'error', color: 'errorForeground' },
  suspicious: { id: 'warning', color: 'editorWarning.foreground' },
  clean: { id: 'pass', color: 'testing.iconPassed' },
  incomplete: { id: 'question' },
};

/**
 * The icon, description and tooltip of a host node. A clean host whose scanner reported errors (e.g. YARA rule files
 * it could not read) is not shown with the green check: a warning icon and `Clean (with scanner errors)`, as the
 * dashboard's host table and card and the CLI report say.
 */
export function lokiHostNode(h: Pick<LokiHostSummary, 'host' | 'verdict' | 'alerts' | 'warnings' | 'notices' | 'scanErrors' | 'lokiVersion' | 'file'>): {
  description: string;
  tooltip: string;
  icon: TreeIconSpec;
} {
  const verdict = hostVerdictLabel(h);
  const errors = h.scanErrors > 0 ? `${h.scanErrors} scanner error${h.scanErrors === 1 ? '' : 's'}` : '';
  return {
    description: `${verdict} · ${h.alerts} A / ${h.warnings} W / ${h.notices} N${errors ? ` · ${errors}` : ''}`,
    tooltip:
      `${h.host}\n${verdict}\nLoki ${h.lokiVersion ?? '?'}\n${h.file}` +
      (errors ? `\n${errors}: the scan may be incomplete (see the dashboard's Scanner messages tab)` : ''),
    icon: h.verdict === 'clean' && h.scanErrors > 0 ? { id: 'warning', color: 'editorWarning.foreground' } : VERDICT_ICON[h.verdict],
  };
}
