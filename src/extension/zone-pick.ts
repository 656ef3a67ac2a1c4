/**
 * The one time-zone picker of the extension (display zone, Normalize Timestamps, QRadar console zone).
 * A quick pick with the caller's suggestions first, then every IANA zone this runtime knows: typing
 * filters them (`paris` finds Europe/Paris), and a typed name in any case or a fixed offset
 * (`UTC+3`, `UTC-05:30`) that is not in the list is offered in its canonical spelling.
 */
import * as vscode from 'vscode';
import { allZoneNames, canonicalZoneSetting, ZONE_HINT } from '../core/time';

/** Common zones offered first by every zone prompt (after `UTC` and the prompt's own specials). */
export const COMMON_ZONES = ['Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Asia/Riyadh', 'Asia/Dubai', 'Asia/Kolkata', 'Asia/Singapore', 'Asia/Tokyo', 'Australia/Sydney'];

export interface ZoneChoice {
  label: string;
  description?: string;
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
  const base: vscode.QuickPickItem[] = [
    ...opts.first,
    { label: 'all time zones', kind: vscode.QuickPickItemKind.Separator },
    ...allZoneNames()
      .filter((z) => !firstLabels.has(z))
      .map((z) => ({ label: z })),
  ];
  const known = new Set(base.map((i) => i.label));
  qp.title = opts.title;
  qp.placeholder = opts.placeHolder ?? `Type to filter, or type ${ZONE_HINT}`;
  qp.ignoreFocusOut = opts.ignoreFocusOut ?? false;
  qp.matchOnDescription = true;
  qp.items = base;
  qp.onDidChangeValue((value) => {
    qp.title = opts.title;
    const typed = value.trim() ? canonicalZoneSetting(value.trim()) : undefined;
    qp.items = typed && !known.has(typed) ? [{ label: typed, description: 'as typed', alwaysShow: true }, ...base] : base;
  });
  return new Promise((resolve) => {
    let chosen: string | undefined;
    qp.onDidAccept(() => {
      const picked = qp.selectedItems[0]?.label ?? (qp.value.trim() ? canonicalZoneSetting(qp.value.trim()) : undefined);
      if (!picked && !qp.value.trim()) {
        qp.title = `Choose a zone first (arrow keys or type to filter) — ${opts.title}`;
        return;
      }
      if (!picked) {
        // (a quick pick has no validation message: the title says it, until the text changes)
        qp.title = `Unknown time zone “${qp.value.trim().slice(0, 60)}”: use ${ZONE_HINT}`;
        return;
      }
      chosen = firstLabels.has(picked) ? picked : (canonicalZoneSetting(picked) ?? picked);
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
