/**
 * The leap seconds of UTC: the days whose last minute had 61 seconds (`23:59:60` UTC). Pure (no vscode, no I/O).
 *
 * Source: IERS Bulletin C (International Earth Rotation and Reference Systems Service,
 * https://hpiers.obspm.fr/iers/bul/bulc/bulletinc.dat; the same list is published as the IERS `Leap_Second.dat` and
 * the IANA tz database's `leap-seconds.list`). Since UTC got its leap seconds (1972), 27 have been inserted, all
 * positive, all at the end of 30 June or 31 December, TAI − UTC going from 10 s to 37 s; the last one was at the end
 * of 2016-12-31 (announced in Bulletin C 52, July 2016), and every Bulletin C since, up to the writing of this table,
 * has announced none. A new one would be announced in Bulletin C about six months ahead: add its date here (until
 * then a `23:59:60` on that date is reported as no leap second). test/unit/tz-leftovers.test.ts checks the table
 * against the Modified Julian Dates of the days after each leap second.
 *
 * Second 60 is read only on these days, at 23:59:60 UTC (as that day's 23:59:59: epoch time has no leap seconds):
 * Normalize Timestamps (src/core/tz-normalize.ts) and the Loki timestamps (src/core/parse/text.ts, the byte path of
 * src/core/parse/loki.ts) use {@link isLeapSecondDay} / {@link isLeapSecondInstant}.
 */

/** The UTC dates (`yyyy-mm-dd`) that ended with a leap second `23:59:60`, ascending (IERS Bulletin C; 27 dates). */
export const LEAP_SECOND_DATES: readonly string[] = [
  '1972-06-30', '1972-12-31', '1973-12-31', '1974-12-31', '1975-12-31', '1976-12-31', '1977-12-31', '1978-12-31',
  '1979-12-31', '1981-06-30', '1982-06-30', '1983-06-30', '1985-06-30', '1987-12-31', '1989-12-31', '1990-12-31',
  '1992-06-30', '1993-06-30', '1994-06-30', '1995-12-31', '1997-06-30', '1998-12-31', '2005-12-31', '2008-12-31',
  '2012-06-30', '2015-06-30', '2016-12-31',
];

const DAY_MS = 86_400_000;

/** Epoch day numbers (days since 1970-01-01 UTC) of {@link LEAP_SECOND_DATES}. */
const LEAP_DAYS = new Set(LEAP_SECOND_DATES.map((d) => Date.parse(`${d}T00:00:00Z`) / DAY_MS));

/** True when the UTC day starting at `dayMs` (epoch ms of its 00:00:00 UTC; any instant of the day counts) ended with a leap second. */
export function isLeapSecondDay(dayMs: number): boolean {
  return Number.isFinite(dayMs) && LEAP_DAYS.has(Math.floor(dayMs / DAY_MS));
}

/**
 * True when `ms` (epoch ms UTC of a time written with second 60, read as second 59) lies in 23:59:59.000–23:59:59.999
 * UTC of a day that ended with a leap second: the text was that leap second. False for NaN.
 */
export function isLeapSecondInstant(ms: number): boolean {
  if (!Number.isFinite(ms)) return false;
  const inDay = ((Math.floor(ms / 1000) * 1000) % DAY_MS + DAY_MS) % DAY_MS;
  return inDay === DAY_MS - 1000 && isLeapSecondDay(ms);
}

/**
 * Why a time written with second 60 is no time, from its instant `ms` (second 60 read as 59, epoch ms UTC):
 * `second 60 exists only as a leap second, at 23:59:60 UTC` when it is not 23:59:60 UTC (`12:34:60`), else
 * `second 60 on a date without a leap second (2024-03-01; …)`. Undefined when it is a leap second.
 */
export function secondSixtyProblem(ms: number): string | undefined {
  if (isLeapSecondInstant(ms)) return undefined;
  const inDay = ((Math.floor(ms / 1000) * 1000) % DAY_MS + DAY_MS) % DAY_MS;
  if (!Number.isFinite(ms) || inDay !== DAY_MS - 1000) return 'second 60 exists only as a leap second, at 23:59:60 UTC';
  const d = new Date(ms);
  const day = `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
  return (
    `second 60 on a date without a leap second (${day} UTC; IERS Bulletin C lists ${LEAP_SECOND_DATES.length}, at the end of ` +
    `30 June or 31 December, ${LEAP_SECOND_DATES[0]} … ${LEAP_SECOND_DATES[LEAP_SECOND_DATES.length - 1]})`
  );
}
