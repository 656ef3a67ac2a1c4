import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalZone,
  formatTime,
  isoUtc,
  isValidZoneSetting,
  resolveZone,
  systemZone,
  unknownZoneMessage,
  unknownZoneSettingMessage,
  zoneAbbreviation,
  zoneAbbreviationProblem,
  zoneSuggestions,
  ZONE_HINT,
} from '../../src/core/time';

const MS = Date.UTC(2021, 9, 13, 21, 59, 33); // 2021-10-13T21:59:33Z

test('resolveZone', () => {
  assert.equal(resolveZone('UTC'), 'UTC');
  assert.equal(resolveZone('utc'), 'UTC');
  assert.equal(resolveZone(''), 'UTC');
  assert.equal(resolveZone('Europe/Berlin'), 'Europe/Berlin');
  assert.equal(resolveZone(' America/New_York '), 'America/New_York');
  assert.equal(resolveZone('Mars/Olympus'), 'UTC');
  assert.equal(resolveZone('local'), systemZone());
  assert.equal(systemZone(), Intl.DateTimeFormat().resolvedOptions().timeZone);
  assert.equal(isValidZoneSetting('local'), true);
  assert.equal(isValidZoneSetting('Mars/Olympus'), false);
  assert.equal(isValidZoneSetting(''), false);
});

test('formatTime in zones, including DST', () => {
  assert.equal(formatTime(MS, 'UTC'), '2021-10-13 21:59:33');
  assert.equal(formatTime(MS, 'Europe/Berlin'), '2021-10-13 23:59:33'); // CEST +2
  assert.equal(formatTime(Date.UTC(2021, 11, 1, 12), 'Europe/Berlin'), '2021-12-01 13:00:00'); // CET +1
  assert.equal(formatTime(MS, 'America/New_York'), '2021-10-13 17:59:33'); // EDT -4
  assert.equal(formatTime(MS, 'Asia/Kolkata'), '2021-10-14 03:29:33'); // +5:30
  assert.equal(formatTime(MS, 'Not/AZone'), '2021-10-13 21:59:33'); // invalid → UTC
  assert.equal(formatTime(undefined, 'UTC'), '');
  assert.equal(formatTime(NaN, 'UTC'), '');
  assert.equal(formatTime(Infinity, 'UTC'), '');
});

test('isoUtc', () => {
  assert.equal(isoUtc(MS), '2021-10-13T21:59:33Z');
  assert.equal(isoUtc(MS + 250), '2021-10-13T21:59:33.250Z');
  assert.equal(isoUtc(0), '1970-01-01T00:00:00Z');
  assert.equal(isoUtc(undefined), '');
  assert.equal(isoUtc(NaN), '');
  assert.equal(new Date(isoUtc(MS)).getTime(), MS);
});

test('formatTime agrees with luxon across DST transitions and odd offsets', async () => {
  const { DateTime } = await import('luxon');
  const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham', 'UTC'];
  const start = Date.UTC(2021, 0, 1);
  for (const z of zones) {
    for (let ms = start; ms < start + 366 * 86_400_000; ms += 7 * 60_000 * 61 + 13_000) {
      assert.equal(formatTime(ms, z), DateTime.fromMillis(ms, { zone: z }).toFormat('yyyy-MM-dd HH:mm:ss'), `${z} ${ms}`);
    }
  }
  // exactly at the Berlin spring-forward instant (2021-03-28T01:00:00Z) and one ms before
  const t = Date.UTC(2021, 2, 28, 1, 0, 0);
  assert.equal(formatTime(t - 1, 'Europe/Berlin'), '2021-03-28 01:59:59');
  assert.equal(formatTime(t, 'Europe/Berlin'), '2021-03-28 03:00:00');
});

