/**
 * `soc-analytics tz at`: one time in other zones (analyst trial: "a single-value conversion"). Real values: a Zeek `ts`
 * of the real sample day, a Loki time, a QRadar export time; the DST fall-back and spring-forward of Europe/Berlin.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = capture();
  const code = await main(['tz', 'at', ...args], c.io);
  return { code, out: c.out(), err: c.err() };
}

test('tz at: a time with its zone (Zeek ts, Loki, ISO Z) into several zones; the fraction as written', async () => {
  const zeek = await run('1713484795.943239', '--to', 'UTC,Asia/Riyadh');
  assert.equal(zeek.code, 0);
  assert.equal(zeek.out, '1713484795.943239 (Epoch seconds (UTC))\n  UTC          2024-04-18T23:59:55.943239Z\n  Asia/Riyadh  2024-04-19T02:59:55.943239+03:00\n');
  const loki = await run('20211013T22:16:41Z', '--to', 'europe/berlin');
  assert.match(loki.out, /^ {2}Europe\/Berlin {2}2021-10-14T00:16:41\+02:00$/m);
  const j = await run('2024-04-19T10:00:00Z', '--to', 'UTC+3', '--json');
  assert.deepEqual(JSON.parse(j.out), { input: '2024-04-19T10:00:00Z', format: 'iso', from: null, instants: [{ utc: '2024-04-19T10:00:00Z', zones: { 'UTC+3': '2024-04-19T13:00:00+03:00' } }] });
});

test('tz at: a time without an offset needs --from; DST fall-back gives both instants, the spring-forward gap none (exit 2)', async () => {
  const naive = await run('Mar 3, 2026, 2:20:05 PM', '--to', 'UTC');
  assert.equal(naive.code, 2);
  assert.match(naive.err, /has no offset: pass --from ZONE/);
  const q = await run('Mar 3, 2026, 2:20:05 PM', '--from', 'Europe/Berlin', '--to', 'UTC');
  assert.equal(q.code, 0);
  assert.match(q.out, /^ {2}UTC {2}2026-03-03T13:20:05Z$/m);
  const twice = await run('2024-10-27 02:30:00', '--from', 'Europe/Berlin', '--to', 'UTC', '--json');
  const tj = JSON.parse(twice.out);
  assert.deepEqual(tj.instants.map((x: { utc: string }) => x.utc), ['2024-10-27T00:30:00Z', '2024-10-27T01:30:00Z']);
  assert.equal(tj.flag, 'ambiguous');
  assert.doesNotMatch(tj.note, /occurrence used/);
  const gap = await run('2024-03-31 02:30:00', '--from', 'Europe/Berlin', '--to', 'UTC');
  assert.equal(gap.code, 2);
  assert.match(gap.out, /nonexistent: 2024-03-31T02:30:00 does not exist in Europe\/Berlin/);
  const bad = await run('not a time', '--to', 'UTC');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /cannot read the time/);
  assert.equal((await run('2024-04-19T10:00:00Z', '--to', 'Mars/Olympus')).code, 2);
});
