/**
 * The webview → host protocol treats the webview as untrusted (src/core/webview-messages.ts, used by
 * DashboardPanel.onMessage): a script that got into a dashboard could post any message. Before, the host took
 * `row: "1"`, `[1]` or `true` as row 1, any object as a query (a 10 MB search or a filter that is an object was
 * cached and searched), any text as an action, a log message with line breaks that forged log lines, a `copy` of
 * any value, `Infinity` as an offset. Every message is now checked and copied.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkTableQuery, checkWebviewMessage, MAX_FILTER_CHARS, MAX_LOG_CHARS, MAX_WINDOW, type CheckedMessage } from '../../src/core/webview-messages';

const env = (body: unknown, id: unknown = 7) => ({ id, body });
function ok(c: CheckedMessage) {
  assert.equal(c.ok, true, c.ok ? '' : c.error);
  return (c as Extract<CheckedMessage, { ok: true }>).body as Record<string, unknown>;
}
function refused(c: CheckedMessage): string {
  assert.equal(c.ok, false);
  return (c as Extract<CheckedMessage, { ok: false }>).error;
}

describe('webview messages: rows', () => {
  it('a row is a non-negative integer number, nothing else', () => {
    assert.deepEqual(ok(checkWebviewMessage(env({ type: 'detail', row: 3 }))), { type: 'detail', row: 3 });
    for (const row of ['1', [1], true, 1.5, -1, NaN, Infinity, null, undefined, 2 ** 60, { valueOf: () => 1 }]) {
      for (const type of ['detail', 'reveal', 'action']) {
        const e = refused(checkWebviewMessage(env({ type, row, action: 'safelist-pair' })));
        assert.match(e, /row must be a non-negative integer/, `${type} ${String(row)}`);
      }
    }
  });

  it('the envelope id is echoed only when it is an integer; a refused message keeps it for the error answer', () => {
    assert.equal(checkWebviewMessage(env({ type: 'ready' }, 12)).id, 12);
    assert.equal(checkWebviewMessage(env({ type: 'ready' }, '12')).id, undefined);
    assert.equal(checkWebviewMessage(env({ type: 'ready' }, 1.5)).id, undefined);
    assert.equal(checkWebviewMessage(env({ type: 'detail', row: 'x' }, 9)).id, 9);
  });

  it('retry (the Retry button of a failed load) is accepted as a bare message, its extra fields dropped', () => {
    const c = checkWebviewMessage(env({ type: 'retry', analysisId: 'other', __proto__: { x: 1 } }, 4));
    assert.deepEqual(c, { ok: true, id: 4, body: { type: 'retry' } });
  });

  it('rerun (the button of a tab whose analysis is gone) carries nothing: a command or paths the page adds are dropped', () => {
    const c = checkWebviewMessage(env({ type: 'rerun', command: 'workbench.action.terminal.new', paths: ['/etc'] }, 5));
    assert.deepEqual(c, { ok: true, id: 5, body: { type: 'rerun' } });
  });

  it('not a message, and messages of unknown types (ignored by the host)', () => {
    for (const raw of [null, 'ready', 42, [], { body: null }, { body: 'ready' }, { body: { type: 5 } }]) assert.equal(checkWebviewMessage(raw).ok, false);
    const c = checkWebviewMessage(env({ type: 'runCommand', command: 'workbench.action.terminal.new' }));
    assert.equal(c.ok, false);
    assert.equal((c as { unknownType?: boolean }).unknownType, true);
  });
});

describe('webview messages: table windows and queries', () => {
  it('offset and limit: null (NaN in JSON) is 0, huge limits are clamped, negative and infinite values refused', () => {
    assert.deepEqual(ok(checkWebviewMessage(env({ type: 'query', query: {}, offset: 10.7, limit: 1e9 }))), { type: 'query', query: {}, offset: 10, limit: MAX_WINDOW });
    assert.deepEqual(ok(checkWebviewMessage(env({ type: 'query', query: {}, offset: null, limit: null }))), { type: 'query', query: {}, offset: 0, limit: 0 });
    assert.equal(ok(checkWebviewMessage(env({ type: 'query', query: {}, offset: 1e300, limit: 5 }))).offset, 0xffffffff);
    for (const bad of [-1, -Infinity, Infinity, '5', [5], true]) {
      assert.match(refused(checkWebviewMessage(env({ type: 'query', query: {}, offset: bad, limit: 5 }))), /offset must be a non-negative number/);
      assert.match(refused(checkWebviewMessage(env({ type: 'query', query: {}, offset: 0, limit: bad }))), /limit must be a non-negative number/);
    }
  });

  it('a query keeps only its known fields, as fresh copies of strings', () => {
    const q = checkTableQuery({
      sort: { column: 'score', dir: 'desc', extra: 1 },
      columnFilters: { host: 'ws01', level: '>5' },
      search: 'evil',
      facets: { rule: 'R1' },
      injected: { toString: () => 'x' },
    });
    assert.deepEqual(q, { sort: { column: 'score', dir: 'desc' }, columnFilters: { host: 'ws01', level: '>5' }, search: 'evil', facets: { rule: 'R1' } });
  });

  it('refuses wrong types: sort direction, a filter or facet that is not text, a query that is not an object', () => {
    assert.throws(() => checkTableQuery({ sort: { column: 'score', dir: 'sideways' } }), /sort direction/);
    assert.throws(() => checkTableQuery({ sort: { column: { toString: () => 'score' }, dir: 'asc' } }), /sort column must be text/);
    assert.throws(() => checkTableQuery({ sort: 'score' }), /sort must be an object/);
    assert.throws(() => checkTableQuery({ columnFilters: { host: { toLowerCase: () => '' } } }), /column filter value must be text/);
    assert.throws(() => checkTableQuery({ facets: { host: 5 } }), /facet value must be text/);
    assert.throws(() => checkTableQuery({ search: ['a'] }), /search must be text/);
    assert.throws(() => checkTableQuery([]), /query must be an object/);
    assert.match(refused(checkWebviewMessage(env({ type: 'query', query: 'x', offset: 0, limit: 1 }))), /^invalid "query" message: query must be an object/);
    assert.match(refused(checkWebviewMessage(env({ type: 'exportCsv', query: null, columns: [] }))), /query must be an object/);
  });

  it('refuses huge search and filter texts and too many filters (a 10 MB search used to be cached and scanned)', () => {
    assert.equal(checkTableQuery({ search: 'a'.repeat(MAX_FILTER_CHARS) }).search?.length, MAX_FILTER_CHARS);
    assert.throws(() => checkTableQuery({ search: 'a'.repeat(10 * 1024 * 1024) }), /search is too long \(10,485,760 characters, at most 65,536\)/);
    assert.throws(() => checkTableQuery({ columnFilters: { host: '('.repeat(MAX_FILTER_CHARS + 1) } }), /column filter value is too long/);
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`c${i}`, 'x']));
    assert.throws(() => checkTableQuery({ facets: many }), /facet has too many entries \(300, at most 256\)/);
  });

  it('a column id "__proto__" stays a key: it never becomes the prototype of the copy', () => {
    const q = checkTableQuery(JSON.parse('{"columnFilters":{"__proto__":"x","host":"a"},"facets":{"__proto__":"y"}}'));
    assert.equal(Object.getPrototypeOf(q.columnFilters), Object.prototype);
    assert.deepEqual(Object.entries(q.columnFilters!), [['__proto__', 'x'], ['host', 'a']]);
    assert.deepEqual(Object.entries(q.facets!), [['__proto__', 'y']]);
  });

  it('export columns must be a list of column ids', () => {
    assert.deepEqual(ok(checkWebviewMessage(env({ type: 'exportCsv', query: {}, columns: ['src', 'dst'] }))), { type: 'exportCsv', query: {}, columns: ['src', 'dst'] });
    assert.deepEqual(ok(checkWebviewMessage(env({ type: 'exportCsv', query: {} }))).columns, []);
    assert.match(refused(checkWebviewMessage(env({ type: 'exportCsv', query: {}, columns: 'src' }))), /columns must be a list/);
    assert.match(refused(checkWebviewMessage(env({ type: 'exportCsv', query: {}, columns: [{}] }))), /column id must be text/);
  });
});

describe('webview messages: actions, files, settings, log', () => {
  it('an action is a short identifier', () => {
    assert.deepEqual(ok(checkWebviewMessage(env({ type: 'action', row: 0, action: 'safelist-pair' }))), { type: 'action', row: 0, action: 'safelist-pair' });
    for (const action of ['../../etc/passwd', 'safelist pair', 'a'.repeat(65), '', 5, null]) assert.equal(checkWebviewMessage(env({ type: 'action', row: 0, action })).ok, false, String(action));
  });

  it('copy, savePng, exportTable and setZone take text only', () => {
    assert.match(refused(checkWebviewMessage(env({ type: 'copy', text: { toString: () => 'rm -rf ~' } }))), /text must be text/);
    assert.match(refused(checkWebviewMessage(env({ type: 'savePng', name: 'c', dataUrl: ['data:image/png;base64,'] }))), /image must be text/);
    assert.equal(ok(checkWebviewMessage(env({ type: 'savePng', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' }))).name, 'chart');
    assert.match(refused(checkWebviewMessage(env({ type: 'exportTable', tableId: 3 }))), /table id must be text/);
    assert.match(refused(checkWebviewMessage(env({ type: 'setZone', zone: 'x'.repeat(300) }))), /zone is too long/);
    assert.deepEqual(ok(checkWebviewMessage(env({ type: 'setZone', zone: 'Europe/Berlin' }))), { type: 'setZone', zone: 'Europe/Berlin' });
  });

  it('setPrefs keeps only chartsOpen as a boolean', () => {
    assert.deepEqual(ok(checkWebviewMessage(env({ type: 'setPrefs', prefs: { chartsOpen: false, x: 1 } }))), { type: 'setPrefs', prefs: { chartsOpen: false } });
    assert.deepEqual(ok(checkWebviewMessage(env({ type: 'setPrefs', prefs: { chartsOpen: 'no' } }))), { type: 'setPrefs', prefs: {} });
    assert.equal(checkWebviewMessage(env({ type: 'setPrefs', prefs: 'x' })).ok, false);
  });

  it('a log message is one line: line breaks and terminal or bidi controls are escaped, long text is cut', () => {
    const forged = 'boom\n2026-12-02 15:00:00.000 [info] Exported 10 findings to /tmp/x.csv\u001b[2J\u202e';
    assert.deepEqual(ok(checkWebviewMessage(env({ type: 'log', level: 'error', message: forged }))), {
      type: 'log',
      level: 'error',
      message: 'boom\\u000a2026-12-02 15:00:00.000 [info] Exported 10 findings to /tmp/x.csv\\u001b[2J\\u202e',
    });
    const long = ok(checkWebviewMessage(env({ type: 'log', level: 'warn\n[info] x', message: 'a'.repeat(100_000) })));
    assert.equal(long.level, 'info');
    assert.equal((long.message as string).length, MAX_LOG_CHARS);
    assert.equal(ok(checkWebviewMessage(env({ type: 'log', message: { toString: () => 'x' } }))).message, '');
  });

  it('rendered: card values and first-row cells are text, counts are numbers', () => {
    const b = ok(checkWebviewMessage(env({ type: 'rendered', cards: JSON.parse('{"__proto__":"1","high":"2"}'), totalRows: 5, visibleRows: null, firstRow: ['a', 'b'] })));
    assert.deepEqual(Object.entries(b.cards as object), [['__proto__', '1'], ['high', '2']]);
    assert.equal(Object.getPrototypeOf(b.cards), Object.prototype);
    assert.equal(b.totalRows, 5);
    assert.equal(b.visibleRows, 0);
    assert.deepEqual(b.firstRow, ['a', 'b']);
    assert.equal(checkWebviewMessage(env({ type: 'rendered', cards: { high: { evil: 1 } }, totalRows: 1, visibleRows: 1 })).ok, false);
    assert.equal(checkWebviewMessage(env({ type: 'rendered', cards: {}, totalRows: -1, visibleRows: 1 })).ok, false);
  });
});
