/**
 * The one time-zone picker of the extension (display zone, Normalize Timestamps, QRadar console zone).
 * A quick pick with the caller's suggestions first, then every IANA zone this runtime knows: typing
 * filters them (`paris` finds Europe/Paris), and a typed name in any case or a fixed offset
 * (`UTC+3`, `UTC-05:30`) that is not in the list is offered in its canonical spelling. A name that is no zone
 * (`Berlin`, `new york`, `GMT+2`) is answered with the zones it probably means ({@link zoneSuggestions}) on top,
 * and Enter on it names them in the title.
 */
import * as vscode from 'vscode';
import { allZoneNames, canonicalZoneSetting, zoneSuggestions, ZONE_HINT } from '../core/time';

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
    const text = value.trim();
    const typed = text ? canonicalZoneSetting(text) : undefined;
    if (typed) qp.items = known.has(typed) ? base : [{ label: typed, description: 'as typed', alwaysShow: true }, ...base];
    else {
      // not a zone: what it probably means, shown whatever the filter (`new york` matches no label as typed)
      const meant = text ? zoneSuggestions(text) : [];
      qp.items = meant.length ? [...meant.map((z) => ({ label: z, description: `did you mean? (“${text.slice(0, 40)}” is not a time zone)`, alwaysShow: true })), ...base.filter((i) => !meant.includes(i.label))] : base;
    }
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
        const meant = zoneSuggestions(qp.value.trim());
        qp.title = `Unknown time zone “${qp.value.trim().slice(0, 60)}”${meant.length ? `: did you mean ${meant.join(' or ')}? Or use` : ': use'} ${ZONE_HINT}`;
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
