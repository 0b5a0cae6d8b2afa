/**
 * The user's project as its own compiler resolves it. Node alone cannot load a TypeScript project: `./helpers.js` means
 * helpers.ts, `./helpers` and `./dir` need extension and index lookups ESM does not do, `@lib/x` is a tsconfig `paths`
 * alias, and Node 20 does not run `.ts` files at all. esbuild implements the compiler's rules (the nearest tsconfig.json
 * with its `extends`, `paths`, `baseUrl`, the `.js` → `.ts` mapping, index files), so it walks the imports of each copy
 * from its user's file: every TypeScript module reached is compiled into the work directory, and every import whose
 * target Node would not find on its own is redirected. The resolution hooks (harness/resolveHooks.mjs) and the anchored
 * count runs (importAnchors.ts) apply the redirects; everything else (packages, builtins, JavaScript files Node finds)
 * is left to Node, so a package loads once, with Node's conditions, whoever imports it.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import { RunnerError } from '../runner.js';
import { isTypeScriptFile } from './javascriptSyntax.js';

/** A module copied into the work directory: its text (TypeScript or JavaScript) and the user's file it stands for. */
export interface ProjectEntry {
  source: string;
  filePath: string;
}

export interface ProjectModules {
  /** `redirectKey(importer's user file URL, specifier)` → the URL to load instead. */
  redirects: Map<string, string>;
  /** Compiled copy URL → the user's file URL it stands for (its own imports resolve from there). */
  parents: Map<string, string>;
  /** Files of the project the copies load by absolute URL: the sandbox must show them. */
  files: string[];
  /** The compiled TypeScript modules, to be written at `path` (after the count runs' anchoring, if any). */
  copies: { path: string; filePath: string; text: string }[];
}

export const redirectKey = (importerUrl: string, specifier: string): string => `${importerUrl}\n${specifier}`;

const ENTRY_NAMESPACE = 'perfloop-entry';
/** Import kinds Node's ESM loader (and so the hooks) resolves; `require` goes through the user file's own require. */
const ESM_KINDS = new Set(['import-statement', 'dynamic-import']);
const PATH_SPECIFIER = /^(?:\/|\.\.?(?:\/|$))/;
const isDeclarationFile = (file: string): boolean => /\.d\.[cm]?ts$/i.test(file);
const inNodeModules = (file: string): boolean => file.split(path.sep).includes('node_modules');

/** Where Node itself would look for `specifier` from `importer`: only a relative or absolute path has one answer. */
function nodeWouldLoad(specifier: string, importer: string, resolved: string): boolean {
  if (PATH_SPECIFIER.test(specifier)) return fileURLToPath(new URL(specifier, pathToFileURL(importer))) === resolved;
  // A bare name found in node_modules is a package, which Node resolves with its own conditions; one found elsewhere
  // came from tsconfig `paths` or `baseUrl`, which Node knows nothing of.
  return inNodeModules(resolved);
}

/**
 * Walks the imports of `entries` (in the work directory, these stand for their user files) and compiles each TypeScript
 * module they reach into a copy for `outDir`, which the caller writes (after anchoring its imports, in count runs).
 * Imports esbuild cannot resolve are left to Node, which reports them.
 */
export async function compileProjectModules(entries: readonly ProjectEntry[], outDir: string): Promise<ProjectModules> {
  const nothing = (): ProjectModules => ({ redirects: new Map(), parents: new Map(), files: [], copies: [] });
  const modules = nothing();
  if (entries.length === 0) return modules;
  const typescript = entries.some((entry) => isTypeScriptFile(entry.filePath));
  let esbuild: typeof import('esbuild');
  try {
    // Loaded on first use: a native package the editor bundle does not carry. JavaScript then loads as Node alone loads it.
    esbuild = await import('esbuild');
  } catch (error) {
    if (!typescript) return nothing();
    throw new RunnerError(`TypeScript needs esbuild, which did not load: ${(error as Error).message}`);
  }
  const compiled = new Map<string, string>(); // user's TypeScript file → its copy's URL
  const copyUrl = (file: string): string => {
    let url = compiled.get(file);
    if (!url) {
      url = pathToFileURL(path.join(outDir, `${compiled.size}-${path.basename(file).replace(/\.[^.]+$/, '')}.mjs`)).href;
      compiled.set(file, url);
    }
    return url;
  };
  const walker: Plugin = {
    name: 'perfloop-project-imports',
    setup(build) {
      build.onResolve({ filter: /^perfloop-entry:/ }, (args) => ({ path: args.path, namespace: ENTRY_NAMESPACE }));
      build.onLoad({ filter: /.*/, namespace: ENTRY_NAMESPACE }, (args) => {
        const entry = entries[Number(args.path.slice(`${ENTRY_NAMESPACE}:`.length))] as ProjectEntry;
        return { contents: entry.source, resolveDir: path.dirname(entry.filePath), loader: isTypeScriptFile(entry.filePath) ? 'ts' : 'js' };
      });
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'inner' || args.kind === 'entry-point') return undefined;
        const importer =
          args.namespace === ENTRY_NAMESPACE ? (entries[Number(args.importer.slice(`${ENTRY_NAMESPACE}:`.length))] as ProjectEntry).filePath : args.importer;
        const external = { path: args.path, external: true };
        const found = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'inner' });
        if (found.errors.length > 0 || found.external || !path.isAbsolute(found.path) || !ESM_KINDS.has(args.kind)) return external;
        const importerUrl = pathToFileURL(importer).href;
        if (isTypeScriptFile(found.path) && !isDeclarationFile(found.path)) {
          modules.redirects.set(redirectKey(importerUrl, args.path), copyUrl(found.path));
          return { path: found.path }; // walked into: its own imports are redirected too
        }
        if (!nodeWouldLoad(args.path, importer, found.path)) {
          modules.redirects.set(redirectKey(importerUrl, args.path), pathToFileURL(found.path).href);
          modules.files.push(found.path);
        }
        return external;
      });
    },
  };
  try {
    await esbuild.build({
      entryPoints: entries.map((_, i) => `${ENTRY_NAMESPACE}:${i}`),
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      outdir: outDir,
      logLevel: 'silent',
      plugins: [walker],
    });
  } catch (error) {
    // JavaScript that esbuild cannot walk is still Node's to judge; TypeScript it cannot compile cannot run at all.
    if (!typescript) return nothing();
    throw new RunnerError(`The project's modules do not compile: ${(error as Error).message.split('\n').slice(0, 6).join('\n')}`);
  }
  // One build per module, so that `import.meta.url` is the user's file's (helpers reading files next to themselves);
  // a build, not a transform, so that each file's tsconfig.json applies as it does for the compiler.
  await Promise.all(
    [...compiled].map(async ([file, url]) => {
      const userUrl = pathToFileURL(file).href;
      const result = await esbuild.build({
        entryPoints: [file],
        bundle: false,
        write: false,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        logLevel: 'silent',
        define: {
          'import.meta.url': JSON.stringify(userUrl),
          'import.meta.filename': JSON.stringify(file),
          'import.meta.dirname': JSON.stringify(path.dirname(file)),
        },
      });
      modules.copies.push({ path: fileURLToPath(url), filePath: file, text: result.outputFiles[0]?.text ?? '' });
      modules.parents.set(url, userUrl);
    }),
  );
  return modules;
}
