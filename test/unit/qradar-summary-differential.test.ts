/**
 * The summary as a generator (summarizeQRadar drained in one go, summarizeQRadarAsync in slices) and the closing-reason
 * conflicts found when first read give what the one-pass summary gave before (test/unit/qradar-ref: the summary at
 * 60b4414): generated reads with NUL in descriptions and sources, chained and duplicate descriptions, duplicate rules
 * and log sources, undated offenses, events, and closing-reason lists of several exports (so ids conflict), some read
 * as many offenses (past the 2,048 offenses of a step).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { closingReasonsOf, summarizeQRadar, summarizeQRadarAsync, type QRadarSettings } from '../../src/core/analyze/qradar-summary';
import * as ref from './qradar-ref/qradar-summary';
import type { QRadarClosingReason, QRadarEvent, QRadarOffense, QRadarParsed, QRadarRule } from '../../src/core/parse/qradar-model';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

const OFFENSE_FILES = ['/e/a/x.json', '/e/a/y.json', '/e/b/z.json', '/e/c/w.json', '/e/d/v.json'];
const REASON_FILES = ['/e/a/offense_closing_reasons.json', '/e/a/x.closing-reasons.json', '/e/b/offense_closing_reasons.json', '/e/b/other-list.json', '/e/c/offense_closing_reasons.csv'];
const RULE_FILES = ['/e/a/analytics_rules.json', '/e/a/x.rules.json', '/e/b/analytics_rules.json'];
const TEXTS = ['Escalated to IR', 'False-Positive, Tuned', 'Not a false positive', 'Non-Issue', 'a\u0000b', '', 'escalated'];
const DESCRIPTIONS = ['Brute force\n', 'Brute force\npreceded by Login', 'Brute force \n', 'x\u0000y', '', 'Scan\n containing A', 'Scan\n containing B', 'Scan'];
const SOURCES = ['10.0.0.1', '10.0.0.2', 'a\u0000', '\u0000', '', 'host'];
const ZONES = ['UTC', 'Europe/Berlin', 'America/St_Johns', 'Asia/Kathmandu', 'Australia/Lord_Howe'];
const T0 = Date.UTC(2024, 2, 30, 22);

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
/** Mostly left out (1 in `freq` set): so that most reads have conflicting lists, not the lists named for every offense. */
const rare = <T>(a: fc.Arbitrary<T>, freq = 8) => fc.oneof({ arbitrary: fc.constant(undefined), weight: freq - 1 }, { arbitrary: a, weight: 1 });

const offenseArb: fc.Arbitrary<Omit<QRadarOffense, 'record'>> = fc
  .record({
    description: fc.constantFrom(...DESCRIPTIONS),
    status: opt(fc.constantFrom('OPEN', 'HIDDEN', 'CLOSED', 'CLOSED', 'weird')),
    offenseType: opt(fc.constantFrom(0, 3, 7, 1, 52)),
    offenseTypeName: opt(fc.constantFrom('Source IP', 'custom')),
    offenseSource: opt(fc.constantFrom(...SOURCES)),
    magnitude: opt(fc.integer({ min: -2, max: 12 })),
    severity: opt(fc.integer({ min: 0, max: 11 })),
    credibility: opt(fc.integer({ min: 0, max: 10 })),
    relevance: opt(fc.integer({ min: -1, max: 10 })),
    assignedTo: opt(fc.constantFrom('alice', 'bob', '(unassigned)', '')),
    closingUser: opt(fc.constantFrom('alice', 'carol', '')),
    closingReasonId: opt(fc.integer({ min: 0, max: 3 })),
    closingReasonText: rare(fc.constantFrom(...TEXTS), 4),
    startTime: opt(fc.oneof(fc.integer({ min: T0 - 86_400_000 * 3, max: T0 + 86_400_000 * 3 }), fc.constantFrom(-62_200_000_000_000, 253_402_300_800_000))),
    sourceNetwork: opt(fc.constantFrom('net_a', 'net_b', '')),
    rules: fc.array(fc.record({ id: fc.integer({ min: 0, max: 5 }), type: opt(fc.constantFrom('EVENT', 'COMMON')), name: opt(fc.constantFrom('R', 'S', '')) }, { requiredKeys: ['id'] }), { maxLength: 4 }),
    logSources: fc.array(fc.record({ name: fc.constantFrom('fw', 'Custom Rule Engine-8 :: q', 'dns', 'fw'), typeName: opt(fc.constantFrom('EventCRE', 'Firewall')) }, { requiredKeys: ['name'] }), { maxLength: 3 }),
    file: fc.constantFrom(...OFFENSE_FILES),
    line: fc.nat(50),
  })
  .map(({ file, line, description, ...o }) => {
    const first = description.split('\n')[0].trim();
    // undefined optional fields left out, as a parser leaves them
    const x = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<QRadarOffense>;
    return { ...x, description, label: first || '(no description)', categories: [], destinationNetworks: [], rules: o.rules, logSources: o.logSources, source: { file, line } } as Omit<QRadarOffense, 'record'>;
  });

