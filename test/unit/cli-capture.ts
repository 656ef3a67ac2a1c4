import type { CliIO } from '../../src/cli/cli';

/** A CLI `io` that collects what the command writes: `out()` / `err()` give stdout / stderr so far. */
export function capture(extra: Partial<CliIO> = {}): { io: CliIO; out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { stdout: (s) => out.push(s), stderr: (s) => err.push(s), ...extra };
  return { io, out: () => out.join(''), err: () => err.join('') };
}
