/**
 * The *Files read* tabs (Loki, QRadar, beacons) name each file below the folder the files share, its whole path in
 * the cell's tooltip and its folder in a last column (new-user trial, QRadar: whole paths pushed the file names out of
 * view), and QRadar's Kind and Format columns say in words what the parser calls `closingReasons` and `json-array`.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { filesReadColumns } from '../../src/core/analyze/dashboard-kit';
import { QRADAR_FILE_KIND_LABEL, qradarFormatLabel } from '../../src/core/analyze/qradar-dashboard';

describe('filesReadColumns', () => {
  it('files of one folder: their names, the folder last, the whole path as the tooltip', () => {
    const c = filesReadColumns(['/ws/qradar/offenses.json', '/ws/qradar/offense_types.json']);
    assert.deepEqual(c.names, ['offenses.json', 'offense_types.json']);
    assert.deepEqual(c.folders, ['/ws/qradar', '/ws/qradar']);
    assert.deepEqual(c.titles, ['/ws/qradar/offenses.json', '/ws/qradar/offense_types.json']);
    assert.deepEqual([c.file.id, c.file.title, c.folder.id, c.folder.title], ['file', 'File', 'folder', 'Folder']);
    assert.match(c.file.description ?? '', /below \/ws\/qradar, the folder the files share/);
  });
  it('files in sub-folders: the path below the shared folder tells them apart (two loki.log)', () => {
    const c = filesReadColumns(['/cases/loki/hostA/loki.log', '/cases/loki/hostB/loki.log']);
    assert.deepEqual(c.names, ['hostA/loki.log', 'hostB/loki.log']);
    assert.deepEqual(c.folders, ['/cases/loki/hostA', '/cases/loki/hostB']);
  });
  it('a note without a file ("—") stays as it is, with no folder, and does not change the others\' names', () => {
    const c = filesReadColumns(['/ws/q/offenses.json', '—', '/ws/q/sub/linked.json']);
    assert.deepEqual(c.names, ['offenses.json', '—', 'sub/linked.json']);
    assert.deepEqual(c.folders, ['/ws/q', null, '/ws/q/sub']);
    assert.deepEqual(c.titles, ['/ws/q/offenses.json', null, '/ws/q/sub/linked.json']);
  });
  it('Windows paths: named below the shared folder; a file at the drive root keeps its root as folder', () => {
    const c = filesReadColumns(['C:\\ev\\zeek\\conn.log', 'C:\\ev\\zeek\\day2\\conn.log']);
    assert.deepEqual(c.names, ['conn.log', 'day2/conn.log']);
    assert.deepEqual(c.folders, ['C:\\ev\\zeek', 'C:\\ev\\zeek\\day2']);
    assert.deepEqual(filesReadColumns(['C:\\x.log']).folders, ['C:\\']);
    assert.deepEqual(filesReadColumns(['/x.log']).folders, ['/']);
  });
});

describe('QRadar Files read: Kind and Format in words', () => {
  it('kinds', () => {
    assert.deepEqual(QRADAR_FILE_KIND_LABEL, {
      offenses: 'Offenses',
      closingReasons: 'Closing reasons list',
      offenseTypes: 'Offense types list',
      rules: 'Rules list',
      events: 'Exported events',
      unrecognised: 'Not recognised',
    });
  });
  it('formats; a shape not known is shown as it is', () => {
    assert.equal(qradarFormatLabel('json-array'), 'JSON array (API answer)');
    assert.equal(qradarFormatLabel('ndjson'), 'JSON lines (one record a line)');
    assert.equal(qradarFormatLabel('wrapped:offenses'), 'JSON object, its “offenses” array');
    assert.equal(qradarFormatLabel('csv-display-names'), 'CSV (column names as shown)');
    assert.equal(qradarFormatLabel('csv-internal-names'), 'CSV (internal column names)');
    assert.equal(qradarFormatLabel('csv-mixed'), 'CSV (shown and internal column names)');
    assert.equal(qradarFormatLabel('something-new'), 'something-new');
  });
});

describe('beacon Files read: Format and Used as in words', () => {
  it('the real Zeek day: Zeek TSV, read as connections (not zeek-tsv / conn)', async () => {
    const path = await import('node:path');
    const { runBeaconAnalysisRows } = await import('../../src/core/analyze/beacons/run');
    const { buildBeaconDashboard } = await import('../../src/core/analyze/beacons/dashboard');
    const DAY = path.resolve(__dirname, '../../../../shared/data/zeek/day-2024-04-19');
    const a = await runBeaconAnalysisRows([DAY], { parseWorkers: 0, internalSubnets: ['64.225.56.0/24'] } as never);
    const t = buildBeaconDashboard(a as never, 'day', 'UTC').tables.find((x) => x.id === 'inputs')!;
    assert.equal(t.rows.length, 24);
    assert.deepEqual(t.rows[0].slice(0, 4), ['conn.00:00:00-01:00:00.log.gz', 'Zeek TSV', 'conn', 'connections']);
    assert.equal(t.rows[0].at(-1), DAY);
  });
});
