/**
 * Shared steps of the CLI subcommands (loki, qradar, beacons, tz, kpi, qradar-fetch/-count): a bad
 * argument becomes exit code 2 with a hint, the given paths are resolved and checked before anything
 * is read. Pure Node (no vscode); the messages are part of the CLI's interface (tests read them).
 */
import { accessSync, constants, fstatSync, statSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { cutText, terminalErrorText, terminalSafe } from './text-safe';
import { fsErrorText } from './fs-errors';

export interface ErrOut {
  stderr(s: string): void;
}
export interface SubcommandOut extends ErrOut {
  stdout(s: string): void;
}

/**
 * The exit code of an error thrown while reading the arguments: an `argError` instance → 2 with
 * `<prefix>: <message>\nTry "<hint>".\n` on stderr; anything else is rethrown (the caller's exit 1).
 */
export function argErrorExit(e: unknown, argError: abstract new (...args: never[]) => Error, io: ErrOut, hint: string, prefix = 'soc-analytics'): number {
  if (e instanceof argError) {
    io.stderr(`${prefix}: ${terminalErrorText(e.message)}\nTry "${hint}".\n`);
    return 2;
  }
  throw e;
}

/**
 * Why `p` cannot be read (undefined when it can): missing, not accessible, not readable; with
 * `fileOrFolderOnly`, also a FIFO, socket or device.
 */
export function pathProblem(p: string, fileOrFolderOnly = false): string | undefined {
  try {
    const st = statSync(p);
    if (fileOrFolderOnly && !st.isFile() && !st.isDirectory()) return 'not a regular file or folder (a FIFO, socket or device is never read)';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'no such file or directory' : `cannot access (${code ?? String(e)})`;
  }
  try {
    accessSync(p, constants.R_OK);
  } catch {
    return 'permission denied (not readable)';
  }
  return undefined;
}

/**
 * Why `given` (as typed; resolved here) cannot be written as an output file (undefined when it can
 * be): it ends with a path separator, `.` or `..` (`--out reports/` names a folder: resolving drops
 * the `/`, and a file `reports` was written), its folder does not exist, it is a folder, or it exists and is neither a
 * regular file nor a stream output (a FIFO other than our own stdout: the write waited for a reader for ever; a socket;
 * a block device), or its user may not write it — the existing file, or the folder of a new one (`the folder /var/reports
 * is not writable (permission denied)`, `is not writable (a read-only file system)`). A terminal, /dev/null and
 * /dev/stdout (terminal or pipe) are written. For checking an output option before any work is done.
 */
export function outputFileProblem(given: string): string | undefined {
  const last = given.split(process.platform === 'win32' ? /[\\/]/ : '/').pop();
  if (last === '' || last === '.' || last === '..') return 'names a folder (ends with a path separator, . or ..); give a file name';
  const p = resolve(given);
  const dir = dirname(p);
  let dirOk = false;
  try {
    dirOk = statSync(dir).isDirectory();
  } catch {
    dirOk = false;
  }
  if (!dirOk) return `the folder ${dir} does not exist`;
  let st: Stats | undefined;
  try {
    st = statSync(p);
  } catch {
    st = undefined; // a new file (or a link to none: writing creates its target)
  }
  if (st) {
    if (st.isDirectory()) return 'is a folder; give a file name';
    // writing to a FIFO waits for a reader for ever, a socket cannot be opened, a disk is no report file; a terminal,
    // /dev/null and this process's own stdout / stderr (`--md /dev/stdout | less`) are written as before
    if (!st.isFile() && !isStreamOutput(st)) return `${NOT_REGULAR_OUTPUT}; give a file name`;
  }
  // a file or folder its user may not write: refused now, not after the whole analysis (the write failed with EACCES, exit 1)
  const denied = (at: string, mode: number): string | undefined => {
    try {
      accessSync(at, mode);
      return undefined;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'a read-only file system' : undefined;
    }
  };
  if (st) {
    const why = denied(p, constants.W_OK);
    if (why) return `is not writable (${why})`;
  } else {
    const why = denied(dir, constants.W_OK | constants.X_OK);
    if (why) return `the folder ${dir} is not writable (${why})`;
  }
  return undefined;
}

/** Why an existing output path that is no regular file is not written. */
export const NOT_REGULAR_OUTPUT = 'is not a regular file (a FIFO, socket or block device; /dev/stdout prints the output)';

/**
 * An output path that is written as a stream, not replaced as a file: a character device (a terminal, /dev/null,
 * /dev/stdout on a terminal) or the pipe or file this process's stdout / stderr already is (`/dev/stdout` when stdout
 * is a pipe: the same device and inode as fd 1). Any other FIFO is not (nobody may read it: the write would wait).
 */
function isStreamOutput(st: Stats): boolean {
  if (st.isCharacterDevice()) return true;
  if (!st.isFIFO()) return false;
  for (const fd of [1, 2]) {
    try {
      const s = fstatSync(fd);
      if (s.dev === st.dev && s.ino === st.ino) return true;
    } catch {
      /* no such descriptor */
    }
  }
  return false;
}

/**
 * Writes `text` (UTF-8) to the output file `file`, replacing its content: opened without waiting (`O_NONBLOCK`: a FIFO
 * put in place after the checks of {@link outputFileProblem} fails at once with ENXIO instead of hanging) and written
 * only when the open handle is a regular file, or a terminal, /dev/null or this process's own stdout / stderr pipe
 * (written as a stream; else rejects with {@link NOT_REGULAR_OUTPUT}, nothing written).
 * Rejects on I/O errors.
 */
export async function writeOutputFile(file: string, text: string): Promise<void> {
  const p = resolve(file);
  let before: Stats | undefined;
  try {
    before = statSync(p);
  } catch {
    before = undefined; // a new file
  }
  // a terminal, /dev/null or our own stdout pipe: opened blocking (a full pipe waits for its reader, no EAGAIN)
  const stream = before !== undefined && !before.isFile() && isStreamOutput(before);
  const h = await open(p, constants.O_WRONLY | (stream ? 0 : constants.O_CREAT | (constants.O_NONBLOCK ?? 0)), 0o666);
  try {
    const st = await h.stat();
    if (st.isFile()) await h.truncate(0);
    else if (!isStreamOutput(st)) throw new Error(NOT_REGULAR_OUTPUT);
    await h.writeFile(text, 'utf8');
  } finally {
    await h.close();
  }
}

/**
 * The given paths, resolved; undefined (after `soc-analytics: <given>: <problem>\n` on stderr) at the
 * first one `problem` objects to — the caller exits with 2. `option`: the option that gave the paths (or, per
 * index, the option that gave that path; undefined for a positional one), named before the path
 * (`soc-analytics: --sla /nope.json: no such file or directory`).
 */
export function resolveReadable(
  given: string[],
  io: ErrOut,
  problem: (p: string) => string | undefined,
  option?: string | ((index: number) => string | undefined),
): string[] | undefined {
  const paths = given.map((p) => resolve(p));
  for (let i = 0; i < paths.length; i++) {
    const why = problem(paths[i]);
    if (why) {
      const opt = typeof option === 'function' ? option(i) : option;
      io.stderr(`soc-analytics: ${opt ? `${opt} ` : ''}${given[i]}: ${why}\n`);
      return undefined;
    }
  }
  return paths;
}

/** How {@link startPathCommand} reads a subcommand's arguments. */
export interface PathCommand<A extends { paths: string[]; md?: string }> {
  /** Parses the arguments: `'help'` for -h/--help; throws an `argError` on bad input. */
  parse: () => A | 'help';
  argError: abstract new (...args: never[]) => Error;
  /** The command named in the "Try …" hint of a bad argument. */
  hint: string;
  /** Printed on stdout for `'help'` (exit 0). */
  usage: string;
  /** Why a resolved path cannot be read. */
  pathProblem: (p: string) => string | undefined;
}

/**
 * The common start of a subcommand over files and folders: bad arguments → exit 2 ({@link argErrorExit}),
 * help → usage on stdout and exit 0, an unreadable path → exit 2 ({@link resolveReadable}). Returns
 * the exit code, or the arguments with the resolved paths to go on with.
 */
export function startPathCommand<A extends { paths: string[]; md?: string; pathOptions?: Record<number, string> }>(io: SubcommandOut, c: PathCommand<A>): number | { args: A; paths: string[] } {
  let args: A | 'help';
  try {
    args = c.parse();
  } catch (e) {
    return argErrorExit(e, c.argError, io, c.hint);
  }
  if (args === 'help') {
    io.stdout(c.usage);
    return 0;
  }
  const paths = resolveReadable(args.paths, io, c.pathProblem, (i) => args.pathOptions?.[i]);
  if (!paths) return 2;
  // `--md FILE` (loki, qradar, beacons): checked before any work, as kpi's --html / --md; the files found inside
  // named folders are checked once they are known (outputIsInputExit)
  const mdWhy = args.md === undefined ? undefined : outputFileProblem(args.md);
  if (mdWhy) return argErrorExit(new MdArgError(`--md ${args.md}: ${mdWhy}`), MdArgError, io, c.hint);
  if (args.md !== undefined && outputIsInputExit(io, [{ option: '--md', given: args.md }], paths, c.hint)) return 2;
  return { args, paths };
}

class MdArgError extends Error {}

/** An output file option of a subcommand as typed: `{option: '--md', given: 'report.md'}`. */
export interface OutputOption {
  option: string;
  given: string;
}

/** `dev:ino` of the file `p` (links followed; bigint: exact on every file system), undefined when it is none. */
function fileKey(p: string): string | undefined {
  try {
    const st = statSync(p, { bigint: true });
    return st.isFile() ? `${st.dev}:${st.ino}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The first of `outputs` that is the same file as one of `inputs` (same device and inode after following links: also a
 * symbolic or hard link to an input, under any name), as `--md FILE: is one of the inputs; give another file name`
 * (`… is one of the inputs (/ev/a.csv); …` when the input has another name); undefined when none is. `inputs`: every
 * file the command reads — those given and those found inside named folders (discovery), and the files read beside
 * them. Only an output that exists as a regular file can be an input, so a new output file costs one `stat`.
 */
export function outputIsInputProblem(outputs: readonly OutputOption[], inputs: Iterable<string>): string | undefined {
  const keys = new Map<string, OutputOption>();
  for (const o of outputs) {
    const k = fileKey(resolve(o.given));
    if (k !== undefined && !keys.has(k)) keys.set(k, o);
  }
  if (keys.size === 0) return undefined;
  for (const f of inputs) {
    const o = keys.get(fileKey(resolve(f)) ?? '');
    if (o === undefined) continue;
    const named = resolve(o.given) === resolve(f) ? '' : ` (${f})`;
    return `${o.option} ${o.given}: is one of the inputs${named}; give another file name`;
  }
  return undefined;
}

/**
 * {@link outputIsInputProblem} as an exit: true after `soc-analytics: <problem>\nTry "<hint>".\n` on stderr (the caller
 * exits with 2, before writing anything: no report, no output file), false when no output is an input.
 */
export function outputIsInputExit(io: ErrOut, outputs: readonly OutputOption[], inputs: Iterable<string>, hint: string): boolean {
  const why = outputIsInputProblem(outputs, inputs);
  if (why === undefined) return false;
  argErrorExit(new MdArgError(why), MdArgError, io, hint);
  return true;
}

/**
 * Writes the `--md FILE` summary of loki / qradar / beacons (UTF-8; an existing file is replaced). Resolves to 0, or
 * to 1 after `soc-analytics: --md FILE: could not write it: <error>` on stderr (a full disk, no permission).
 */
export async function writeMdFile(io: ErrOut, file: string, markdown: string): Promise<number> {
  try {
    await writeOutputFile(file, markdown);
    return 0;
  } catch (e) {
    io.stderr(`soc-analytics: --md ${file}: could not write it: ${fsErrorText(e)}\n`);
    return 1;
  }
}

/**
 * `--md -` (and kpi's `--html -`): the summary goes to standard output in place of the text report, as `-` means in
 * other command-line tools (it made a file named `-` in the working directory). Returns whether `value` asks for that;
 * throws `argError` when `--json` is given too (two documents on one stdout).
 */
export function mdToStdout(option: string, value: string | undefined, json: boolean, argError: (m: string) => Error): boolean {
  if (value !== '-') return false;
  if (json) throw argError(`${option} - and --json both write to stdout: give ${option} a file name, or leave out --json`);
  return true;
}

/** The `-h, --help` and `-V, --version` lines of a subcommand's help, the descriptions starting at column `col`. */
export function helpVersionHelp(col: number): string {
  const opt = (o: string) => `  ${o.padEnd(col - 3)} `;
  return `${opt('-h, --help')}show this help\n${opt('-V, --version')}show the version\n`;
}

/**
 * The help lines of `--md FILE` and `--defang` (loki, qradar, beacons), the descriptions starting at column `col`
 * as the rest of that subcommand's options.
 */
export function mdOptionsHelp(col: number): string {
  const opt = (o: string) => `  ${o.padEnd(col - 3)} `;
  const more = ' '.repeat(col);
  return (
    `${opt('--md FILE')}also write a ticket-ready Markdown summary to FILE (inputs, time range and headline numbers,\n` +
    `${more}top tables; times in the display zone; log text escaped: no table break, link, image or HTML);\n` +
    `${more}--md - prints it on stdout instead of the report (not with --json)\n` +
    `${opt('--defang')}defang addresses, URLs and domains in that summary (10.0.0[.]1, hxxps://evil[.]com)\n`
  );
}

/**
 * Reads `--md FILE` / `--md=FILE` and `--defang` at `args[i]` into `out`; returns the index of the last argument used,
 * or -1 when `args[i]` is neither. `argError` builds the subcommand's error for a missing file name.
 */
export function takeMdOption(args: string[], i: number, out: { md?: string; defang?: boolean }, argError: (m: string) => Error): number {
  const a = args[i];
  if (a === '--defang') {
    out.defang = true;
    return i;
  }
  if (a !== '--md' && !a.startsWith('--md=')) return -1;
  const v = a === '--md' ? args[i + 1] : a.slice(5);
  if (v === undefined || v.trim() === '') throw argError('--md needs a file name'); // (white space only: a file named " ")
  out.md = v; // `-`: standard output, instead of the report (see mdToStdout)
  return a === '--md' ? i + 1 : i;
}

/** Exit code of a subcommand that found nothing of its kind to analyze among its paths. */
export const EXIT_NOTHING_READ = 3;

/**
 * Exit code of `qradar-fetch` and `qradar-count` when the QRadar console could not be reached (connection refused,
 * timeout, TLS) or answered with an error (401, 5xx after the retries, an answer that is not the API's), or the fetch
 * was interrupted: not an unexpected failure (1), and a script can tell it apart. A fetch keeps what it got (partial
 * manifest; `--resume` completes it).
 */
export const EXIT_QRADAR_API = 4;

/**
 * Says on stderr that nothing was analyzed (`soc-analytics: <what> in the given paths (N files
 * skipped: see the report); exit 3`) and returns {@link EXIT_NOTHING_READ}: a script can tell an
 * empty result from a wrong folder.
 */
export function nothingRead(io: ErrOut, what: string, skipped: number): number {
  io.stderr(`soc-analytics: ${what} in the given paths${skipped ? ` (${skipped} file${skipped === 1 ? '' : 's'} skipped: see the report)` : ''}; exit ${EXIT_NOTHING_READ}\n`);
  return EXIT_NOTHING_READ;
}

/** `Reading <done>/<total> files, <pct>%` of a file reader's progress. */
export function readingText(p: { filesDone: number; filesTotal: number; bytesDone: number; bytesTotal: number }): string {
  const pct = p.bytesTotal > 0 ? Math.floor((100 * p.bytesDone) / p.bytesTotal) : 0;
  return `Reading ${p.filesDone}/${p.filesTotal} file${p.filesTotal === 1 ? '' : 's'}, ${pct}%`;
}

/**
 * A one-line progress display on stderr when it is a terminal (else `onProgress` is undefined):
 * `onProgress` redraws the line `toLine` gives at most every `everyMs` ms, `done` erases it.
 */
export function ttyProgress<P>(io: ErrOut & { stderrIsTTY?: boolean }, toLine: (p: P) => string, everyMs = 100): { onProgress?: (p: P) => void; done(): void } {
  let lastLen = 0;
  let last = -Infinity;
  const onProgress = io.stderrIsTTY
    ? (p: P) => {
        const t = Date.now();
        if (t - last < everyMs) return;
        last = t;
        const line = toLine(p);
        io.stderr(`\r${line}${' '.repeat(Math.max(0, lastLen - line.length))}`);
        lastLen = line.length;
      }
    : undefined;
  return {
    onProgress,
    done: () => {
      if (io.stderrIsTTY && lastLen > 0) io.stderr(`\r${' '.repeat(lastLen)}\r`);
    },
  };
}

/** Longest cell (characters) of a {@link textTable}; longer log text is cut with `…` (the JSON output has it whole). */
export const MAX_TABLE_CELL = 1024;

/**
 * A plain-text table for the CLI reports: columns two spaces apart, `right[j]` columns right-aligned, the last
 * column not padded. Each cell is made terminal-safe as one line (`terminalSafe`: newlines and controls escaped)
 * and cut at {@link MAX_TABLE_CELL} characters, so hostile log text can neither break the rows nor make every row
 * as wide as one huge cell (which could exceed V8's string limit). `max[j]`, when given, cuts column `j`'s cells
 * at that many characters (with `…`): a column before others whose longest cell would push them off a terminal
 * (Loki's Top rules: a hash IOC's rule name of ~150 characters before DESCRIPTION).
 */
export function textTable(header: string[], rows: string[][], right: boolean[], max?: readonly (number | undefined)[]): string {
  const cell = (c: string, j: number) => {
    const safe = terminalSafe(c.slice(0, MAX_TABLE_CELL + 1)); // escapes can make it longer
    return cutText(safe, Math.min(MAX_TABLE_CELL, max?.[j] ?? MAX_TABLE_CELL));
  };
  const cells = rows.map((r) => r.map(cell));
  // a loop, not Math.max(...column): a spread of 200,000 rows (hosts) throws RangeError (call stack)
  const w = header.map((h, j) => cells.reduce((m, r) => Math.max(m, r[j].length), h.length));
  const line = (r: string[]) =>
    r
      .map((c, j) => (right[j] ? c.padStart(w[j]) : j === r.length - 1 ? c : c.padEnd(w[j])))
      .join('  ')
      .trimEnd();
  return [line(header), ...cells.map(line)].join('\n') + '\n';
}
