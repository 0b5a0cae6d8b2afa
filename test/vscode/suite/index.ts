/**
 * The test runner module VS Code loads in its extension host (`extensionTestsPath`): VS Code calls `run()`, and the
 * promise settling decides the exit code it reports to the page (`codeAutomationExit`). Bundled to CJS by
 * test/vscode/build.mjs; mocha itself is not bundled but required from the repository's node_modules.
 *
 * Which files to run and where to write results come from PERFLOOP_HOST_TESTS (set by test/vscode/hostTests.ts on the
 * code-server process, whose environment the extension host inherits). Every test event is printed as one line starting
 * with HOST_EVENT_PREFIX: the extension host forwards console output to the page, where the outer runner reads it live;
 * the results file is the authoritative record in case a console line is lost.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { HOST_EVENT_PREFIX, type HostEvent, type HostRunConfig, type HostTestResult } from './hostProtocol.js';

export async function run(): Promise<void> {
  const config = readConfig();
  const mocha = new Mocha({ ui: 'bdd', timeout: config.timeoutMs, color: false, reporter: SilentReporter });
  if (config.grep) mocha.grep(config.grep);
  for (const file of config.files) mocha.addFile(file);

  const results: HostTestResult[] = [];
  const emit = (event: HostEvent): void => console.log(`${HOST_EVENT_PREFIX}${JSON.stringify(event)}`);
  const failures = await new Promise<number>((resolve, reject) => {
    try {
      const runner = mocha.run((count) => resolve(count));
      runner.on('suite', (suite) => {
        if (suite.title) emit({ type: 'suite', title: suite.fullTitle(), file: suite.file });
      });
      runner.on('pass', (test) => {
        const result: HostTestResult = { title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 };
        results.push(result);
        emit({ type: 'test', ...result });
      });
      runner.on('fail', (test, error: Error) => {
        const result: HostTestResult = {
          title: test.fullTitle(),
          state: 'failed',
          durationMs: test.duration ?? 0,
          error: error?.stack ?? String(error),
        };
        results.push(result);
        emit({ type: 'test', ...result });
      });
      runner.on('pending', (test) => {
        const result: HostTestResult = { title: test.fullTitle(), state: 'pending', durationMs: 0 };
        results.push(result);
        emit({ type: 'test', ...result });
      });
    } catch (error) {
      // A test file that throws while loading (syntax error, bad import) lands here.
      reject(error);
    }
  }).catch((error: unknown) => {
    const stack = String((error as Error)?.stack ?? error);
    const result: HostTestResult = { title: 'loading the test files', state: 'failed', durationMs: 0, error: stack };
    results.push(result);
    emit({ type: 'test', ...result });
    return 1;
  });

  emit({ type: 'end', failures });
  if (config.resultsFile) writeFileSync(config.resultsFile, JSON.stringify({ failures, results }, null, 2));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}

function readConfig(): HostRunConfig {
  const raw = process.env.PERFLOOP_HOST_TESTS;
  if (raw) return JSON.parse(raw) as HostRunConfig;
  // Without the outer runner (e.g. a manual launch): every trusted-mode file next to this one.
  const files = readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.cjs') && !name.endsWith('.restricted.test.cjs'))
    .map((name) => join(__dirname, name));
  return { files, timeoutMs: 60_000 };
}

/** Events are reported above; mocha's own reporters would print the same again through the console forwarder. */
class SilentReporter extends Mocha.reporters.Base {}
