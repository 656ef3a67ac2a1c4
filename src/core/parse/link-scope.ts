/**
 * The one rule every folder discovery (Loki `discoverLokiFiles`, beacons and KPI `discoverInputs`) applies to a
 * symbolic link met while walking a folder: it is followed only when its real path lies inside one of the roots the
 * user named (the files and folders given on the command line or picked in the extension). Evidence folders are
 * attacker-controlled (an extracted archive can carry a link to `/proc`, `/etc` or the analyst's home folder), so a
 * link pointing elsewhere is skipped with the reason, never entered or read. A path the user names is always read.
 * Pure Node (no vscode).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

/**
 * Real paths (`fs.realpath`) of the roots of an analysis: each path given, resolved against the working folder.
 * A path that cannot be resolved (missing, unreadable) is left out (its error is reported by the discovery).
 */
export async function analysedRoots(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    try {
      out.push(await fsp.realpath(path.resolve(p)));
    } catch {
      /* reported by the discovery */
    }
  }
  return out;
}

/**
 * True when real path `real` is one of `roots` or lies below one of them (with a path-separator boundary:
 * `/ev-other` is not inside `/ev`). Both sides must be real paths ({@link analysedRoots}, `fs.realpath`).
 */
export function insideRoots(real: string, roots: readonly string[]): boolean {
  for (const r of roots) if (isInside(real, r)) return true;
  return false;
}

/** True when real path `real` is `root` or lies below it, with a path-separator boundary (`/ev-other` is not in `/ev`). */
export function isInside(real: string, root: string): boolean {
  return real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * Why a symbolic link found while walking a folder is not followed: its real path `target` is outside the roots
 * analyzed. Example: `symbolic link to a folder outside the folders analyzed (/proc), not entered — name it directly
 * to analyze it`.
 */
export function outsideRootsReason(kind: 'folder' | 'file', target: string): string {
  return kind === 'folder'
    ? `symbolic link to a folder outside the folders analyzed (${target}), not entered — name it directly to analyze it`
    : `symbolic link to a file outside the folders analyzed (${target}), not read — name it directly to analyze it`;
}

/** Reason of a symbolic link that loops on itself (or through other links: `fs.stat` fails with ELOOP). */
export const LINK_LOOP_REASON = 'symbolic link loop';

/**
 * Why a symbolic link to a folder is not entered: its real path `target` is the folder the link sits in or one above
 * it (a loop). Example: `symbolic link to a folder, not entered (a loop: it points to /data)`.
 */
export function folderLoopReason(target: string): string {
  return `symbolic link to a folder, not entered (a loop: it points to ${target})`;
}

/** Why a symbolic link to a folder is not entered: real folder `target` was read already (by its own path or another link). */
export function folderAlreadyReadReason(target: string): string {
  return `symbolic link to a folder already read (${target})`;
}

/**
 * Why a path is not read: it reaches a real file already listed under path `listed` (each real file is read once,
 * listed under the path it was found by first — the entries of a folder before the symbolic links in it).
 * Example: `same file as /ev/conn.log (already listed)`.
 */
export function sameFileReason(listed: string): string {
  return `same file as ${listed} (already listed)`;
}
