/**
 * What a hostile candidate can reach from inside the sandbox, attacked for real in every isolating mode this machine
 * can run: a fake home directory full of credentials, a project with a `.env` and a listening Unix socket, a TCP server
 * on the loopback, and a work directory and /tmp it tries to fill.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { forgetSandboxProbes, resolveSandboxKind, runSandboxed } from '../../profilers/sandbox/sandbox.js';
import type { SandboxKind, SandboxRequest } from '../../profilers/sandbox/types.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = path.join(repoRoot, 'test/fixtures/sandbox');
const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
const QUOTA_MIB = 8;

/** A home directory as a developer's looks: keys, cloud and forge tokens, unrelated files, a project with a `.env`. */
function fakeHome(): string {
  const home = mkdtempSync(path.join(tmpdir(), 'perfloop-home-'));
  const files: Record<string, string> = {
    '.ssh/id_rsa': 'SECRET-ssh-private-key',
    '.aws/credentials': '[default]\naws_secret_access_key = SECRET-aws',
    '.config/gh/hosts.yml': 'github.com:\n  oauth_token: SECRET-gh-token',
    '.netrc': 'machine example.com password SECRET-netrc',
    'notes/diary.txt': 'SECRET-unrelated-home-file',
    'script.py': 'print("user code in the home directory")\n',
    'project/main.py': 'def f(x):\n    return x\n',
    'project/.env': 'API_KEY=SECRET-dotenv',
    'project/deploy.pem': 'SECRET-pem',
    'project/pkg/util.py': 'VALUE = 1\n',
    'project/.git/config': '[remote "origin"]\n  url = https://user:SECRET-git@example.com/repo.git',
  };
  for (const [relative, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(home, relative)), { recursive: true });
    writeFileSync(path.join(home, relative), text);
  }
  chmodSync(path.join(home, '.ssh/id_rsa'), 0o600);
  return home;
}

function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? bytesUnder(full) : statSync(full).size;
  }
  return total;
}

type Outcome = Record<string, string | { mib: number; stop: string }>;

