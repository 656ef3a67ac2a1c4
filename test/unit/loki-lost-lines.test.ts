/**
 * Lines after a cut (malformed / truncated) Loki record envelope, and a verdict whose alert line was lost
 * (new-user trial of 2026-12-04; fixtures test/fixtures/loki/trial-*.log are the trial's hostile inputs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { parseLokiFile, parseLokiText } from '../../src/core/parse/loki';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { hostVerdictLabel } from '../../src/core/analyze/loki-summary';
import { lokiMarkdown } from '../../src/core/export/markdown-summary';

const FIX = path.resolve(__dirname, '../../../test/fixtures/loki');
const fx = (name: string) => path.join(FIX, name);

test('lines after a cut envelope are counted and reported as unparsed, not glued to the record before it', async () => {
  const r = await parseLokiFile(fx('trial-orphan.log'));
  assert.equal(r.lines, 5);
  assert.equal(r.unparsedLines, 3);
  assert.equal(r.parsedLines, 2);
  assert.deepEqual(
    r.errors.map((e) => [e.line, e.message]),
    [
      [2, 'malformed or truncated record envelope'],
      [3, 'continuation of the malformed or truncated record at line 2'],
      [4, 'continuation of the malformed or truncated record at line 2'],
    ],
  );
});

test('blank lines after a cut envelope do not end it: the lines after them are still named as its continuation', async () => {
  // test/fixtures/loki-review/cut-blank.log: line 2 cut (`ALERT,FileSc`), line 3 empty, line 5 only spaces (CRLF file).
  const want = [
    [2, 'malformed or truncated record envelope'],
    [4, 'continuation of the malformed or truncated record at line 2'],
    [6, 'continuation of the malformed or truncated record at line 2'],
  ];
  const file = path.resolve(__dirname, '../../../test/fixtures/loki-review/cut-blank.log');
  const r = await parseLokiFile(file); // byte path
  assert.deepEqual(r.errors.map((e) => [e.line, e.message]), want);
  assert.equal(r.lines, 7);
  assert.equal(r.unparsedLines, 3);
  assert.equal(r.parsedLines, 4); // start, two blank lines, Results
  const t = parseLokiText(fs.readFileSync(file, 'utf8'), 'cut-blank.log'); // string path
  assert.deepEqual(t.errors.map((e) => [e.line, e.message]), want);
});

test('a NUL-junk line after a cut FILE record is unparsed; the finding before the cut keeps its own message', async () => {
  const r = await parseLokiFile(fx('trial-trunc-nul.log'));
  assert.equal(r.unparsedLines, 2);
  assert.deepEqual(r.errors.map((e) => e.line), [4, 5]);
  assert.match(r.errors[1].message, /continuation of the malformed or truncated record at line 4/);
  const paths = r.findings.map((f) => f.path);
  assert.deepEqual(paths, ['C:\\t.exe', 'C:\\u.exe']);
  assert.ok(!r.findings.some((f) => f.message.includes('binary junk')), 'the junk line is in no finding');
});

test("verdict and host counts follow Loki's Results line when its alert line was lost", async () => {
  const lost = await runLokiAnalysis([fx('trial-lostalert.log')]);
  assert.equal(lost.hosts[0].verdict, 'indicators');
  assert.equal(lost.hosts[0].alerts, 0);
  assert.equal(lost.summary.hostsWithFindings, 1);
  assert.equal(hostVerdictLabel(lost.hosts[0]), 'Indicators detected (alert counted by Loki, its line not read)');
  const md = lokiMarkdown(lost, { zone: 'UTC', title: 'lostalert' });
  assert.match(md, /Hosts with alerts or warnings/);
  assert.match(md, /\| H2 \| Indicators detected \(alert counted by Loki, its line not read\) \| 0 \| 0 \| 1 alert, 0 warnings, 0 notices \|/);

  const orphan = await runLokiAnalysis([fx('trial-orphan.log')]);
  const h = orphan.hosts[0];
  assert.deepEqual(h.lokiResults, { alerts: 1, warnings: 0, notices: 0 });
  assert.equal(h.verdict, 'indicators'); // was `incomplete`: milder than Loki's `Results: 1 alerts`
  assert.equal(h.incomplete, true);
  assert.equal(orphan.summary.hostsWithFindings, 1);
  assert.equal(orphan.summary.unparsedLines, 3);
  assert.equal(hostVerdictLabel(h), 'Indicators detected (scan incomplete; alert counted by Loki, its line not read)');
});
