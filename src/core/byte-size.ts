/**
 * File sizes as people read them, for messages about inputs (a file too large to read): binary (IEC) units as the
 * limits are set (`512 MiB` is 512 × 2^20 bytes), one decimal, none when it is `.0`. Pure (no vscode).
 */

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/**
 * `n` bytes as `1.6 GiB`, `512 MiB`, `1 KiB`, `900 bytes` (`1 byte`): the largest IEC unit (KiB = 1024 bytes, MiB =
 * 2^20, GiB = 2^30, TiB, PiB) in which the value, rounded to one decimal, is at least 1 and below 1024 (1,073,689,395
 * bytes is `1 GiB`, not `1024 MiB`); the decimal is left out when it is 0. Under 1024 bytes: `N bytes` (`1 byte`).
 * Not a finite number ≥ 0: `<String(n)> bytes`.
 * Example: 1,761,601,700 → `1.6 GiB`; 536,870,912 → `512 MiB`.
 */
export function bytesText(n: number): string {
  if (!Number.isFinite(n) || n < 0) return `${String(n)} bytes`;
  if (n < 1024) return `${Math.round(n)} byte${Math.round(n) === 1 ? '' : 's'}`;
  let v = n / 1024;
  let u = 0;
  // the unit in which the rounded value stays below 1024 (1023.96 MiB rounds to 1024.0: that is 1 GiB)
  while (u < UNITS.length - 1 && Math.round(v * 10) / 10 >= 1024) {
    v /= 1024;
    u++;
  }
  const r = Math.round(v * 10) / 10;
  return `${Number.isInteger(r) ? r.toFixed(0) : r.toFixed(1)} ${UNITS[u]}`;
}
