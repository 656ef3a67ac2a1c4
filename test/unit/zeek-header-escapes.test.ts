/**
 * Zeek TSV header spellings: `#separator` written as `\x09` (Zeek's ASCII writer), a literal TAB, `\t` or any
 * `\xNN`, and header values (`#fields`, `#types`, `#set_separator`, `#empty_field`, `#unset_field`, `#path`) holding
 * `\xNN` escapes (Zeek's `get_escaped_string`; shared/docs/rita-beacons.md §1.1, §6.1). The real hourly conn log
 * of shared/data/zeek with its header rewritten so must read exactly as the original (same records, same sums).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseZeekHeaderLine, readZeekFile, sniffInput, unescapeZeek } from '../../src/core/parse/zeek';
import { parseZeekTsvText } from '../../src/core/parse/zeek-table';

const REAL = resolve(__dirname, '../../../../shared/data/zeek/day-2024-04-19/conn.00:00:00-01:00:00.log.gz');

/** Records, Σ orig/resp bytes, Σ ts and unreadable lines of a file, on the byte path or (`strings`) the string path. */
async function read(file: string, strings = false) {
  const info = await sniffInput(file);
  const t = { format: info.format, logPath: info.logPath, columns: info.columns.length, records: 0, orig: 0, resp: 0, ts: 0, unparsed: 0, firstSrc: '' };
  const res = await readZeekFile(info, {
    conn: (r) => {
      if (t.records++ === 0) t.firstSrc = r.src;
      t.orig += r.origBytes;
      t.resp += r.respBytes;
      t.ts += r.ts;
    },
    ...(strings ? { host: () => undefined } : {}),
  });
  t.unparsed = res.unparsedLines;
  return t;
}

test('parseZeekHeaderLine: #separator as \\x09, literal TAB, \\t, \\x7c; escaped header values decoded', () => {
  const sepOf = (l: string) => parseZeekHeaderLine(l, '\t').values[0];
  assert.equal(sepOf('#separator \\x09'), '\t');
  assert.equal(sepOf('#separator\t'), '\t');
  assert.equal(sepOf('#separator \t'), '\t');
  assert.equal(sepOf('#separator \\t'), '\t');
  assert.equal(sepOf('#separator\t\\x09'), '\t');
  assert.equal(sepOf('#separator \\x7c'), '|');
  assert.equal(sepOf('#separator \\x2C'), ',');
  assert.equal(sepOf('#separator'), '\t');
  assert.deepEqual(parseZeekHeaderLine('#unset_field\t\\x2d', '\t'), { key: '#unset_field', values: ['-'] });
  assert.deepEqual(parseZeekHeaderLine('#empty_field\t\\x28empty\\x29', '\t'), { key: '#empty_field', values: ['(empty)'] });
  assert.deepEqual(parseZeekHeaderLine('#set_separator\t\\x2c', '\t'), { key: '#set_separator', values: [','] });
  assert.deepEqual(parseZeekHeaderLine('#fields|ts|id\\x2eorig_h|caf\\xc3\\xa9', '|'), { key: '#fields', values: ['ts', 'id.orig_h', 'café'] });
  assert.deepEqual(parseZeekHeaderLine('#types\tset\\x5bstring\\x5d', '\t'), { key: '#types', values: ['set[string]'] });
  // not valid UTF-8: byte by byte; an incomplete escape is kept as written
  assert.equal(unescapeZeek('a\\xe9b\\x4'), 'a\u00e9b\\x4');
});

test('real conn log: #separator spelled \\x09 / literal TAB / \\t / \\x7c, escaped header values — same records and sums as the original', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'soc-zeek-hdr-'));
  try {
    const text = gunzipSync(readFileSync(REAL)).toString('utf8');
    assert.equal(text.split('\n')[0], '#separator \\x09');
    const orig = await read(REAL);
    assert.deepEqual([orig.format, orig.logPath, orig.columns, orig.records, orig.unparsed], ['zeek-tsv', 'conn', 22, 1765, 0]);
    const hdr = (t: string, f: (l: string) => string) => t.split('\n').map((l) => (l.startsWith('#') ? f(l) : l)).join('\n');
    const variants: Record<string, string> = {
      literalTab: text.replace('#separator \\x09\n', '#separator\t\n'),
      spaceLiteralTab: text.replace('#separator \\x09\n', '#separator \t\n'),
      backslashT: text.replace('#separator \\x09\n', '#separator \\t\n'),
      // every header value escaped as far as it can be (what a writer escaping all characters would produce)
      escapedValues: hdr(text, (l) => {
        if (l.startsWith('#separator')) return l;
        const [k, ...v] = l.split('\t');
        return [k, ...v.map((x) => (k === '#open' ? x : [...x].map((c) => (/[a-z_]/.test(c) ? c : `\\x${c.charCodeAt(0).toString(16)}`)).join('')))].join('\t');
      }),
      // another separator (no `|` in the data), written as \x7c, header and data lines rewritten
      pipe: text.replace('#separator \\x09\n', '#separator \\x7c\n').replace(/\t/g, '|'),
      pipeEscapedUnset: text.replace('#separator \\x09\n', '#separator \\x7c\n').replace(/\t/g, '|').replace('#unset_field|-', '#unset_field|\\x2d'),
    };
    for (const [name, body] of Object.entries(variants)) {
      const f = join(dir, `conn-${name}.log`);
      writeFileSync(f, body);
      for (const strings of [false, true]) {
        const got = await read(f, strings);
        assert.deepEqual(got, orig, `${name}${strings ? ' (string path)' : ''}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('crafted conn log: escaped #unset_field / #empty_field tokens read as unset (bytes 0), not as unreadable counts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'soc-zeek-hdr-'));
  try {
    const f = join(dir, 'conn.log');
    writeFileSync(
      f,
      [
        '#separator \\x09',
        '#set_separator\t\\x2c',
        '#empty_field\t\\x28none\\x29',
        '#unset_field\t\\x3f',
        '#path\tconn',
        '#fields\tts\tuid\tid\\x2eorig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\torig_ip_bytes\tresp_ip_bytes',
        '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tcount',
        '1713484795.943239\tC1\t10.0.0.1\t5000\t10.0.0.2\t443\ttcp\t?\t(none)',
        '1713484796.000000\tC2\t10.0.0.1\t5001\t10.0.0.2\t443\ttcp\t60\t40',
        '',
      ].join('\n'),
    );
    for (const strings of [false, true]) {
      const got = await read(f, strings);
      assert.deepEqual([got.records, got.unparsed, got.orig, got.resp, got.firstSrc], [2, 0, 60, 40, '10.0.0.1'], strings ? 'string path' : 'byte path');
    }
    // Normalize Timestamps reads the same header: the escaped field name and the unset tokens
    const t = parseZeekTsvText(readFileSync(f, 'utf8'), f);
    assert.ok(t.columns.includes('id.orig_h'));
    assert.deepEqual([t.rows[0].values['orig_ip_bytes'], t.rows[0].values['resp_ip_bytes'], t.rows[1].values['orig_ip_bytes']], ['', '', '60']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