const readArb: fc.Arbitrary<QRadarParsed> = fc
  .record({
    offenses: fc.array(offenseArb, { maxLength: 40, size: 'medium' }),
    // each read offense repeated this many times (past SUMMARY_STEP = 2,048 offenses with the larger ones)
    copies: fc.constantFrom(1, 1, 1, 300, 700),
    // with 'per copy', each copy's offenses are names of their own (thousands of descriptions, sorted in steps)
    labels: fc.constantFrom('as read', 'as read', 'per copy'),
    closingReasons: fc.array(
      fc.record({ id: fc.integer({ min: 0, max: 3 }), text: fc.constantFrom(...TEXTS), isDeleted: opt(fc.boolean()), isReserved: opt(fc.boolean()), file: fc.oneof({ arbitrary: fc.constantFrom(...REASON_FILES), weight: 30 }, { arbitrary: fc.constant(undefined), weight: 1 }) }, { requiredKeys: ['id', 'text'] }),
      { maxLength: 14 },
    ),
    named: rare(fc.subarray(REASON_FILES, { minLength: 1 })),
    rules: fc.array(fc.record({ id: fc.integer({ min: 0, max: 5 }), name: fc.constantFrom('R', 'T', 'Rule five'), file: opt(fc.constantFrom(...RULE_FILES)) }, { requiredKeys: ['id', 'name'] }), { maxLength: 8 }),
    events: fc.array(
      fc.record({ eventName: opt(fc.constantFrom('Login', 'Logout')), logSource: opt(fc.constantFrom('fw', 'dns')), eventCount: opt(fc.nat(5)), startTime: opt(fc.integer({ min: T0, max: T0 + 1e7 })) }),
      { maxLength: 5 },
    ),
  })
  .map(({ offenses, copies, labels, closingReasons, named, rules, events }) => {
    const all: QRadarOffense[] = [];
    for (let c = 0; c < copies; c++) offenses.forEach((o, i) => all.push({ ...o, label: labels === 'per copy' ? `${o.label}${c % 3 ? ' ' : '\u0000'}${c}` : o.label, id: all.length + 1, record: i + 1, startTime: o.startTime === undefined || c % 7 === 3 ? undefined : o.startTime + c * 3_600_000, offenseSource: c % 5 === 1 ? `s${c % 11}` : o.offenseSource }));
    const ev = events.map((e, i) => ({ ...Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)), fields: {}, source: { file: '/e/a/events.csv', line: i + 2 }, record: i + 1 }) as QRadarEvent);
    const files = [...new Set([...OFFENSE_FILES, ...REASON_FILES])].map((file) => ({ file, kind: file.includes('reasons') ? ('closingReasons' as const) : ('offenses' as const), format: 'json-array', records: 1, errors: 0 }));
    const p: QRadarParsed = {
      files,
      offenses: all,
      events: ev,
      closingReasons: closingReasons.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as unknown as QRadarClosingReason),
      offenseTypes: [{ id: 52, name: 'Custom prop' }],
      rules: rules.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as unknown as QRadarRule),
      errors: [],
      skipped: [],
      consoleTimeZone: 'UTC',
      usedConsoleTimes: false,
    };
    if (named) p.namedClosingReasons = named;
    return p;
  });

const settingsArb: fc.Arbitrary<QRadarSettings> = fc.record({
  zone: fc.constantFrom(...ZONES),
  escalatedReasons: fc.constantFrom(['escalat'], ['escalat', 'true positive'], [], ['']),
  falsePositiveReasons: fc.constantFrom(['false positive', 'false-positive'], ['non-issue'], []),
  topN: fc.constantFrom(1, 3, 20, 0, NaN, 2.5, 500),
});

