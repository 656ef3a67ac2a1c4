/**
 * QRadar flow values (src/core/parse/qradar-flows.ts): the console display times read without luxon's format parser
 * give the instants parseExportTime gives (the reader of the QRadar analysis), in zones with DST changes on the hour,
 * at the half hour (Australia/Lord_Howe) and none; protocols and byte counts as QRadar writes them.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { qradarCount, qradarFlowMapping, qradarFlowTime, qradarProtocol } from '../../src/core/parse/qradar-flows';
import { parseExportTime } from '../../src/core/parse/qradar-values';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC+3'];

test('display times: the same instant, problem or DST flag as parseExportTime, around DST changes too', () => {
  // days of 2026 with DST changes (Berlin Mar 29 / Oct 25, New York Mar 8 / Nov 1, Lord Howe Apr 5 / Oct 4) and any day
  const day = fc.oneof(fc.constantFrom([2, 29], [9, 25], [2, 8], [10, 1], [3, 5], [9, 4], [1, 30], [1, 28], [0, 31]), fc.tuple(fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 31 })));
  fc.assert(
    fc.property(day, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fc.boolean(), fc.constantFrom(...ZONES), ([mo, d], h, mi, s, pm, zone) => {
      const cell = `${MONTHS[mo]} ${d}, 2026, ${h}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')} ${pm ? 'PM' : 'AM'}`;
      const ref = parseExportTime(cell, zone);
      const got = qradarFlowTime(cell, zone);
      if (!ref.ok) return assert.equal(got, ref.problem, cell);
      assert.equal(typeof got, 'object', `${cell} ${zone}: ${String(got)}`);
      const f = got as Exclude<typeof got, string>;
      assert.equal(f.tsMs, ref.value, `${cell} ${zone}`);
      assert.equal(f.display, true);
      assert.equal(f.ambiguous, ref.ambiguous !== undefined, `${cell} ${zone}`);
    }),
    { numRuns: 3000, seed: 20261203 },
  );
  // the repeated hour of Berlin: the earlier instant, flagged; the skipped hour: the problem text
  assert.deepEqual(qradarFlowTime('Oct 25, 2026, 2:30:00 AM', 'Europe/Berlin'), { ts: Date.UTC(2026, 9, 25, 0, 30) / 1000, tsMs: Date.UTC(2026, 9, 25, 0, 30), display: true, ambiguous: true });
  assert.equal(qradarFlowTime('Mar 29, 2026, 2:30:00 AM', 'Europe/Berlin'), '"Mar 29, 2026, 2:30:00 AM" does not exist in Europe/Berlin (clocks moved forward)');
  assert.equal(typeof qradarFlowTime('Feb 30, 2026, 2:30:00 AM', 'UTC'), 'string');
  // epoch values: no zone
  assert.deepEqual(qradarFlowTime(1796281200412, 'Asia/Tokyo'), { ts: 1796281200, tsMs: 1796281200412, display: false, ambiguous: false });
  assert.deepEqual(qradarFlowTime('1796281200412.0', 'Asia/Tokyo'), { ts: 1796281200, tsMs: 1796281200412, display: false, ambiguous: false });
  assert.equal(qradarFlowTime(null, 'UTC'), 'no time');
  assert.equal(qradarFlowTime(0, 'UTC'), 'no time (0)');
});

test('protocols, byte counts and the flow-column test', () => {
  assert.deepEqual([6, 17, 1, 58, 47, 99, '6', '17.0', 'tcp.ip', 'UDP.ip', 'ICMP.ip', 'IPv6-ICMP', 'N/A', '', null].map(qradarProtocol), ['tcp', 'udp', 'icmp', 'icmp', 'gre', 'proto-99', 'tcp', 'udp', 'tcp', 'udp', 'icmp', 'icmp', '', '', '']);
  // a negative count is unreadable (NaN: the reader reports the record by line), as one above 10^15
  assert.deepEqual([517, '517', '517.0', '1,234', '1,234,567', ' 42 ', '', '-', 'N/A', -5, null].map(qradarCount), [517, 517, 517, 1234, 1234567, 42, 0, 0, 0, NaN, 0]);
  // internal names and display names alike; Storage Time is never the time
  assert.deepEqual(qradarFlowMapping(['Storage Time', 'firstPacketTime', 'sourceIP', 'destinationIP', 'destinationPort', 'sourceBytes']), { ts: 'firstPacketTime', src: 'sourceIP', dst: 'destinationIP', dport: 'destinationPort', bytes: 'sourceBytes' });
  // a flow column, but no destination: not a flow record
  assert.equal(qradarFlowMapping(['First Packet Time', 'Source IP', 'Source Bytes']), undefined);
});
