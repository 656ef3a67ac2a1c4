/**
 * Findings of the first-use trial of 2026-12-04 (branch trial-1204b): what a subcommand's --help says against the
 * top-level usage and the README.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main, USAGE } from '../../src/cli/cli';
import { capture } from './cli-capture';

/** The usage block of `<cmd> --help`, joined onto one line (its continuation lines' indentation differs). */
async function helpText(cmd: string): Promise<string> {
  const c = capture();
  assert.equal(await main([cmd, '--help'], c.io), 0, c.err());
  return c.out();
}
const oneLine = (s: string) => s.replace(/\s+/g, ' ');

test('beacons --help: its usage line gives --internal none and the --map presets, as soc-analytics --help does', async () => {
  const h = oneLine(await helpText('beacons'));
  const top = oneLine(USAGE);
  for (const part of ['[--internal CIDR,…|none]', '[--map col=field,…|zeek-http|firewall-csv|qradar-flows]']) {
    assert.ok(top.includes(part), `top-level usage: ${part}`);
    assert.ok(h.includes(part), `beacons --help usage lacks ${part}: ${h.slice(0, 400)}`);
  }
});

test('kpi --help: says --zone is --tz (the README: "--zone or --tz in loki, qradar, beacons and kpi") and gives its exit codes', async () => {
  const h = await helpText('kpi');
  assert.match(oneLine(h), /--tz ZONE display zone for weeks and shifts \(default UTC; --zone is the same option\)/);
  // as the other subcommands' help: exit 2 also when the tagging rules cannot be used, 3 when no case was read
  assert.match(oneLine(h), /Exit codes: 0 success, 1 unexpected failure, 2 bad arguments, an unreadable path or a tagging rules file that cannot be used \(the report is still printed\), 3 no case in the case files/);
});
