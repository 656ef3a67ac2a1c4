/**
 * Hostile review B (kpi and tz convert): a time column empty in its first 500 rows (H1), one field with millions of
 * line breaks that made the whole file "too large" (H2), empty option values (M3), a `loki` run that read no file (L4).
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCases } from '../../src/core/parse/cases';
import { nonEmptySample } from '../../src/core/tz-normalize';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const TMP = mkdtempSync(join(tmpdir(), 'soc-hostile-b-kpi-'));
after(() => rmSync(TMP, { recursive: true, force: true }));
const tmpFile = (name: string, text: string | Buffer) => {
  const f = join(TMP, name);
  writeFileSync(f, text);
  return f;
};
const H = 3_600_000;

/** 600 cases newest first: rows 1–550 open (`Closed` empty), 551–600 closed 30 minutes after creation (the repro). */
function closedLateCsv(): string {
  const rows = ['Case ID,Title,Created,Closed,Status,Owner,Severity'];
  const t0 = Date.parse('2026-03-20T00:00:00Z');
  for (let i = 0; i < 600; i++) {
    const created = t0 - i * H;
    const closed = i >= 550 ? new Date(created + H / 2).toISOString().replace('.000Z', 'Z') : '';
    rows.push(`C-${1000 - i},${i >= 550 ? 'Malware alert' : 'Phishing report'} ${i},${new Date(created).toISOString().replace('.000Z', 'Z')},${closed},${closed ? 'Closed' : 'Open'},${i >= 550 ? 'bob' : 'alice'},High`);
  }
  return rows.join('\n') + '\n';
}

describe('H1: a time column empty in its first 500 rows is detected from its values further down', () => {
  test('nonEmptySample: the first n non-empty values wherever they are, in order; blank, null and undefined skipped', () => {
    const rows = [...Array.from({ length: 700 }, () => ({ v: '' })), { v: null }, { v: '  ' }, { v: 'a' }, { v: undefined }, { v: 'b' }, { v: 0 }];
    assert.deepEqual(nonEmptySample(rows, (r) => r.v), ['a', 'b', 0]);
    assert.deepEqual(nonEmptySample(rows, (r) => r.v, 2), ['a', 'b']);
    assert.deepEqual(nonEmptySample([{ v: '' }], (r) => r.v), []);
  });

  test('CSV: 550 open cases before 50 closed ones — the closed times are read (it said no "closed" column and MTTR unavailable)', async () => {
    const f = tmpFile('cases-closed-late.csv', closedLateCsv());
    const r = await readCases([f]);
    assert.equal(r.cases.length, 600);
    assert.equal(r.timeFormats.closed, 'iso');
    assert.ok(!r.missing.includes('closed'), `missing: ${r.missing.join(', ')}`);
    assert.ok(!r.notes.some((n) => /no timestamp format reads column "Closed"/.test(n)), r.notes.join('\n'));
    const closed = r.cases.filter((c) => c.closed !== undefined);
    assert.equal(closed.length, 50);
    for (const c of closed) assert.equal(c.closed! - c.created!, H / 2);
    assert.equal(closed[0].id, 'C-450');
    assert.equal(closed[0].closed, Date.parse('2026-02-25T02:30:00Z'));
  });

  test('CLI kpi of that file: MTTR over the 50 closed cases, 30 min', async () => {
    const f = tmpFile('cases-closed-late-cli.csv', closedLateCsv());
    const c = capture();
    const code = await main(['kpi', f, '--as-of', '2026-03-25T00:00:00Z', '--seed-rules', '--json'], c.io);
    assert.equal(code, 0, c.err());
    const j = JSON.parse(c.out());
    assert.equal(j.kpis.mttr.available, true);
    assert.equal(j.kpis.mttr.value.n, 50);
    assert.equal(j.kpis.mttr.value.median, H / 2);
    assert.ok(!j.missing.includes('closed'));
  });

  test('NDJSON that omits null keys: 520 records without acknowledged/closed, then 80 with — 80 acknowledgements and 80 closes read', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 600; i++) {
      const o: Record<string, string> = { id: `INC-${i}`, title: `Alert ${i}`, created: '2026-03-01T10:00:00Z', status: i >= 520 ? 'Closed' : 'Open' };
      if (i >= 520) {
        o.acknowledged = '2026-03-01T10:05:00Z';
        o.closed = '2026-03-01T11:00:00Z';
      }
      lines.push(JSON.stringify(o));
    }
    const f = tmpFile('cases-sparse.ndjson', lines.join('\n') + '\n');
    const r = await readCases([f]);
    assert.equal(r.cases.length, 600);
    assert.equal(r.timeFormats.acknowledged, 'iso');
    assert.equal(r.timeFormats.closed, 'iso');
    assert.ok(!r.missing.includes('acknowledged') && !r.missing.includes('closed'), `missing: ${r.missing.join(', ')}`);
    assert.equal(r.cases.filter((c) => c.acknowledged === Date.parse('2026-03-01T10:05:00Z')).length, 80);
    assert.equal(r.cases.filter((c) => c.closed === Date.parse('2026-03-01T11:00:00Z')).length, 80);
  });

  test('tz convert --column of a column empty in its first 500 rows: its format is detected, its times converted', async () => {
    const rows = ['id,closed'];
    for (let i = 0; i < 520; i++) rows.push(`${i},`);
    for (let i = 0; i < 5; i++) rows.push(`x${i},2026-03-01T1${i}:00:00+02:00`);
    const f = tmpFile('closed-late.csv', rows.join('\n') + '\n');
    const out = join(TMP, 'closed-late.out.csv');
    const c = capture();
    const code = await main(['tz', 'convert', f, '--column', 'closed', '--to', 'UTC', '--out', out], c.io);
    assert.equal(code, 0, c.err());
    const written = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(written.length, 526);
    assert.match(written[521], /^x0,2026-03-01T10:00:00\+02:00,2026-03-01T08:00:00(?:\.000)?(?:Z|\+00:00)/);
  });
});
