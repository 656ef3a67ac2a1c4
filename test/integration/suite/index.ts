/**
 * Entry module of the integration suite (`extensionTestsPath`), bundled by scripts/build-tests.mjs into
 * out/integration/suite.js (Mocha bundled in, only `vscode` external).
 *
 * The same `run()` is used by both launchers:
 *   - test/integration/runServer.mjs --suite  (offline: VS Code OSS server from code-server + Chromium)
 *   - test/integration/runElectron.mjs        (@vscode/test-electron, desktop VS Code)
 * `run()` resolves when every test passed and rejects otherwise; the workbench turns that into the
 * exit code (0/1). The last line printed is "N passed, N failed" (read by CI).
 */
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: false, reporter: 'spec' });
  const grep = process.env.SOC_TEST_GREP;
  if (grep) mocha.grep(grep);

  // The test files are bundled into this module, so they are not added with addFile(): expose the BDD
  // globals (describe/it/...) the way loadFiles() does, then evaluate the bundled test module.
  mocha.suite.emit('pre-require', globalThis, 'extension.test', mocha);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./extension.test');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./qradar.test');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./kpi.test');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./beacons.test');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./qradar-api.test');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./qradar-api-tls.test');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./settings.test');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./security.test');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./reload.test');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./reruns.test');

  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const stats = runner.stats ?? { passes: 0, failures, pending: 0 };
        const pending = stats.pending ? `, ${stats.pending} skipped` : '';
        console.log(`${stats.passes} passed, ${stats.failures} failed${pending}`);
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else if (stats.passes === 0) reject(new Error('no integration test ran'));
        else resolve();
      });
    } catch (err) {
      console.error(err);
      console.log('0 passed, 1 failed');
      reject(err);
    }
  });
}
