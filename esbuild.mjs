// Bundles: the extension (CJS, as the VS Code extension host loads it) and the CLI (ESM). Grammar and runtime WASM files
// are copied next to the bundles, where profilers/treeSitter.ts looks first.
import * as esbuild from 'esbuild';
import { copyFileSync, cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const production = process.argv.includes('--production');
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: !production, minify: production, logLevel: 'warning' };

mkdirSync('dist', { recursive: true });
for (const [from, to] of [
  ['node_modules/web-tree-sitter/tree-sitter.wasm', 'dist/tree-sitter.wasm'],
  ['node_modules/tree-sitter-wasms/out/tree-sitter-python.wasm', 'dist/tree-sitter-python.wasm'],
  ['node_modules/tree-sitter-wasms/out/tree-sitter-javascript.wasm', 'dist/tree-sitter-javascript.wasm'],
  ['node_modules/tree-sitter-wasms/out/tree-sitter-typescript.wasm', 'dist/tree-sitter-typescript.wasm'],
  ['node_modules/tree-sitter-wasms/out/tree-sitter-c.wasm', 'dist/tree-sitter-c.wasm'],
  ['node_modules/tree-sitter-wasms/out/tree-sitter-cpp.wasm', 'dist/tree-sitter-cpp.wasm'],
]) copyFileSync(from, to);

// esbuild is native, so it cannot be bundled, and the .vsix holds no node_modules (vsce --no-dependencies): without a
// copy next to the bundles, the installed extension cannot load it and refuses every TypeScript function. The bundles'
// `import('esbuild')` finds dist/node_modules/esbuild, which finds its binary in the package of this machine's platform
// (so a .vsix carries the binary of the platform it was built on, as `vsce package --target` expects).
const require = createRequire(import.meta.url);
const esbuildDir = dirname(require.resolve('esbuild/package.json'));
const binaryPackage = `@esbuild/${process.platform}-${process.arch}`;
const binaryDir = dirname(createRequire(`${esbuildDir}/`).resolve(`${binaryPackage}/package.json`));
rmSync('dist/node_modules', { recursive: true, force: true });
cpSync(esbuildDir, 'dist/node_modules/esbuild', { recursive: true, dereference: true, filter: (f) => !/\.d\.ts$|\/bin$|install\.js$/.test(f) });
cpSync(binaryDir, `dist/node_modules/${binaryPackage}`, { recursive: true, dereference: true });

await Promise.all([
  // The report panel's browser code (webview-ui/): one script and one stylesheet, loaded by nonce/asWebviewUri.
  esbuild.build({
    ...common,
    platform: 'browser',
    target: 'es2022',
    entryPoints: { report: 'webview-ui/src/main.ts' },
    outdir: 'dist/webview',
    format: 'iife',
    loader: { '.css': 'css' },
  }),
  esbuild.build({
    ...common,
    entryPoints: ['extension/extension.ts'],
    outfile: 'dist/extension.cjs',
    format: 'cjs',
    // esbuild (TypeScript transpiling for the JS/TS runner) is native: loaded from node_modules at run time.
    external: ['vscode', 'esbuild'],
    // import.meta.url does not exist in CJS; give bundled modules the bundle's own URL.
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  }),
  esbuild.build({
    ...common,
    entryPoints: ['cli/bin.ts'],
    outfile: 'dist/cli.mjs',
    format: 'esm',
    external: ['esbuild'],
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __perfloopCreateRequire } from 'node:module';\nconst require = __perfloopCreateRequire(import.meta.url);" },
  }),
]);
