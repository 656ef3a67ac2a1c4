/** The Loki analysis kind: worker job, Results tree (hosts → findings) and dashboard. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { count } from '../../core/analyze/dashboard-kit';
import { buildLokiDashboard, lokiFindingColumns, lokiFindingDetail, lokiTreeText, type LokiFleetInput } from '../../core/analyze/loki-dashboard';
import { fleetReport, readExpectedHosts } from '../../core/analyze/fleet-coverage';
import { lokiNothingRead, reasonRuleKey, ruleNamer, type LokiAnalysis } from '../../core/analyze/loki-summary';
import type { LokiFinding, Verdict } from '../../core/model/loki';
import { TableStore } from '../../core/table/store';
import { distinguishingFolders, distinguishingTimes, lokiHostNode, type TreeIconSpec } from '../../core/analyze/loki-tree';
import { formatTime } from '../../core/time';
import { readLokiMessage } from '../../core/parse/loki-message';
import { cutText, notificationSafe } from '../../core/text-safe';
import { lokiMarkdown } from '../../core/export/markdown-summary';
import type { DashboardSource } from '../panels/dashboardPanel';
import type { ShowRowsRequest } from '../../shared/protocol';
import type { AnalysisKind, AnalysisMeta, TreeNodeData } from './types';
import { ERRORS_TAB, inputsNotice, LOKI_SKIPPED_TAB } from '../../core/analyze/run-notice';

const VERDICT_ORDER: Record<Verdict, number> = { indicators: 0, suspicious: 1, incomplete: 2, clean: 3 };
const LEVEL_ORDER: Record<string, number> = { ALERT: 0, WARNING: 1, NOTICE: 2 };

/** A codicon of the tree (see src/core/analyze/loki-tree.ts) as a `vscode.ThemeIcon`. */
function themeIcon(i: TreeIconSpec): vscode.ThemeIcon {
  return i.color ? new vscode.ThemeIcon(i.id, new vscode.ThemeColor(i.color)) : new vscode.ThemeIcon(i.id);
}

function levelIcon(level: string): vscode.ThemeIcon {
  if (level === 'ALERT') return new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('errorForeground'));
  if (level === 'WARNING') return new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('editorWarning.foreground'));
  return new vscode.ThemeIcon('circle-outline', new vscode.ThemeColor('editorInfo.foreground'));
}

/** The setting that names the expected-host list (resource scope: per workspace folder). */
export const EXPECTED_HOSTS_SETTING = 'loki.expectedHostsFile';
let warnedList: string | undefined;

/**
 * The expected-host list of `socAnalytics.loki.expectedHostsFile` in the scope of the analysis's first input, read
 * (asynchronously: the extension host never blocks on it) and matched against the analysis's hosts; undefined when
 * the setting is empty. A relative path is resolved against that input's workspace folder (else the first one). A list
 * that cannot be read gives `{ file, error }` for the dashboard's notice, and a warning notification once per problem.
 */
export async function expectedHostsOf(a: Pick<LokiAnalysis, 'files' | 'hosts'>, meta: Pick<AnalysisMeta, 'paths'>): Promise<LokiFleetInput | undefined> {
  const first = a.files[0]?.file ?? meta.paths[0];
  const scope = first ? vscode.Uri.file(first) : undefined;
  const raw = (vscode.workspace.getConfiguration('socAnalytics', scope).get<string>(EXPECTED_HOSTS_SETTING, '') ?? '').trim();
  if (!raw) return undefined;
  const folder = (scope && vscode.workspace.getWorkspaceFolder(scope)) ?? vscode.workspace.workspaceFolders?.[0];
  const file = path.isAbsolute(raw) ? raw : folder ? path.join(folder.uri.fsPath, raw) : undefined;
  let problem: { file: string; error: string };
  try {
    if (file === undefined) throw new Error(`“${raw}” is a relative path and no workspace folder is open: give an absolute path`);
    return fleetReport(file, await readExpectedHosts(file), a.hosts);
  } catch (e) {
    problem = { file: file ?? raw, error: (e as Error).message };
  }
  const key = `${problem.file}\n${problem.error}`;
  if (warnedList !== key) void vscode.window.showWarningMessage(notificationSafe(`SOC Analytics: socAnalytics.${EXPECTED_HOSTS_SETTING}: ${problem.error}. The Loki dashboard shows no fleet coverage.`));
  warnedList = key;
  return problem;
}