describe('sandbox isolation: what a hostile candidate can reach', function () {
  this.timeout(120_000);
  const modes: Exclude<SandboxKind, 'none'>[] = [];
  before(async () => {
    forgetSandboxProbes();
    for (const mode of ['bwrap', 'unshare'] as const) {
      try {
        await resolveSandboxKind(mode);
        modes.push(mode);
      } catch (error) {
        // Reported, not hidden: the attacks below then do not run in this mode on this machine.
        console.warn(`      (sandbox mode ${mode} cannot run here, its attacks are skipped: ${(error as Error).message})`);
      }
    }
  });

  for (const mode of ['bwrap', 'unshare'] as const) {
    describe(`under ${mode}`, () => {
      let home: string;
      let project: string;
      let workDir: string;
      let unixServer: Server;
      let tcpServer: Server;
      let connections = 0;
      let outcome: Outcome;
      let inHome: Outcome;

      const attack = async (plan: object, extra: Partial<SandboxRequest>): Promise<Outcome> => {
        const result = await runSandboxed({
          argv: [python, path.join(fixtures, 'attacks.py'), JSON.stringify(plan)],
          mode,
          workDir,
          timeoutMs: 60_000,
          hostHome: home,
          limits: { scratchBytes: QUOTA_MIB * 1024 ** 2 },
          ...extra,
          readOnlyPaths: [fixtures, ...(extra.readOnlyPaths ?? [])],
        });
        assert.equal(result.exitCode, 0, result.stderr);
        return JSON.parse(result.stdout) as Outcome;
      };

      before(async function () {
        if (!modes.includes(mode)) this.skip();
        home = fakeHome();
        project = path.join(home, 'project');
        workDir = mkdtempSync(path.join(tmpdir(), 'perfloop-isolation-work-'));
        const onConnection = (socket: { destroy(): void }): void => {
          connections += 1;
          socket.destroy();
        };
        unixServer = createServer(onConnection);
        await new Promise<void>((resolve) => unixServer.listen(path.join(project, 'agent.sock'), resolve));
        tcpServer = createServer(onConnection);
        await new Promise<void>((resolve) => tcpServer.listen(0, '127.0.0.1', resolve));
        const port = (tcpServer.address() as { port: number }).port;
        const fill = (dir: string): object => ({ dir, files: 6, mibPerFile: QUOTA_MIB / 2 });
        outcome = await attack({
          reads: [
            path.join(project, 'main.py'), path.join(project, 'pkg/util.py'), path.join(project, '.env'),
            path.join(project, 'deploy.pem'), path.join(project, '.git/config'),
            path.join(home, '.ssh/id_rsa'), path.join(home, '.aws/credentials'), path.join(home, '.config/gh/hosts.yml'),
            path.join(home, '.netrc'), path.join(home, 'notes/diary.txt'),
          ],
          writes: [path.join(project, 'main.py'), path.join(home, 'planted.txt'), path.join(home, 'notes/diary.txt')],
          fills: [fill(workDir), fill('/tmp')],
          unixSockets: [path.join(project, 'agent.sock')],
          tcpPorts: [port],
        }, { readOnlyPaths: [project] });
        // The user's file sits directly in the home directory: that directory is then what the code under test needs.
        inHome = await attack({
          reads: [
            path.join(home, 'script.py'), path.join(home, '.ssh/id_rsa'), path.join(home, '.aws/credentials'),
            path.join(home, '.config/gh/hosts.yml'), path.join(home, '.netrc'), path.join(home, 'notes/diary.txt'),
            path.join(project, '.env'),
          ],
          writes: [path.join(home, 'script.py')],
          fills: [],
          unixSockets: [],
          tcpPorts: [],
        }, { readOnlyPaths: [home] });
      });
      after(async () => {
        if (unixServer) await new Promise((resolve) => unixServer.close(resolve));
        if (tcpServer) await new Promise((resolve) => tcpServer.close(resolve));
        if (home) rmSync(home, { recursive: true, force: true });
        if (workDir) rmSync(workDir, { recursive: true, force: true });
      });

      const read = (o: Outcome, file: string): string => String(o[`read ${file}`]);

      it('shows the project source it was given, read-only', () => {
        assert.equal(read(outcome, path.join(project, 'main.py')), 'read:def f(x):\n    return x\n');
        assert.equal(read(outcome, path.join(project, 'pkg/util.py')), 'read:VALUE = 1\n');
        assert.equal(read(inHome, path.join(home, 'script.py')), 'read:print("user code in the home directory")\n');
      });

      it("never shows the project's secrets: .env, keys, the git remote's credentials", () => {
        for (const secret of ['.env', 'deploy.pem', '.git/config']) {
          assert.match(read(outcome, path.join(project, secret)), /^refused:/, secret);
        }
      });

      it('never shows credentials in the home directory: ~/.ssh, ~/.aws, tokens under ~/.config, ~/.netrc', () => {
        for (const o of [outcome, inHome]) {
          for (const secret of ['.ssh/id_rsa', '.aws/credentials', '.config/gh/hosts.yml', '.netrc']) {
            assert.match(read(o, path.join(home, secret)), /^refused:/, secret);
          }
        }
        assert.doesNotMatch(JSON.stringify([outcome, inHome]), /SECRET/);
      });

      it('never shows the rest of the home directory, even when the user file sits directly in it', () => {
        assert.match(read(outcome, path.join(home, 'notes/diary.txt')), /^refused:/);
        assert.match(read(inHome, path.join(home, 'notes/diary.txt')), /^refused:/);
        assert.match(read(inHome, path.join(project, '.env')), /^refused:/);
      });

      it("cannot write the user's source file or anything in the home directory", () => {
        assert.match(String(outcome[`write ${path.join(project, 'main.py')}`]), /^refused:/);
        assert.match(String(outcome[`write ${path.join(home, 'notes/diary.txt')}`]), /^refused:/);
        // This fake home lies under /tmp, which the sandbox replaces with private scratch space: a new file there may be
        // written, but only in that scratch space (the listing of the real directory below is unchanged).
        assert.match(String(inHome[`write ${path.join(home, 'script.py')}`]), /^refused:/);
        assert.equal(readFileSync(path.join(project, 'main.py'), 'utf8'), 'def f(x):\n    return x\n');
        assert.equal(readFileSync(path.join(home, 'script.py'), 'utf8'), 'print("user code in the home directory")\n');
        assert.equal(readFileSync(path.join(home, 'notes/diary.txt'), 'utf8'), 'SECRET-unrelated-home-file');
        assert.deepEqual(readdirSync(home).sort(), ['.aws', '.config', '.netrc', '.ssh', 'notes', 'project', 'script.py']);
      });

      it('cannot write more than its quota to the work directory or /tmp, and nothing of it reaches the disk', () => {
        for (const dir of [workDir, '/tmp']) {
          const fill = outcome[`fill ${dir}`] as { mib: number; stop: string };
          assert.match(fill.stop, /^refused:(ENOSPC|EDQUOT)/, `${dir}: ${JSON.stringify(fill)}`);
          assert.ok(fill.mib <= QUOTA_MIB, `${dir}: ${fill.mib} MiB written`);
        }
        assert.ok(bytesUnder(workDir) < 1024 ** 2, `${bytesUnder(workDir)} bytes left in the host's work directory`);
      });

      it('cannot connect to a listening Unix socket in the project, nor to the loopback network', () => {
        assert.match(String(outcome[`connect ${path.join(project, 'agent.sock')}`]), /^refused:/);
        const tcp = Object.entries(outcome).find(([key]) => key.startsWith('connect tcp'));
        assert.match(String(tcp?.[1]), /^refused:/);
        assert.equal(connections, 0);
      });
    });
  }
});

