/** Dotted-quad IPv4 values (src/core/parse/ipv4.ts), shared by the Zeek address table and the beacon subnet filter. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { isIP } from 'node:net';
import fc from 'fast-check';
import { dottedQuadValue, dottedQuadValueOf } from '../../src/core/parse/ipv4';

/** What the value must be: `net.isIP` decides, the parts give the number. */
const expected = (s: string) => (isIP(s) === 4 ? s.split('.').reduce((v, p) => v * 256 + Number(p), 0) : -1);

describe('dotted-quad IPv4 values', () => {
  it('accept exactly what net.isIP calls IPv4, with the right value, for strings and bytes', () => {
    const part = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.stringMatching(/^[0-9]{0,4}$/), fc.constantFrom('', '00', '01', ' 1', '1a', '²', '٣'));
    const text = fc.oneof(fc.array(part, { minLength: 1, maxLength: 6 }).map((ps) => ps.join('.')), fc.string({ maxLength: 16 }));
    fc.assert(
      fc.property(text, (s) => {
        assert.equal(dottedQuadValueOf(s), expected(s), JSON.stringify(s));
        const bytes = Buffer.from(`xx${s}yy`, 'latin1');
        if (!/[^\x00-\xff]/.test(s)) assert.equal(dottedQuadValue(bytes, 2, 2 + s.length), expected(s), JSON.stringify(s));
      }),
      { seed: 9, numRuns: 5000 },
    );
    for (const s of ['0.0.0.0', '255.255.255.255', '10.1.2.3']) assert.equal(dottedQuadValueOf(s), expected(s));
    for (const s of ['01.2.3.4', '256.1.1.1', '1.2.3', '1.2.3.4.5', '::ffff:1.2.3.4', '1.2.3.4 ']) assert.equal(dottedQuadValueOf(s), -1, s);
  });
});
