/**
 * Why LLM-written code will not run here, in words that say what to do. Thrown before anything runs; the CLI turns it
 * into exit code 2 (misconfiguration) and the editor shows the message as it shows any failed run.
 */
import type { SandboxMode } from './types.js';

export class SandboxUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxUnavailableError';
  }
}

const INSTALL_BWRAP = 'install bubblewrap (`sudo apt-get install bubblewrap`, or the `bubblewrap` package of your distribution)';
const OPT_OUT =
  'to run generated code with your full access to files and network instead, opt out explicitly: `--sandbox none` ' +
  '(CLI), `"perfloop.sandbox": "none"` (VS Code settings) or PERFLOOP_SANDBOX=none';

/** `auto` found nothing that isolates: it never falls back to no sandbox by itself. */
export function noSandboxHere(platform: NodeJS.Platform, reasons: Record<string, string>): SandboxUnavailableError {
  if (platform !== 'linux') {
    return new SandboxUnavailableError(
      `Perfloop has no sandbox on ${platform === 'darwin' ? 'macOS' : platform === 'win32' ? 'Windows' : platform} yet and ` +
        `will not run LLM-written code without one; ${OPT_OUT}.`,
    );
  }
  const why = Object.entries(reasons).map(([kind, reason]) => `${kind}: ${reason}`).join('; ');
  return new SandboxUnavailableError(
    `Perfloop will not run LLM-written code without a sandbox, and none works on this machine (${why}). ` +
      `To fix it, ${INSTALL_BWRAP}; if it is installed, unprivileged user namespaces may be disabled ` +
      '(sysctl kernel.unprivileged_userns_clone=1, or on Ubuntu an AppArmor profile that allows bwrap). Or, ' + `${OPT_OUT}.`,
  );
}

/** A specific mode was asked for and does not work: an error, never a downgrade. */
export function requestedSandboxBroken(mode: Exclude<SandboxMode, 'auto' | 'none'>, reason: string): SandboxUnavailableError {
  const hint = mode === 'bwrap'
    ? `To fix it, ${INSTALL_BWRAP}; if it is installed and fails, unprivileged user namespaces may be disabled ` +
      '(sysctl kernel.unprivileged_userns_clone=1, or on Ubuntu an AppArmor profile that allows bwrap).'
    : 'It needs unprivileged user namespaces, util-linux `unshare` and a Python 3 interpreter.';
  return new SandboxUnavailableError(
    `Sandbox '${mode}' was requested but does not work on this machine: ${reason}. ${hint} Or choose another mode ` +
      `(\`--sandbox auto\`), or, ${OPT_OUT}.`,
  );
}

export function sandboxNeedsLinux(mode: SandboxMode, platform: NodeJS.Platform): SandboxUnavailableError {
  return new SandboxUnavailableError(`Sandbox '${mode}' was requested but needs Linux (this is ${platform}); ${OPT_OUT}.`);
}
