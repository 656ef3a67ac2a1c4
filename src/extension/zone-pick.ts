/**
 * The one time-zone picker of the extension (display zone, Normalize Timestamps, QRadar console zone).
 * A quick pick with the caller's suggestions first, then every IANA zone this runtime knows: typing
 * filters them (`paris` finds Europe/Paris), and a typed name in any case or a fixed offset
 * (`UTC+3`, `UTC-05:30`) that is not in the list is offered in its canonical spelling. A name that is no zone
 * (`Berlin`, `new york`, `GMT+2`) is answered with the zones it probably means ({@link zoneSuggestions}) on top,
 * and Enter on it names them in the title. A time-zone abbreviation (`AST`, `IST`) or `EST`/`MST`/`HST` shows only
 * the zones it stands for (Asia/Riyadh, America/Halifax), never a fuzzy match of the full list (`AST` matched
 * Africa/Sao_Tome, first and highlighted). The rows and answers are the pure functions of src/core/zone-pick-rows.ts.
 */
import * as vscode from 'vscode';
import { allZoneNames, ZONE_HINT } from '../core/time';
import { zonePickAccept, zonePickBase, zonePickRows, type ZoneChoice, type ZoneRow } from '../core/zone-pick-rows';

export type { ZoneChoice } from '../core/zone-pick-rows';

/** Common zones offered first by every zone prompt (after `UTC` and the prompt's own specials). */
export const COMMON_ZONES = ['Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Asia/Riyadh', 'Asia/Dubai', 'Asia/Kolkata', 'Asia/Singapore', 'Asia/Tokyo', 'Australia/Sydney'];

/** A quick-pick item for a row (the separator row as a separator). */
function item(r: ZoneRow): vscode.QuickPickItem {
  if (r.separator) return { label: r.label, kind: vscode.QuickPickItemKind.Separator };
  return r.alwaysShow ? { label: r.label, description: r.description, alwaysShow: true } : { label: r.label, description: r.description };
}

/**
 * Shows the picker. `first`: suggestions on top (special values such as `local` or `majority` are
 * accepted as given). `noDefault`: no row is highlighted at first, so Enter alone chooses nothing
 * (for answers that are saved and a wrong guess is silent: the QRadar console zone); the title then
 * asks for a choice. Resolves to the chosen zone — a `first` label, an IANA name as the tz
 * database spells it, or a canonical fixed offset — or `undefined` when dismissed.
 */
export function pickZone(opts: { title: string; placeHolder?: string; first: ZoneChoice[]; ignoreFocusOut?: boolean; noDefault?: boolean }): Promise<string | undefined> {
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem>();
  const firstLabels = new Set(opts.first.map((f) => f.label));
  const baseRows = zonePickBase(opts.first, allZoneNames());
  const baseItems = baseRows.map(item);
  const itemOf = new Map(baseRows.map((r, i) => [r, baseItems[i]]));
  qp.title = opts.title;
  qp.placeholder = opts.placeHolder ?? `Type to filter, or type ${ZONE_HINT}`;
  qp.ignoreFocusOut = opts.ignoreFocusOut ?? false;
  qp.matchOnDescription = true;
  qp.items = baseItems;
  qp.onDidChangeValue((value) => {
    const view = zonePickRows(value, baseRows, opts.title);
    qp.title = view.title;
    qp.items = view.rows.map((r) => itemOf.get(r) ?? item(r));
  });
  return new Promise((resolve) => {
    let chosen: string | undefined;
    qp.onDidAccept(() => {
      // (a quick pick has no validation message: the title says it, until the text changes)
      const answer = zonePickAccept(qp.value, qp.selectedItems[0]?.label, firstLabels, opts.title);
      if ('title' in answer) {
        qp.title = answer.title;
        return;
      }
      chosen = answer.zone;
      qp.hide();
    });
    qp.onDidHide(() => {
      resolve(chosen);
      qp.dispose();
    });
    // Set before show() too: the extension host sends properties set after show() a tick later, and an Enter pressed in
    // between accepted the first row (seen when the prompt came up just as Enter was pressed).
    if (opts.noDefault) qp.activeItems = [];
    qp.show();
    if (opts.noDefault) qp.activeItems = [];
  });
}
