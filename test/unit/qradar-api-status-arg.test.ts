/**
 * `qradar-fetch --status` takes the statuses the offense reader knows (KNOWN_STATUSES of parse/qradar), one list:
 * the check, its error and the --help line all name the same statuses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/cli';
import { KNOWN_STATUSES } from '../../src/core/parse/qradar';
import { capture } from './cli-capture';

const ENV = { QRADAR_TOKEN: 'x' };

test('--status: an unknown status is exit 2 naming the known ones (KNOWN_STATUSES); --help lists the same', async () => {
  assert.deepEqual([...KNOWN_STATUSES], ['OPEN', 'HIDDEN', 'CLOSED']);
  const c = capture({ env: ENV } as never);
  const args = ['qradar-fetch', '--url', 'https://127.0.0.1:9', '--from', '-7d', '--to', 'now', '--out', '/nonexistent/o.json', '--status', 'open,reopened'];
  assert.equal(await main(args, c.io), 2, c.err());
  assert.match(c.err(), /^soc-analytics qradar-fetch: --status: unknown status REOPENED \(OPEN, HIDDEN, CLOSED\)\n/);
  assert.equal(c.out(), '');
  const h = capture();
  assert.equal(await main(['qradar-fetch', '--help'], h.io), 0);
  assert.match(h.out(), /\n {2}--status S,… {10}only these statuses: OPEN, HIDDEN, CLOSED \(default: all\)\n/);
});
