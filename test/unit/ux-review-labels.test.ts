/**
 * Dashboard labels and formats (UI review of the dashboards, 2026-12-04), on the real data in shared/data and the
 * fixtures: counts with thousands separators, one duration format, capitalised severities, the escalated-reason
 * fragments said as what they match, no dead "Reveal in log" for a beacon pair, the beacon detail's bytes label.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { buildQRadarDashboard, qradarContext, qradarEventColumns, qradarOffenseColumns, qradarOffenseDetail } from '../../src/core/analyze/qradar-dashboard';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS } from '../../src/core/analyze/qradar-summary';
import { cellText, exportValue, TableStore } from '../../src/core/table/store';

const SHARED = path.resolve(__dirname, '../../../../shared/data');
const SAMPLES = path.join(SHARED, 'qradar/samples');
const qsettings = { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 };

describe('#1 QRadar: the Events column with thousands separators, sorted as numbers (shared/data/qradar/samples/offenses.json)', () => {
  it('Events shows 9,804 / 5,126 / 1,843; sorts numerically; exports the number; the detail pane groups it too', async () => {
    const parsed = await runQRadarRead([path.join(SAMPLES, 'offenses.json')], { consoleTimeZone: 'UTC' });
    const cols = qradarOffenseColumns(qradarContext(parsed, qsettings));
    const events = cols.find((c) => c.id === 'eventCount')!;
    const store = new TableStore(parsed.offenses, cols);
    const top = store.window({ sort: { column: 'eventCount', dir: 'desc' } }, 0, 3);
    const at = cols.findIndex((c) => c.id === 'eventCount');
    assert.deepEqual(top.rows.map((r) => r[at]), ['9,804', '5,126', '1,843']);
    const big = parsed.offenses.find((o) => o.eventCount === 9804)!;
    assert.equal(cellText(events, big), '9,804');
    assert.equal(exportValue(events, big), 9804);
    // a plain-number filter still finds the grouped cell
    assert.equal(store.count({ columnFilters: { eventCount: '9804' } }), 1);
    const d = qradarOffenseDetail(big, 0, qradarContext(parsed, qsettings));
    assert.equal(d.fields.find((f) => f.label === 'Events')!.value, '9,804');
    // (the events table of a Log Activity export groups its Event count the same way)
    const ev = qradarEventColumns('UTC').find((c) => c.id === 'eventCount')!;
    assert.equal(ev.exportRaw, true);
    assert.equal(ev.format!({ eventCount: 12_345 } as never), '12,345');
    // the model still says the column is a number column (right-aligned, numeric sort)
    assert.equal(buildQRadarDashboard(parsed, 'q', qsettings).model.columns.find((c) => c.id === 'eventCount')!.type, 'number');
  });
});