describe('sandbox choice: no silent downgrade', function () {
  this.timeout(60_000);
  const savedPath = process.env.PATH;
  let fakeBin: string | undefined;
  afterEach(() => {
    process.env.PATH = savedPath;
    if (fakeBin) rmSync(fakeBin, { recursive: true, force: true });
    fakeBin = undefined;
    forgetSandboxProbes();
  });

  /** A bubblewrap that is installed but fails while setting up, as it does where user namespaces are disabled. */
  const brokenBwrapOnPath = (): void => {
    fakeBin = mkdtempSync(path.join(tmpdir(), 'perfloop-broken-bwrap-'));
    writeFileSync(path.join(fakeBin, 'bwrap'), '#!/bin/sh\necho "bwrap: setting up uid map: Permission denied" >&2\nexit 1\n', { mode: 0o755 });
    process.env.PATH = `${fakeBin}:${savedPath}`;
    forgetSandboxProbes();
  };

  it('auto never resolves to no sandbox: with nothing that isolates, it refuses and says how to fix it or opt out', async () => {
    forgetSandboxProbes();
    process.env.PATH = '/nonexistent';
    await assert.rejects(resolveSandboxKind('auto'), (error: Error) => {
      assert.match(error.message, /will not run LLM-written code without a sandbox/);
      assert.match(error.message, /sudo apt-get install bubblewrap/);
      assert.match(error.message, /--sandbox none/);
      assert.match(error.message, /"perfloop.sandbox": "none"/);
      assert.match(error.message, /PERFLOOP_SANDBOX=none/);
      return true;
    });
  });

  it('on a platform without a sandbox (macOS, Windows) LLM-written code runs only with an explicit none', async () => {
    for (const platform of ['darwin', 'win32'] as const) {
      await assert.rejects(resolveSandboxKind('auto', platform), /no sandbox on (macOS|Windows) yet.*--sandbox none.*PERFLOOP_SANDBOX=none/s);
    }
    assert.equal(await resolveSandboxKind('none', 'darwin'), 'none');
  });

  it('a bubblewrap that fails at setup is a clear error naming the cause and the fix, not a downgrade', async () => {
    brokenBwrapOnPath();
    await assert.rejects(resolveSandboxKind('bwrap'), (error: Error) => {
      assert.equal(error.name, 'SandboxUnavailableError');
      assert.match(error.message, /Sandbox 'bwrap' was requested but does not work on this machine: bwrap: setting up uid map: Permission denied/);
      assert.match(error.message, /user namespaces/);
      assert.match(error.message, /--sandbox none/);
      return true;
    });
  });

  it('the CLI reports a broken bubblewrap with exit code 2 and the message, without a stack trace', async () => {
    brokenBwrapOnPath();
    const { runCli } = await import('../../cli/main.js');
    const project = mkdtempSync(path.join(tmpdir(), 'perfloop-cli-bwrap-'));
    try {
      writeFileSync(path.join(project, 'f.py'), 'def f(x):\n    return x\n');
      writeFileSync(path.join(project, 'inputs.py'), 'def correctness_inputs():\n    return [(1,), (2,)]\n');
      let stderr = '';
      const code = await runCli(['compare', `${path.join(project, 'f.py')}:f`, path.join(project, 'f.py'), '--inputs', path.join(project, 'inputs.py'), '--sandbox', 'bwrap'], {
        stdout: () => undefined,
        stderr: (text) => (stderr += text),
        env: {},
      });
      assert.equal(code, 2, stderr);
      assert.match(stderr, /^error: Sandbox 'bwrap' was requested but does not work on this machine: bwrap: setting up uid map/m);
      assert.doesNotMatch(stderr, /\n\s+at /);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