test('zoneSuggestions: a city, a prefix of one, an offset without UTC or with GMT', () => {
  assert.deepEqual(zoneSuggestions('Berlin'), ['Europe/Berlin']);
  assert.deepEqual(zoneSuggestions('new york'), ['America/New_York']);
  // a prefix of 3 characters or more (the picker's partial input)
  assert.deepEqual(zoneSuggestions('Kolk'), ['Asia/Kolkata']);
  assert.deepEqual(zoneSuggestions('Ber'), ['Atlantic/Bermuda', 'Europe/Berlin']);
  assert.deepEqual(zoneSuggestions('be'), [], 'too short for a prefix');
  // a typo: one slip (two from 8 letters)
  assert.deepEqual(zoneSuggestions('Europe/Berln'), ['Europe/Berlin']);
  assert.deepEqual(zoneSuggestions('Pairs'), ['Europe/Paris']);
  assert.deepEqual(zoneSuggestions('Singapur'), ['Asia/Singapore']);
  assert.deepEqual(zoneSuggestions('Mars'), [], 'no zone within one slip');
  // offsets as people write them: the fixed offset the settings accept
  assert.deepEqual(zoneSuggestions('GMT+2'), ['UTC+2']);
  assert.deepEqual(zoneSuggestions('+05:30'), ['UTC+05:30']);
  assert.deepEqual(zoneSuggestions('utc 3'), ['UTC+3']);
  assert.deepEqual(zoneSuggestions('gmt-0500'), ['UTC-5']);
  assert.deepEqual(zoneSuggestions('+15'), [], 'beyond 14:00');
  assert.deepEqual(zoneSuggestions('Mars/Base'), []);
});

test('unknownZoneMessage / unknownZoneSettingMessage name the option or setting and the suggestions', () => {
  assert.equal(unknownZoneMessage('fromZone', 'GMT+2'), `fromZone GMT+2: unknown time zone; did you mean UTC+2? (use ${ZONE_HINT})`);
  assert.equal(
    unknownZoneSettingMessage('socAnalytics.displayTimeZone', 'Berlin', 'Times are shown in UTC.'),
    `setting socAnalytics.displayTimeZone “Berlin” is not a known time zone; did you mean Europe/Berlin? Times are shown in UTC. Use ${ZONE_HINT}.`,
  );
  assert.equal(
    unknownZoneSettingMessage('socAnalytics.kpi.sourceTimeZone', 'Mars/Base', 'Case times without an offset are read in UTC.'),
    `setting socAnalytics.kpi.sourceTimeZone “Mars/Base” is not a known time zone. Case times without an offset are read in UTC. Use ${ZONE_HINT}.`,
  );
});

