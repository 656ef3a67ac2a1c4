/**
 * New-user trial (binary inputs), M1: `kpi` on a compressed or binary file named directly (a PNG named image.csv,
 * cases.csv.gz, random bytes with NULs named binary.log, gzip data named cases-gz.csv) read it as cases and exited 0
 * ("187 cases … Other"); in VS Code *Analyze Cases* offered the PNG's bytes as columns before saying "binary file".
 * Now such a file is told by its first bytes (parse/not-text.ts, as `tz convert` tells it) and skipped with the reason,
 * named or found in a folder; with nothing else, exit 3.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { main } from '../../src/cli/cli';
import { runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { noInputMessage } from '../../src/core/analyze/no-input';
import { caseMappingGroups, notTextCaseReason, readCases, sampleCaseMapping } from '../../src/core/parse/cases';
import { capture } from './cli-capture';
import { png, randomBytes } from './not-text-bytes';

const TMP = mkdtempSync(join(tmpdir(), 'soc-trial-bin-kpi-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

const CSV = 'id,title,created,closed,disposition\n' + Array.from({ length: 7 }, (_, i) => `C-${i + 1},Phish ${i + 1},2026-03-0${i + 1}T08:00:00Z,2026-03-0${i + 1}T09:00:00Z,false positive`).join('\n') + '\n';


const put = (name: string, content: string | Buffer) => {
  const p = join(TMP, name);
  writeFileSync(p, content);
  return p;
};

describe('kpi: a compressed or binary file named directly is skipped with what it is (it was read as cases)', () => {
  const image = put('image.csv', png());
  const gz = put('cases.csv.gz', gzipSync(CSV));
  const gzCsv = put('cases-gz.csv', gzipSync(CSV));
  const bin = put('binary.log', randomBytes(5000));
  const good = put('cases.csv', CSV);

  test('readCases: each is skipped with its reason, no case read from it', async () => {
    const r = await readCases([image, gz, gzCsv, bin]);
    assert.equal(r.cases.length, 0);
    assert.deepEqual(r.skipped, [
      { file: image, reason: 'binary file, not a CSV/JSON case export' },
      { file: gz, reason: 'compressed file (.gz): extract the case export first' },
      { file: gzCsv, reason: 'gzip-compressed file: extract the case export first' },
      { file: bin, reason: 'binary file, not a CSV/JSON case export' },
    ]);
    assert.deepEqual(r.files, []);
  });

  test('notTextCaseReason: by the file ending when it is an archive ending, else by the bytes', () => {
    assert.equal(notTextCaseReason('/x/a.zip', 'zip'), 'compressed file (.zip): extract the case export first');
    assert.equal(notTextCaseReason('/x/a.csv', 'zip'), 'zip archive: extract the case export first');
    assert.equal(notTextCaseReason('/x/a.csv', 'xz'), 'xz-compressed file: extract the case export first');
    assert.equal(notTextCaseReason('/x/a.gz', 'binary'), 'binary file, not a CSV/JSON case export');
  });

  test('a case export beside them is read as before (7 cases), the others listed as skipped', async () => {
    const a = await runKpiAnalysis([good, image, gzCsv], { asOf: Date.UTC(2026, 2, 20) });
    assert.equal(a.input.cases.length, 7);
    assert.deepEqual(a.input.cases.map((c) => c.id), ['C-1', 'C-2', 'C-3', 'C-4', 'C-5', 'C-6', 'C-7']);
    assert.equal(a.filesRead, 1);
    assert.deepEqual((a.input.skipped ?? []).map((k) => k.file), [image, gzCsv]);
  });

  test('CLI: kpi image.csv / cases.csv.gz / binary.log / cases-gz.csv is exit 3 with the reason (it was exit 0, "187 cases")', async () => {
    for (const [file, reason] of [
      [image, 'binary file, not a CSV/JSON case export: image.csv'],
      [gz, 'compressed file (.gz): extract the case export first: cases.csv.gz'],
      [bin, 'binary file, not a CSV/JSON case export: binary.log'],
      [gzCsv, 'gzip-compressed file: extract the case export first: cases-gz.csv'],
    ]) {
      const c = capture();
      assert.equal(await main(['kpi', file], c.io), 3, file);
      assert.ok(c.out().includes(`1 file skipped — ${reason}`), c.out());
      assert.doesNotMatch(c.out(), /\d+ cases \(/);
      assert.match(c.err(), /no case was read in the given paths \(1 file skipped: see the report\); exit 3/);
    }
  });

  test('CLI: a folder holding them says the same reasons (gzip data named .csv is a gzip-compressed file, not "binary")', async () => {
    const c = capture();
    assert.equal(await main(['kpi', TMP, '--json'], c.io), 0);
    const doc = JSON.parse(c.out());
    const reasons = Object.fromEntries((doc.skipped as { file: string; reason: string }[]).map((k) => [k.file.split(/[\\/]/).pop(), k.reason]));
    assert.equal(reasons['image.csv'], 'binary file, not a CSV/JSON case export');
    assert.equal(reasons['cases-gz.csv'], 'gzip-compressed file: extract the case export first');
    assert.equal(reasons['cases.csv.gz'], 'compressed file (.gz): extract the case export first');
  });

  test('Analyze Cases: no mapping prompt for them — the sample says what they are, the groups leave them out', async () => {
    const s = await sampleCaseMapping(image, {}, { maxBytes: 64 * 1024 });
    assert.equal(s.notText, 'binary');
    assert.deepEqual(s.columns, []);
    assert.equal((await sampleCaseMapping(gzCsv)).notText, 'gzip');
    assert.equal((await sampleCaseMapping(good)).notText, undefined);
    const samples = await Promise.all([image, gzCsv, bin].map(async (file) => ({ file, ...(await sampleCaseMapping(file)) })));
    assert.deepEqual(caseMappingGroups(samples, { all: true }), []);
    // a text table with the same "columns" still gets its prompt
    const other = put('other.txt', 'Ref,Headline\nA,b\n');
    assert.deepEqual(caseMappingGroups([{ file: other, ...(await sampleCaseMapping(other)) }]).map((g) => g.files), [[other]]);
  });

  test('Analyze Cases on image.csv alone: no file read, so the "no Cases files found" warning says why (no dashboard)', async () => {
    const a = await runKpiAnalysis([image], { asOf: Date.UTC(2026, 2, 20) });
    // extension.ts: a run whose describe() counts no file read shows noInputMessage instead of a dashboard
    assert.equal(a.filesRead, 0);
    assert.equal(noInputMessage('Cases', 'image.csv', a.input.skipped), 'SOC Analytics: “image.csv” was not read as Cases input — binary file, not a CSV/JSON case export.');
  });

  test('UTF-16 case exports (with and without a BOM) are text: still read', async () => {
    const le = put('u16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CSV, 'utf16le')]));
    const noBom = put('u16-nobom.csv', Buffer.from(CSV, 'utf16le'));
    for (const f of [le, noBom]) {
      const r = await readCases([f]);
      assert.deepEqual(r.cases.map((c) => c.title), ['Phish 1', 'Phish 2', 'Phish 3', 'Phish 4', 'Phish 5', 'Phish 6', 'Phish 7'], f);
      assert.deepEqual(r.skipped, []);
    }
  });
});

test('the notification of one chosen file that was skipped is said of that file, not "no Cases files found in" it', async () => {
  const { noInputMessage } = await import('../../src/core/analyze/no-input');
  assert.equal(
    noInputMessage('Cases', 'image.csv', [{ file: '/w/junk/image.csv', reason: 'binary file, not a CSV/JSON case export' }]),
    'SOC Analytics: “image.csv” was not read as Cases input — binary file, not a CSV/JSON case export.',
  );
  // a folder of one skipped file keeps the folder's wording
  assert.equal(noInputMessage('Loki', 'junk', [{ file: '/w/junk/image.csv', reason: 'binary file' }]), 'SOC Analytics: no Loki files found in “junk”. 1 file skipped — image.csv: binary file.');
});
