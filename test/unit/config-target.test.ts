/**
 * Where the extension writes a setting it changes itself (display zone, QRadar console zone, cases column mapping,
 * beacon safelist): at the caller's preferred level, or at the most specific level that defines the key — a value
 * written below it is shadowed (code review: the zone picker wrote the user settings while the workspace set
 * `displayTimeZone`, and nothing changed; an invalid workspace `consoleTimeZone` made the question come back every
 * run) — never at a level that cannot be written now (the cases mapping saved "in the workspace" with no workspace
 * open threw).
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { chooseConfigLevel, definingLevel } from '../../src/core/config-target';

describe('settings write target from inspect()', () => {
  it('names the most specific level that defines the key; undefined when only the default applies', () => {
    assert.equal(definingLevel(undefined), undefined);
    assert.equal(definingLevel({}), undefined);
    assert.equal(definingLevel({ globalValue: 'UTC' }), 'global');
    assert.equal(definingLevel({ globalValue: 'UTC', workspaceValue: 'Asia/Tokyo' }), 'workspace');
    assert.equal(definingLevel({ workspaceValue: 'x', workspaceFolderValue: '' }), 'workspaceFolder'); // '' defines the key too
    assert.equal(definingLevel({ globalValue: false }), 'global'); // a false or 0 value is a value
  });

  it('writes the user settings by default, unless the workspace (or the folder) defines the key', () => {
    assert.equal(chooseConfigLevel({}), 'global');
    assert.equal(chooseConfigLevel({ globalValue: 'Europe/Berlin' }), 'global');
    assert.equal(chooseConfigLevel({ globalValue: 'Europe/Berlin', workspaceValue: 'UTC' }), 'workspace');
    assert.equal(chooseConfigLevel({ workspaceValue: 'Not/AZone' }), 'workspace'); // the invalid workspace value is replaced, not shadowing the answer
    assert.equal(chooseConfigLevel({ workspaceValue: 'UTC', workspaceFolderValue: 'UTC' }), 'workspaceFolder');
  });

  it('keeps a more specific preferred level (the cases mapping goes to the workspace even when the user settings define one)', () => {
    assert.equal(chooseConfigLevel({ globalValue: { title: 'T' } }, 'workspace'), 'workspace');
    assert.equal(chooseConfigLevel({}, 'workspace'), 'workspace');
    assert.equal(chooseConfigLevel({ workspaceFolderValue: {} }, 'workspace'), 'workspaceFolder');
  });

  it('falls back to a level that can be written: no workspace open → user settings; input outside every folder → workspace', () => {
    assert.equal(chooseConfigLevel({}, 'workspace', ['global']), 'global');
    assert.equal(chooseConfigLevel({ globalValue: 1 }, 'workspace', ['global']), 'global');
    assert.equal(chooseConfigLevel({ workspaceFolderValue: 1 }, 'global', ['global', 'workspace']), 'workspace');
    assert.equal(chooseConfigLevel({ workspaceFolderValue: 1 }, 'workspace', ['global']), 'global');
    assert.equal(chooseConfigLevel({}, 'workspaceFolder', ['global', 'workspace', 'workspaceFolder']), 'workspaceFolder');
  });
});
