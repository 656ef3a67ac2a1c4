/**
 * The Hashes tab's drill-down shows exactly a row's findings: a finding is under its strongest hash (SHA256, else
 * SHA1, else MD5), so an MD5 row's click must not also list a finding with that MD5 grouped under its SHA256.
 * Mixed logs: one finding with the MD5 only, one with the same MD5 and a SHA256; a Loki-RS process finding with a
 * hash is in the view (a process image hash is an IOC pivot), its process listed under Paths as `process: python3 (PID 30417)` (not as a bare path).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeLoki } from '../../src/core/analyze/loki-summary';
import { lokiFindingColumns, lokiHashesTable } from '../../src/core/analyze/loki-dashboard';
import { parseLokiText } from '../../src/core/parse/loki';
import { TableStore } from '../../src/core/table/store';
import { fileResult, finding, yara } from './loki-fixtures';
import type { LokiFinding } from '../../src/core/model/loki';

const MD5 = 'c0f94449e113fa3f7eb420c64108b58b';
const SHA256 = '348e87f7ecdb9e2d600370029a95a31dd3172d29454fcd4afaee8199285b0ede';
const f = (p: Partial<LokiFinding> & Pick<LokiFinding, 'host' | 'level'>, line: number): LokiFinding => finding({ ...p, scanIndex: -1, source: { file: 'x', line } });

test('Hashes drill-down: an MD5 row lists its one finding, not the finding with the same MD5 under its SHA256', () => {
  const findings = [
    f({ host: 'WS1', level: 'WARNING', score: 60, path: 'C:\\tools\\a.exe', md5: MD5, reasons: [yara('R1')] }, 1),
    f({ host: 'WS2', level: 'ALERT', score: 90, path: 'C:\\tools\\b.exe', md5: MD5.toUpperCase(), sha256: SHA256, reasons: [yara('R2')] }, 2),
  ];
  const a = analyzeLoki([fileResult('a.log', [], findings)]);
  assert.deepEqual(a.hashes.map((h) => [h.type, h.hash, h.count]), [['SHA256', SHA256, 1], ['MD5', MD5, 1]]);
  const t = lokiHashesTable(a);
  const store = new TableStore(a.findings.slice(), lokiFindingColumns('UTC', a.files));
  const path = lokiFindingColumns('UTC').findIndex((c) => c.id === 'path');
  const shown = t.rowFacets!.map((facet) => store.window({ facets: facet! }, 0, 10).rows.map((r) => r[path]));
  // each row's drill-down: exactly its count of findings
  assert.deepEqual(shown, [['C:\\tools\\b.exe'], ['C:\\tools\\a.exe']]);
  assert.deepEqual(t.rowFacets, [{ hash: SHA256 }, { hash: MD5 }]);
});

test('Hashes: a Loki-RS process_match with a SHA256 is in the view, its process under Paths labelled as a process', () => {
  const proc = JSON.stringify({ timestamp: '2026-02-03T09:44:10+00:00', level: 'WARNING', event_type: 'process_match', hostname: 'build-srv-07', message: 'Process Match', pid: 30417, process_name: 'python3', score: 70.0, sha256: SHA256, reasons: [{ message: 'YARA match with rule R9', score: 70 }] });
  const r = parseLokiText(`${proc}\n`, 'loki_build-srv-07_2026-02-03_10-40-00.jsonl');
  const a = analyzeLoki([{ ...r, findings: r.findings.map((x) => ({ ...x, scanIndex: -1 })) }]);
  assert.deepEqual(a.hashes.map((h) => [h.type, h.hash, h.count, h.paths]), [['SHA256', SHA256, 1, ['process: python3 (PID 30417)']]]);
  assert.equal(a.findings[0].kind, 'process');
});
