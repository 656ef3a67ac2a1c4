/**
 * QRadar CSV inputs (qradar.md §5.1), split by csv-lines.ts `parseCsvRecords` (RFC 4180 quoting in one linear pass that
 * resumes at the next line after a stray quote, which csv-parse cannot do without re-reading the file):
 * - Log Activity / Network Activity "Export to CSV" with display-name headers (`Event Name, Log
 *   Source, Start Time, …`), internal-name headers (`logSourceIdentifier, sourcMACAddress,
 *   payloadAsUTF, deviceTime`), blank payload headers (named `col_<n>`), quoted fields with commas,
 *   doubled quotes and newlines, stray quotes (`"broken"quote`, kept as text), an optional UTF-8 BOM; times as console display text
 *   (`Mar 3, 2026, 2:20:05 PM` in the console time zone) or epoch ms;
 * - a closing-reasons list `id,text` (the seed notebook's output, data/qradar/public/alwashali-…).
 * Bad records are reported with file, line, record number and column; every readable record is kept.
 */
import { isIP } from 'node:net';
import { parseCsvRecords } from './csv-lines';
import type { ParseError } from '../model/common';
import type { QRadarClosingReason, QRadarEvent } from './qradar-model';
import { MAX_FILE_ERRORS } from './qradar';
import { parseExportTime, toBool, toInt, toNumber } from './qradar-values';
import { lookupTable } from '../lookup';

/** Field of {@link QRadarEvent} a CSV header maps to. */
type EventField = 'eventName' | 'logSource' | 'eventCount' | 'startTime' | 'logSourceTime' | 'category' | 'sourceIp' | 'sourcePort' | 'destinationIp' | 'destinationPort' | 'username' | 'magnitude';

/**
 * Header alias table: normalised header (lower case, letters and digits only) → event field.
 * Display names from §5.1 (S13, S11) and internal / Ariel names (`qidname_qid`, `deviceTime`, …).
 */
export const HEADER_ALIASES: Readonly<Record<string, EventField>> = lookupTable({
  eventname: 'eventName',
  qidname: 'eventName',
  qidnameqid: 'eventName',
  logsource: 'logSource',
  logsourcename: 'logSource',
  logsourcenamelogsourceid: 'logSource',
  flowsource: 'logSource',
  eventcount: 'eventCount',
  starttime: 'startTime',
  time: 'startTime',
  timestarttime: 'startTime',
  firstpackettime: 'startTime',
  logsourcetime: 'logSourceTime',
  devicetime: 'logSourceTime',
  lowlevelcategory: 'category',
  category: 'category',
  sourceip: 'sourceIp',
  sourceport: 'sourcePort',
  destinationip: 'destinationIp',
  destinationport: 'destinationPort',
  username: 'username',
  magnitude: 'magnitude',
});

/** Headers that mark an event export even when no mapped column is present. */
const EVENT_MARKERS = new Set(['logsourceidentifier', 'payloadasutf', 'payloadashexoneline', 'payloadasbase64', 'sourcmacaddress', 'sourcemac', 'storagetime', 'highlevelcategory', 'qid', 'flowtype', 'totalbytes']);

const norm = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Whether a header (column names) is plainly a QRadar Log Activity or Network Activity "Export to CSV" (qradar.md
 * §5.1): a column only event and flow exports have ({@link EVENT_MARKERS}: `Log Source Identifier`, `payloadAsUTF`,
 * `Flow Type`, `Total Bytes`…), or the event name with its log source, event count or low-level category. Stricter
 * than the event reader's own test (any one known column) so that a case export with a `Category` or `Username`
 * column is not taken for one. Used by the cases analysis to leave such files found in a folder out (events are not
 * cases).
 */
export function isQRadarEventExportHeader(columns: readonly string[]): boolean {
  const keys = columns.map(norm);
  if (keys.some((k) => EVENT_MARKERS.has(k))) return true;
  const fields = new Set(keys.map((k) => HEADER_ALIASES[k]).filter(Boolean));
  return fields.has('eventName') && (fields.has('logSource') || fields.has('eventCount') || fields.has('category'));
}

/**
 * The kind of QRadar CSV a header line makes a file, by the reader's own rule ({@link parseQRadarCsvText}):
 * `closingReasons` for `id,text[,…]`, `events` when any column is a known Log/Network Activity column (an alias of
 * {@link HEADER_ALIASES} or an export marker such as `payloadAsUTF`), else undefined (the reader leaves such a file out:
 * `CSV without QRadar Log/Network Activity columns`). Headers are compared lower case, letters and digits only.
 */
