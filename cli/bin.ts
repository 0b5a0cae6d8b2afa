/** Process entry point of the `perfloop` command; everything testable lives in main.ts. */
import { runCli } from './main.js';

const controller = new AbortController();
let interrupted = 0;
process.on('SIGINT', () => {
  // First Ctrl-C cancels cleanly (the HTTP request and every child process); a second one exits at once.
  if (++interrupted > 1) process.exit(130);
  process.stderr.write('\nCancelling… (Ctrl-C again to quit at once)\n');
  controller.abort(new Error('cancelled by the user'));
});

runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`perfloop: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 3;
  },
);
