/**
 * Loki-RS process findings in the hash view: a process finding's `path` is its process name (loki-format.md §3.2:
 * `process_match` has `pid` and `process_name`, and `md5`/`sha1`/`sha256` when the executable was readable). Listed
 * bare among a hash's paths, `loader` read as a file path; it is listed as `process: loader (PID 30417)` in the CLI's
 * Top hashes, `--json` `hashes[].paths`, the Markdown summary and the dashboard's Hashes tab. No real Loki-RS process
 * finding with a hash is in the shared data (the real logs are Python Loki without process detections): the lines
 * below follow loki-format.md §3.2 (JSONL schema) and §3.1 (`Process Executable Hash Match HASH: <hash>`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { lokiHashesTable } from '../../src/core/analyze/loki-dashboard';
import { processLabel } from '../../src/core/analyze/hash-tally';
import { capture } from './cli-capture';

const SHA256 = '9b7afc227d1d3efa11b7e3f635e9bb8361b14538103b7ba516b6f1e7ffc31541';
const MD5 = '1e94b5d4a2f74d8fa9baa40870d53b86';
const LINES = [
  { timestamp: '2026-02-03T09:40:00+00:00', level: 'INFO', event_type: 'scan_start', hostname: 'build-srv-07', message: 'Loki-RS scan started VERSION: 2.1.0' },
  // the process first: the paths of a hash are listed most findings first, then first seen
  { timestamp: '2026-02-03T09:41:00+00:00', level: 'ALERT', event_type: 'process_match', hostname: 'build-srv-07', message: 'Process Match', pid: 30417, process_name: 'loader', score: 80.0, md5: MD5, sha256: SHA256, start_time: 1770110640, run_time: '0d:0h:20m:10s', memory_bytes: 53215232, cpu_usage: 0.4, connection_count: 1, listening_ports: [], reasons: [{ message: `Process Executable Hash Match HASH: ${SHA256}`, score: 80, description: 'Demo loader' }] },
  { timestamp: '2026-02-03T09:42:00+00:00', level: 'ALERT', event_type: 'file_match', hostname: 'build-srv-07', message: 'File Match', file_path: '/opt/ci/cache/loader', score: 80.0, file_type: 'EXECUTABLE AND LINKABLE FORMAT', file_size: 48712, md5: MD5, sha256: SHA256, reasons: [{ message: `HASH match with IOC HASH: ${SHA256}`, score: 80, description: 'Demo loader' }] },
  { timestamp: '2026-02-03T09:52:10+00:00', level: 'INFO', event_type: 'scan_end', hostname: 'build-srv-07', message: 'Loki-RS scan finished. Summary - Files scanned: 10 Matched: 1 | Processes scanned: 5 Matched: 1 | Alerts: 2 Warnings: 0 Notices: 0. Scan Duration: 730.00s' },
];

test('hash view: a Loki-RS process finding is listed as "process: <name> (PID n)", not as a bare path (CLI, --json, Markdown, dashboard)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hash-process-'));
  try {
    writeFileSync(join(dir, 'loki_build-srv-07_2026-02-03_09-40-00.jsonl'), LINES.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const want = ['process: loader (PID 30417)', '/opt/ci/cache/loader'];
    // --json
    const j = capture();
    assert.equal(await main(['loki', dir, '--json'], j.io), 0, j.err());
    const h = JSON.parse(j.out()).hashes;
    assert.equal(h.length, 1);
    assert.equal(h[0].hash, SHA256);
    assert.equal(h[0].count, 2);
    assert.deepEqual(h[0].paths, want);
    assert.equal(h[0].pathCount, 2);
    // text report (Top hashes: the first path and how many more) and Markdown
    const md = join(dir, 'summary.md');
    const t = capture();
    assert.equal(await main(['loki', dir, '--md', md], t.io), 0, t.err());
    const text = t.out();
    const row = text.slice(text.indexOf('Top hashes')).split('\n').find((l) => l.includes(SHA256));
    assert.ok(row?.includes('process: loader (PID 30417) (+1 more)'), row);
    assert.ok(readFileSync(md, 'utf8').includes('process: loader (PID 30417) \\| /opt/ci/cache/loader'), readFileSync(md, 'utf8'));
    // the dashboard's Hashes tab
    const a = await runLokiAnalysis([dir]);
    const tab = lokiHashesTable(a);
    const col = tab.columns.findIndex((c) => c.id === 'paths');
    assert.equal(tab.rows[0][col], 'process: loader (PID 30417) | /opt/ci/cache/loader');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('processLabel: name and PID, either alone', () => {
  assert.equal(processLabel({ name: 'loader', pid: 30417 }), 'process: loader (PID 30417)');
  assert.equal(processLabel({ name: 'C:\\Windows\\x.exe' }), 'process: C:\\Windows\\x.exe');
  assert.equal(processLabel({ pid: 4 }), 'process (PID 4)');
});