export function qradarCsvHeaderKind(columns: readonly string[]): 'closingReasons' | 'events' | undefined {
  const keys = columns.map(norm);
  if (keys[0] === 'id' && keys[1] === 'text') return 'closingReasons';
  return keys.some((k) => HEADER_ALIASES[k] !== undefined || EVENT_MARKERS.has(k)) ? 'events' : undefined;
}

export interface QRadarCsvResult {
  kind: 'events' | 'closingReasons' | 'unrecognised';
  format: string;
  events: QRadarEvent[];
  closingReasons: QRadarClosingReason[];
  errors: ParseError[];
  records: number;
  usedConsoleTimes: boolean;
  skipReason?: string;
}

interface Row {
  record: string[];
  info: { lines: number };
}

/** Names the columns: the header text, or `col_<n>` (1-based) when blank or a duplicate. */
export function columnNames(header: string[]): string[] {
  const seen = new Set<string>();
  return header.map((h, i) => {
    const t = h.trim();
    const name = t === '' || seen.has(t) ? `col_${i + 1}` : t;
    seen.add(name);
    return name;
  });
}

/**
 * Reads one CSV text. `consoleZone` (IANA or `UTC`) is the zone of display-format times.
 * The header decides the kind: `id,text[,…]` → closing reasons; any known event header → events
 * (format `csv-display-names`, `csv-internal-names` or `csv-mixed`); otherwise unrecognised.
 */
