/**
 * The one way the product writes a share or rate as a percentage (CLI, dashboards, Markdown / HTML reports, the
 * Results view): the percent sign right after the number, no space, and one decimal only where it is needed —
 * `100%`, `50%`, `28.6%` (2 of 7), `0.4%`. Pure (no vscode).
 */

/**
 * A 0..1 ratio as a percentage: rounded to `digits` decimals (default 1), trailing zeros dropped, `%` with no space
 * (`formatPercent(2 / 7)` → `28.6%`, `formatPercent(1)` → `100%`, `formatPercent(0.5)` → `50%`,
 * `formatPercent(0.12345, 2)` → `12.35%`). `na` (default `–`) for undefined, NaN or ±Infinity (no rate: nothing to
 * divide by).
 */
export function formatPercent(ratio: number | undefined, digits = 1, na = '–'): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return na;
  const f = 10 ** digits;
  const v = Math.round(ratio * 100 * f) / f;
  return `${Object.is(v, -0) ? 0 : v}%`;
}