/** What a host's rows in the Results tree show on the dashboard: the host's findings (the Host column's facet). */
function hostRows(host: string): ShowRowsRequest {
  return { facets: { host } };
}

export const lokiKind: AnalysisKind<LokiAnalysis> = {
  kind: 'loki',
  label: 'Loki',
  icon: 'shield',
  summary: true,
  panelTitle: (meta) => `Loki: ${meta.title}`,
  command: (options) => (options.includeAllScans === true ? 'socAnalytics.analyzeLokiAllScans' : 'socAnalytics.analyzeLoki'),
  identity: (options) => ({ includeAllScans: options.includeAllScans === true }),
  job: (meta) => ({ kind: 'loki', paths: meta.paths, options: { includeAllScans: meta.options.includeAllScans === true } }),
  titleSuffix: (options) => (options.includeAllScans === true ? ' (all scans)' : ''),
  describe(a) {
    const s = a.summary;
    return {
      ...lokiTreeText(s, a.setAside),
      summary: { ...s },
    };
  },
  async source(a, meta, zone): Promise<DashboardSource> {
    const fleet = await expectedHostsOf(a, meta);
    // rules named as the Rules tab names them (a hash IOC: `Hash IOC: <description>`) in the Rule cells and the detail
    const columns = lokiFindingColumns(zone, a.files, a.rules);
    const ruleName = ruleNamer(a.rules);
    const store = new TableStore<LokiFinding>(a.findings, columns);
    const firstInput = a.files[0]?.file;
    return {
      panelTitle: lokiKind.panelTitle(meta),
      model: buildLokiDashboard(a, meta.title, zone, fleet),
      rows: a.findings,
      columns: columns as DashboardSource['columns'],
      store: store as DashboardSource['store'],
      detail: async (row, id) => {
        const f = row as LokiFinding;
        if (f.messageAt === undefined) return lokiFindingDetail(f, id, zone, ruleName);
        // The message was left out of the transfer from the worker: read it back for the detail.
        let message: string;
        try {
          message = await readLokiMessage(f);
        } catch (e) {
          message = `(not shown: ${(e as Error).message})`;
        }
        return lokiFindingDetail({ ...f, message }, id, zone, ruleName);
      },
      sourceOf: (row) => (row as LokiFinding).source,
      exportName: 'loki-findings.csv',
      exportDir: firstInput ? path.dirname(firstInput) : undefined,
      rowNoun: 'findings',
      markdown: (o) => lokiMarkdown(a, { zone, defang: o.defang, title: meta.title, allScansHint: 'Analyze Loki Results (Include All Scans)' }, fleet && !('error' in fleet) ? fleet.coverage : undefined),
    };
  },
  children(a, analysisId, parentKey, settings): TreeNodeData[] {
    if (parentKey === undefined) {
      return [...a.hosts]
        .sort((x, y) => VERDICT_ORDER[x.verdict] - VERDICT_ORDER[y.verdict] || y.alerts - x.alerts || y.warnings - x.warnings || x.host.localeCompare(y.host))
        .map((h) => {
          const n = lokiHostNode(h);
          // a click shows the dashboard's findings of this host (a removable chip, as a Hosts-table row's)
          const show = hostRows(h.host);
          return {
            key: `host:${h.host}`,
            label: h.host,
            description: n.description,
            tooltip: n.tooltip,
            icon: themeIcon(n.icon),
            contextValue: 'host',
            expandable: h.alerts + h.warnings + h.notices > 0,
            command: { command: 'socAnalytics.openAnalysis', title: 'Show in Dashboard', arguments: [analysisId, show] },
          };
        });
    }
    if (!parentKey.startsWith('host:')) return [];
    const key = parentKey.slice(5).toLowerCase();
    const all = a.findings.filter((f) => f.host.toLowerCase() === key);
    all.sort((x, y) => LEVEL_ORDER[x.level] - LEVEL_ORDER[y.level] || (y.score ?? 0) - (x.score ?? 0));
    const shown = all.slice(0, settings.maxChildren);
    // two files of one name in different folders (fx1.exe in Administrator\Downloads and jdoe\Documents) get the
    // folder that tells them apart before their level (new user's trial: two "fx1.exe" rows that looked the same)
    const folders = distinguishingFolders(shown.map((f) => f.path ?? ''));
    // rules named as the Rules tab names them (a hash IOC: `Hash IOC: <description>`, not its hash)
    const ruleName = ruleNamer(a.rules);
    const zone = settings.zone ?? 'UTC';
    const rows = shown.map((f, i) => {
      const rules = f.reasons.map((r) => ruleName(reasonRuleKey(r))).join(', ');
      const label = f.path ? path.win32.basename(f.path) || f.path : cutText(f.message, 80);
      return { f, rules, label, folder: folders[i] ? ` · ${cutText(folders[i], 80)}` : '', lead: `${f.level}${f.score !== undefined ? ` ${f.score}` : ''}` };
    });
    // rows that would read the same (one file found twice: trial's DS1 `configuration WARNING 80 · …\jdoe · APT10…` at
    // 18:50:46 and 18:52:04) get their time after the level and score, where a ~300 px side bar still shows it
    const times = distinguishingTimes(
      rows.map((r) => `${r.label}\0${r.lead}${r.folder} · ${r.rules}`),
      rows.map((r) => r.f.timestamp),
      zone,
    );
    const nodes: TreeNodeData[] = rows.map(({ f, rules, label, folder, lead }, i) => {
      const when = formatTime(f.timestamp, zone);
      return {
        key: `finding:${key}:${i}`,
        label,
        // the level and score first (the side bar cuts the line), then the time that tells two rows of one text apart,
        // then the folder that tells two files of one name apart
        description: `${lead}${times[i] ? ` · ${times[i]}` : ''}${folder}${rules ? ` · ${rules}` : ''}`,
        tooltip: `${f.path ?? f.message}\n${f.level} score ${f.score ?? '-'}\n${rules}${when ? `\n${when} (${zone})` : ''}\n${f.source.file}:${f.source.line}`,
        icon: levelIcon(f.level),
        contextValue: 'finding',
        expandable: false,
        source: f.source,
        command: { command: 'socAnalytics.revealFinding', title: 'Reveal in Log', arguments: [f.source.file, f.source.line] },
      };
    });
    if (all.length > settings.maxChildren) {
      nodes.push({
        key: `more:${key}`,
        label: `… ${all.length - settings.maxChildren} more — open the dashboard for all findings`,
        expandable: false,
        command: { command: 'socAnalytics.openAnalysis', title: 'Show in Dashboard', arguments: [analysisId, hostRows(parentKey.slice(5))] },
      });
    }
    return nodes;
  },
  skipped: (a) => a.skipped,
  nothingRead: (a) => lokiNothingRead(a),
  problems(a, paths) {
    // unreadable lines (with the file and how many), a file chosen and skipped (binary, not Loki output): a warning
    // with the tab that lists them; files of another kind in a chosen folder: the log and the Skipped files tab only
    return inputsNotice({ label: 'Loki', errors: a.errors, skipped: a.skipped, paths, unreadableLines: a.summary.unparsedLines, errorsTab: ERRORS_TAB, skippedTab: LOKI_SKIPPED_TAB });
  },
};