export function parseQRadarCsvText(text: string, file: string, consoleZone: string): QRadarCsvResult {
  const res: QRadarCsvResult = { kind: 'unrecognised', format: 'csv', events: [], closingReasons: [], errors: [], records: 0, usedConsoleTimes: false };
  const err = (line: number, message: string) => {
    if (res.errors.length < MAX_FILE_ERRORS) res.errors.push({ file, line, message });
  };
  let rows: Row[];
  try {
    // Lines as editors count them; a quote that never closes keeps its record (quote as text) instead of swallowing the rest.
    rows = parseCsvRecords(
      text,
      {
        bom: true,
        relax_column_count: true,
        // a stray quote (`"broken"quote`) is kept as text, as in case and connection CSVs: without this csv-parse
        // skipped that record and, from inside the quote it thought open, the good record after it too
        relax_quotes: true,
        // mixed line ends (CRLF, LF, lone CR) in one file: each is a record end (auto-detection took the first one only and glued records)
        record_delimiter: ['\r\n', '\n', '\r'],
        skip_empty_lines: true,
      },
      (line, problem, kind) => err(line, kind === 'unreadable' ? `unreadable CSV record (${problem.replace(/^[^:]*: /, '')}); skipped` : problem),
    );
  } catch (e) {
    res.skipReason = `not readable as CSV: ${e instanceof Error ? e.message : String(e)}`;
    return res;
  }
  if (rows.length === 0) {
    res.skipReason = 'empty CSV';
    return res;
  }
  const header = rows[0].record;
  const names = columnNames(header);
  const keys = header.map(norm);

  // closing reasons: id,text
  if (keys[0] === 'id' && keys[1] === 'text') {
    res.kind = 'closingReasons';
    res.format = 'csv-closing-reasons';
    const iRes = keys.indexOf('isreserved');
    const iDel = keys.indexOf('isdeleted');
    for (let r = 1; r < rows.length; r++) {
      const { record, info } = rows[r];
      res.records++;
      const line = startLine(rows[r]);
      const id = toInt(record[0]);
      if (!id.ok || id.value === undefined) {
        err(line, `record ${r}: column "${names[0]}": ${id.ok ? 'missing' : id.problem}; skipped`);
        continue;
      }
      const cr: QRadarClosingReason = { id: id.value, text: record[1] ?? '' };
      const b1 = iRes >= 0 ? toBool(record[iRes]) : undefined;
      const b2 = iDel >= 0 ? toBool(record[iDel]) : undefined;
      if (b1?.ok && b1.value !== undefined) cr.isReserved = b1.value;
      if (b2?.ok && b2.value !== undefined) cr.isDeleted = b2.value;
      res.closingReasons.push(cr);
      void info;
    }
    return res;
  }

  // A field named by two columns (a repeated `Event Name`, or `QID Name` and `Event Name`): the first column is read as
  // that field, a later one only as its own column (`col_<n>`), and a warning names it (the later column used to win,
  // so every event was counted under a decoy column's value).
  const mapped: (EventField | undefined)[] = [];
  const firstOf = new Map<EventField, number>();
  const ignored: string[] = [];
  keys.forEach((k, c) => {
    const f = HEADER_ALIASES[k];
    if (f === undefined || !firstOf.has(f)) {
      if (f !== undefined) firstOf.set(f, c);
      mapped.push(f);
      return;
    }
    const first = firstOf.get(f)!;
    ignored.push(`column ${c + 1} "${header[c].trim().slice(0, 60)}" is the same field as column ${first + 1} "${header[first].trim().slice(0, 60)}" (kept only as ${names[c]})`);
    mapped.push(undefined);
  });
  // (the rule of qradarCsvHeaderKind, which discovery uses on a file's first line)
  if (qradarCsvHeaderKind(header) !== 'events') {
    res.skipReason = 'CSV without QRadar Log/Network Activity columns';
    return res;
  }
  res.kind = 'events';
  const internal = header.some((h) => /^[a-z]+[A-Z][A-Za-z]*$/.test(h.trim()) || /_/.test(h));
  const display = header.some((h) => /\s/.test(h.trim()));
  res.format = internal && display ? 'csv-mixed' : internal ? 'csv-internal-names' : 'csv-display-names';
  if (ignored.length)
    err(1, `header: the first column of a field is read, not a later one: ${ignored.join('; ')}`);

  const hasCount = mapped.includes('eventCount');
  const countCol = mapped.indexOf('eventCount');
  for (let r = 1; r < rows.length; r++) {
    const { record } = rows[r];
    res.records++;
    const line = startLine(rows[r]);
    // a row is one event when the export has no Event Count column; with one, only a valid count counts
    const ev: QRadarEvent = hasCount ? { fields: {}, source: { file, line }, record: r } : { eventCount: 1, fields: {}, source: { file, line }, record: r };
    if (record.length !== header.length)
      err(line, `record ${r}: ${record.length} columns, header has ${header.length}; ${record.length < header.length ? 'missing columns left empty' : 'extra columns named col_<n>'}`);
    for (let c = 0; c < record.length; c++) {
      const name = c < names.length ? names[c] : `col_${c + 1}`;
      const v = record[c];
      // defineProperty: a column named `__proto__` is data, not the object's prototype
      Object.defineProperty(ev.fields, name, { value: v, enumerable: true, writable: true, configurable: true });
      const f = mapped[c];
      if (!f) continue;
      const where = `record ${r}: column "${name}"`;
      if (v.trim() === '') {
        // a blank count is no count: named as a bad or missing one is (it is not counted in the totals either)
        if (f === 'eventCount') err(line, `${where}: empty; ${NO_COUNT_KEPT}`);
        continue;
      }
      switch (f) {
        case 'startTime':
        case 'logSourceTime': {
          const t = parseExportTime(v, consoleZone);
          if (!t.ok) err(line, `${where}: ${t.problem}; time left empty, record kept`);
          else if (t.value !== undefined) {
            ev[f] = t.value;
            if (t.display) res.usedConsoleTimes = true;
            // a fall-back hour's time: read as its earlier occurrence, said per record (never guessed silently)
            if (t.ambiguous) err(line, `${where}: ${t.ambiguous}`);
          }
          break;
        }
        case 'eventCount':
        case 'magnitude': {
          const n = toNumber(v);
          const kept = f === 'eventCount' ? NO_COUNT_KEPT : 'left empty, record kept';
          if (!n.ok) err(line, `${where}: ${n.problem}; ${kept}`);
          // a negative Event Count subtracted events from the totals
          else if (f === 'eventCount' && n.value !== undefined && n.value < 0) err(line, `${where}: negative count (${v.trim().slice(0, 40)}); ${kept}`);
          // a count is a whole number of events: 2.5 is no count, and 1e308 twice summed to Infinity (review)
          else if (f === 'eventCount' && n.value !== undefined && !Number.isSafeInteger(n.value)) err(line, `${where}: not a whole count up to 2^53 (${v.trim().slice(0, 40)}); ${kept}`);
          else if (n.value !== undefined) ev[f] = n.value;
          break;
        }
        case 'sourceIp':
        case 'destinationIp':
          // an address QRadar would never write (999.0.0.1): named, and kept as written
          if (!isIP(v.trim())) err(line, `${where}: not an IP address (${JSON.stringify(v.trim().slice(0, 60))}); kept as written, record kept`);
          ev[f] = v;
          break;
        default:
          ev[f] = v;
      }
    }
    // a short row without its Event Count cell: no count either (the problem above names the missing columns)
    if (hasCount && countCol >= record.length && record.length !== header.length) err(line, `record ${r}: column "${names[countCol]}": missing; ${NO_COUNT_KEPT}`);
    res.events.push(ev);
  }
  return res;
}

/** What a row without a valid Event Count counts as (nothing: it is a row, not a number of events). */
const NO_COUNT_KEPT = 'left empty, record kept (its events not counted in the event totals)';

/** 1-based line where a record starts: csv-parse reports the line it ends on. */
function startLine(row: Row): number {
  let nl = 0;
  for (const f of row.record) for (let i = 0; i < f.length; i++) if (f.charCodeAt(i) === 10) nl++;
  return Math.max(1, row.info.lines - nl);
}
