/**
 * The zone picker's rows and answers (src/core/zone-pick-rows.ts), the pure part of src/extension/zone-pick.ts.
 * New-user trial: typing `AST` and Enter saved Africa/Sao_Tome (VS Code's fuzzy match on the capitals A-S-T, ranked
 * above the "did you mean" rows), `IST` saved America/Boa_Vista, and `EST` was offered "as typed" first (a fixed UTC-5
 * all year). An abbreviation now gets only the zones it stands for — the CLI's table — and Enter takes nothing else.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/cli';
import { allZoneNames, legacyFixedZoneNote, pickerAbbreviation, zoneAbbreviationProblem } from '../../src/core/time';
import { zonePickAccept, zonePickBase, zonePickRows, type ZoneRow } from '../../src/core/zone-pick-rows';
import { capture } from './cli-capture';

// 2026-01-15 12:00 UTC: winter in the north (Riyadh +3, Halifax -4, Kolkata +05:30, Jerusalem +2, Dublin +0, Berlin +1)
const WINTER = Date.UTC(2026, 0, 15, 12);
const TITLE = 'SOC Analytics: display time zone';
// the display-zone command's first rows (src/extension/extension.ts)
const FIRST = ['UTC', 'local', 'majority', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Asia/Riyadh', 'Asia/Dubai', 'Asia/Kolkata', 'Asia/Singapore', 'Asia/Tokyo', 'Australia/Sydney'].map((label) => ({ label }));
const FIRST_LABELS = new Set(FIRST.map((f) => f.label));
const BASE = zonePickBase(FIRST, allZoneNames());

const rows = (typed: string) => zonePickRows(typed, BASE, TITLE, WINTER);
const labels = (r: ZoneRow[]) => r.map((x) => x.label);

test('the full list holds the zones the trial saved by mistake, and no EST/MST/HST', () => {
  const all = labels(BASE);
  assert.ok(all.includes('Africa/Sao_Tome') && all.includes('America/Boa_Vista'));
  for (const z of ['EST', 'MST', 'HST', 'AST', 'IST']) assert.ok(!all.includes(z), z);
  assert.equal(BASE[FIRST.length].separator, true);
  assert.equal(all.filter((z) => z === 'Asia/Riyadh').length, 1, 'a first row is not repeated in the full list');
});

test('AST: only Asia/Riyadh then America/Halifax, as suggestions with their offset; Enter on the fuzzy match Africa/Sao_Tome saves nothing', () => {
  const v = rows('AST');
  assert.deepEqual(labels(v.rows), ['Asia/Riyadh', 'America/Halifax']);
  assert.ok(v.rows.every((r) => r.alwaysShow && r.suggested));
  assert.equal(v.rows[0].description, 'suggested for “AST”, an abbreviation (not a zone) · UTC+3 now');
  assert.equal(v.rows[1].description, 'suggested for “AST”, an abbreviation (not a zone) · UTC-4 now');
  assert.equal(v.title, TITLE);
  assert.deepEqual(labels(rows(' ast ').rows), ['Asia/Riyadh', 'America/Halifax'], 'any case, spaces around');
  // Enter: the first (highlighted) row is saved; a row of the list VS Code still showed for the text before is not
  assert.deepEqual(zonePickAccept('AST', 'Asia/Riyadh', FIRST_LABELS, TITLE), { zone: 'Asia/Riyadh' });
  assert.deepEqual(zonePickAccept('AST', 'America/Halifax', FIRST_LABELS, TITLE), { zone: 'America/Halifax' });
  const refused = zonePickAccept('AST', 'Africa/Sao_Tome', FIRST_LABELS, TITLE);
  assert.ok('title' in refused);
  assert.match(refused.title, /^“AST” is a time-zone abbreviation several zones share, .*use an IANA zone: Asia\/Riyadh \(UTC\+3 now\) or America\/Halifax \(UTC-[34] now\)$/);
  assert.deepEqual(zonePickAccept('AST', undefined, FIRST_LABELS, TITLE), refused);
});

test('IST: Asia/Kolkata, Asia/Jerusalem, Europe/Dublin, never America/Boa_Vista', () => {
  const v = rows('IST');
  assert.deepEqual(labels(v.rows), ['Asia/Kolkata', 'Asia/Jerusalem', 'Europe/Dublin']);
  assert.deepEqual(v.rows.map((r) => r.description!.split(' · ')[1]), ['UTC+05:30 now', 'UTC+2 now', 'UTC now']);
  assert.deepEqual(labels(rows('ist').rows), labels(v.rows));
  assert.ok('title' in zonePickAccept('IST', 'America/Boa_Vista', FIRST_LABELS, TITLE));
  assert.deepEqual(zonePickAccept('ist', 'Asia/Kolkata', FIRST_LABELS, TITLE), { zone: 'Asia/Kolkata' });
});

test('the picker suggests for an abbreviation exactly the zones the CLI names, in its order (one table)', async () => {
  for (const abbr of ['AST', 'IST', 'CST', 'BST', 'PST', 'CEST', 'MSK']) {
    const c = capture();
    assert.equal(await main(['tz', 'at', '2026-01-15 12:00:00', '--from', 'UTC', '--to', abbr], c.io), 2, abbr);
    const named = [...c.err().matchAll(/([A-Z][A-Za-z_]+\/[A-Za-z_]+) \(UTC/g)].map((m) => m[1]);
    assert.deepEqual(labels(rows(abbr).rows), named, abbr);
    assert.ok(named.length > 0, abbr);
  }
});

test('EST, MST, HST: not offered as typed; the regional zones are suggested and Enter on EST saves nothing', () => {
  const est = rows('EST');
  assert.deepEqual(labels(est.rows), ['America/New_York']);
  assert.equal(est.rows[0].description, 'suggested for “EST”, a fixed UTC-5 all year, without daylight saving time · UTC-5 now');
  assert.ok(!est.rows.some((r) => r.description === 'as typed'));
  assert.deepEqual(labels(rows('mst').rows), ['America/Denver', 'America/Phoenix']);
  assert.deepEqual(labels(rows('HST').rows), ['Pacific/Honolulu']);
  assert.deepEqual(zonePickAccept('EST', 'America/New_York', FIRST_LABELS, TITLE), { zone: 'America/New_York' });
  assert.deepEqual(zonePickAccept('EST', 'EST', FIRST_LABELS, TITLE), { title: legacyFixedZoneNote('EST') });
  assert.deepEqual(zonePickAccept('est', undefined, FIRST_LABELS, TITLE), { title: legacyFixedZoneNote('EST') });
  // still a valid zone for a setting or a CLI option (with the note): only the pickers do not offer it
  assert.deepEqual(pickerAbbreviation('EST'), ['America/New_York']);
});

test('CEST: Europe/Berlin, Europe/Paris; an abbreviation the table does not list gets no row and the title says why', () => {
  assert.deepEqual(labels(rows('CEST').rows), ['Europe/Berlin', 'Europe/Paris']);
  assert.deepEqual(rows('CEST').rows.map((r) => r.description!.split(' · ')[1]), ['UTC+1 now', 'UTC+1 now']);
  const ctt = rows('CTT');
  assert.deepEqual(ctt.rows, []);
  assert.equal(ctt.title, `“CTT” is ${zoneAbbreviationProblem('CTT', WINTER)}`);
  assert.ok('title' in zonePickAccept('CTT', undefined, FIRST_LABELS, TITLE));
});

test('berlin: Europe/Berlin first as "did you mean", once, then the list; Enter with nothing selected names it', () => {
  const v = rows('berlin');
  assert.equal(v.rows[0].label, 'Europe/Berlin');
  assert.equal(v.rows[0].description, 'did you mean? (“berlin” is not a time zone) · UTC+1 now');
  assert.equal(labels(v.rows).filter((z) => z === 'Europe/Berlin').length, 1);
  assert.equal(v.rows.length, BASE.length);
  assert.deepEqual(zonePickAccept('berlin', 'Europe/Berlin', FIRST_LABELS, TITLE), { zone: 'Europe/Berlin' });
  assert.match((zonePickAccept('berlin', undefined, FIRST_LABELS, TITLE) as { title: string }).title, /^Unknown time zone “berlin”: did you mean Europe\/Berlin\? Or use UTC, local/);
});

test('GMT+3: UTC+3 first (no offset repeated); Enter with nothing selected names it', () => {
  const v = rows('GMT+3');
  assert.deepEqual(v.rows[0], { label: 'UTC+3', description: 'did you mean? (“GMT+3” is not a time zone)', alwaysShow: true, suggested: true });
  assert.equal(v.rows.length, BASE.length + 1);
  assert.match((zonePickAccept('GMT+3', undefined, FIRST_LABELS, TITLE) as { title: string }).title, /did you mean UTC\+3\?/);
});

test('a valid IANA name, a fixed offset, local: the list unchanged or the zone as typed; Enter saves it spelled canonically', () => {
  const paris = rows('europe/paris');
  assert.deepEqual(paris.rows, BASE);
  assert.equal(paris.title, TITLE);
  assert.deepEqual(zonePickAccept('europe/paris', 'Europe/Paris', FIRST_LABELS, TITLE), { zone: 'Europe/Paris' });
  assert.deepEqual(zonePickAccept('asia/kolkata', undefined, FIRST_LABELS, TITLE), { zone: 'Asia/Kolkata' });
  assert.deepEqual(rows('utc+3').rows[0], { label: 'UTC+3', description: 'as typed', alwaysShow: true });
  assert.deepEqual(zonePickAccept('utc+3', 'UTC+3', FIRST_LABELS, TITLE), { zone: 'UTC+3' });
  assert.deepEqual(rows('local').rows, BASE);
  assert.deepEqual(zonePickAccept('', 'majority', FIRST_LABELS, TITLE), { zone: 'majority' });
  assert.deepEqual(zonePickAccept('', undefined, FIRST_LABELS, TITLE), { title: `Choose a zone first (arrow keys or type to filter) — ${TITLE}` });
  // kept zones of 2–5 letters are no abbreviations: CET, Japan
  assert.equal(pickerAbbreviation('CET'), undefined);
  assert.deepEqual(zonePickAccept('Japan', undefined, FIRST_LABELS, TITLE), { zone: 'Japan' });
});
