/**
 * The case files under the paths of a KPI run (`soc-analytics kpi <file|folder…>`, the extension's *Analyze Cases*
 * on a folder). Pure Node (no vscode).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { ParseError } from '../model/common';
import { discoverInputs } from './zeek';

/** Extensions of case exports read inside folders (lower case, no dot); a file named explicitly is always read. */
export const CASE_EXTENSIONS: ReadonlySet<string> = new Set(['csv', 'tsv', 'json', 'jsonl', 'ndjson']);

/** Compressed files and archives: never read as case exports (extract them first). */
const ARCHIVE_EXTENSIONS: ReadonlySet<string> = new Set(['zip', 'gz', 'tgz', '7z', 'rar', 'tar', 'bz2', 'xz', 'zst']);

/**
 * Why a compressed file or archive (by its extension `ext`, lower case without the dot, one of the archive endings:
 * `gz`, `zip`, `7z`…) is not read as cases: `compressed file (.gz): extract the case export first`; undefined for
 * another extension. The reason of such a file found in a folder, and of one named whose first bytes are compressed.
 */
export function compressedCaseFileReason(ext: string): string | undefined {
  return ARCHIVE_EXTENSIONS.has(ext) ? `compressed file (.${ext}): extract the case export first` : undefined;
}

/** A file left out of a KPI run, with the reason (as the beacon analysis's `skipped`). */
export interface SkippedFile {
  file: string;
  reason: string;
}

/** What {@link discoverCaseFiles} found. */
export interface DiscoveredCaseFiles {
  /** Files to read, in the order given; each folder's files sorted by path after it. */
  files: string[];
  /** The subset of `files` found inside a folder (not named): read only when they look like case exports. */
  inFolder: Set<string>;
  /** Folder entries not read: other extensions, archives, hidden and tool folders, a file already listed. */
  skipped: SkippedFile[];
  /** Unreadable paths (line 0). */
  errors: ParseError[];
}

/** Reason of a path given or found twice (a folder and a file inside it, in either order): it is read once. */
export const ALREADY_LISTED = 'already listed (read once: the same file was named and found in a folder given, or given twice)';

/**
 * Expands folders among `paths` into the case files inside them (recursive, through `discoverInputs` of the
 * beacon analysis: hidden entries, `node_modules`, `soc-exports`, `soc-reports` not entered). Inside folders only
 * {@link CASE_EXTENSIONS} files are kept; others are `skipped` with the reason (`.zip`, `.gz`…: "compressed file:
 * extract the case export first"). A file named in `paths` is kept whatever its extension, at its place, as before.
 * Every folder entry not read is `skipped` with the reason (`discoverInputs`' `reportNotRead`): a FIFO, socket or
 * device (or a link to one), a symbolic link loop, a symbolic link to a folder above it or already read, a symbolic
 * link (to a folder or a file) outside the paths named (`symbolic link to a folder outside the folders analyzed
 * (/proc), not entered — name it directly to analyze it`). Other symbolic links to folders (inside the paths named)
 * are followed, as the beacon and Loki analyses follow them. Each file is read once, by real path (`fs.realpath`), whatever
 * the order: a file named beside the folder holding it (before or after it) is kept at its first place, its second
 * path `skipped` as {@link ALREADY_LISTED}; a file named is always read (never only `inFolder`).
 * Never throws except on abort.
 */
export async function discoverCaseFiles(paths: string[], signal?: AbortSignal): Promise<DiscoveredCaseFiles> {
  const out: DiscoveredCaseFiles = { files: [], inFolder: new Set(), skipped: [], errors: [] };
  /** Real path → the path it is read by. */
  const listed = new Map<string, string>();
  const real = async (p: string) => fsp.realpath(p).catch(() => p);
  for (const p of paths) {
    const abs = path.resolve(p);
    let isDir = false;
    try {
      isDir = (await fsp.stat(abs)).isDirectory();
    } catch {
      /* a file: its read error is reported by the reader */
    }
    if (!isDir) {
      const r = await real(abs);
      const first = listed.get(r);
      if (first !== undefined) {
        // named after the folder holding it: read once, at its first place, as a file named (always read)
        out.inFolder.delete(first);
        out.skipped.push({ file: abs, reason: ALREADY_LISTED });
        continue;
      }
      out.files.push(abs);
      listed.set(r, abs);
      continue;
    }
    // every path named is a root: a link inside this folder to another folder named is followed
    const d = await discoverInputs([abs], { signal, reportNotRead: true, roots: paths });
    for (const x of d.skipped) out.skipped.push(x);
    for (const x of d.errors) out.errors.push(x);
    for (const f of d.files) {
      const ext = path.extname(f).slice(1).toLowerCase();
      const compressed = compressedCaseFileReason(ext);
      if (compressed) out.skipped.push({ file: f, reason: compressed });
      else if (!CASE_EXTENSIONS.has(ext)) out.skipped.push({ file: f, reason: `not a case export (${ext ? `.${ext}` : 'no extension'}; CSV, TSV, JSON, JSONL and NDJSON are read)` });
      else {
        const r = await real(f);
        if (listed.has(r)) out.skipped.push({ file: f, reason: ALREADY_LISTED });
        else {
          out.files.push(f);
          out.inFolder.add(f);
          listed.set(r, f);
        }
      }
    }
  }
  return out;
}
