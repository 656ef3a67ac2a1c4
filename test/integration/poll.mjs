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
  const state = await page.evaluate(() => {
    const w = document.querySelector('.quick-input-widget');
    const inputs = [...document.querySelectorAll('.quick-input-widget input.input')];
    return `widget ${w ? (w.offsetParent || getComputedStyle(w).display !== 'none' ? 'shown' : 'hidden') : 'absent'}, ${inputs.length} input(s), values ${JSON.stringify(inputs.map((i) => i.value))}, focus on ${document.activeElement?.className || document.activeElement?.tagName}`;
  }).catch((e) => `state unknown (${e.message.split('\n')[0]})`);
  throw new Error(`could not type "${text}" into the quick input (${state})`);
}

/**
 * Chooses `item` (a RegExp or text of an entry's label) in the Explorer context menu's *SOC Analytics* submenu, the
 * context menu already open (right-click done). Opens the submenu by clicking its entry, else by hovering it, else
 * with ArrowRight; clicks the entry, or presses Enter on it when the click left the menu open.
 * Resolves `false` when the submenu entry is not in the menu within `timeout` ms (the extension not started yet: the
 * caller closes the menu and tries again); throws when the submenu opened but `item` is not in it.
 */
export async function chooseInSocSubmenu(page, item, log = () => {}, timeout = 3000) {
  const menu = page.locator('.monaco-menu');
  // the entry's own link (a.action-menu-item): the submenu's <li> also holds the entries of the submenu it opens
  const label = (text) => page.locator('.monaco-menu .action-menu-item', { has: page.locator('.action-label', { hasText: text }) }).first();
  const soc = label(/^\s*SOC Analytics\s*$/);
  if (!(await soc.waitFor({ state: 'visible', timeout }).then(() => true, () => false))) return false;
  const entry = label(item);
  const opened = () => entry.waitFor({ state: 'visible', timeout: 2000 }).then(() => true, () => false);
  let ok = false;
  for (const [how, open] of [
    ['click', () => soc.click()],
    ['hover', () => soc.hover()],
    ['ArrowRight', async () => { await soc.hover(); await page.keyboard.press('ArrowRight'); }],
  ]) {
    await open().catch((e) => log(`submenu ${how}: ${e.message.split('\n')[0]}`));
    if ((ok = await opened())) break;
    log(`submenu did not open on ${how}`);
  }
  if (!ok) throw new Error(`"SOC Analytics" submenu: no entry ${item}`);
  await entry.hover();
  await entry.click();
  // a click the menu did not take (seen once): the hovered entry runs with Enter
  await menu.first().waitFor({ state: 'hidden', timeout: 2000 }).catch(() => page.keyboard.press('Enter'));
  return true;
}
