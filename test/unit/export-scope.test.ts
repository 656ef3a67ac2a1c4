/**
 * What an Export CSV of the big table writes, in words (new-user trial, QRadar: with two filters on the file held 1 of
 * 6 offenses and nothing had said that only the filtered rows are exported). Used by the save dialog's title, the
 * notification and the Export CSV button's tooltip.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { exportScopeText } from '../../src/shared/export-scope';

describe('exportScopeText', () => {
  it('filtered: "1 of 6 offenses (filtered)", the noun agreeing with the total', () => {
    assert.equal(exportScopeText(1, 6, 'offenses'), '1 of 6 offenses (filtered)');
    assert.equal(exportScopeText(0, 22, 'connection pairs'), '0 of 22 connection pairs (filtered)');
    assert.equal(exportScopeText(1234, 1600002, 'findings'), '1,234 of 1,600,002 findings (filtered)');
  });
  it('every row: "all 6 offenses"; one row: "1 offense"; none: "0 offenses"', () => {
    assert.equal(exportScopeText(6, 6, 'offenses'), 'all 6 offenses');
    assert.equal(exportScopeText(22, 22, 'connection pairs'), 'all 22 connection pairs');
    assert.equal(exportScopeText(1, 1, 'cases'), '1 case');
    assert.equal(exportScopeText(0, 0, 'events'), '0 events');
  });
});