describe('summarizeQRadar as a generator: the summary of before (60b4414)', () => {
  it('summarizeQRadar and summarizeQRadarAsync (slices of 0 ms) equal the one-pass summary', async () => {
    await fc.assert(
      fc.asyncProperty(readArb, settingsArb, async (p, s) => {
        const want = ref.summarizeQRadar({ ...p }, s);
        assert.deepEqual(summarizeQRadar({ ...p }, s), want);
        assert.deepEqual(await summarizeQRadarAsync({ ...p }, s, { sliceMs: 0 }), want);
      }),
      { numRuns: RUNS },
    );
  });

  it('the conflicts found when first read equal those found with the reasons, also after of() (offenses with a reason text too)', () => {
    fc.assert(
      fc.property(readArb, fc.array(fc.nat(), { maxLength: 6 }), (p, firsts) => {
        const want = ref.closingReasonsOf({ ...p }).conflicts;
        assert.deepEqual(closingReasonsOf({ ...p }).conflicts, want);
        const q = { ...p };
        const r = closingReasonsOf(q);
        const withText = p.offenses.filter((o) => o.closingReasonText !== undefined);
        for (const i of firsts) {
          if (p.offenses.length) r.of(p.offenses[i % p.offenses.length]);
          if (withText.length) r.of(withText[i % withText.length]);
        }
        for (const o of p.offenses) assert.equal(r.of(o), ref.closingReasonsOf(p).of(o));
        assert.deepEqual(r.conflicts, want);
        assert.equal(r.conflicts, r.conflicts, 'found once');
      }),
      { numRuns: RUNS * 2 },
    );
  });
});

describe('the steps after the offenses (sorted in runs, pairs by key): the summary of before', () => {
  const offense = (i: number, label: string, offenseSource: string | undefined): QRadarOffense => ({
    id: i + 1,
    description: label,
    label,
    status: i % 3 ? 'OPEN' : 'CLOSED',
    offenseSource,
    startTime: T0 + i * 600_000,
    categories: [],
    destinationNetworks: [],
    rules: [],
    logSources: [],
    source: { file: OFFENSE_FILES[0], line: i + 1 },
    record: i + 1,
  });
  const read = (offenses: QRadarOffense[]): QRadarParsed => ({ files: [], offenses, events: [], closingReasons: [], offenseTypes: [], rules: [], errors: [], skipped: [], consoleTimeZone: 'UTC', usedConsoleTimes: false });

  it('9,000 descriptions of mixed counts (several rounds of merging runs of 2,048)', async () => {
    // a scrambled order, counts 1..6
    const offenses = Array.from({ length: 26_000 }, (_, i) => offense(i, `d${(i * 7919) % 9000}`, `s${i % 13}`));
    const p = read(offenses);
    for (const s of [settingsFor(20), settingsFor(500)]) {
      const want = ref.summarizeQRadar({ ...p }, s);
      assert.equal(want.descriptions.length, 9000);
      assert.deepEqual(summarizeQRadar({ ...p }, s), want);
      assert.deepEqual(await summarizeQRadarAsync({ ...p }, s, { sliceMs: 0 }), want);
    }
  });

  it('pairs whose keys hold more NULs than the separator: equal counts and texts keep the first-seen order', async () => {
    const srcs = ['b\u0000c', 'a', '\u0000', 'b', 'b\u0000d', undefined, 'c'];
    const offenses = Array.from({ length: 5000 }, (_, i) => offense(i, i % 2 ? 'x\u0000y' : `x\u0000b`, i < 4000 ? srcs[i % srcs.length] : `z${i}`));
    const p = read(offenses);
    for (const topN of [1, 2, 3, 4, 5, 8, 500]) {
      const want = ref.summarizeQRadar({ ...p }, settingsFor(topN));
      assert.deepEqual(summarizeQRadar({ ...p }, settingsFor(topN)).topPairs, want.topPairs);
      assert.deepEqual((await summarizeQRadarAsync({ ...p }, settingsFor(topN), { sliceMs: 0 })).topPairs, want.topPairs);
    }
  });
});

function settingsFor(topN: number): QRadarSettings {
  return { zone: 'Europe/Berlin', escalatedReasons: ['escalat'], falsePositiveReasons: ['false positive'], topN };
}
