/**
 * Ariel push-down counts (AQL build, search life cycle, saved count files, dashboard) and the
 * `soc-analytics qradar-fetch` / `qradar-count` CLI, against the mock QRadar on 127.0.0.1. Real
 * inputs: shared/data/qradar/samples/ariel_search_results.json and ariel_search_status.json, the
 * public demisto-content-qradar-v3 Ariel results, the sample offenses.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildCountAql, countFile, isNewSearch, readArielCounts, runArielSearch, type ArielSearchStatus } from '../../src/core/qradar-api/ariel';
import { arielRowDetail, arielTotal, buildArielDashboard } from '../../src/core/qradar-api/ariel-dashboard';
import { QRadarClient } from '../../src/core/qradar-api/client';
import { QRadarApiError } from '../../src/core/qradar-api/errors';
import { main, type CliIO } from '../../src/cli/cli';
import { startMockQRadar, type MockServer } from './qradar-api-mock';

const SAMPLES = resolve(__dirname, '../../../../shared/data/qradar/samples');
const PUBLIC = resolve(__dirname, '../../../../shared/data/qradar/public');
type Obj = Record<string, unknown>;
const readJson = <T>(p: string): T => JSON.parse(readFileSync(p, 'utf8')) as T;
const SAMPLE_ROWS = readJson<{ events: Obj[] }>(join(SAMPLES, 'ariel_search_results.json')).events;
const SAMPLE_STATUS = readJson<Obj>(join(SAMPLES, 'ariel_search_status.json'));
const TOKEN = 'SECtok-ariel-0c7b2d4e-91aa-4f3b-8e55-6d2c1b0a9f88';
const tmp = () => mkdtempSync(join(tmpdir(), 'soc-ariel-'));
/** A mock console with the sample offenses, closing reasons and offense types, answering Ariel searches with `arielRows`. */
const startSampleMock = (arielRows: (aql: string) => Obj[]): Promise<MockServer> =>
  startMockQRadar({
    token: TOKEN,
    offenses: readJson<Obj[]>(join(SAMPLES, 'offenses.json')),
    closingReasons: readJson<Obj[]>(join(SAMPLES, 'offense_closing_reasons.json')),
    offenseTypes: readJson<Obj[]>(join(SAMPLES, 'offense_types.json')),
    arielRows,
  });

