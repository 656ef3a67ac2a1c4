/**
 * The identity of a QRadar offense across exports (`id` + `start_time`: offense ids are per console, so two consoles'
 * offense 7 are two offenses) and the choice of the copy kept when one offense was saved twice. Shared by the QRadar
 * analysis (`runQRadarRead`) and the KPI cases of offense files (`readCases`). Pure (no vscode).
 */
import * as path from 'node:path';
import type { QRadarOffense } from './qradar-model';

/** The ids of `offenses` (those that have one) are strictly increasing or strictly decreasing. */
function strictlyMonotonicIds(offenses: readonly QRadarOffense[]): boolean {
  let prev: number | undefined;
  let dir = 0;
  for (let i = 0; i < offenses.length; i++) {
    const id = offenses[i].id;
    if (id === undefined) continue;
    if (prev !== undefined) {
      const d = id > prev ? 1 : id < prev ? -1 : 0; // NaN cannot occur (ids are integers)
      if (d === 0 || (dir !== 0 && d !== dir)) return false;
      dir = d;
    }
    prev = id;
  }
  return true;
}

/** One dropped copy of an offense saved twice, and the copy of that offense that was kept. */
export interface DuplicateOffense {
  dropped: QRadarOffense;
  kept: QRadarOffense;
}

/** The time that picks the copy kept: `last_persisted_time`, else `last_updated_time` (epoch ms; −∞ without either). */
const stamp = (o: QRadarOffense) => o.lastPersistedTime ?? o.lastUpdatedTime ?? -Infinity;

/**
 * Whether copy `a` of an offense is kept over copy `b`: a later {@link stamp}; the same one, the copy of the later file
 * in path order (in one file the later record) — whatever order the files were read in (the `qradar` analysis reads
 * them sorted by path, `kpi` in the order given), so both keep the same copy.
 */
function keptOver(a: QRadarOffense, b: QRadarOffense): boolean {
  const d = stamp(a) - stamp(b);
  if (d !== 0 && !Number.isNaN(d)) return d > 0;
  return a.source.file === b.source.file ? a.source.line >= b.source.line : a.source.file > b.source.file;
}

/**
 * The same offense saved twice (same `id` and `start_time`, e.g. overlapping pages or a list plus an
 * update response) is kept once: the copy with the latest `last_persisted_time` (else
 * `last_updated_time`), ties → the copy of the later file in path order (in one file the later record; {@link keptOver}).
 * Offenses without an id are all kept (so are those whose id is beyond 2^53 − 1, kept as text in `idText`: as
 * numbers two different ids were one). Returns the offenses kept (input order), the number of duplicates dropped
 * and each dropped copy with the copy kept of its offense ({@link duplicateOffensesText} says them).
 */
export function dedupeOffenses(offenses: QRadarOffense[]): { offenses: QRadarOffense[]; duplicates: number; copies: DuplicateOffense[] } {
  // Ids strictly increasing or strictly decreasing (the API's id order): no id repeats, nothing to drop.
  if (strictlyMonotonicIds(offenses)) return { offenses, duplicates: 0, copies: [] };
  // Key (id, start_time): `byId` holds the copy for the start_time an id was first seen with (no
  // key string per offense); other start_times of the same id go to `others` by `id NUL start`.
  const byId = new Map<number, number>();
  let others: Map<string, number> | undefined;
  let dropped: Uint8Array | undefined;
  /** Each dropped copy (index) with where its offense's kept copy is found once all are read. */
  const drops: { i: number; map: Map<number | string, number>; key: number | string }[] = [];
  for (let i = 0; i < offenses.length; i++) {
    const o = offenses[i];
    if (o.id === undefined) continue;
    let j = byId.get(o.id);
    let map: Map<number | string, number> = byId;
    let key: number | string = o.id;
    if (j === undefined) {
      byId.set(o.id, i);
      continue;
    }
    if (offenses[j].startTime !== o.startTime) {
      others ??= new Map();
      key = `${o.id}\u0000${o.startTime ?? ''}`;
      map = others;
      j = others.get(key);
      if (j === undefined) {
        others.set(key, i);
        continue;
      }
    }
    dropped ??= new Uint8Array(offenses.length);
    if (keptOver(o, offenses[j])) {
      dropped[j] = 1;
      map.set(key, i);
      drops.push({ i: j, map, key });
    } else {
      dropped[i] = 1;
      drops.push({ i, map, key });
    }
  }
  if (!dropped) return { offenses, duplicates: 0, copies: [] };
  const kept = offenses.filter((_, i) => dropped![i] === 0);
  const copies = drops.map((d) => ({ dropped: offenses[d.i], kept: offenses[d.map.get(d.key)!] }));
  return { offenses: kept, duplicates: drops.length, copies };
}

