// Waiting helpers shared by the Playwright steps that drive the real VS Code (e2e.mjs, e2e-layout.mjs,
// bench/vscode-table.mjs).

/** Resolves after `ms` milliseconds. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls `fn` every `every` ms until it returns a truthy value (returned) or `timeout` ms have passed; errors thrown by
 * `fn` count as "not yet". Rejects with `timed out after <timeout> ms waiting for <what>` and the last error's first line.
 */
export async function poll(what, fn, timeout = 30000, every = 250) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await sleep(every);
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${last.message.split('\n')[0]}` : ''}`);
}
