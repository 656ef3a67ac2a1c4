// Security review of 2026-12-04 (LOW): a Loki `Results:` line whose counts cannot be read (negative, over 15 digits)
// was dropped with no notice — the host read `not logged` and its verdict went unchecked against Loki's count.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { main } from '../../src/cli/cli';

const FIX = path.join(__dirname, '../../../test/fixtures/loki-review');

async function json(file: string): Promise<{ warnings: { line: number; message: string }[]; hosts: { host: string; lokiResults?: unknown }[] }> {
  const out: string[] = [];
  await main(['loki', path.join(FIX, file), '--json'], { stdout: (s) => out.push(s), stderr: () => {} });
  return JSON.parse(out.join(''));
}

for (const [file, counts] of [
  ['results-huge.log', '99999999999999999999999999 alerts'],
  ['results-negative.log', '-1 alerts'],
] as const) {
  test(`${file}: the unreadable Results line (${counts}) is a warning on its line, not dropped silently`, async () => {
    const d = await json(file);
    const w = d.warnings.filter((x) => x.message.startsWith("Loki's Results line not read"));
    assert.equal(w.length, 1, JSON.stringify(d.warnings));
    assert.equal(w[0].line, 19);
    assert.ok(w[0].message.includes(`Results: ${counts}, 0 warnings, 2 notices`), w[0].message);
    assert.equal(d.hosts[0].lokiResults, null); // not read: not taken as a count
  });
}
