// The Loki dashboard's Files read table names Loki's own Results line per file (fileResultsTexts): one pass over the
// scans, not a scan of all scans per file (review: 50,000 files took up to a minute on the extension host).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileResultsTexts } from '../../src/core/analyze/loki-dashboard';
import { assertSubquadratic } from './cpu-cost';

const scans = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ file: `/scans/host-${i}.log`, host: `HOST-${i}`, lokiResults: { alerts: i % 3, warnings: 1, notices: 2 } }));

test('fileResultsTexts: each file its kept scans\' Results line, several scans by host, linear in the scans', () => {
  const two = [...scans(2), { file: '/scans/host-1.log', host: 'HOST-1B', lokiResults: undefined }];
  const m = fileResultsTexts(two);
  assert.equal(m.get('/scans/host-0.log'), '0 alerts, 1 warning, 2 notices');
  assert.equal(m.get('/scans/host-1.log'), 'HOST-1: 1 alert, 1 warning, 2 notices; HOST-1B: not logged');
  assert.equal(m.get('/scans/other.log'), undefined); // no kept scan: the table says so
  assertSubquadratic('fileResultsTexts', scans, (s) => fileResultsTexts(s), 250);
});
