/**
 * Writing a KPI report's files (`kpi-report-<yyyyMMddTHHmmssZ>.html` and `.md`) without ever
 * replacing an existing report: two reports generated in the same second get `-2`, `-3`, … Node
 * file system only (no vscode).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { reportFileStamp } from './report';

/** Most suffixes tried before giving up (`-2` … `-999`). */
const MAX_SUFFIX = 999;

/**
 * Writes `docs` (extension with its dot → text) as `<dir>/<prefix>-<stamp><ext>` (stamp:
 * {@link reportFileStamp} of `ms`), creating `dir`. When a file of that name exists (say a report
 * generated earlier in the same second), the next free name `<prefix>-<stamp>-2`, `-3`, … is used for
 * all of them, so the files of one report share their name. Files are created exclusively (`wx`): a
 * concurrent writer is never overwritten either. Resolves to the written paths, in `docs` order.
 */
export async function writeReportFiles(dir: string, ms: number, docs: { ext: string; text: string }[], prefix = 'kpi-report'): Promise<string[]> {
  await fsp.mkdir(dir, { recursive: true });
  const stamp = reportFileStamp(ms);
  for (let n = 1; n <= MAX_SUFFIX; n++) {
    const base = path.join(dir, `${prefix}-${stamp}${n === 1 ? '' : `-${n}`}`);
    const written: string[] = [];
    try {
      for (const d of docs) {
        const file = base + d.ext;
        await fsp.writeFile(file, d.text, { encoding: 'utf8', flag: 'wx' });
        written.push(file);
      }
      return written;
    } catch (e) {
      // remove what this attempt wrote (only files it created), then try the next name
      await Promise.all(written.map((f) => fsp.rm(f, { force: true })));
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new Error(`${prefix}-${stamp}: ${MAX_SUFFIX} reports with this time stamp already exist in ${dir}`);
}
