/**
 * View preferences of the dashboards remembered across panels, per dashboard kind (`DashboardModel.kind`): a re-run
 * or another analysis of the same kind opens a new panel, whose webview has no state of its own, and it starts with
 * the choice last made in any panel of that kind (UI trial: the charts, folded in one beacon dashboard, came back
 * unfolded after a re-run). A panel with state of its own (restored, or open already) keeps its own.
 *
 * Stored in a Memento (the extension's globalState: a habit of the analyst's, like VS Code's own layout) under one key,
 * `{ [kind]: DashboardPrefs }`. vscode-free so the unit tests and the webview harness use it as the host does.
 */
import type { DashboardPrefs } from '../shared/protocol';

/** The part of `vscode.Memento` used here. */
export interface PrefsMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export const DASHBOARD_PREFS_KEY = 'socAnalytics.dashboardPrefs';

/** Kinds are short identifiers (`loki`, `beacons`, `kpi`, …); anything else is not stored. */
const KIND = /^[A-Za-z0-9_.-]{1,64}$/;

/** The known preferences of `raw` with values of the right type; undefined when there are none. */
export function cleanPrefs(raw: unknown): DashboardPrefs | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const out: DashboardPrefs = {};
  const open = (raw as Record<string, unknown>).chartsOpen;
  if (typeof open === 'boolean') out.chartsOpen = open;
  return Object.keys(out).length ? out : undefined;
}

export class DashboardPrefsStore {
  constructor(private readonly memento: PrefsMemento) {}

  private all(): Record<string, DashboardPrefs> {
    const v = this.memento.get<unknown>(DASHBOARD_PREFS_KEY);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, DashboardPrefs>) : {};
  }

  /** The preferences of dashboards of `kind` (undefined: none chosen yet). */
  get(kind: string): DashboardPrefs | undefined {
    if (!KIND.test(kind)) return undefined;
    const all = this.all();
    return Object.prototype.hasOwnProperty.call(all, kind) ? cleanPrefs(all[kind]) : undefined;
  }

  /** Merges the preferences a webview sent (`setPrefs`, checked here) into those of `kind`. */
  async set(kind: string, raw: unknown): Promise<void> {
    const prefs = cleanPrefs(raw);
    if (!prefs || !KIND.test(kind)) return;
    const all = this.all();
    const next = { ...(Object.prototype.hasOwnProperty.call(all, kind) ? cleanPrefs(all[kind]) : undefined), ...prefs };
    await this.memento.update(DASHBOARD_PREFS_KEY, { ...all, [kind]: next });
  }
}