/** Duplicate offenses named one by one in {@link duplicateOffensesText}; the others are counted. */
const DUPLICATES_NAMED = 3;
/** Differing fields named per duplicate offense, with both values. */
const FIELDS_NAMED = 4;
/** Offense properties that are not the offense's data (where it was read; `label` is the description's first line). */
const NOT_COMPARED: ReadonlySet<string> = new Set(['source', 'record', 'label']);

/** `folder/file:line` of an offense copy (exports of several consoles are often all named `offenses.json`). */
function whereOf(o: QRadarOffense): string {
  const dir = path.basename(path.dirname(o.source.file));
  return `${dir && dir !== '.' ? `${dir}/` : ''}${path.basename(o.source.file)}:${o.source.line}`;
}

/** A value as text in a message: JSON, at most 60 characters. */
function valueText(v: unknown): string {
  const t = v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v);
  return t.length > 60 ? `${t.slice(0, 59)}…` : t;
}

/** The QRadar API name of a model field (`offenseSource` → `offense_source`; `offenseTypeName` → `offense_type`). */
function apiName(k: string): string {
  if (k === 'offenseTypeName') return 'offense_type';
  if (k === 'closingReasonText') return 'closing_reason';
  return k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * The fields (QRadar API names) in which two copies of one offense differ, each with the kept and the dropped value:
 * `offense_source 32.114.123.141 (kept) vs 39.116.161.122`. Empty when the copies hold the same data.
 */
export function offenseCopyDifferences(kept: QRadarOffense, dropped: QRadarOffense): string[] {
  const keys = [...new Set([...Object.keys(kept), ...Object.keys(dropped)])].filter((k) => !NOT_COMPARED.has(k));
  const k = kept as unknown as Record<string, unknown>;
  const d = dropped as unknown as Record<string, unknown>;
  return keys.filter((x) => JSON.stringify(k[x]) !== JSON.stringify(d[x])).map((x) => `${apiName(x)} ${valueText(k[x])} (kept) vs ${valueText(d[x])}`);
}

/**
 * What {@link dedupeOffenses} dropped, for the user: the count, then per offense (the first {@link DUPLICATES_NAMED})
 * its id and start_time, the copy kept and why (later `last_persisted_time` / `last_updated_time`, or the same one and
 * the later file), the copy dropped, and whether the copies differ (the first fields that do, both values):
 * `1 duplicate offense (same id and start_time) kept once: offense 16 (start_time 2021-02-15T14:24:11.536Z): kept
 * demisto-content-qradar-v3/offense_update_response.json:1 (same last_updated_time, the later file), dropped
 * demisto-content-qradar-v3/offenses.json:1; the copies differ: offense_source 32.114.123.141 (kept) vs 39.116.161.122, …`.
 */
export function duplicateOffensesText(copies: DuplicateOffense[]): string {
  const n = copies.length;
  const parts = copies.slice(0, DUPLICATES_NAMED).map(({ kept, dropped }) => {
    const field = (o: QRadarOffense) => (o.lastPersistedTime !== undefined ? 'last_persisted_time' : o.lastUpdatedTime !== undefined ? 'last_updated_time' : undefined);
    const why =
      stamp(kept) > stamp(dropped)
        ? `later ${field(kept)}`
        : `${field(kept) ? `same ${field(kept)}` : 'no last_persisted_time or last_updated_time'}, the later ${kept.source.file === dropped.source.file ? 'record' : 'file in path order'}`;
    const diff = offenseCopyDifferences(kept, dropped);
    // two records on one line (a one-line JSON array) are told by their record number
    const oneLine = whereOf(kept) === whereOf(dropped);
    const where = (o: QRadarOffense) => (oneLine ? `${whereOf(o)} (record ${o.record})` : whereOf(o));
    const t = kept.startTime;
    const sameRecord = kept.source.file === dropped.source.file && kept.record === dropped.record;
    const start = t === undefined ? 'no start_time' : `start_time ${Math.abs(t) <= 8.64e15 ? new Date(t).toISOString() : t}`;
    // one file given twice (`kpi a.json a.json`): one record read twice, not two copies
    if (sameRecord) return `offense ${kept.id} (${start}): ${whereOf(kept)} read twice (the file was given twice)`;
    return (
      `offense ${kept.id} (${start}): kept ${where(kept)} (${why}), dropped ${where(dropped)}; ` +
      (diff.length ? `the copies differ: ${diff.slice(0, FIELDS_NAMED).join(', ')}${diff.length > FIELDS_NAMED ? ` and ${diff.length - FIELDS_NAMED} more field${diff.length - FIELDS_NAMED === 1 ? '' : 's'}` : ''}` : 'the copies are the same')
    );
  });
  return `${n} duplicate offense${n === 1 ? '' : 's'} (same id and start_time) kept once: ${parts.join(' · ')}${n > DUPLICATES_NAMED ? ` · … (${n - DUPLICATES_NAMED} more)` : ''}`;
}
