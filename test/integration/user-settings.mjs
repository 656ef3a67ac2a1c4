// VS Code user settings for the test and demo runs (runServer.mjs). Kept apart so a unit test can check the merge.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const jsonc = require('jsonc-parser');

/**
 * The settings.json text to write, or `undefined` to leave the file as it is.
 *
 * `existing` is the file's text (`undefined`: no file yet). VS Code writes settings.json as JSONC (comments,
 * trailing commas); an earlier demo run's file (`--data-dir`) holds what the user chose there (a theme, a display
 * zone). `defaults` are set only where the user has no value; `forced` always (what the run needs, e.g. workspace
 * trust for the Restricted Mode suite). Edits go through jsonc-parser, so the user's comments and layout are kept.
 * A file that is not readable JSONC (or not an object) is left alone: never overwritten with our defaults.
 * @param {string | undefined} existing
 * @param {Record<string, unknown>} defaults
 * @param {Record<string, unknown>} forced
 * @returns {string | undefined}
 */
export function mergeUserSettings(existing, defaults, forced) {
  if (existing === undefined || existing.trim() === '') return JSON.stringify({ ...defaults, ...forced }, null, 2);
  const errors = [];
  const saved = jsonc.parse(existing, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || !saved || typeof saved !== 'object' || Array.isArray(saved)) return undefined;
  let text = existing;
  const set = (key, value) => {
    const edits = jsonc.modify(text, [key], value, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } });
    text = jsonc.applyEdits(text, edits);
  };
  for (const [k, v] of Object.entries(defaults)) if (!Object.prototype.hasOwnProperty.call(saved, k) && !(k in forced)) set(k, v);
  for (const [k, v] of Object.entries(forced)) if (JSON.stringify(saved[k]) !== JSON.stringify(v)) set(k, v);
  return text === existing ? undefined : text;
}
