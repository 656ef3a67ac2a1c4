/**
 * The settings (package.json `contributes.configuration`) as the Settings editor shows them, and the README's Settings
 * table. UX review in VS Code 1.139: the 43 settings were one flat "SOC Analytics" list sorted by key, so the display
 * time zone (the setting every dashboard uses) came after the 18 RITA beacon parameters; they are now in categories.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

interface Setting {
  type?: string | string[];
  default?: unknown;
  description?: string;
  markdownDescription?: string;
  enum?: unknown[];
  enumDescriptions?: string[];
  markdownEnumDescriptions?: string[];
}
type Category = { id: string; title: string; order: number; properties: Record<string, Setting> };

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: Category[] } };
const categories = pkg.contributes.configuration;
const settings = Object.assign({}, ...categories.map((c) => c.properties)) as Record<string, Setting>;

test('settings are in categories, General (the display zone) first, each category holding its own prefix', () => {
  assert.ok(Array.isArray(categories));
  assert.deepEqual(
    [...categories].sort((a, b) => a.order - b.order).map((c) => [c.title, Object.keys(c.properties).map((k) => k.split('.')[1]).filter((v, i, a) => a.indexOf(v) === i)]),
    [
      ['General', ['displayTimeZone', 'openEvidenceReadOnly', 'summary']],
      ['Loki', ['loki']],
      ['QRadar', ['qradar']],
      ['Beacons', ['beacons']],
      ['Cases and KPIs', ['kpi']],
    ],
  );
  assert.equal(Object.keys(settings).length, 45); // (socAnalytics.qradar.maxOffenses, socAnalytics.openEvidenceReadOnly since 2026-12-06; socAnalytics.kpi.shiftTimeZone since 2026-12-07)
});

test('every setting has a description, a default, and an enum has a description per value', () => {
  const problems: string[] = [];
  for (const [k, s] of Object.entries(settings)) {
    if (!(s.description ?? s.markdownDescription)?.trim()) problems.push(`${k}: no description`);
    if (!('default' in s)) problems.push(`${k}: no default`);
    if (s.enum && (s.enumDescriptions ?? s.markdownEnumDescriptions)?.length !== s.enum.length) problems.push(`${k}: enum without a description per value`);
  }
  assert.deepEqual(problems, []);
});

test("the README's Settings table lists exactly the contributed settings", () => {
  const md = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = md.slice(md.indexOf('\n## Settings'), md.indexOf('\n## Command line'));
  const listed = new Set<string>();
  for (const row of section.split('\n').filter((l) => l.startsWith('| `socAnalytics.'))) {
    // first cell: `socAnalytics.qradar.consoleUrl`, `.apiVersion`, `.duration*` — a leading dot continues the last full name's prefix
    let prefix = '';
    for (const [, name] of row.split('|')[1].matchAll(/`([^`]+)`/g)) {
      const full = name.startsWith('socAnalytics.') ? name : prefix + name;
      if (name.startsWith('socAnalytics.')) prefix = name.slice(0, name.lastIndexOf('.'));
      const matches = full.endsWith('*') ? Object.keys(settings).filter((k) => k.startsWith(full.slice(0, -1))) : [full];
      assert.ok(matches.length, `${full}: no setting`);
      for (const m of matches) listed.add(m);
    }
  }
  assert.deepEqual([...listed].filter((k) => !(k in settings)), [], 'README rows that are not settings');
  assert.deepEqual(Object.keys(settings).filter((k) => !listed.has(k)), [], 'settings missing from the README');
});
