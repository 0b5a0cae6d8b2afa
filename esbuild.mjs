// Bundles: the extension (CJS, as the VS Code extension host loads it) and the CLI (ESM). Grammar and runtime WASM files
// are copied next to the bundles, where profilers/treeSitter.ts looks first.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

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
