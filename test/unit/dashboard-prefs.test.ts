/**
 * The charts' fold remembered per dashboard kind across panels (UI trial: folded in one beacon dashboard, the charts
 * came back unfolded in the new panel of a re-run): the host's store of the view preferences (DashboardPrefsStore over
 * the extension's globalState) keeps what a panel sends and gives it to the next new panel of the same kind only.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { cleanPrefs, DASHBOARD_PREFS_KEY, DashboardPrefsStore, type PrefsMemento } from '../../src/core/dashboard-prefs';

function memento(): PrefsMemento & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = {};
  return { data, get: <T>(k: string) => data[k] as T | undefined, update: async (k: string, v: unknown) => void (data[k] = JSON.parse(JSON.stringify(v))) };
}

describe('dashboard view preferences across panels', () => {
  it('a new panel of the kind starts with the fold chosen in a previous one; other kinds keep the default', async () => {
    const m = memento();
    const first = new DashboardPrefsStore(m);
    assert.equal(first.get('beacons'), undefined); // nothing chosen yet: the webview's default (unfolded)
    await first.set('beacons', { chartsOpen: false }); // folded in the first panel
    // a re-run: a new panel, a new store over the same globalState (as after a window reload)
    const later = new DashboardPrefsStore(m);
    assert.deepEqual(later.get('beacons'), { chartsOpen: false });
    assert.equal(later.get('loki'), undefined);
    await later.set('beacons', { chartsOpen: true });
    assert.deepEqual(new DashboardPrefsStore(m).get('beacons'), { chartsOpen: true });
    assert.deepEqual(Object.keys(m.data), [DASHBOARD_PREFS_KEY]);
  });

  it('keeps only known preferences of the right type; ignores odd kinds and a damaged store', async () => {
    const m = memento();
    const s = new DashboardPrefsStore(m);
    await s.set('loki', { chartsOpen: 'no', other: 1 });
    await s.set('loki', null);
    await s.set('a kind with spaces', { chartsOpen: false });
    assert.equal(m.data[DASHBOARD_PREFS_KEY], undefined);
    await s.set('loki', { chartsOpen: false, other: 1 });
    assert.deepEqual(m.data[DASHBOARD_PREFS_KEY], { loki: { chartsOpen: false } });
    assert.equal(s.get('toString'), undefined);
    assert.equal(cleanPrefs([true]), undefined);
    m.data[DASHBOARD_PREFS_KEY] = 'garbage';
    assert.equal(s.get('loki'), undefined);
    await s.set('loki', { chartsOpen: true });
    assert.deepEqual(s.get('loki'), { chartsOpen: true });
  });
});
