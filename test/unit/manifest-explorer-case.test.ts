/**
 * The Explorer's right-click entries (package.json `menus.explorer/context`) match file names and extensions whatever
 * their case: `CONN.LOG`, `Offenses.JSON`, `conn.00.LOG.GZ` (Windows shares, exports from other tools) got no SOC
 * entry because the when-clause regexes had no `i` flag, while the commands themselves read such files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
type MenuItem = { command: string; submenu?: string; when?: string; group?: string };
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { menus: Record<string, MenuItem[]>; submenus: { id: string; label: string }[] };
};
/** The entries of the Explorer's *SOC Analytics* submenu (the Explorer menu itself holds only the submenu). */
const explorer = pkg.contributes.menus['socAnalytics.explorer'];
const parent = pkg.contributes.menus['explorer/context'];

/** The `resourceExtname =~ /…/f` and `resourceFilename =~ /…/f` tests of a when clause, as [key, RegExp source, flags]. */
function nameTests(when: string): [string, string, string][] {
  return [...when.matchAll(/(resourceExtname|resourceFilename|resourceBasename) =~ \/((?:[^/\\]|\\.)*)\/([a-z]*)/g)].map((m) => [m[1], m[2], m[3]]);
}
/** Whether the clause's name tests let a file of this name through (what VS Code gives each key). */
function matches(when: string, name: string): boolean {
  return nameTests(when).some(([key, src, flags]) => new RegExp(src, flags).test(key === 'resourceExtname' ? extname(name) : name));
}

test('every file-name regex of the Explorer menu has the i flag', () => {
  const all = [...explorer, ...parent].flatMap((m) => nameTests(m.when ?? '').map(([key, src, flags]) => ({ command: m.command, key, src, flags })));
  assert.ok(all.length >= 5, JSON.stringify(all));
  assert.deepEqual(all.filter((t) => !t.flags.includes('i')), []);
});

test('upper- and mixed-case sample names get the entries their lower-case names get', () => {
  const samples: Record<string, { yes: string[]; no: string[] }> = {
    'socAnalytics.analyzeLoki': { yes: ['LOKI_WS-01.LOG', 'scan.Txt', 'loki.CSV', 'loki-rs.JSONL'], no: ['report.PDF'] },
    'socAnalytics.analyzeCases': { yes: ['Cases.CSV', 'tickets.TSV', 'cases.Json', 'cases.NDJSON'], no: ['cases.XLSX'] },
    'socAnalytics.normalizeTimestamps': { yes: ['Offenses.JSON', 'CONN.LOG', 'events.TSV', 'cases.Csv'], no: ['conn.LOG.GZ'] },
    'socAnalytics.analyzeQRadar': { yes: ['Offenses.JSON', 'offenses.NDJSON', 'LogActivity.CSV'], no: ['offenses.TXT'] },
    'socAnalytics.detectBeacons': { yes: ['CONN.LOG', 'conn.00:00:00-01:00:00.LOG.GZ', 'Firewall.CSV', 'conn.JSON', 'flows.TSV'], no: ['capture.PCAP'] },
  };
  for (const [command, { yes, no }] of Object.entries(samples)) {
    const item = explorer.find((m) => m.command === command);
    assert.ok(item?.when, command);
    for (const name of yes) {
      assert.ok(matches(item.when!, name.toLowerCase()), `${command}: ${name.toLowerCase()} (lower case) matches`);
      assert.ok(matches(item.when!, name), `${command}: ${name} matches`);
    }
    for (const name of no) assert.ok(!matches(item.when!, name), `${command}: ${name} does not match`);
  }
});

test('the Explorer menu holds one "SOC Analytics" submenu, shown on every file its entries take', () => {
  assert.equal(parent.length, 1);
  assert.equal(parent[0].submenu, 'socAnalytics.explorer');
  assert.deepEqual(pkg.contributes.submenus.find((s) => s.id === 'socAnalytics.explorer')?.label, 'SOC Analytics');
  assert.equal(explorer.length, 6);
  // each entry's names: the submenu must be shown for them, and not for names no entry takes
  const names = ['LOKI_WS-01.LOG', 'scan.Txt', 'loki.CSV', 'loki-rs.JSONL', 'Cases.CSV', 'tickets.TSV', 'cases.NDJSON', 'Offenses.JSON',
    'conn.00:00:00-01:00:00.LOG.GZ', 'conn.JSON', 'flows.TSV', 'events.tsv'];
  for (const name of names) {
    const takers = explorer.filter((m) => matches(m.when!, name)).map((m) => m.command);
    assert.ok(takers.length > 0, `${name}: some entry takes it`);
    assert.ok(matches(parent[0].when!, name), `${name}: the submenu is shown (entries ${takers.join(', ')})`);
  }
  for (const name of ['report.PDF', 'cases.XLSX', 'capture.PCAP', 'notes.md']) {
    assert.ok(!matches(parent[0].when!, name), `${name}: no submenu`);
    assert.deepEqual(explorer.filter((m) => matches(m.when!, name)), [], name);
  }
  // folders: the submenu and the folder entries
  assert.match(parent[0].when!, /explorerResourceIsFolder \|\|/);
  assert.equal(explorer.filter((m) => /explorerResourceIsFolder/.test(m.when!)).length, 5);
});
