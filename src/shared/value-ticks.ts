/**
 * Labels of a chart's value axis (counts). New-user trial: on a dashboard of 1,600,002 findings the level chart's axis
 * read "1,000,0001,500,0002,000,000" — nine-character tick labels side by side on a 250 px axis. Counts from 100,000
 * up are written short (`500K`, `1.5M`, `2M`; Intl's compact notation, en-US as the rest of the dashboards'
 * counts); smaller ones keep their thousands separators (`5,000`). Tooltips and tables still give the full count.
 */
const COMPACT = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 });
const FULL = new Intl.NumberFormat('en-US', { maximumFractionDigits: 20 });

/** The tick label of count `v` (any finite number; NaN and ±Infinity as Intl writes them). */
export function valueTickLabel(v: number): string {
  return Math.abs(v) >= 100_000 ? COMPACT.format(v) : FULL.format(v);
}
