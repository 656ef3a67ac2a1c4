/**
 * The tag colours remembered per workspace (the extension's workspaceState): a tag keeps the colour slot it was first
 * shown with in every later cases dashboard and KPI report of the workspace (core/analyze/tag-colors). Stored under
 * one key as a {@link TagColorMemory} (most recently shown first, at most TAG_COLOR_MEMORY_LIMIT tags).
 * vscode-free so the unit tests and the webview harness use it as the host does.
 */
import { normalizeTagColorMemory, rememberTagColors, sameTagColorMemory, type TagColorMemory } from './analyze/tag-colors';
import type { PrefsMemento } from './dashboard-prefs';

export const TAG_COLORS_KEY = 'socAnalytics.kpi.tagColors';

export class TagColorStore {
  constructor(private readonly memento: PrefsMemento) {}

  /** The remembered slots (what was stored, checked). */
  memory(): TagColorMemory {
    return normalizeTagColorMemory(this.memento.get<unknown>(TAG_COLORS_KEY));
  }

  /** Remembers the slots a dashboard or report showed (`KpiReport.tagColors`); stores only a change. */
  async remember(slots: Record<string, number>): Promise<void> {
    const before = this.memory();
    const after = rememberTagColors(before, slots);
    if (!sameTagColorMemory(before, after)) await this.memento.update(TAG_COLORS_KEY, after);
  }
}
