/**
 * Hostile review round 5 (2026-12-07): workspace-controlled configuration (beacon safelist patterns, tagging rules
 * files) meeting attacker-controlled log content. Real samples from ../shared/data where the behaviour is on data.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { globMatch, isSafelisted, parseSafelist, SubnetFilter } from '../../src/core/analyze/beacons/filter';
import { assertSubquadratic } from './cpu-cost';

const SHARED = join(__dirname, '..', '..', '..', '..', 'shared', 'data');

describe('beacon safelist: FQDN patterns with several * are matched in linear time', () => {
  it('`*a*b.com` / `*akamai*` against long attacker host names: linear, not quadratic (a 20,000-character SNI took 1 s per record)', () => {
    const s = parseSafelist(['*a*b.com', '*akamai*', '*.cdn.*.*.net']);
    assert.deepEqual(s.invalid, []);
    // the worst inputs for the former regular expressions: every piece found at many places, the end never matching
    // (two `*`s: quadratic before; three made it cubic — `*.cdn.*.*.net` on `x.cdn.` × 3,000 ran for minutes)
    assertSubquadratic(
      'safelist *a*b.com / *akamai* on a long host name',
      (n) => ['a'.repeat(n) + '.com', 'akamai'.repeat(Math.ceil(n / 6)) + '!'],
      (names) => names.map((fqdn) => isSafelisted(s, '10.0.0.5', '8.8.8.8', fqdn)),
      2000,
    );
  });

  it('matches as before: real HTTP hosts of the sample Zeek log against wildcard entries', () => {
    const hosts = [...new Set(readFileSync(join(SHARED, 'zeek', 'json', 'http.log'), 'utf8').split('\n').filter(Boolean).slice(0, 2000).map((l) => (JSON.parse(l) as { host?: string }).host).filter((h): h is string => !!h))];
    assert.ok(hosts.includes('gm.mmstat.com'));
    const s = parseSafelist(['*mmstat*', '10.55.100.105 -> *.mmstat.*']);
    const f = new SubnetFilter({ internalSubnets: ['10.0.0.0/8'], filterExternalToInternal: true, safelist: s });
    assert.equal(f.check('10.55.100.105', '205.204.101.182', 'gm.mmstat.com'), 'safelisted');
    assert.equal(f.check('10.55.100.105', '205.204.101.182', 'GM.MMSTAT.COM'), 'safelisted');
    assert.equal(f.check('10.55.100.106', '205.204.101.182', 'gm.mmsta.com'), undefined);
    const matched = hosts.filter((h) => isSafelisted(parseSafelist(['*.mmstat.*']), '10.0.0.1', '', h));
    assert.deepEqual(matched, hosts.filter((h) => /^[a-z0-9_.-]*\.mmstat\.[a-z0-9_.-]*$/.test(h.toLowerCase())));
    assert.ok(matched.length > 0);
  });

  it('the same answers as the regular expression it replaces (`*` = any run of [a-z0-9_.-])', () => {
    const reference = (p: string) => new RegExp(`^${p.split('*').map((x) => x.replace(/[.\-]/g, (c) => '\\' + c)).join('[a-z0-9_.-]*')}$`);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', '.', '*'), minLength: 1, maxLength: 7 }), fc.string({ unit: fc.constantFrom('a', 'b', '.', '-', ' ', '!'), maxLength: 10 }), (p, name) => {
        assert.equal(globMatch(p.split('*'), name), reference(p).test(name), `${JSON.stringify(p)} on ${JSON.stringify(name)}`);
      }),
      { numRuns: 20000 },
    );
  });
});
