/**
 * A log changed while `loki --json` streamed its findings (they are read back from the file) stops the run with exit 1
 * after part of the document was printed (hostile-input review 2026-12-06, F10): stderr says the output on stdout is
 * incomplete, so that no script takes the cut-off document for a report.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, truncateSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main, INCOMPLETE_OUTPUT } from '../../src/cli/cli';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { capture } from './cli-capture';

const CSV = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022/scan_result (1).csv');

test('loki --json: a log cut after it was analyzed → exit 1, stdout cut off, stderr says it is incomplete', async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'soc-cut-')), 'scan.csv');
  copyFileSync(CSV, file);
  const c = capture({
    run: async (paths, opts) => {
      const a = await runLokiAnalysis(paths, { ...opts, parseWorkers: 0 });
      truncateSync(file, Math.floor(statSync(file).size / 2)); // the log changes between the analysis and the output
      return a;
    },
  });
  assert.equal(await main(['loki', file, '--json'], c.io), 1);
  assert.match(c.out(), /^\{"summary":/, 'part of the document was printed');
  assert.throws(() => JSON.parse(c.out()), SyntaxError);
  assert.equal(
    c.err(),
    `soc-analytics: ${file} changed after it was analyzed (it no longer starts as it did); run the analysis again\nsoc-analytics: ${INCOMPLETE_OUTPUT}\n`,
  );
});

test('an unexpected failure before anything was printed says nothing about stdout', async () => {
  const c = capture({
    run: async () => {
      throw new Error('boom');
    },
  });
  assert.equal(await main(['loki', CSV, '--json'], c.io), 1);
  assert.equal(c.out(), '');
  assert.equal(c.err(), 'soc-analytics: boom\n');
});