describe('qradar-api: Ariel counts', () => {
  let server: MockServer;
  before(async () => {
    server = await startSampleMock((aql) => (/GROUP BY qid/.test(aql) ? SAMPLE_ROWS : [{ day: '2026-03-03', events: '12.0', records: '3' }, { day: '2026-03-04', events: '30.0', records: '9' }]));
  });
  after(() => server.close());
  const client = () => new QRadarClient({ consoleUrl: server.url, token: TOKEN, maxRetries: 2, backoffBaseMs: 1 });

  test('AQL templates: SUM(eventcount) with aliases, epoch-ms START/STOP and WHERE bounds, INOFFENSE', () => {
    const from = 1772540000000;
    const to = 1772620000000;
    assert.equal(
      buildCountAql({ group: 'eventName', fromMs: from, toMs: to, offenseId: 4102, limit: 3 }),
      'SELECT QIDNAME(qid) AS event_name, SUM(eventcount) AS events, COUNT(*) AS records FROM events WHERE starttime >= 1772540000000 AND starttime < 1772620000000 AND INOFFENSE(4102) GROUP BY qid ORDER BY events DESC LIMIT 3 START 1772540000000 STOP 1772620000000',
    );
    // the sample search (ariel_search_status.json) counts the same: QIDNAME(qid), SUM(eventcount) AS events, INOFFENSE(4102), same START/STOP
    const q = String(SAMPLE_STATUS.query_string);
    for (const part of ['QIDNAME(qid) AS event_name', 'SUM(eventcount) AS events', 'INOFFENSE(4102)', 'GROUP BY qid ORDER BY events DESC LIMIT 3 START 1772540000000 STOP 1772620000000']) assert.ok(q.includes(part), part);
    assert.equal(
      buildCountAql({ group: 'day', fromMs: Date.UTC(2026, 2, 1), toMs: Date.UTC(2026, 3, 1) }),
      "SELECT DATEFORMAT(starttime,'yyyy-MM-dd') AS day, SUM(eventcount) AS events, COUNT(*) AS records FROM events WHERE starttime >= 1772323200000 AND starttime < 1775001600000 GROUP BY day ORDER BY day ASC LIMIT 33 START 1772323200000 STOP 1775001600000",
    );
    assert.match(buildCountAql({ group: 'hour', fromMs: 0, toMs: 86_400_000 }), /DATEFORMAT\(starttime,'yyyy-MM-dd HH'\) AS hour.* LIMIT 26 START 0 STOP 86400000$/);
    assert.match(buildCountAql({ group: 'logSource', fromMs: 0, toMs: 1 }), /LOGSOURCENAME\(logsourceid\) AS log_source.*GROUP BY logsourceid/);
    assert.throws(() => buildCountAql({ group: 'day', fromMs: 10, toMs: 10 }), /empty/);
    assert.throws(() => buildCountAql({ group: 'day', fromMs: 0, toMs: 10, offenseId: -1 }), /offense id/);
  });

  test('search from creation to results: POST 201, polls WAIT → EXECUTE → COMPLETED, results with Range; numbers "34.0" coerced', async () => {
    const c = client();
    server.requests.length = 0;
    server.switches.arielPolls = 3;
    const statuses: string[] = [];
    const spec = { group: 'eventName' as const, fromMs: 1772540000000, toMs: 1772620000000, offenseId: 4102, limit: 3 };
    const aql = buildCountAql(spec);
    const run = await runArielSearch(c, aql, { pollMs: 5, pageSize: 2, onStatus: (s: ArielSearchStatus) => statuses.push(s.status) });
    c.close();
    assert.deepEqual(statuses, ['WAIT', 'EXECUTE', 'EXECUTE', 'COMPLETED']);
    assert.equal(run.polls, 3);
    assert.equal(run.rows.length, 3);
    assert.equal(run.resultKey, 'events');
    assert.equal(run.search.processed_record_count, 48211);
    const paths = server.requests.map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/, '{id}')}${r.range ? ` ${r.range}` : ''}`);
    assert.deepEqual(paths, [
      'POST /api/ariel/searches',
      'GET /api/ariel/searches/{id}',
      'GET /api/ariel/searches/{id}',
      'GET /api/ariel/searches/{id}',
      'GET /api/ariel/searches/{id}/results items=0-1',
      // the query's LIMIT 3: the second page is asked up to row 2 only (qradar-api-ariel-rows-bound.test.ts)
      'GET /api/ariel/searches/{id}/results items=2-2',
      // the results are read: the search is deleted from the console
      'DELETE /api/ariel/searches/{id}',
    ]);
    assert.equal(server.searches.has(run.search.search_id), false);
    assert.equal(server.requests[0].query.query_expression, aql);
    // saved file → read back → dashboard: the real sample counts 34 + 2 + 1 = 37
    const dir = tmp();
    const file = join(dir, 'event_name.ariel-counts.json');
    const saved = countFile(server.url, spec, aql, run, Date.UTC(2026, 2, 10));
    require('node:fs').writeFileSync(file, JSON.stringify(saved));
    const counts = await readArielCounts([file]);
    assert.equal(counts.errors.length, 0);
    assert.deepEqual(
      counts.rows.map((r) => [r.key, r.events]),
      [
        ['Failure Audit: An account failed to log on', 34],
        ['Multiple Login Failures for the Same User', 2],
        ['Success Audit: An account was successfully logged on', 1],
      ],
    );
    assert.equal(arielTotal(counts), 37);
    assert.equal(counts.keyTitle, 'Event name');
    const model = buildArielDashboard(counts, 'event_name', 'UTC');
    assert.equal(model.kind, 'ariel');
    assert.deepEqual(model.cards.map((x) => [x.id, x.value]), [['events', 37], ['groups', 3], ['files', 1]]);
    assert.equal(model.charts.length, 1);
    assert.deepEqual(model.charts[0].values, [34, 2, 1]);
    assert.equal(model.tables[0].rows[0][6], aql);
    assert.equal(model.totalRows, 3);
  });

  test('the real sample and public Ariel results files read as counts', async () => {
    const sample = await readArielCounts([join(SAMPLES, 'ariel_search_results.json')]);
    assert.equal(arielTotal(sample), 37);
    assert.equal(sample.keyTitle, 'event_name');
    // trial: the disabled button of a count's row said "Reveal in log" and "aggregated from many log lines"; these
    // events were counted on the console through the API, so it names the export and says plainly there is none
    const d = arielRowDetail(sample.rows[0], 0, sample);
    assert.equal(d.canReveal, false);
    assert.equal(d.reveal?.label, 'Reveal in export');
    assert.equal(d.reveal?.disabledTitle, 'Fetched from the QRadar API (an Ariel search counted these events on the console): there is no export file to reveal');
    const v3 = await readArielCounts([join(PUBLIC, 'demisto-content-qradar-v3/ariel_search_results.json')]);
    assert.deepEqual(v3.rows.map((r) => [r.key, r.events]), [
      ['Success Audit: The Windows Filtering Platform has allowed a connection', 2],
      ['Success Audit: The Windows Filtering Platform has permitted a bind to a local port', 1],
    ]);
    const bad = await readArielCounts([join(SAMPLES, 'offenses.json'), join(SAMPLES, 'nope.json')]);
    assert.equal(bad.rows.length, 0);
    assert.deepEqual(bad.errors.map((e) => e.line), [0, 0]);
  });

  test('day buckets: line chart in key order; bad AQL → 422 with the server message; cancel deletes the search on the console', async () => {
    const c = client();
    server.switches.arielPolls = 1;
    const run = await runArielSearch(c, buildCountAql({ group: 'day', fromMs: Date.UTC(2026, 2, 1), toMs: Date.UTC(2026, 3, 1) }), { pollMs: 1 });
    const dir = tmp();
    const f = join(dir, 'day.json');
    require('node:fs').writeFileSync(f, JSON.stringify(countFile(server.url, { group: 'day', fromMs: Date.UTC(2026, 2, 1), toMs: Date.UTC(2026, 3, 1) }, 'x', run, 0)));
    const counts = await readArielCounts([f]);
    assert.equal(counts.timeBuckets, true);
    const m = buildArielDashboard(counts, 'day', 'UTC');
    assert.deepEqual([m.charts[0].type, m.charts[0].orientation, m.charts[0].labels, m.charts[0].values], ['line', 'vertical', ['2026-03-03', '2026-03-04'], [12, 30]]);
    assert.deepEqual(m.cards.find((x) => x.id === 'records')?.value, 12);
    await assert.rejects(runArielSearch(c, 'SELECT * FORM events', { pollMs: 1 }), (e: QRadarApiError) => e.status === 422 && e.details.qradarCode === 2000 && /Invalid AQL/.test(e.message));
    server.switches.arielPolls = 1000;
    const ac = new AbortController();
    // cancelled once the search runs (its first poll answered), not by a timer that may beat the create request
    let seen = 0;
    const onStatus = () => ++seen === 2 && ac.abort();
    await assert.rejects(runArielSearch(c, buildCountAql({ group: 'hour', fromMs: 0, toMs: 3_600_000 }), { pollMs: 5, maxPollMs: 5, signal: ac.signal, onStatus }), (e: QRadarApiError) => e.kind === 'cancelled');
    const last = server.deleted[server.deleted.length - 1];
    assert.ok(last && !server.searches.has(last), 'the cancelled search was deleted');
    server.switches.arielPolls = 2;
    c.close();
  });
});

describe('qradar-api: the Ariel searches this tool creates are deleted from the console', () => {
  // IBM API reference: `DELETE /ariel/searches/{search_id}` deletes the search and its results (and stops it when it
  // runs); without it a search stays on the console, with its results on disk, for `desired_retention_time_msec`.
  let server: MockServer;
  before(async () => {
    server = await startSampleMock(() => SAMPLE_ROWS);
  });
  after(() => server.close());
  const AQL = buildCountAql({ group: 'eventName', fromMs: 1772540000000, toMs: 1772620000000, offenseId: 4102, limit: 3 });
  const client = () => new QRadarClient({ consoleUrl: server.url, token: TOKEN, maxRetries: 2, backoffBaseMs: 1 });
  /** Another analyst's search on the same console: never touched. */
  const FOREIGN = 'a135f4cb-0000-4000-8000-000000000001';
  const reset = () => {
    Object.assign(server.switches, { arielPolls: 2, deleteStatus: undefined, deleteStalls: false, reuseIdentical: false, createStatus: undefined, echoToken: false, fail500Next: 0, forbid: [], delayMs: 0, slowCount: undefined });
    server.requests.length = 0;
    server.searches.set(FOREIGN, { search_id: FOREIGN, status: 'COMPLETED', polls: 9, aql: 'SELECT 1 FROM events' });
  };
  const deletes = () => server.requests.filter((r) => r.method === 'DELETE').map((r) => decodeURIComponent(r.path.replace('/api/ariel/searches/', '')));
  const cancels = () => server.requests.filter((r) => r.method === 'POST' && r.query.status === 'CANCELED').length;

  test('results read: one DELETE of the search after its last results page; another search on the console stays', async () => {
    reset();
    const c = client();
    const run = await runArielSearch(c, AQL, { pollMs: 1, pageSize: 2 });
    c.close();
    assert.equal(run.rows.length, 3);
    const id = run.search.search_id;
    assert.deepEqual(deletes(), [id]);
    assert.equal(server.requests[server.requests.length - 1].method, 'DELETE', 'after every results page');
    assert.equal(server.searches.has(id), false);
    assert.equal(server.deleted[server.deleted.length - 1], id);
    assert.equal(server.searches.get(FOREIGN)?.status, 'COMPLETED');
    assert.equal(cancels(), 0);
  });

  test('cancelled while the search runs: the search is deleted (which stops it), the error is the cancel', async () => {
    reset();
    server.switches.arielPolls = 1000;
    const c = client();
    const ac = new AbortController();
    const ids: string[] = [];
    const statuses: string[] = [];
    // cancelled on the first poll's answer, i.e. once the search exists and runs: a timer (60 ms) raced the create
    // request on a loaded machine — aborted before its answer, no search id was known and nothing could be deleted.
    // The create is answered late here (a loaded console or machine): the cancel still comes while the search runs.
    Object.assign(server.switches, { delayMs: 100, slowCount: 1 });
    const onStatus = (st: ArielSearchStatus) => {
      ids.push(st.search_id);
      statuses.push(st.status);
      if (ids.length === 2) ac.abort();
    };
    await assert.rejects(runArielSearch(c, AQL, { pollMs: 5, maxPollMs: 5, signal: ac.signal, onStatus }), (e: QRadarApiError) => e.kind === 'cancelled');
    c.close();
    assert.equal(ids.length, 2, 'no poll after the cancel');
    assert.equal(ids[1], ids[0]);
    assert.ok(!statuses.includes('COMPLETED'), `still running when cancelled: ${statuses.join(' → ')}`);
    assert.deepEqual(deletes(), [ids[0]]);
    assert.equal(server.searches.has(ids[0]), false);
    assert.equal(cancels(), 0, 'deleted, so no cancel is needed');
    assert.ok(server.searches.has(FOREIGN));
  });

  test('failed runs: a poll answered 500 after the retries, results refused (403): the search is deleted, the error is the run`s', async () => {
    reset();
    const c = client();
    const ids: string[] = [];
    server.switches.arielPolls = 1000;
    // once the search exists (a timer could make the create request fail instead): three attempts of the next poll
    // (maxRetries 2) fail, the DELETE does not
    const onStatus = (st: ArielSearchStatus) => ids.push(st.search_id) === 1 && (server.switches.fail500Next = 3);
    await assert.rejects(runArielSearch(c, AQL, { pollMs: 5, maxPollMs: 5, onStatus }), (e: QRadarApiError) => e.kind === 'http' && e.status === 500);
    assert.equal(ids.length, 1, 'the first poll failed');
    assert.deepEqual(deletes(), [ids[0]]);
    assert.equal(server.searches.has(ids[0]), false);

    reset();
    server.switches.forbid = ['/results'];
    const ids2: string[] = [];
    await assert.rejects(runArielSearch(c, AQL, { pollMs: 1, onStatus: (st) => ids2.push(st.search_id) }), (e: QRadarApiError) => e.status === 403);
    c.close();
    assert.deepEqual(deletes(), [ids2[0]]);
    assert.ok(server.searches.has(FOREIGN));
  });

  test('nothing created, nothing deleted: bad AQL (422); a create answered 200 instead of 201 Created', async () => {
    reset();
    const c = client();
    await assert.rejects(runArielSearch(c, 'SELECT * FORM events', { pollMs: 1 }), (e: QRadarApiError) => e.status === 422);
    assert.deepEqual(deletes(), []);
    server.switches.createStatus = 200;
    const run = await runArielSearch(c, AQL, { pollMs: 1 });
    c.close();
    assert.equal(run.rows.length, 3);
    assert.deepEqual(deletes(), [], 'a search this call did not create is left on the console');
    assert.ok(server.searches.has(run.search.search_id));
    server.searches.delete(run.search.search_id);
  });

  test('QRadar hands back the id of an identical search still in use by another run of this process: deleted once, by the last run', async () => {
    reset();
    server.switches.reuseIdentical = true;
    // the second run starts once the first's search exists, and the search completes only once the second has it too
    // (a 15 ms timer could let the first run finish, and delete it, before the second asked)
    server.switches.arielPolls = 1000;
    const c = client();
    let second: ReturnType<typeof runArielSearch> | undefined;
    const secondRun = () => {
      const run = runArielSearch(c, AQL, { pollMs: 5, maxPollMs: 5, onStatus: () => (server.switches.arielPolls = 2) });
      run.catch(() => undefined); // awaited below, after the first run
      return run;
    };
    const first = runArielSearch(c, AQL, { pollMs: 5, maxPollMs: 5, onStatus: () => (second ??= secondRun()) });
    const a = await first;
    const b = await second!;
    c.close();
    assert.equal(a.search.search_id, b.search.search_id, 'one search on the console');
    assert.deepEqual([a.rows.length, b.rows.length], [3, 3], 'neither run lost its results to the other`s deletion');
    assert.deepEqual(deletes(), [a.search.search_id]);
    // a search that already has saved results (someone kept it) is not this call's: never deleted
    reset();
    server.switches.reuseIdentical = true;
    server.searches.set('saved-one', { search_id: 'saved-one', status: 'COMPLETED', polls: 0, aql: AQL, save_results: true, record_count: 3, completed: true });
    const c2 = client();
    const kept = await runArielSearch(c2, AQL, { pollMs: 1 });
    c2.close();
    assert.equal(kept.search.search_id, 'saved-one');
    assert.deepEqual(deletes(), []);
    server.searches.delete('saved-one');
  });

  test('QRadar hands back, with 201 Created, an identical search someone else ran: never deleted (was: deleted)', async () => {
    // POST /ariel/searches reference: 201 is the only success code, and "If the exact search being created was already
    // recently created, the response message will return a reference to the original search ID".
    for (const state of [
      { status: 'COMPLETED', completed: true, progress: 100, record_count: 3, processed_record_count: 48211, query_execution_time: 412 },
      { status: 'EXECUTE', completed: false, progress: 40, record_count: 0, processed_record_count: 1200, query_execution_time: 90 },
      { status: 'SORTING', completed: false, progress: 100, record_count: 3, processed_record_count: 48211, query_execution_time: 300 },
    ]) {
      reset();
      server.switches.reuseIdentical = true;
      server.switches.arielPolls = 1;
      server.searches.set('other-analyst', { search_id: 'other-analyst', polls: 0, aql: AQL, save_results: false, ...state });
      const c = client();
      const run = await runArielSearch(c, AQL, { pollMs: 1 });
      c.close();
      assert.equal(run.search.search_id, 'other-analyst', state.status);
      assert.equal(run.rows.length, 3, state.status);
      assert.deepEqual(deletes(), [], `${state.status}: a search this run did not create is left on the console`);
      assert.ok(server.searches.has('other-analyst'), state.status);
      // handed back again later, even looking new, it is still not this process's
      Object.assign(server.searches.get('other-analyst')!, { status: 'WAIT', completed: false, progress: 0, record_count: 0, processed_record_count: 0, query_execution_time: 0, polls: 0 });
      const c2 = client();
      await runArielSearch(c2, AQL, { pollMs: 1 });
      c2.close();
      assert.deepEqual(deletes(), [], `${state.status}: an id handed back before as someone else's`);
      server.searches.delete('other-analyst');
    }
  });

  test('isNewSearch: only a 201 answer of a search that has done nothing yet (the real create answers: WAIT, EXECUTE)', () => {
    const v3 = readJson<Obj>(join(PUBLIC, 'demisto-content-qradar-v3/ariel_search_create.json'));
    const v2 = readJson<Obj>(join(PUBLIC, 'demisto-content-qradar-v2/ariel_search_create.json'));
    assert.equal(isNewSearch(201, v3), true);
    assert.equal(isNewSearch(201, v2), true);
    assert.equal(isNewSearch(200, v3), false);
    assert.equal(isNewSearch(201, SAMPLE_STATUS), false, 'a COMPLETED search');
    assert.equal(isNewSearch(201, { ...v3, save_results: true }), false);
    assert.equal(isNewSearch(201, { ...v2, progress: 5 }), false);
    assert.equal(isNewSearch(201, { ...v2, processed_record_count: 10 }), false);
    assert.equal(isNewSearch(201, { ...v3, status: 'SORTING' }), false);
    assert.equal(isNewSearch(201, null), false);
  });

  test('a console that stalls on the DELETE: the results come back after cleanupTimeoutMs, the search is named in a warning', async () => {
    reset();
    server.switches.deleteStalls = true;
    const c = new QRadarClient({ consoleUrl: server.url, token: TOKEN, maxRetries: 2, backoffBaseMs: 1, timeoutMs: 30_000 });
    const notes: string[] = [];
    const t0 = Date.now();
    const run = await runArielSearch(c, AQL, { pollMs: 1, cleanupTimeoutMs: 300, onCleanupFailed: (m) => notes.push(m) });
    const ms = Date.now() - t0;
    c.close();
    assert.equal(run.rows.length, 3);
    // waited for the console up to cleanupTimeoutMs (a lower bound a loaded machine cannot break); that the wait ended
    // there, not at the request timeout (30 s), is what the note says
    assert.ok(ms >= 280, `took ${ms} ms`);
    assert.deepEqual(notes, [`the Ariel search ${run.search.search_id} could not be deleted from the console (no answer within 300 ms); QRadar removes it when its results expire`]);
    server.searches.delete(run.search.search_id);
  });

  test('a DELETE refused with the token echoed: results kept, the warning is redacted; on a cancel the search is cancelled instead', async () => {
    reset();
    server.switches.deleteStatus = 500;
    server.switches.echoToken = true;
    const c = client();
    const notes: string[] = [];
    const run = await runArielSearch(c, AQL, { pollMs: 1, onCleanupFailed: (m) => notes.push(m) });
    assert.equal(run.rows.length, 3);
    assert.equal(notes.length, 1);
    assert.equal(notes[0].includes(TOKEN), false);
    assert.match(notes[0], /^the Ariel search [0-9a-f-]{36} could not be deleted from the console \(QRadar answered 500 to DELETE \/api\/ariel\/searches\/[0-9a-f-]{36}: An error occurred during the attempt to delete the search \(token \[redacted\]\)\. \(code 1020\)\); QRadar removes it when its results expire$/);
    assert.equal(deletes().length, 3, 'a 500 is retried like any idempotent request (maxRetries 2)');
    server.searches.delete(run.search.search_id);
    // cancelled, DELETE refused (403): the running search is cancelled in the time left; the error stays the cancel
    reset();
    server.switches.deleteStatus = 403;
    server.switches.arielPolls = 1000;
    const ac = new AbortController();
    const ids: string[] = [];
    const notes2: string[] = [];
    // cancelled once the search runs (its first poll answered), not by a timer that may beat the create request
    await assert.rejects(
      runArielSearch(c, AQL, { pollMs: 5, maxPollMs: 5, signal: ac.signal, onStatus: (st) => ids.push(st.search_id) === 2 && ac.abort(), onCleanupFailed: (m) => notes2.push(m) }),
      (e: QRadarApiError) => e.kind === 'cancelled',
    );
    c.close();
    assert.equal(server.searches.get(ids[0])?.status, 'CANCELED');
    assert.equal(cancels(), 1);
    assert.match(notes2[0], /could not be deleted from the console \(QRadar answered 403 to DELETE/);
    server.searches.delete(ids[0]);
  });

  test('soc-analytics qradar-count deletes its search; a failed deletion is a warning on stderr (exit 0, no token)', async () => {
    reset();
    const err: string[] = [];
    const out: string[] = [];
    const io = { stdout: (x: string) => out.push(x), stderr: (x: string) => err.push(x), env: { QRADAR_TOKEN: TOKEN }, clientOverrides: { maxRetries: 1, backoffBaseMs: 1, pollMs: 1 } };
    const file = join(tmp(), 'c.ariel-counts.json');
    const args = ['qradar-count', '--url', server.url, '--from', '1772540000000', '--to', '1772620000000', '--group', 'event-name', '--offense', '4102', '--limit', '3', '--out', file];
    assert.equal(await main(args, io), 0, err.join(''));
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { search: { search_id: string } };
    assert.deepEqual(deletes(), [saved.search.search_id]);
    assert.equal(err.join(''), '');
    server.switches.deleteStatus = 500;
    server.switches.echoToken = true;
    err.length = 0;
    assert.equal(await main(args, io), 0, err.join(''));
    const again = JSON.parse(readFileSync(file, 'utf8')) as { search: { search_id: string } };
    assert.match(err.join(''), new RegExp(`^soc-analytics qradar-count: warning: the Ariel search ${again.search.search_id} could not be deleted from the console \\(QRadar answered 500 .*\\[redacted\\].*\\); QRadar removes it when its results expire\\n$`));
    assert.equal(err.join('').includes(TOKEN), false);
    server.searches.delete(again.search.search_id);
  });
});

