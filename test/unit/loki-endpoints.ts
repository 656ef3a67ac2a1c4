/** Generated Loki endpoint files for tests, from the real results in shared/data. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REAL_LOKI = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');

/**
 * Writes `count` endpoint files `h<i>.csv` into `dir` (made if missing) from the real CSV results: hosts renamed
 * (`HOST-<i % 37>`: two scans of some hosts in different files), every fourth file with CRLF → LF, every fifth with a
 * broken record (`SCORE: x`).
 */
export function writeEndpoints(dir: string, count = 40): void {
  fs.mkdirSync(dir, { recursive: true });
  const real = fs.readdirSync(REAL_LOKI).filter((f) => f.endsWith('.csv')).map((f) => fs.readFileSync(path.join(REAL_LOKI, f), 'latin1'));
  for (let i = 0; i < count; i++) {
    let text = real[i % real.length].replace(/(\d{8}T[\d:]{8}Z,)([^,]+),/g, `$1HOST-${i % 37},`);
    if (i % 4 === 1) text = text.replace(/\r\n/g, '\n');
    if (i % 5 === 2) text = text.replace(/SCORE: \d+/, 'SCORE: x');
    fs.writeFileSync(path.join(dir, `h${i}.csv`), Buffer.from(text, 'latin1'));
  }
}
