/**
 * Load-independent cost checks for the hostile-input tests. Speed targets live in the benchmark (bench/); a unit test
 * only tells linear work from quadratic or catastrophic work, with CPU time (process.cpuUsage: this process's own
 * user + system time, which other processes on a loaded machine do not add to) and never with wall-clock time.
 */
import assert from 'node:assert/strict';

/** CPU time (user + system, all threads of this process) spent while `fn` runs, milliseconds. */
export function cpuMs(fn: () => unknown): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

/** {@link cpuMs} of an asynchronous `fn` (run alone: whatever else runs meanwhile is counted too). */
export async function cpuMsAsync(fn: () => Promise<unknown>): Promise<number> {
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

/**
 * Asserts that `run` on an input `k` times larger costs less than k^1.75 times as much CPU time: linear work grows k
 * times, quadratic work k² times; k^1.75 is ×8 above linear and ×2 below quadratic with k = 16 (128×). It was k^1.5
 * (64×) until 2026-12-06: linear parses of a 16× larger input that leaves the CPU caches measured 66–80× on a loaded
 * machine (two hostile-loki tests failed that way in full runs beside other work), while quadratic work still measures
 * ≥ 200×.
 * `make(n)` builds the input outside the measurement. Each input is run repeatedly until the measurement lasts at least
 * 30 ms (so a few ms of other threads' work, such as the garbage collector's, cannot tip it), three times, and the
 * cheapest kept (noise only adds). Returns the two costs per run, ms.
 */
export function assertSubquadratic<T>(what: string, make: (n: number) => T, run: (input: T) => unknown, n: number, k = 16): { small: number; big: number } {
  const smallIn = make(n);
  const bigIn = make(n * k);
  run(smallIn); // compiled before it is measured
  return judge(what, perRun(run, smallIn), perRun(run, bigIn), k);
}

/**
 * {@link assertSubquadratic} for asynchronous work on inputs already made (files, folders): `run(small)` and
 * `run(big)`, where `big` is `k` times `small`, each measured alone (nothing else runs in this test meanwhile).
 */
export async function assertSubquadraticAsync<T>(what: string, run: (input: T) => Promise<unknown>, small: T, big: T, k: number): Promise<{ small: number; big: number }> {
  await run(small);
  const once = async (input: T) => Math.min(await cpuMsAsync(() => run(input)), await cpuMsAsync(() => run(input)), await cpuMsAsync(() => run(input)));
  return judge(what, await once(small), await once(big), k);
}

function judge(what: string, small: number, big: number, k: number): { small: number; big: number } {
  if (process.env.SOC_COST_LOG) process.stderr.write(`cost ${what.slice(0, 50)}: ${small.toFixed(3)} ms → ${big.toFixed(2)} ms (${(big / small).toFixed(1)}×)\n`);
  assert.ok(
    big < small * k ** 1.75,
    `${what}: ${k}× the input took ${(big / Math.max(small, 1e-6)).toFixed(1)}× the CPU time (${big.toFixed(2)} ms vs ${small.toFixed(3)} ms; linear is ${k}×, quadratic ${k * k}×, bound ${(k ** 1.75).toFixed(0)}×)`,
  );
  return { small, big };
}

/** CPU time of one `run(input)`, ms: the cheapest of three measurements of enough runs to last 30 ms. */
function perRun<T>(run: (input: T) => unknown, input: T): number {
  let reps = 1;
  while (cpuMs(() => repeat(run, input, reps)) < 30 && reps < 1 << 20) reps *= 2;
  return Math.min(...[0, 1, 2].map(() => cpuMs(() => repeat(run, input, reps)))) / reps;
}

function repeat<T>(run: (input: T) => unknown, input: T, reps: number): void {
  for (let i = 0; i < reps; i++) run(input);
}

/**
 * `fn()`, asserting that it took less than `boundMs` of CPU time. Meant as a generous bound (hundreds of times the
 * usual cost) that only catastrophic work exceeds: exponential backtracking, a loop that does not end.
 */
export function withinCpuMs<T>(boundMs: number, fn: () => T): T {
  let r: T;
  const ms = cpuMs(() => (r = fn()));
  assert.ok(ms < boundMs, `took ${ms.toFixed(0)} ms of CPU time (bound ${boundMs} ms)`);
  return r!;
}