describe('soc-analytics qradar-fetch / qradar-count', () => {
  let server: MockServer;
  before(async () => {
    server = await startSampleMock(() => SAMPLE_ROWS);
  });
  after(() => server.close());
  function capture(env: Record<string, string | undefined> = { QRADAR_TOKEN: TOKEN }) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIO & { env: typeof env; clientOverrides: { maxRetries: number; backoffBaseMs: number; pollMs: number } } = {
      stdout: (s) => out.push(s),
      stderr: (s) => err.push(s),
      env,
      clientOverrides: { maxRetries: 1, backoffBaseMs: 1, pollMs: 1 },
    };
    return { io, out: () => out.join(''), err: () => err.join('') };
  }

  test('fetch the sample offenses to a file; --verbose logs URLs and statuses, never the token', async () => {
    const dir = tmp();
    const out = join(dir, 'march.json');
    const c = capture();
    const code = await main(['qradar-fetch', '--url', server.url, '--from', '2026-03-02', '--to', '2026-03-09T00:00Z', '--out', out, '--status', 'open,closed', '--verbose'], c.io);
    assert.equal(code, 0, c.err());
    assert.match(c.out(), /^5 offenses written to .*march\.json \(complete; closingReasons 6, offenseTypes 4, rules 0, sourceAddresses 5, localDestinationAddresses 8\)\n$/);
    assert.deepEqual((JSON.parse(readFileSync(out, 'utf8')) as Obj[]).map((o) => o.id), [4101, 4102, 4103, 4105, 4106]);
    assert.ok(existsSync(join(dir, 'march.manifest.json')));
    assert.match(c.err(), /GET http:\/\/127\.0\.0\.1:\d+\/api\/siem\/offenses\?fields=id%2Cdescription.*&filter=start_time%20%3E%3D%201772409600000%20and%20start_time%20%3C%201773014400000%20and%20\(status%3DOPEN%20or%20status%3DCLOSED\)&sort=%2Bid → 200 \[items 0-4\/5\]/);
    assert.equal((c.err() + c.out() + readFileSync(join(dir, 'march.manifest.json'), 'utf8')).includes(TOKEN), false);
  });

  test('each command\'s --help explains every option it takes (exit 0, stdout)', async () => {
    const opts = {
      'qradar-fetch': ['--url', '--from', '--to', '--out', '--status', '--time-field', '--page-size', '--fields', '--resume', '--api-version', '--ca', '--insecure', '--timeout', '--verbose'],
      'qradar-count': ['--url', '--from', '--to', '--group', '--out', '--offense', '--limit', '--json', '--api-version', '--ca', '--insecure', '--timeout', '--verbose'],
    };
    for (const [cmd, names] of Object.entries(opts)) {
      const c = capture({});
      assert.equal(await main([cmd, '--help'], c.io), 0);
      assert.equal(c.err(), '');
      // every option starts a line of the option list (or is in the shared "as for qradar-fetch" line)
      for (const n of names) assert.match(c.out(), new RegExp(`\\n  (--[a-z-]+( [A-Z,…]+)?, )*${n}\\b`), `${cmd} ${n}`);
      assert.match(c.out(), /QRADAR_TOKEN/);
    }
  });

  test('the CLI with its own client defaults (no test overrides) fetches and counts', async () => {
    // The CLI passed `maxRetries: undefined` and the client spread it over its default: no request was
    // made and every fetch ended in "request failed" (found by a README trial; the tests set overrides).
    const dir = tmp();
    const out = join(dir, 'defaults.json');
    const err: string[] = [];
    const stdout: string[] = [];
    const io: CliIO & { env: Record<string, string> } = { stdout: (s) => stdout.push(s), stderr: (s) => err.push(s), env: { QRADAR_TOKEN: TOKEN } };
    assert.equal(await main(['qradar-fetch', '--url', server.url, '--from', '2026-03-02', '--to', '2026-03-09T00:00Z', '--out', out, '--status', 'open,closed'], io), 0, err.join(''));
    assert.deepEqual((JSON.parse(readFileSync(out, 'utf8')) as Obj[]).map((o) => o.id), [4101, 4102, 4103, 4105, 4106]);
    const counts = join(dir, 'c.ariel-counts.json');
    assert.equal(await main(['qradar-count', '--url', server.url, '--from', '1772540000000', '--to', '1772620000000', '--group', 'event-name', '--offense', '4102', '--limit', '3', '--out', counts], io), 0, err.join(''));
    assert.equal(arielTotal(await readArielCounts([counts])), 37);
  });

  test('a console that refuses the connection: the cause is named at once, and nothing is written', async () => {
    const { createServer } = await import('node:net');
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r())); // nothing listens there now
    const c = capture();
    const dir = tmp();
    const out = join(dir, 'r.json');
    assert.equal(await main(['qradar-fetch', '--url', `http://127.0.0.1:${port}`, '--from', '2026-03-02', '--to', '2026-03-09', '--out', out, '--verbose'], c.io), 4); // the console unreachable: exit 4, not 1 (unexpected failure)
    assert.match(c.err(), new RegExp(`Cannot connect to QRadar at 127\\.0\\.0\\.1:${port}: the connection was refused .*\\(ECONNREFUSED\\); check the console URL \\(host and port\\) — not retried\n`));
    assert.doesNotMatch(c.err(), /request failed/);
    // the console was never reached: one request (not 1 + the retries)
    assert.equal(c.err().split('\n').filter((l) => l.startsWith('GET ')).length, 1, c.err());
    // not a single page: no offenses file, no manifest (nothing to resume), and the message says so
    assert.deepEqual(readdirSync(dir), []);
    assert.ok(c.err().includes(`Nothing was fetched, so nothing was written (no ${out}, no manifest); run the same command again once that is fixed.\n`), c.err());
    assert.doesNotMatch(c.err(), /0 offenses kept|--resume/);
    // the same command against the real console then fetches
    const r = capture();
    assert.equal(await main(['qradar-fetch', '--url', server.url, '--from', '2026-03-02', '--to', '2026-03-09', '--out', out], r.io), 0, r.err());
    assert.match(r.out(), /^\d+ offenses written/);
  });

  test('exit 2 on bad arguments or a missing token; exit 4 with the server message on 401', async () => {
    let c = capture({});
    assert.equal(await main(['qradar-fetch', '--url', server.url, '--from', '-7d', '--to', 'now', '--out', join(tmp(), 'x.json')], c.io), 2);
    assert.match(c.err(), /QRADAR_TOKEN/);
    c = capture();
    assert.equal(await main(['qradar-fetch', '--url', server.url, '--from', 'yesterday', '--to', 'now', '--out', 'x.json'], c.io), 2);
    assert.match(c.err(), /--from: not a time: yesterday/);
    c = capture();
    assert.equal(await main(['qradar-fetch', '--url', 'http://qradar.corp.example', '--from', '-1d', '--to', 'now', '--out', 'x.json'], c.io), 2);
    assert.match(c.err(), /must use https/);
    c = capture();
    assert.equal(await main(['qradar-count', '--url', server.url, '--from', '-1d', '--to', 'now', '--out', 'x.json', '--group', 'weekday'], c.io), 2);
    c = capture({ QRADAR_TOKEN: 'not-the-token' });
    const dir = tmp();
    assert.equal(await main(['qradar-fetch', '--url', server.url, '--from', '2026-03-02', '--to', '2026-03-09', '--out', join(dir, 'o.json')], c.io), 4);
    assert.match(c.err(), /QRadar answered 401 to GET \/api\/siem\/offenses: The provided authorization token is not valid\. \(code 18\)\nNothing was fetched, so nothing was written \(no .*o\.json, no manifest\); run the same command again once that is fixed\.\n/);
    assert.deepEqual(readdirSync(dir), []);
    // a partial fetch that holds no offense (the listing answered, then the closing reasons failed) is the empty list
    // `[]` and its manifest; resume starts it again and completes
    server.setOffenses([]);
    server.switches.conflict = ['/siem/offense_closing_reasons'];
    c = capture();
    assert.equal(await main(['qradar-fetch', '--url', server.url, '--from', '2026-03-02', '--to', '2026-03-09', '--out', join(dir, 'o.json')], c.io), 4, c.err());
    server.switches.conflict = [];
    server.setOffenses(readJson<Obj[]>(join(SAMPLES, 'offenses.json')));
    assert.match(c.err(), /No offense was fetched: .*o\.json holds an empty list \(\[\]\); the query is kept in .*o\.manifest\.json \(partial\)\. Retry with: soc-analytics qradar-fetch --url .* --resume/);
    assert.equal(readFileSync(join(dir, 'o.json'), 'utf8'), '[]\n');
    c = capture();
    assert.equal(await main(['qradar-fetch', '--url', server.url, '--out', join(dir, 'o.json'), '--resume'], c.io), 0, c.err());
    assert.match(c.out(), /^6 offenses written/);
    assert.deepEqual((JSON.parse(readFileSync(join(dir, 'o.json'), 'utf8')) as Obj[]).map((o) => o.id), [4101, 4102, 4103, 4104, 4105, 4106]);
  });

  test('resume refusals are usage errors (exit 2), before any request: nothing to resume, already complete, a fetch already there, --resume with a window', async () => {
    const dir = tmp();
    const out = join(dir, 'o.json');
    let c = capture();
    assert.equal(await main(['qradar-fetch', '--url', server.url, '--from', '2026-03-02', '--to', '2026-03-09', '--out', out], c.io), 0, c.err());
    const before = server.requests.length;
    const refused = async (args: string[], message: RegExp) => {
      c = capture();
      assert.equal(await main(['qradar-fetch', '--url', server.url, ...args], c.io), 2, `${args.join(' ')}: ${c.err()}`);
      assert.match(c.err(), message);
      assert.equal(c.out(), '');
    };
    await refused(['--out', join(dir, 'other.json'), '--resume'], /^soc-analytics qradar-fetch: No fetch manifest at .*other\.manifest\.json: nothing to resume\n$/);
    await refused(['--out', out, '--resume'], /^soc-analytics qradar-fetch: This fetch is already complete; start a new fetch instead\n$/);
    await refused(['--from', '2026-03-02', '--to', '2026-03-09', '--out', out], /^soc-analytics qradar-fetch: A fetch already exists at .*o\.manifest\.json; resume it or choose another file\n$/);
    await refused(['--out', out, '--resume', '--from', '-7d', '--status', 'OPEN'], /^soc-analytics qradar-fetch: --resume continues the fetch recorded in the manifest, with its window and filters: leave out --from, --status\n/);
    assert.equal(server.requests.length, before, 'no request was made');
    // a damaged manifest (cut short) is a damaged fetch, exit 1, not "nothing to resume" (hostile review)
    const manifest = join(dir, 'o.manifest.json');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').slice(0, 40));
    c = capture();
    assert.equal(await main(['qradar-fetch', '--url', server.url, '--out', out, '--resume'], c.io), 1, c.err());
    assert.match(c.err(), /^soc-analytics qradar-fetch: The fetch manifest at .*o\.manifest\.json is damaged \(not a readable fetch manifest\): this fetch cannot be resumed; move the manifest and the offenses file away to start a new fetch\n$/);
    assert.equal(server.requests.length, before, 'no request was made');
  });

  test('--verbose: an error answer is logged with its status, QRadar code and message, a retried 500 too', async () => {
    server.switches.forbid = ['/siem/offenses'];
    const c = capture();
    try {
      assert.equal(await main(['qradar-fetch', '--url', server.url, '--from', '2026-03-02', '--to', '2026-03-09', '--out', join(tmp(), 'o.json'), '--verbose'], c.io), 4);
    } finally {
      server.switches.forbid = [];
    }
    // the status once: `→ HTTP 403 (code 26): …`, not `→ 403 5 ms — HTTP 403 (code 26): …`
    assert.match(c.err(), /^GET http:\/\/127\.0\.0\.1:\d+\/api\/siem\/offenses\?\S+ → HTTP 403 \(code 26\): User has insufficient capabilities to access this endpoint resource \(\d+ ms\)\n/m);
    assert.doesNotMatch(c.err(), /→ 403/);
    server.switches.fail500Next = 1;
    const r = capture();
    try {
      assert.equal(await main(['qradar-fetch', '--url', server.url, '--from', '2026-03-02', '--to', '2026-03-09', '--out', join(tmp(), 'o.json'), '--verbose'], r.io), 0, r.err());
    } finally {
      server.switches.fail500Next = 0;
    }
    assert.match(r.err(), / → HTTP 500 \(code 1020\): An error occurred while attempting to retrieve offenses\. \(\d+ ms, retry in \d+ ms\)\n/);
  });

  test('--out in a folder that does not exist: exit 2 naming the folder, before any request (fetch, resume and count)', async () => {
    const missing = join(tmp(), 'no-such-folder');
    const before = server.requests.length;
    const runs = [
      ['qradar-fetch', '--url', server.url, '--from', '2026-03-02', '--to', '2026-03-09', '--out', join(missing, 'x.json')],
      ['qradar-fetch', '--url', server.url, '--out', join(missing, 'x.json'), '--resume'],
      ['qradar-count', '--url', server.url, '--from', '-1d', '--to', 'now', '--group', 'day', '--out', join(missing, 'c.json')],
    ];
    for (const args of runs) {
      const c = capture();
      assert.equal(await main(args, c.io), 2, args.join(' '));
      assert.equal(c.err(), `soc-analytics ${args[0]}: --out ${args[args.indexOf('--out') + 1]}: the folder ${missing} does not exist\nTry "soc-analytics ${args[0]} --help".\n`);
      assert.equal(c.out(), '');
    }
    assert.equal(server.requests.length, before, 'no request was made');
    assert.equal(existsSync(missing), false);
    // --out naming a folder
    const c = capture();
    assert.equal(await main(['qradar-fetch', '--url', server.url, '--from', '-1d', '--to', 'now', '--out', tmp()], c.io), 2);
    assert.match(c.err(), /--out .*: is a folder; give a file name/);
  });

  test('qradar-count writes the count file and prints the groups', async () => {
    const out = join(tmp(), 'c.ariel-counts.json');
    const c = capture();
    assert.equal(await main(['qradar-count', '--url', server.url, '--from', '1772540000000', '--to', '1772620000000', '--group', 'event-name', '--offense', '4102', '--limit', '3', '--out', out], c.io), 0, c.err());
    assert.equal(c.out(), `3 groups written to ${out}\nFailure Audit: An account failed to log on\t34\nMultiple Login Failures for the Same User\t2\nSuccess Audit: An account was successfully logged on\t1\n`);
    const f = JSON.parse(readFileSync(out, 'utf8')) as Obj;
    assert.equal(f.format, 'soc-analytics/qradar-ariel-count');
    assert.equal(f.offenseId, 4102);
    assert.equal(arielTotal(await readArielCounts([out])), 37);
  });

  test('--insecure warns on every run', async () => {
    const c = capture();
    assert.equal(await main(['qradar-count', '--url', server.url, '--from', '-1d', '--to', 'now', '--group', 'day', '--insecure', '--out', join(tmp(), 'd.json')], c.io), 0, c.err());
    assert.match(c.err(), /^soc-analytics qradar-count: WARNING: TLS certificate verification is OFF \(--insecure\)/);
  });
});
