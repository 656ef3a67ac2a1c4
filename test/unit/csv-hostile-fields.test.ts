/**
 * Hostile CSV structure: duplicate QRadar header fields (F6), stray quotes that join lines (F1: connection CSVs,
 * F4: case files). Each test asserts the records read and the problems named.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseQRadarCsvText } from '../../src/core/parse/qradar-csv';

describe('QRadar CSV: a field named by two columns (F6)', () => {
  const row = (name: string, t: string, decoy: string, decoyT: string) => `"${name}","fw-01","3","${t}","${decoy}","${decoyT}"`;
  it('reads the first Event Name / Start Time column and names the later ones', () => {
    const text = ['Event Name,Log Source,Event Count,Start Time,Event Name,Start Time', row('Session Closed', 'Mar 3, 2026, 2:20:05 PM', '=evil()', 'Jan 1, 1970, 1:00:00 AM')].join('\n');
    const r = parseQRadarCsvText(text, 'dup.csv', 'UTC');
    assert.equal(r.events.length, 1);
    assert.equal(r.events[0].eventName, 'Session Closed');
    assert.equal(r.events[0].startTime, Date.UTC(2026, 2, 3, 14, 20, 5));
    assert.equal(r.events[0].fields.col_5, '=evil()');
    const w = r.errors.filter((e) => e.line === 1);
    assert.equal(w.length, 1);
    assert.match(w[0].message, /column 5 "Event Name" is the same field as column 1 "Event Name" \(kept only as col_5\)/);
    assert.match(w[0].message, /column 6 "Start Time" is the same field as column 4 "Start Time"/);
  });
  it('two spellings of one field (QID Name, Event Name): the first wins, the other is named', () => {
    const text = ['QID Name,Log Source,Event Count,Start Time,Event Name', '"Real name","fw-01","2","Mar 3, 2026, 2:20:05 PM","Decoy"'].join('\n');
    const r = parseQRadarCsvText(text, 'spell.csv', 'UTC');
    assert.equal(r.events[0].eventName, 'Real name');
    assert.equal(r.events[0].fields['Event Name'], 'Decoy');
    assert.match(r.errors[0].message, /column 5 "Event Name" is the same field as column 1 "QID Name" \(kept only as Event Name\)/);
  });
});
