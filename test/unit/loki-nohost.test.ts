/**
 * Loki-RS 2.0–2.3 JSONL has no `hostname` (shared/docs/loki-format.md §3.8). Scans of different endpoints saved under
 * names that do not carry the host (not `loki_<host>_<time>`) are hosts of their own, named after their file
 * (README → Limits: `(unknown host: <file name>)`), never one host "unknown" whose older scans are set aside
 * (format audit: two endpoints' findings merged, one endpoint's scan hidden as "older").
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';

const line = (ts: string, rule: string, file: string) =>
  JSON.stringify({ timestamp: ts, level: 'ALERT', event_type: 'file_match', message: 'File Match', file_path: file, score: 90.0, reasons: [{ message: `YARA match with rule ${rule}`, score: 90 }] });

test('Loki-RS JSONL without host names, two endpoints: two hosts named after their files, nothing set aside', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'soc-nohost-'));
  for (const [host, ts, rule] of [['hostA', '2026-01-05T10:00:00+00:00', 'RA'], ['hostB', '2026-01-05T11:00:00+00:00', 'RB']]) {
    mkdirSync(path.join(root, host));
    writeFileSync(path.join(root, host, 'loki.jsonl'), line(ts, rule, `/srv/${host}/x.bin`) + '\n');
  }
  const a = await runLokiAnalysis([root]);
  assert.deepEqual(a.hosts.map((h) => [h.host, h.alerts]).sort(), [
    ['(unknown host: hostB/loki.jsonl)', 1],
    ['(unknown host: loki.jsonl)', 1],
  ]);
  assert.equal(a.setAside.length, 0);
  assert.equal(a.summary.alerts, 2);
});
