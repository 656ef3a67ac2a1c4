/**
 * Texts cut to a limit end with `…` (README: cells are cut at 1,024 characters with `…`): the QRadar "set aside"
 * reason of an API error body (it was cut at 120 characters mid-word: "…BASIC authentication parameters i"), the
 * CLI text tables and the timeline's finding messages. `cutText` is in src/core/text-safe.ts.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { cutText } from '../../src/core/text-safe';
import { main } from '../../src/cli/cli';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { buildQRadarDashboard } from '../../src/core/analyze/qradar-dashboard';
import { timelineEvents } from '../../src/core/tz-timeline';

const SAMPLES = path.resolve(__dirname, '../../../../shared/data/qradar/samples');
const ERROR_401 = path.join(SAMPLES, 'error_401.json');
const MESSAGE_401 =
  'No SEC header present in request. Please provide it via "SEC: token". You may also use BASIC authentication parameters if this host supports it. e.g. "Authorization: Basic base64Encoding"';

const capture = () => {
  let o = '';
  let e = '';
  return { io: { stdout: (s: string) => void (o += s), stderr: (s: string) => void (e += s) }, out: () => o, err: () => e };
};

describe('cutText', () => {
  it('keeps short texts, cuts long ones to the limit with … as the last character', () => {
    assert.equal(cutText('abc', 3), 'abc');
    assert.equal(cutText('abcd', 3), 'ab…');
    assert.equal(cutText('x'.repeat(5000), 1024), `${'x'.repeat(1023)}…`);
    assert.equal(cutText('x'.repeat(5000), 1024).length, 1024);
  });

  it('never splits a surrogate pair', () => {
    assert.equal(cutText('a😀bcd', 3), 'a…'); // the emoji would be cut in half at 2 code units
    assert.equal(cutText('ab😀cd', 5), 'ab😀…');
  });
});

describe('QRadar API error body: the set-aside reason', () => {
  it('error_401.json (real sample): the whole server message, in the CLI problem line (listed once: not again under "Left out:") and the Files read tab', async () => {
    const c = capture();
    assert.equal(await main(['qradar', SAMPLES, '--console-tz', 'Europe/Berlin'], c.io), 0, c.err());
    const lines = c.out().split('\n').filter((l) => l.startsWith(`  ${ERROR_401}: `));
    assert.deepEqual(lines, [`  ${ERROR_401}: not an export: an error answer of the QRadar API (the request that wrote this file failed; skipped) — QRadar API error body: ${MESSAGE_401}`]);

    const p = await runQRadarRead([SAMPLES], { consoleTimeZone: 'Europe/Berlin' });
    const model = buildQRadarDashboard(p, 't', { zone: 'UTC', escalatedReasons: ['escalat'], falsePositiveReasons: ['false positive'], topN: 20 }).model;
    // (the file named below the folder the files share, its folder last)
    const row = model.tables.find((t) => t.id === 'inputs')!.rows.find((r) => r[0] === path.basename(ERROR_401));
    assert.deepEqual(row, [path.basename(ERROR_401), 'skipped: not offense data', `QRadar API error body: ${MESSAGE_401}`, 0, 0, path.dirname(ERROR_401)]);
  });

  it('a message longer than 1,024 characters is cut with …, in the reason and in the CLI line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'soc-cut-'));
    const f = path.join(dir, 'error.json');
    const long = 'word '.repeat(600); // 3,000 characters
    writeFileSync(f, JSON.stringify({ http_response: { code: 500, message: 'x' }, code: 1, message: long }));
    const p = await runQRadarRead([f]);
    assert.equal(p.skipped.length, 1);
    const reason = p.skipped[0].reason;
    assert.equal(reason, `QRadar API error body: ${long.slice(0, 1023)}…`);
    const c = capture();
    assert.equal(await main(['qradar', f], c.io), 3, c.err()); // an API error body only: nothing to analyze
    const line = c.out().split('\n').find((l) => l.includes('error.json'))!;
    assert.ok(line.endsWith('…'), line.slice(-40));
  });
});

describe('timeline: a finding without a path shows its message, cut with …', () => {
  it('120 characters at most, the last being …', () => {
    const msg = 'Suspicious process '.repeat(10); // 190 characters
    const ev = timelineEvents('loki', 'a', { findings: [{ timestamp: Date.UTC(2024, 0, 1), level: 'ALERT', host: 'h1', message: msg, reasons: [] }] });
    assert.equal(ev.length, 1);
    assert.equal(ev[0].event, `ALERT · h1 · ${msg.slice(0, 119)}…`);
    const short = timelineEvents('loki', 'a', { findings: [{ timestamp: Date.UTC(2024, 0, 1), level: 'ALERT', host: 'h1', message: 'short', reasons: [] }] });
    assert.equal(short[0].event, 'ALERT · h1 · short');
  });
});
