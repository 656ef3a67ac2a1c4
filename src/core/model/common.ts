/** Types shared by every input format. */

/** A line position in an input file (1-based line number). */
export interface SourceRef {
  file: string;
  line: number;
}

/** A line (or record) that could not be parsed. */
export interface ParseError {
  file: string;
  /** 1-based line number (0 for file-level errors such as "cannot open"). */
  line: number;
  message: string;
}

/**
 * Where a problem is, as every problem list writes it (CLI text, the extension's notices and Output lines): `file:line`,
 * or the file alone for a problem of the whole file (line 0 — an unreadable file, an API error answer saved as a
 * file), never `file:0`.
 */
export function problemWhere(file: string, line: number): string {
  return line > 0 ? `${file}:${line}` : file;
}
