/**
 * Generic JSON connection logs (`beacons --map`): a protocol, host name or port that is a JSON object, list or
 * boolean was read with String(): `{"x":1}` made the protocol `[object object]` (a port label `443/[object object]`)
 * and `["a.example"]` a host name, silently. The record is now kept without that value, with a warning at its line
 * that names the column and the value; the CLI text lists these warnings (it listed them only as the "first
 * unreadable line", and only when there was an unreadable line).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';

test('beacons --map: a JSON object, list or boolean as protocol, host name or port is a warning; the record is kept', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'soc-beacon-json-'));
  const file = join(dir, 'conn.jsonl');
  const rows: string[] = [];
  for (let i = 0; i < 30; i++) {
    const r: Record<string, unknown> = { ts: 1772438400 + i * 60, src: '10.0.0.5', dst: '203.0.113.9', dport: 443, proto: 'tcp', bytes: 500, host: 'evil.example' };
    if (i === 0) r.proto = { x: 1 };
    if (i === 1) r.host = ['evil.example'];
    if (i === 2) r.dport = true;
    rows.push(JSON.stringify(r));
  }
  rows.push(JSON.stringify({ ts: 1772440400, src: { a: 1 }, dst: '203.0.113.9' }));
  writeFileSync(file, rows.join('\n') + '\n');
  const args = ['beacons', file, '--map', 'ts=ts,src=src,dst=dst,dport=dport,proto=proto,bytes=bytes,host=fqdn', '--internal', '10.0.0.0/8', '--min-score', '0'];
  const out: string[] = [];
  assert.equal(await main([...args, '--json'], { stdout: (s) => out.push(s), stderr: () => {} }), 0);
  const j = JSON.parse(out.join(''));
  assert.equal(j.summary.records, 30);
  assert.equal(j.summary.unparsedLines, 1);
  assert.deepEqual(
    j.errors.map((e: { line: number; message: string }) => `${e.line}: ${e.message}`),
    [
      '1: unreadable protocol in proto: {"x":1} is not text; the record is kept without it',
      '2: unreadable host name in host: ["evil.example"] is not text; the record is kept without it',
      '3: unreadable port in dport: true is not text; the record is kept without it',
      '31: missing or invalid source address in src: {"a":1}',
    ],
  );
  // no `[object object]` protocol: the pair's ports are the real ones (and the record without a protocol)
  const ports = j.pairs.map((p: { ports: string }) => p.ports).join(' | ');
  assert.ok(!ports.includes('object'), ports);
  const text: string[] = [];
  assert.equal(await main(args, { stdout: (s) => text.push(s), stderr: () => {} }), 0);
  const t = text.join('');
  assert.ok(t.includes('1 unreadable line — first: '), t);
  assert.ok(t.includes(`conn.jsonl:31 missing or invalid source address in src: {"a":1}`), t);
  assert.ok(t.includes('3 warnings (records kept):\n'), t);
  assert.ok(t.includes(`conn.jsonl:1: unreadable protocol in proto: {"x":1} is not text; the record is kept without it\n`), t);
});
