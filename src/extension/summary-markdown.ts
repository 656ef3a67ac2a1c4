/**
 * `SOC: Copy Summary as Markdown` (socAnalytics.copySummaryMarkdown): the ticket-ready Markdown summary of the
 * dashboard in front (Loki, QRadar, beacons, cases KPIs; src/core/export/markdown-summary.ts) on the clipboard, with an offer to
 * open it in an untitled Markdown editor. Built on the extension host from the analysis the dashboard already holds
 * (headline numbers and the top rows; nothing is re-read or re-run when the dashboard is loaded).
 */
import * as vscode from 'vscode';
import { notificationSafe } from '../core/text-safe';
import { DashboardPanel, type DashboardSource } from './panels/dashboardPanel';

/** What the command did (returned for scripts and tests): the Markdown copied, and of which analysis. */
export interface CopiedSummary {
  analysisId: string;
  markdown: string;
}

/**
 * Runs the command. `arg`: an analysis id, or a Results tree node (`{meta}`); without one, the dashboard in front
 * ({@link DashboardPanel.focusedAnalysisId}). An analysis without an open dashboard is loaded through `getSource`.
 * Defanging follows `socAnalytics.summary.defang`. Resolves undefined (after saying why) when there is nothing to copy.
 */
export async function copySummaryMarkdown(arg: unknown, getSource: (id: string) => Promise<DashboardSource | undefined>): Promise<CopiedSummary | undefined> {
  const given = typeof arg === 'string' ? arg : (arg as { meta?: { id?: unknown } } | undefined)?.meta?.id;
  const id = typeof given === 'string' ? given : DashboardPanel.focusedAnalysisId();
  if (!id) {
    void vscode.window.showInformationMessage('SOC Analytics: open a Loki, QRadar, beacon or cases dashboard first; its summary is copied.');
    return undefined;
  }
  let source: DashboardSource | undefined;
  try {
    source = (await DashboardPanel.openSource(id)) ?? (await getSource(id));
  } catch (e) {
    void vscode.window.showErrorMessage(notificationSafe(`SOC Analytics: the analysis could not be loaded: ${(e as Error).message}`));
    return undefined;
  }
  if (!source) {
    void vscode.window.showInformationMessage('SOC Analytics: this analysis no longer exists.');
    return undefined;
  }
  if (!source.markdown) {
    void vscode.window.showInformationMessage('SOC Analytics: this dashboard has no Markdown summary (Loki, QRadar, beacon and cases dashboards have one).');
    return undefined;
  }
  const defang = vscode.workspace.getConfiguration('socAnalytics').get<boolean>('summary.defang', false) === true;
  const markdown = source.markdown({ defang });
  await vscode.env.clipboard.writeText(markdown);
  void vscode.window
    .showInformationMessage(notificationSafe(`SOC Analytics: summary of “${source.panelTitle}” copied as Markdown${defang ? ' (defanged)' : ''}.`), 'Open in Editor')
    .then(async (c) => {
      if (c !== 'Open in Editor') return;
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
      await vscode.window.showTextDocument(doc, { preview: false });
    });
  return { analysisId: id, markdown };
}
