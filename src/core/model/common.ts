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
