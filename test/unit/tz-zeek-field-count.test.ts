/**
 * `tz convert` of a Zeek TSV log whose data lines have another number of fields than `#fields` (hostile review B, M1):
 * the added fields stay in their own columns. A short line is padded with the unset token `-` up to the `#fields`
 * width; a long line's extra fields are declared as `col_<n>` (as the CSV output names them) and the block's other
 * lines padded to that width.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';
import { parseTabularText } from '../../src/core/parse/cases-input';
import { normalizeTable, renderNormalized } from '../../src/core/tz-file';
import { capture } from './cli-capture';

const TMP = mkdtempSync(join(tmpdir(), 'soc-tz-zeek-width-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

/** The review's zeek-short.log: `#fields` of 4, line 5 has 3 fields, line 6 has 5. */
const SHORT_LONG =
  '#separator \\x09\n#fields\tts\tuid\tid.orig_h\tid.resp_h\n#types\ttime\tstring\taddr\taddr\n' +
  '1713484795.5\tC1\t10.0.0.1\t203.0.113.9\n1713484796.5\tC2\t10.0.0.2\n1713484797.5\tC3\t10.0.0.3\t203.0.113.9\tEXTRA\n';

describe('Zeek lines with the wrong number of fields keep the added fields in their columns', () => {
  test('tz convert: the short line is padded with -, the extra field is declared as col_5', async () => {
    const input = join(TMP, 'zeek-short.log');
    const out = join(TMP, 'zeek-short.out.log');
    writeFileSync(input, SHORT_LONG);
    const c = capture();
    assert.equal(await main(['tz', 'convert', input, '--to', 'UTC', '--out', out], c.io), 0, c.err());
    assert.equal(
      readFileSync(out, 'utf8'),
      '#separator \\x09\n' +
        '#fields\tts\tuid\tid.orig_h\tid.resp_h\tcol_5\tts_normalized\tts_tz_flag\n' +
        '#types\ttime\tstring\taddr\taddr\tstring\tstring\tstring\n' +
        '1713484795.5\tC1\t10.0.0.1\t203.0.113.9\t-\t2024-04-18T23:59:55.500Z\t-\n' +
        '1713484796.5\tC2\t10.0.0.2\t-\t-\t2024-04-18T23:59:56.500Z\t-\n' +
        '1713484797.5\tC3\t10.0.0.3\t203.0.113.9\tEXTRA\t2024-04-18T23:59:57.500Z\t-\n',
    );
    // both lines are reported with their line numbers, saying what the copy does
    assert.match(c.out() + c.err(), /zeek-short\.log:5: expected 4 fields \(#fields\), found 3: kept, fields read by position \(the missing ones unset: - in the copy\)/);
    assert.match(c.out() + c.err(), /zeek-short\.log:6: expected 4 fields \(#fields\), found 5: kept, fields read by position \(the extra ones kept as col_<n> in the copy\)/);
  });

  test('every data line of the copy has the width its #fields line declares; blocks are measured apart; the file unset token pads', () => {
    const text =
      '#separator \\x09\n#unset_field\tNA\n#fields\tts\ta\tb\n#types\ttime\tstring\tstring\n1713484795\tx\n1713484796\tx\ty\n' +
      '#fields\tts\tq\n#types\ttime\tstring\n1713484797\tq1\tq2\tq3\n1713484798\n';
    const t = parseTabularText(text, join(TMP, 'two.log'), undefined, { timestampLog: true });
    const r = normalizeTable(t, { column: 'ts', format: 'epoch-s', fromZone: 'UTC', toZone: 'UTC' });
    const lines = renderNormalized(t, r).split('\n');
    assert.deepEqual(lines, [
      '#separator \\x09',
      '#unset_field\tNA',
      '#fields\tts\ta\tb\tts_normalized\tts_tz_flag',
      '#types\ttime\tstring\tstring\tstring\tstring',
      '1713484795\tx\tNA\t2024-04-18T23:59:55Z\tNA',
      '1713484796\tx\ty\t2024-04-18T23:59:56Z\tNA',
      '#fields\tts\tq\tcol_3\tcol_4\tts_normalized\tts_tz_flag',
      '#types\ttime\tstring\tstring\tstring\tstring\tstring',
      '1713484797\tq1\tq2\tq3\t2024-04-18T23:59:57Z\tNA',
      '1713484798\tNA\tNA\tNA\t2024-04-18T23:59:58Z\tNA',
      '',
    ]);
  });
});
