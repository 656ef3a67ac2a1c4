// Waiting and typing helpers shared by the Playwright steps that drive the real VS Code (e2e.mjs, e2e-layout.mjs,
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

/**
 * Types `text` into the open VS Code quick input of `page` (Playwright), replacing what is there; `log` gets a line
 * when the first way fails. Seen in CI (2026-12-05): Playwright's fill() on the display-zone picker's input resolved
 * the element, then hung in "attempting fill action" for its whole 30 s and the step failed. So fill() gets 5 s; then
 * the input is focused and the text typed with the keyboard (select all, insertText), and the value is checked, three
 * times, before it throws `could not type "<text>" into the quick input`.
 */
export async function typeInQuickInput(page, text, log = () => {}) {
  const input = page.locator('.quick-input-widget input.input');
  const arrived = async () => (await input.inputValue({ timeout: 2000 }).catch(() => null)) === text;
  try {
    await input.fill(text, { timeout: 5000 });
    if (await arrived()) return;
  } catch (err) {
    log(`quick-input fill("${text}") did not complete (${String(err.message).split('\n')[0]}); typing it`);
  }
  for (let i = 0; i < 3; i++) {
    await input.focus({ timeout: 3000 }).catch(() => {});
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(text);
    if (await arrived()) return;
    await sleep(500);
  }
  throw new Error(`could not type "${text}" into the quick input`);
}
