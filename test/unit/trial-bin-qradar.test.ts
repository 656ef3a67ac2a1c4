/**
 * QRadar tells compressed files as kpi, loki and tz convert do (not-text.ts): a gzip of an offense export named
 * `offenses.json` was skipped as "binary file" where the other readers say "gzip-compressed file" and what to do.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runQRadarRead, notQRadarHeadReason } from '../../src/core/analyze/qradar-run';
import { png, randomBytes } from './not-text-bytes';

const SAMPLE = resolve(__dirname, '../../../../shared/data/qradar/samples/offenses.json');
const TMP = mkdtempSync(join(tmpdir(), 'soc-trial-bin-qradar-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

test('qradar: a gzip-compressed export is skipped as one ("extract it first"); a PNG as a binary file; the real export beside them is read', async () => {
  const dir = join(TMP, 'mixed');
  require('node:fs').mkdirSync(dir);
  writeFileSync(join(dir, 'a-offenses.json.gz.json'), gzipSync(readFileSync(SAMPLE)));
  writeFileSync(join(dir, 'b-image.csv'), png());
  writeFileSync(join(dir, 'c-binary.json'), randomBytes(20_000));
  writeFileSync(join(dir, 'd-offenses.json'), readFileSync(SAMPLE));
  const r = await runQRadarRead([dir], { consoleTimeZone: 'UTC' });
  assert.deepEqual(
    r.skipped.map((s) => [s.file.split(/[\\/]/).pop(), s.reason]),
    [
      ['a-offenses.json.gz.json', 'gzip-compressed file: extract it first'],
      ['b-image.csv', 'binary file'],
      // (QRadar's own rule for binary data: NULs where an export has none — random bytes with few NULs are "not JSON";
      // the shared rule's 1 % of control bytes could skip an export whose first records hold raw payloads)
      ['c-binary.json', 'not JSON'],
    ],
  );
  assert.equal(r.offenses.length, 6);
  assert.equal(notQRadarHeadReason(gzipSync(Buffer.from('[{"id":1}]')), 'x.json'), 'gzip-compressed file: extract it first');
});
