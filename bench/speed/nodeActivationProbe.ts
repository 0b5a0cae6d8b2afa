/**
 * One cold `require` + `activate()` of the bundled extension in a fresh Node process, with the stand-in `vscode` module
 * of vscodeStub.ts (NOT VS Code). Run by nodeActivation.ts:
 *   node out/bench/speed/nodeActivationProbe.js <bundle.cjs> <extension root> <storage dir>
 * Prints one JSON line: { requireMs, activateMs, historyLoadedMs, genericMembers, logLines }.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createExtensionContext, createVscodeStub } from './vscodeStub.js';

interface ExtensionModule {
  activate(context: unknown): { historyLoaded?: Promise<void> } | undefined;
}

type ModuleLoad = (request: string, parent: unknown, isMain: boolean) => unknown;

async function main(): Promise<void> {
  const [bundle, extensionRoot, storageDir] = process.argv.slice(2);
  if (!bundle || !extensionRoot || !storageDir) throw new Error('usage: nodeActivationProbe <bundle.cjs> <extension root> <storage dir>');
  mkdirSync(storageDir, { recursive: true });
  const stub = createVscodeStub();
  // The bundle's require('vscode') gets the stub; everything else loads as usual.
  const loader = Module as unknown as { _load: ModuleLoad };
  const load = loader._load;
  loader._load = function (this: unknown, request, parent, isMain) {
    return request === 'vscode' ? stub.vscode : load.call(this, request, parent, isMain);
  };
  const packageJSON: unknown = JSON.parse(readFileSync(path.join(extensionRoot, 'package.json'), 'utf8'));
  const context = createExtensionContext(extensionRoot, storageDir, packageJSON);
  const requireHere = createRequire(import.meta.url);

  const started = performance.now();
  const extension = requireHere(path.resolve(bundle)) as ExtensionModule;
  const required = performance.now();
  const api = extension.activate(context);
  const activated = performance.now();
  await api?.historyLoaded;
  const historyLoaded = performance.now();
  process.stdout.write(
    `${JSON.stringify({
      requireMs: required - started,
      activateMs: activated - required,
      historyLoadedMs: historyLoaded - activated,
      genericMembers: [...stub.genericMembers].sort(),
      logLines: stub.logLines.slice(0, 5),
    })}\n`,
  );
  for (const disposable of (context.subscriptions as { dispose(): unknown }[]).splice(0)) disposable.dispose();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