test('time-zone abbreviations are refused, with the zones they usually mean', () => {
  const meant: [string, string[]][] = [
    ['AST', ['Asia/Riyadh', 'America/Halifax']],
    ['ast', ['Asia/Riyadh', 'America/Halifax']],
    ['BST', ['Europe/London', 'Asia/Dhaka']],
    ['IST', ['Asia/Kolkata', 'Asia/Jerusalem', 'Europe/Dublin']],
    ['CST', ['America/Chicago', 'Asia/Shanghai']],
    ['EDT', ['America/New_York']],
    ['PST', ['America/Los_Angeles']],
    ['CEST', ['Europe/Berlin', 'Europe/Paris']],
    ['EEST', ['Europe/Athens', 'Europe/Helsinki']],
    ['MSK', ['Europe/Moscow']],
    ['JST', ['Asia/Tokyo']],
    ['KST', ['Asia/Seoul']],
    ['HKT', ['Asia/Hong_Kong']],
    ['SGT', ['Asia/Singapore']],
    ['AEST', ['Australia/Sydney', 'Australia/Brisbane']],
    ['NZDT', ['Pacific/Auckland']],
    ['GST', ['Asia/Dubai']],
    ['SAST', ['Africa/Johannesburg']],
  ];
  for (const [abbr, zones] of meant) {
    assert.equal(canonicalZone(abbr), undefined, abbr);
    assert.equal(isValidZoneSetting(abbr), false, abbr);
    assert.equal(resolveZone(abbr), 'UTC', abbr);
    assert.deepEqual(zoneAbbreviation(abbr), zones, abbr);
    assert.deepEqual(zoneSuggestions(abbr), zones, abbr);
  }
  // an abbreviation ICU reads as a zone (CTT → Asia/Shanghai) but the table does not list: refused, no suggestion
  assert.equal(canonicalZone('CTT'), undefined);
  assert.deepEqual(zoneAbbreviation('CTT'), []);
  // names, not abbreviations: the zone they usually mean first (Eastern was answered with Pacific/Easter)
  assert.deepEqual(zoneSuggestions('Eastern'), ['America/New_York']);
  assert.deepEqual(zoneSuggestions('Central'), ['America/Chicago']);
  assert.deepEqual(zoneSuggestions('Mumbai'), ['Asia/Kolkata']);
  assert.deepEqual(zoneSuggestions('bombay'), ['Asia/Kolkata']);
  assert.equal(zoneAbbreviation('Eastern'), undefined);
  // still zones: UTC, GMT, Z, fixed offsets, IANA names in any case, the tz database's CET/EET/WET/MET (EU summer
  // time rules) and its POSIX-style US zones, and the country names
  for (const [z, c] of [['UTC', 'UTC'], ['gmt', 'UTC'], ['Z', 'UTC'], ['UTC+3', 'UTC+3'], ['utc-05:30', 'UTC-05:30'], ['asia/riyadh', 'Asia/Riyadh'],
    ['AMERICA/NEW_YORK', 'America/New_York'], ['Europe/London', 'Europe/London'], ['CET', 'CET'], ['eet', 'EET'], ['WET', 'WET'], ['MET', 'MET'],
    ['EST5EDT', 'EST5EDT'], ['Japan', 'Japan'],
    // the tz database's fixed offsets EST, MST, HST: zones (accepted; the CLI adds legacyFixedZoneNote)
    ['EST', 'EST'], ['est', 'EST'], ['Mst', 'MST'], ['HST', 'HST']] as const) {
    assert.equal(canonicalZone(z), c, z);
    assert.equal(zoneAbbreviation(z), undefined, z);
  }
  assert.equal(isValidZoneSetting('local'), true);
});

test('the message of an abbreviation says why it is refused and gives the zones with their offset now', () => {
  const winter = Date.UTC(2026, 0, 15);
  const summer = Date.UTC(2026, 6, 15);
  assert.equal(
    zoneAbbreviationProblem('AST', winter),
    'a time-zone abbreviation several zones share, which software may read as a zone you do not mean; use an IANA zone: Asia/Riyadh (UTC+3 now) or America/Halifax (UTC-4 now)',
  );
  assert.equal(
    zoneAbbreviationProblem('IST', summer),
    'a time-zone abbreviation several zones share, which software may read as a zone you do not mean; use an IANA zone: Asia/Kolkata (UTC+05:30 now), Asia/Jerusalem (UTC+3 now) or Europe/Dublin (UTC+1 now)',
  );
  assert.equal(zoneAbbreviationProblem('EDT', summer), 'a time-zone abbreviation, which software may read as a zone you do not mean; use the IANA zone America/New_York (UTC-4 now)');
  assert.equal(zoneAbbreviationProblem('EST', summer), undefined); // a zone (fixed UTC-5), see legacyFixedZoneNote
  assert.equal(zoneAbbreviationProblem('CTT', summer), `a time-zone abbreviation, which software may read as a zone you do not mean; use ${ZONE_HINT}`);
  assert.equal(zoneAbbreviationProblem('Berlin'), undefined);
  assert.match(unknownZoneMessage('--source-zone', 'AST'), /^--source-zone AST: "AST" is a time-zone abbreviation several zones share, .*; use an IANA zone: Asia\/Riyadh \(UTC\+3 now\) or America\/Halifax \(UTC-[34] now\)$/);
  assert.match(
    unknownZoneSettingMessage('socAnalytics.displayTimeZone', 'JST', 'Times are shown in UTC.'),
    /^setting socAnalytics\.displayTimeZone “JST” is a time-zone abbreviation, which software may read as a zone you do not mean; use the IANA zone Asia\/Tokyo \(UTC\+9 now\)\. Times are shown in UTC\.$/,
  );
});
