/**
 * Files with CR-only line ends (classic Mac OS): the shared line readers end a line at a lone CR, as VS Code counts
 * lines (the Loki reader already did: hostile-loki.test.ts). The Zeek reader (TSV byte and string paths, JSON lines,
 * gzip), the format sniffer, the generic JSON-lines connection reader, Normalize Timestamps' Zeek and NDJSON readers
 * and the QRadar NDJSON reader read such a file as its LF twin; before, the whole file was one glued line (one
 * unreadable record, or a Zeek header that swallowed every record). Fixtures: the real logs in shared/data/zeek.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { readZeekFile, sniffInput } from '../../src/core/parse/zeek';
import { parseZeekTsvText } from '../../src/core/parse/zeek-table';
import { parseNdjsonText } from '../../src/core/parse/cases-input';

const ZEEK = resolve(__dirname, '../../../../shared/data/zeek');
const CONN = join(ZEEK, 'day-2024-04-19/conn.00:00:00-01:00:00.log.gz');

async function read(file: string, strings = false) {
  const info = await sniffInput(file);
  const t = { format: info.format, logPath: info.logPath, columns: info.columns.length, records: 0, orig: 0, ts: 0, lastLine: 0, unparsed: 0, lines: 0 };
  const res = await readZeekFile(info, {
    conn: (r, line) => {
      t.records++;
      t.orig += r.origBytes;
      t.ts += r.ts;
      t.lastLine = line;
    },
    ...(strings ? { host: () => undefined } : {}),
  });
  t.unparsed = res.unparsedLines;
  t.lines = res.lines;
  return t;
}

test('real Zeek TSV conn log with CR-only line ends (plain and gzip): the same records, sums and line numbers as with LF', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'soc-cr-'));
  try {
    const text = gunzipSync(readFileSync(CONN)).toString('utf8');
    const lf = join(dir, 'conn-lf.log');
    writeFileSync(lf, text);
    const want = await read(lf);
    assert.deepEqual([want.format, want.logPath, want.columns, want.records, want.unparsed, want.lines], ['zeek-tsv', 'conn', 22, 1765, 0, 1765 + 9]);
    const cr = text.replace(/\n/g, '\r');
    const files: Record<string, Buffer | string> = {
      'conn-cr.log': cr,
      'conn-cr.log.gz': gzipSync(cr),
      // mixed: CRLF for the header, lone CR after
      'conn-mixed.log': text.replace(/\n/g, (_m: string, at: number) => (text[at + 1] === '#' ? '\r\n' : '\r')),
    };
    for (const [name, body] of Object.entries(files)) {
      const f = join(dir, name);
      writeFileSync(f, body);
      for (const strings of [false, true]) assert.deepEqual(await read(f, strings), want, `${name}${strings ? ' (string path)' : ''}`);
    }
    // Normalize Timestamps reads the same rows
    const t = parseZeekTsvText(cr, 'conn-cr.log');
    assert.deepEqual([t.rows.length, t.errors.length, t.rows[0].line, t.rows[0].values['id.orig_h']], [1765, 0, 9, '167.94.138.145']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Zeek JSON lines and NDJSON with CR-only line ends: one record per line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'soc-cr-'));
  try {
    const name = readdirSync(join(ZEEK, 'json')).find((n) => /conn/.test(n))!;
    const raw = readFileSync(join(ZEEK, 'json', name));
    const text = (raw[0] === 0x1f ? gunzipSync(raw) : raw).toString('utf8');
    const lf = join(dir, 'conn-lf.json');
    writeFileSync(lf, text);
    const want = await read(lf);
    assert.ok(want.records === 29 && want.unparsed === 0, JSON.stringify(want));
    const cr = join(dir, 'conn-cr.json');
    writeFileSync(cr, text.replace(/\n/g, '\r'));
    assert.deepEqual(await read(cr), want);
    const nd = parseNdjsonText(text.replace(/\n/g, '\r'), 'conn-cr.ndjson');
    assert.deepEqual([nd.rows.length, nd.errors.length, nd.rows[1].line], [want.records, 0, 2]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
