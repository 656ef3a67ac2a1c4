/**
 * *SOC: Detect Beacons…*: files the analyst skipped at the column-mapping prompt (*Skip*, or Escape) are listed as
 * "skipped by you at the column prompt" (user trial 2026-12-06: the run still met them and said "no column mapping:
 * timestamp, source and destination columns not recognised", as if unreadable — and a file whose columns were guessed
 * was read although skipped). The prompt is the extension's (integration suite); the run and the texts are pure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { planInputs, promptSkippedFirst, promptSkippedReason, runBeaconAnalysisRows } from '../../src/core/analyze/beacons/run';
import { buildBeaconDashboard } from '../../src/core/analyze/beacons/dashboard';
import { beaconsMarkdown } from '../../src/core/export/markdown-summary';
import { noInputMessage } from '../../src/core/analyze/no-input';

const CONN = resolve(__dirname, '../../../../shared/data/zeek/json/conn.log');

test('skipped at the prompt: not read (not even with guessed columns), listed with the reason, not as errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'beacon-prompt-skip-'));
  try {
    copyFileSync(CONN, join(dir, 'conn.log'));
    // columns no guess reads, and columns the guess reads (timestamp, source, destination)
    writeFileSync(join(dir, 'odd.csv'), 'when,client,server,svc\n2026-12-03T07:00:00Z,10.0.0.1,203.0.113.9,443\n');
    writeFileSync(join(dir, 'guessed.csv'), 'ts,src_ip,dst_ip,dst_port\n2026-12-03T07:00:00Z,10.0.0.1,203.0.113.9,443\n2026-12-03T07:01:00Z,10.0.0.1,203.0.113.9,443\n');
    const files = [join(dir, 'conn.log'), join(dir, 'guessed.csv'), join(dir, 'odd.csv')];
    // without `declined`: the guessed file is planned, odd.csv needs a mapping (the old run then said "not recognised")
    const before = await planInputs(files, { sni: true });
    assert.deepEqual(before.planned.map((p) => p.info.file).sort(), [files[0], files[1]]);
    assert.deepEqual(before.needsMapping.map((i) => i.file), [files[2]]);

    const declined = [files[1], files[2]];
    const a = await runBeaconAnalysisRows([dir], { declined });
    assert.equal(a.summary.records, 29, 'the 29 connections of conn.log only');
    assert.deepEqual(a.files.map((f) => f.file), [files[0]]);
    assert.deepEqual(a.errors, []);
    assert.deepEqual(
      a.skipped.map((k) => [k.file, k.reason]).sort(),
      [
        [files[1], 'skipped by you at the column prompt (columns: ts, src_ip, dst_ip, dst_port)'],
        [files[2], 'skipped by you at the column prompt (columns: when, client, server, svc)'],
      ],
    );
    // the dashboard's Notes and the Markdown summary's "Left out" say the same
    const notes = JSON.stringify(buildBeaconDashboard(a, 'ev', 'UTC'));
    assert.match(notes, /skipped [^"]*odd\.csv: skipped by you at the column prompt \(columns: when, client, server, svc\)/);
    assert.doesNotMatch(notes, /not recognised|not a connection log/);
    const md = beaconsMarkdown(a, { zone: 'UTC' });
    assert.match(md, /- Left out: 2 files skipped — .*guessed\.csv: skipped by you at the column prompt/);
    // a mapping chosen for the file (a later run) wins over the list
    const mapped = await runBeaconAnalysisRows([dir], { declined, mappings: { [files[1]]: { ts: 'ts', src: 'src_ip', dst: 'dst_ip', dport: 'dst_port' } } });
    assert.equal(mapped.summary.records, 31);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nothing left to read: the notification names the files skipped at the prompt first', () => {
  assert.equal(promptSkippedReason(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']), 'skipped by you at the column prompt (columns: a, b, c, d, e, f, g, h, …)');
  const skipped = [
    { file: '/ev/notes.txt', reason: 'not a Zeek log, CSV or JSON-lines file' },
    { file: '/ev/empty.csv', reason: 'empty file' },
    { file: '/ev/odd.csv', reason: promptSkippedReason(['when', 'client', 'server', 'svc']) },
  ];
  assert.equal(
    noInputMessage('connection log', 'ev', promptSkippedFirst(skipped)),
    'SOC Analytics: no connection log files found in “ev”. 3 files skipped — odd.csv: skipped by you at the column prompt (columns: when, client, server, svc); notes.txt: not a Zeek log, CSV or JSON-lines file; … and 1 more (each in the SOC Analytics log).',
  );
});
