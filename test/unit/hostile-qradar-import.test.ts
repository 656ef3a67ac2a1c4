/**
 * Hostile review of the QRadar import: a NUL byte in one record (a raw event payload of a Log Activity
 * export with payload columns, a broken tool's JSON) made the whole export a "binary file", skipped
 * with every readable record.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';

const TMP = mkdtempSync(join(tmpdir(), 'soc-hostile-qradar-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

test('a Log Activity CSV export with a NUL byte in one payload keeps every record', async () => {
  const f = join(TMP, 'log_activity_payload.csv');
  const rows = [
    'Event Name,Log Source Identifier,Source MAC,Log Source Time,Payload',
    '"Failure Audit","10.20.1.12","00:00:5E:00:53:1A","Mar 3, 2026, 2:20:05 PM","<13>Mar 03 14:20:05 dc02 a\u0000b"',
    '"Success Audit","10.20.1.13","00:00:5E:00:53:1B","Mar 3, 2026, 2:21:05 PM","<13>Mar 03 14:21:05 dc03 ok"',
  ];
  writeFileSync(f, rows.join('\r\n') + '\r\n');
  const p = await runQRadarRead([f], { consoleTimeZone: 'UTC' });
  assert.deepEqual(p.skipped, []);
  assert.equal(p.events.length, 2);
  assert.deepEqual(p.events.map((e) => e.eventName), ['Failure Audit', 'Success Audit']);
});

test('an offenses JSON array with a raw NUL in one description: that record is reported with its number, the others kept', async () => {
  const f = join(TMP, 'offenses.json');
  const rec = (id: number, d: string) => `{"id": ${id}, "description": "${d}", "offense_source": "10.0.0.${id}", "start_time": 1709294400000, "status": "OPEN"}`;
  writeFileSync(f, `[\n${rec(1, 'Brute force')},\n${rec(2, 'bad \u0000 value')},\n${rec(3, 'Port scan')}\n]\n`);
  const p = await runQRadarRead([f], { consoleTimeZone: 'UTC' });
  assert.deepEqual(p.skipped, []);
  assert.deepEqual(p.offenses.map((o) => o.id).sort(), [1, 3]);
  assert.ok(p.errors.some((e) => e.file === f && /record 2/.test(e.message) && e.line === 3), JSON.stringify(p.errors));
});

test('a file that does not start as text is still skipped as binary', async () => {
  const f = join(TMP, 'binary.json');
  writeFileSync(f, Buffer.from([0, 1, 2, 0xff, 0xfe, 0x00, 0x41, 0x00, 0x7f, 0x80]));
  const g = join(TMP, 'header-nul.csv');
  writeFileSync(g, 'Event\u0000Name,Log Source\r\nx,y\r\n');
  const p = await runQRadarRead([f, g], { consoleTimeZone: 'UTC' });
  assert.deepEqual(p.skipped.map((s) => s.reason), ['binary file', 'binary file']);
});

test('a windows-1252 Log Activity export (an Excel re-save) keeps its letters, reported at the line (it was U+FFFD, silently)', async () => {
  const f = join(TMP, 'log_activity_cp1252.csv');
  writeFileSync(f, Buffer.from('Event Name,Log Source Identifier,Username,Log Source Time\r\n"Anmeldung fehlgeschlagen f\xfcr M\xfcller","10.0.0.1","m\xfcller","Mar 3, 2026, 2:20:05 PM"\r\n', 'latin1'));
  const p = await runQRadarRead([f], { consoleTimeZone: 'UTC' });
  assert.deepEqual(p.events.map((e) => e.eventName), ['Anmeldung fehlgeschlagen für Müller']);
  assert.ok(p.errors.some((e) => e.file === f && e.line === 2 && /windows-1252/.test(e.message)), JSON.stringify(p.errors));
});

test('an offenses JSON file with one stray windows-1252 byte: that byte is read as such, the UTF-8 letters stay', async () => {
  const f = join(TMP, 'offenses-mixed.json');
  writeFileSync(f, Buffer.concat([Buffer.from('[{"id": 1, "description": "Zugriff über VPN", "start_time": 1709294400000},\n{"id": 2, "description": "caf', 'utf8'), Buffer.from([0xe9]), Buffer.from('", "start_time": 1709294400000}]\n', 'utf8')]));
  const p = await runQRadarRead([f], { consoleTimeZone: 'UTC' });
  assert.deepEqual(p.offenses.map((o) => o.description), ['Zugriff über VPN', 'café']);
  assert.ok(p.errors.some((e) => e.file === f && e.line === 2 && /windows-1252/.test(e.message)), JSON.stringify(p.errors));
});
